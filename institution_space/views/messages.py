"""The institution's messages: what is addressed to it, what changed since the last visit, acknowledgements."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from institution_space.access import member_required
from institution_space.forms import NoteForm
from institution_space.models import InstitutionMember
from institution_space.selectors import acknowledged_versions, changes_since, messages_for, withdrawals_pending
from institution_space.services import (
    member_acknowledge_version,
    member_acknowledge_withdrawal,
    member_changes_seen,
)
from institutions.compliance import institution_figures
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement
from messaging.selectors import visible_messages_for


@member_required()
def home(request: HttpRequest, member: InstitutionMember) -> HttpResponse:
    institution = member.institution
    acknowledged = acknowledged_versions(institution=institution)
    return TemplateResponse(
        request,
        "institution_space/home.html",
        {
            "member": member,
            "messages_list": [
                (message, acknowledged.get(message.translation_key))
                for message in messages_for(institution=institution)
            ],
            "changes": changes_since(institution=institution, position=member.seen_position),
            "withdrawals": withdrawals_pending(institution=institution),
            "figures": institution_figures(institution=institution),
        },
    )


@require_POST
@member_required()
def changes_seen(request: HttpRequest, member: InstitutionMember) -> HttpResponse:
    member_changes_seen(member=member)
    return redirect("institution_space:home")


@member_required()
def message_detail(request: HttpRequest, member: InstitutionMember, key: UUID) -> HttpResponse:
    versions = list(
        visible_messages_for(member.institution)
        .filter(translation_key=key)
        .select_related("locale", "topic")
        .order_by("locale__language_code")
    )
    if not versions:
        raise Http404
    acknowledgements = Acknowledgement.objects.filter(
        institution=member.institution, translation_key=key, kind=AcknowledgementKind.MESSAGE
    ).order_by("-version")
    return TemplateResponse(
        request,
        "institution_space/message.html",
        {
            "member": member,
            "source": versions[0],
            "versions": versions,
            "acknowledgements": acknowledgements,
            "acknowledged_current": any(ack.version == versions[0].version for ack in acknowledgements),
            "form": NoteForm(),
        },
    )


@require_POST
@member_required()
def acknowledge(request: HttpRequest, member: InstitutionMember, key: UUID) -> HttpResponse:
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    ack = member_acknowledge_version(member=member, translation_key=key, note=note)
    flash.success(request, _("Version %(version)s acknowledged.") % {"version": ack.version})
    return redirect("institution_space:message", key=key)


@require_POST
@member_required()
def acknowledge_withdrawal(request: HttpRequest, member: InstitutionMember, key: UUID) -> HttpResponse:
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    member_acknowledge_withdrawal(member=member, translation_key=key, note=note)
    flash.success(request, _("Withdrawal acknowledged."))
    return redirect("institution_space:home")
