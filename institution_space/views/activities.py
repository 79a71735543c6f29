"""Campaign activities the institution owns: their status and notes."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignActivity
from institution_space.access import member_required
from institution_space.forms import ActivityUpdateForm
from institution_space.models import ActivityUpdate, InstitutionMember
from institution_space.selectors import activities_of
from institution_space.services import activity_update


def _rows(
    member: InstitutionMember, forms: dict[int, ActivityUpdateForm]
) -> list[tuple[CampaignActivity, ActivityUpdateForm]]:
    activities = activities_of(institution=member.institution, language=translation.get_language() or "ar")
    return [
        (activity, forms.get(activity.pk) or ActivityUpdateForm(initial={"status": activity.status}))
        for activity in activities
    ]


@member_required()
def activity_list(request: HttpRequest, member: InstitutionMember) -> HttpResponse:
    return _render(request, member, {})


def _render(
    request: HttpRequest, member: InstitutionMember, forms: dict[int, ActivityUpdateForm], status: int = 200
) -> HttpResponse:
    updates = ActivityUpdate.objects.filter(institution=member.institution).select_related("activity", "author")[:50]
    return TemplateResponse(
        request,
        "institution_space/activities.html",
        {"member": member, "rows": _rows(member, forms), "updates": updates, "today": timezone.localdate()},
        status=status,
    )


@member_required()
def activity_update_view(request: HttpRequest, member: InstitutionMember, activity_id: int) -> HttpResponse:
    activity = get_object_or_404(CampaignActivity, pk=activity_id, owner=member.institution, page__live=True)
    if request.method != "POST":
        return redirect("institution_space:activities")
    form = ActivityUpdateForm(request.POST, initial={"status": activity.status})
    if not form.is_valid():
        return _render(request, member, {activity.pk: form}, status=400)
    activity_update(
        member=member, activity=activity, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
    )
    flash.success(request, _("Activity “%(title)s” updated.") % {"title": activity.title})
    return redirect("institution_space:activities")
