"""An institution's calendar as iCalendar (RFC 5545), for its own calendar applications (`icalendar`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

from releases.agenda import calendar_entries

PAST = datetime.timedelta(days=60)
AHEAD = datetime.timedelta(days=400)


def institution_calendar(institution: Any, *, host: str) -> bytes:
    """Releases coming to the institution (scheduled or live), their embargo ends, expiries of the messages it
    sees and the campaign activities it owns, from two months back to a year ahead."""
    today = timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Tawasul//Communications calendar//AR-EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Tawasul · {institution}")
    stamp = timezone.now()
    for entry in calendar_entries(today - PAST, today + AHEAD, institution=institution):
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{entry.kind_label}: {entry.title}")
        event.add("categories", [entry.kind.value])
        if isinstance(entry.at, datetime.datetime):
            event.add("dtstart", entry.at)
            event.add("dtend", entry.at + datetime.timedelta(minutes=30))
        else:
            event.add("dtstart", entry.at)
            event.add("dtend", entry.at + datetime.timedelta(days=1))
        calendar.add_component(event)
    return calendar.to_ical()
