"""The communications calendar in the Arabic admin, in a real browser: right to left, the Hijri date beside the
Gregorian one, a conflict flagged, and the move from the month to the week view."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from wagtail.users.models import UserProfile

from releases.models import Release, ReleaseMessage
from tests.factories import InstitutionFactory, MessageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DAY = datetime.date(2026, 12, 6)


def _planned(title: str, hour: int, institution: Any) -> None:
    at = datetime.datetime.combine(DAY, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())
    release = Release.objects.create(title=title, go_live_at=at, live=False)
    ReleaseMessage.objects.create(release=release, message=MessageFactory(audience_of=[institution]))
    release.save_revision()


def test_arabic_calendar_month_then_week_with_hijri_dates_and_a_conflict(browser_context, artifacts):
    planner = UserFactory(username="planner", is_superuser=True, password="calendar-pass-2026")
    profile = UserProfile.get_for_user(planner)
    profile.preferred_language = "ar"
    profile.save()
    ministry = InstitutionFactory()
    _planned("إطلاق حملة الصيف", 10, ministry)
    _planned("إطلاق بيان الوزارة", 10, ministry)

    page = browser_context(locale="ar").new_page()
    page.goto("/admin/login/")
    page.fill("input[name=username]", "planner")
    page.fill("input[name=password]", "calendar-pass-2026")
    with page.expect_navigation():
        page.click("form button[type=submit]")

    page.goto("/admin/calendar/?view=month&date=2026-12-01")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").first.inner_text().strip().startswith("تقويم التواصل")
    day = page.locator('td[data-date="2026-12-06"]')
    assert "26 جمادى الآخرة 1448" in day.locator(".tw-day__hijri").inner_text()
    assert day.locator(".tw-day__gregorian").inner_text().strip().startswith("6")
    assert day.locator(".tw-entry.is-conflict").count() == 2
    assert "إطلاق حملة الصيف" in page.locator("#calendar-conflicts").inner_text()
    # Right to left: the first day of the week is drawn at the right edge of the table.
    first, second = (
        page.locator("table.tw-calendar thead th").nth(0).bounding_box(),
        page.locator("table.tw-calendar thead th").nth(1).bounding_box(),
    )
    assert first is not None and second is not None and first["x"] > second["x"]
    page.screenshot(path=str(artifacts / "release-calendar-month-ar.png"), full_page=True)

    page.locator('a[href*="view=week"]').first.click()
    page.wait_for_selector('table.tw-calendar[data-view="week"]')
    assert page.locator("table.tw-calendar tbody td").count() == 7
    assert page.locator('td[data-date="2026-12-01"]').count() == 1
    page.locator('a[rel="next"]').click()
    page.wait_for_selector('td[data-date="2026-12-06"]')
    assert page.locator("table.tw-calendar tbody td").count() == 7
    assert page.locator('td[data-date="2026-12-06"] .tw-entry').count() == 2
