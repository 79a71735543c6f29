"""The admin's doors into releases: the calendar, the whole-release preview, "Go live now" and withdrawal."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views import snippets

from messaging.views import ReasonForm
from releases.agenda import calendar_entries, conflict_label, hijri_label
from releases.models import Release
from releases.selectors import release_preview_members
from releases.services import release_go_live_now, release_withdraw

EDIT_URL = "wagtailsnippets_releases_release:edit"


class CalendarQueryForm(forms.Form):
    view = forms.ChoiceField(choices=[("month", _("Month")), ("week", _("Week"))], required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data.get("date") or timezone.localdate()
        if not (datetime.date(1900, 1, 1) <= day <= datetime.date(2200, 12, 31)):
            raise ValidationError(_("Choose a date between 1900 and 2200."))
        return day


def _first_of_week(day: datetime.date) -> datetime.date:
    first_weekday = int(formats.get_format("FIRST_DAY_OF_WEEK"))  # 0 = Sunday, as Django counts
    offset = (day.isoweekday() % 7 - first_weekday) % 7
    return day - datetime.timedelta(days=offset)


def _month_start(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def calendar_view(request: HttpRequest) -> HttpResponse:
    """Month or week of the communications calendar, across institutions. Arabic shows the Hijri date beside the
    Gregorian one."""
    form = CalendarQueryForm(request.GET)
    if not form.is_valid():
        response = TemplateResponse(request, "releases/calendar.html", {"form": form, "invalid": True}, status=400)
        return response
    view = form.cleaned_data.get("view") or "month"
    day = form.cleaned_data["date"]
    if view == "week":
        start = _first_of_week(day)
        end = start + datetime.timedelta(days=7)
        previous, following = start - datetime.timedelta(days=7), end
    else:
        first = day.replace(day=1)
        start = _first_of_week(first)
        month_end = _month_start(first, 1)
        end = _first_of_week(month_end - datetime.timedelta(days=1)) + datetime.timedelta(days=7)
        previous, following = _month_start(first, -1), month_end
    entries = calendar_entries(start, end)
    arabic = (get_language() or "")[:2] == "ar"
    by_day: dict[datetime.date, list[Any]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    today = timezone.localdate()
    days = []
    for offset in range((end - start).days):
        current = start + datetime.timedelta(days=offset)
        days.append(
            {
                "date": current,
                "hijri": hijri_label(current) if arabic else "",
                "entries": by_day.get(current, []),
                "outside": view == "month" and current.month != day.month,
                "today": current == today,
            }
        )
    weeks = [days[index : index + 7] for index in range(0, len(days), 7)]
    conflicts = [(entry, conflict_label(entry)) for entry in entries if entry.conflicts_with]
    return TemplateResponse(
        request,
        "releases/calendar.html",
        {
            "form": form,
            "view": view,
            "day": day,
            "weeks": weeks,
            "weekday_names": [formats.date_format(start + datetime.timedelta(days=n), "l") for n in range(7)],
            "entries": entries,
            "conflicts": conflicts,
            "conflict_labels": {id(entry): label for entry, label in conflicts},
            "period_hijri": (hijri_label(start), hijri_label(end - datetime.timedelta(days=1))) if arabic else None,
            "previous": previous.isoformat(),
            "following": following.isoformat(),
            "today": today.isoformat(),
            "arabic": arabic,
        },
    )


def release_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The release as it would go live: every member at its latest revision, in both languages."""
    release = get_object_or_404(Release, pk=pk)
    latest = release.get_latest_revision_as_object()
    return TemplateResponse(
        request,
        "releases/release_preview_admin.html",
        {"object": release, "release": latest, "members": release_preview_members(latest)},
    )


def go_live_now(request: HttpRequest, pk: int) -> HttpResponse:
    release = get_object_or_404(Release, pk=pk)
    if request.method != "POST":
        return redirect(EDIT_URL, pk)
    try:
        release_go_live_now(release=release, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error) or str(_("You may not put this release live.")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Exception as error:  # the action rolled everything back and logged it; say why
        messages.error(request, _("Nothing of the release went live: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("'%(title)s' is live: every member went live together.") % {"title": release})
    return redirect(EDIT_URL, pk)


class ReleaseUnpublishView(snippets.UnpublishView):
    """Withdrawal of a release: every member (each message in every language) together, with a reason."""

    template_name = "releases/confirm_withdraw.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ReasonForm()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            release_withdraw(release=self.object, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("'%(title)s' was withdrawn as a whole.") % {"title": self.object})
        return redirect(self.get_next_url())
