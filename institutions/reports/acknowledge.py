"""Recording an acknowledgement on behalf of an institution, from the message reach report.

The same rules as the API: a message version can be acknowledged while the message is visible to the
institution (up to its current version); a withdrawal once a tombstone concerning the institution exists.
The admin user is stored on the acknowledgement and in the audit log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from institutions.enums import AcknowledgementKind
from institutions.models import Institution
from institutions.reach import message_source
from institutions.reports.views import RECORD_ACKNOWLEDGEMENT, can_view_compliance
from institutions.services import acknowledgement_record
from messaging.models import SOURCE_LANGUAGE, TOMBSTONE_KINDS, Message, MessageEvent
from messaging.selectors import events_for, visible_messages_for


class AcknowledgementForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is acknowledged"), choices=AcknowledgementKind.choices)
    version = forms.IntegerField(
        label=_("Version"), min_value=1, required=False, help_text=_("For a message version; empty means current.")
    )
    acknowledged_by = forms.CharField(
        label=_("Acknowledged by"), max_length=255, help_text=_("The person at the institution who confirmed.")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, institution: Institution, message: Message, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.message = message
        self.target: tuple[Message | None, int] | None = None

    def _current(self) -> Message | None:
        return (
            visible_messages_for(self.institution)
            .filter(translation_key=self.message.translation_key, locale__language_code=SOURCE_LANGUAGE)
            .first()
        )

    def _tombstone(self) -> MessageEvent | None:
        return (
            events_for(self.institution)
            .filter(translation_key=self.message.translation_key, kind__in=TOMBSTONE_KINDS)
            .order_by("-position")
            .first()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AcknowledgementKind.WITHDRAWAL:
            tombstone = self._tombstone()
            if tombstone is None:
                raise forms.ValidationError(_("No withdrawal of this message was sent to this institution."))
            self.target = (tombstone.message, tombstone.version)
        elif data.get("kind") == AcknowledgementKind.MESSAGE:
            current = self._current()
            if current is None:
                raise forms.ValidationError(_("This message is not live for this institution."))
            version = data.get("version") or current.version
            if version > current.version:
                self.add_error("version", _("Version %(v)s does not exist yet.") % {"v": version})
            self.target = (current, version)
        return data


def record_acknowledgement(request: HttpRequest, message_id: int, institution_id: int) -> HttpResponse:
    if not (can_view_compliance(request.user) and request.user.has_perm(RECORD_ACKNOWLEDGEMENT)):
        raise PermissionDenied
    message = message_source(get_object_or_404(Message, pk=message_id))
    institution = get_object_or_404(Institution, pk=institution_id)
    user_name = request.user.get_full_name() or request.user.get_username()  # type: ignore[union-attr]
    form = AcknowledgementForm(
        request.POST or None,
        institution=institution,
        message=message,
        initial={"kind": AcknowledgementKind.MESSAGE, "version": message.version, "acknowledged_by": user_name},
    )
    if request.method == "POST" and form.is_valid() and form.target is not None:
        target, version = form.target
        ack, created = acknowledgement_record(
            institution_id=institution.pk,
            translation_key=message.translation_key,
            message=target,
            version=version,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            acknowledged_by=form.cleaned_data["acknowledged_by"],
            user=request.user,
        )
        if created:
            log(
                instance=ack,
                action="tawasul.acknowledgement.record",
                user=request.user,
                data={"institution": institution.slug, "version": version, "kind": ack.kind},
            )
            messages.success(request, _("Acknowledgement recorded for %(name)s.") % {"name": institution})
        else:
            messages.warning(request, _("%(name)s had already acknowledged this version.") % {"name": institution})
        return redirect(reverse("tawasul_reports:reach", args=(message.pk,)))
    context = {"form": form, "message": message, "institution": institution}
    return TemplateResponse(request, "institutions/reports/acknowledge.html", context)
