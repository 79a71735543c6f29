"""The communications calendar: what happens when, across institutions (releases, scheduled messages, embargo ends,
expiries, campaign activities), with conflicts flagged, for the admin and, narrowed, for one institution."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from hijridate import Gregorian
from wagtail.models import Revision

from campaigns.models import CampaignActivity
from messaging.lifecycle import SOURCE_LANGUAGE
from messaging.models import Message
from messaging.selectors import visible_messages_for
from releases.enums import CalendarEntryKind
from releases.models import Release
from releases.selectors import ReleaseAudience, release_audience, release_moment, scheduled_release_ids

CONFLICT_WINDOW = datetime.timedelta(hours=1)


@dataclass
class CalendarEntry:
    kind: CalendarEntryKind
    at: datetime.datetime | datetime.date
    title: str
    uid: str
    url: str = ""
    audience: ReleaseAudience | None = None
    conflicts_with: list[str] = field(default_factory=list)

    @property
    def day(self) -> datetime.date:
        return timezone.localtime(self.at).date() if isinstance(self.at, datetime.datetime) else self.at

    @property
    def timed(self) -> bool:
        return isinstance(self.at, datetime.datetime)

    @property
    def kind_label(self) -> str:
        return str(self.kind.label)


def _edit_url(name: str, pk: Any) -> str:
    return reverse(name, args=(pk,))


def _title_in_language(rows: list[Message], language: str) -> dict[Any, str]:
    keys = [row.translation_key for row in rows]
    titles = dict(
        Message.objects.filter(translation_key__in=keys, locale__language_code=language).values_list(
            "translation_key", "title"
        )
    )
    return {row.translation_key: titles.get(row.translation_key, row.title) for row in rows}


def release_entries(
    start: datetime.datetime, end: datetime.datetime, *, institution: Any = None
) -> list[CalendarEntry]:
    """Releases going live (or gone live) in the period, and their embargo ends; conflicts marked on each."""
    scheduled = scheduled_release_ids()
    releases = Release.objects.filter(withdrawn_at__isnull=True).prefetch_related("message_members", "page_members")
    if institution is not None:  # commitments only: approved and scheduled, or live
        releases = releases.filter(Q(live=True) | Q(pk__in=scheduled))
    timed: list[tuple[Release, datetime.datetime, ReleaseAudience]] = []
    embargoes: list[CalendarEntry] = []
    for release in releases:
        audience = release_audience(release)
        if institution is not None and not audience.reaches(institution.pk):
            continue
        moment = release_moment(release)
        if moment is not None and start - CONFLICT_WINDOW <= moment < end + CONFLICT_WINDOW:
            timed.append((release, moment, audience))
        if release.embargo_until and start <= release.embargo_until < end:
            embargoes.append(
                CalendarEntry(
                    kind=CalendarEntryKind.EMBARGO_END,
                    at=release.embargo_until,
                    title=release.title,
                    uid=f"release-{release.pk}-embargo",
                    url=_edit_url("wagtailsnippets_releases_release:edit", release.pk) if institution is None else "",
                    audience=audience,
                )
            )
    entries: dict[int, CalendarEntry] = {}
    for release, moment, audience in timed:
        entries[release.pk] = CalendarEntry(
            kind=CalendarEntryKind.RELEASE,
            at=moment,
            title=release.title,
            uid=f"release-{release.pk}",
            url=_edit_url("wagtailsnippets_releases_release:edit", release.pk) if institution is None else "",
            audience=audience,
        )
    for (first, at_first, aud_first), (second, at_second, aud_second) in itertools.combinations(timed, 2):
        if abs(at_first - at_second) <= CONFLICT_WINDOW and aud_first.overlaps(aud_second):
            entries[first.pk].conflicts_with.append(second.title)
            entries[second.pk].conflicts_with.append(first.title)
    in_period = [entry for entry in entries.values() if start <= entry.at < end]  # type: ignore[operator]
    return in_period + embargoes


def message_entries(
    start: datetime.datetime, end: datetime.datetime, *, institution: Any = None
) -> list[CalendarEntry]:
    """Scheduled messages (approved, waiting for their go-live time), embargo ends and expiries."""
    language = (get_language() or SOURCE_LANGUAGE)[:2]
    entries: list[CalendarEntry] = []
    edit = "wagtailsnippets_messaging_message:edit"
    if institution is None:
        content_type = ContentType.objects.get_for_model(Message)
        revisions = Revision.objects.filter(
            base_content_type=content_type, approved_go_live_at__gte=start, approved_go_live_at__lt=end
        )
        times = dict(revisions.values_list("object_id", "approved_go_live_at"))
        rows = list(Message.objects.filter(pk__in=[int(pk) for pk in times], locale__language_code=SOURCE_LANGUAGE))
        titles = _title_in_language(rows, language)
        entries += [
            CalendarEntry(
                kind=CalendarEntryKind.SCHEDULED_MESSAGE,
                at=times[str(row.pk)],
                title=titles[row.translation_key],
                uid=f"message-{row.translation_key}-go-live",
                url=_edit_url(edit, row.pk),
            )
            for row in rows
        ]
        live: QuerySet[Message] = Message.objects.filter(live=True, locale__language_code=SOURCE_LANGUAGE)
    else:
        live = visible_messages_for(institution).filter(locale__language_code=SOURCE_LANGUAGE)
    for kind, name in ((CalendarEntryKind.EMBARGO_END, "embargo_until"), (CalendarEntryKind.EXPIRY, "expire_at")):
        rows = list(live.filter(**{f"{name}__gte": start, f"{name}__lt": end}))
        titles = _title_in_language(rows, language)
        entries += [
            CalendarEntry(
                kind=kind,
                at=getattr(row, name),
                title=titles[row.translation_key],
                uid=f"message-{row.translation_key}-{kind.value}",
                url=_edit_url(edit, row.pk) if institution is None else "",
            )
            for row in rows
        ]
    return entries


def activity_entries(start: datetime.date, end: datetime.date, *, institution: Any = None) -> list[CalendarEntry]:
    language = (get_language() or SOURCE_LANGUAGE)[:2]
    activities = CampaignActivity.objects.filter(due_date__gte=start, due_date__lt=end).select_related("page", "locale")
    if institution is not None:
        activities = activities.filter(owner=institution)
    chosen: dict[Any, Any] = {}
    for activity in activities:  # one per activity, in the reader's language where it is translated
        if activity.translation_key not in chosen or activity.locale.language_code == language:
            chosen[activity.translation_key] = activity
    return [
        CalendarEntry(
            kind=CalendarEntryKind.ACTIVITY,
            at=activity.due_date,
            title=f"{activity.title} ({activity.page.title})",
            uid=f"activity-{activity.translation_key}",
            url=reverse("wagtailadmin_pages:edit", args=(activity.page_id,)) if institution is None else "",
        )
        for activity in chosen.values()
    ]


def calendar_entries(start: datetime.date, end: datetime.date, *, institution: Any = None) -> list[CalendarEntry]:
    """Everything on the calendar from `start` (included) to `end` (excluded), in the local time zone, in time
    order (all-day activities first in their day)."""
    zone = timezone.get_current_timezone()
    start_at = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    end_at = datetime.datetime.combine(end, datetime.time.min, tzinfo=zone)
    entries = [
        *release_entries(start_at, end_at, institution=institution),
        *message_entries(start_at, end_at, institution=institution),
        *activity_entries(start, end, institution=institution),
    ]
    return sorted(entries, key=_order)


def _order(entry: CalendarEntry) -> tuple[datetime.date, int, datetime.time, str]:
    if isinstance(entry.at, datetime.datetime):
        return entry.day, 1, timezone.localtime(entry.at).time(), entry.title
    return entry.at, 0, datetime.time.min, entry.title


def hijri_label(day: datetime.date) -> str:
    """The Umm al-Qura date, in Arabic (`hijridate`); empty outside the range it covers (1924-2077)."""
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} {hijri.notation('ar')}"


def conflict_label(entry: CalendarEntry) -> str:
    return _("Conflict: within an hour of %(others)s, for the same audience") % {
        "others": "، ".join(entry.conflicts_with) if get_language() == "ar" else ", ".join(entry.conflicts_with)
    }
