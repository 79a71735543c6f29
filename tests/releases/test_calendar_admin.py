"""The communications calendar in the admin: month and week, English and Arabic (Hijri beside Gregorian), every
kind of entry, conflicts flagged, bad input refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from campaigns.models import CampaignActivity
from messaging.models import Message
from releases.models import Release, ReleaseMessage
from tests.factories import InstitutionFactory, MessageFactory, UserFactory, locale
from tests.releases.helpers import campaign_page

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 6)  # 26 Jumada al-Akhirah 1448 (Umm al-Qura)


def at(hour: int, minute: int = 0, day: datetime.date = DAY) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def planned_release(title: str, go_live_at: datetime.datetime, *messages: Message, **fields) -> Release:
    release = Release(title=title, go_live_at=go_live_at, live=False, **fields)
    release.save()
    for message in messages:
        ReleaseMessage.objects.create(release=release, message=message)
    release.save_revision()
    return release


@pytest.fixture
def admin_user(db):
    return UserFactory(username="calendar-admin", is_superuser=True)


def calendar(client, user, language: str = "en", **query):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client.get(reverse("releases_calendar"), query)


def test_month_view_lists_releases_scheduled_messages_embargo_ends_expiries_and_activities(client, admin_user):
    institution = InstitutionFactory()
    planned_release("Launch of the strategy", at(10), MessageFactory(), embargo_until=at(18))
    scheduled = MessageFactory(title="رسالة مجدولة")
    Revision.objects.filter(object_id=str(scheduled.pk)).update(approved_go_live_at=at(12, day=DAY.replace(day=9)))
    expiring = MessageFactory.create_published(title="رسالة تنتهي")
    Message.objects.filter(pk=expiring.pk).update(expire_at=at(9, day=DAY.replace(day=20)))
    page = campaign_page()
    CampaignActivity.objects.create(
        page=page, locale=locale("ar"), title="ورشة المتحدثين", owner=institution, due_date=DAY.replace(day=15)
    )

    response = calendar(client, admin_user, view="month", date="2026-12-01")

    html = response.content.decode()
    assert response.status_code == 200
    assert "December 2026" in html
    for text in ("Launch of the strategy", "رسالة مجدولة", "رسالة تنتهي", "ورشة المتحدثين"):
        assert text in html
    for kind in ("release", "scheduled_message", "embargo_end", "expiry", "activity"):
        assert f'data-kind="{kind}"' in html
    assert 'data-date="2026-12-06"' in html and 'data-date="2026-12-31"' in html
    assert ' is-conflict"' not in html


def test_two_releases_for_the_same_audience_within_an_hour_are_flagged(client, admin_user):
    shared, other = InstitutionFactory(), InstitutionFactory()
    planned_release("Release A", at(10), MessageFactory(audience_of=[shared]))
    planned_release("Release B", at(10, 45), MessageFactory(audience_of=[shared, other]))
    planned_release("Release C", at(10, 30), MessageFactory(audience_of=[other]))  # overlaps B only
    planned_release("Release D", at(13), MessageFactory(audience_of=[shared]))  # more than an hour later

    html = calendar(client, admin_user, view="week", date=DAY.isoformat()).content.decode()

    assert 'id="calendar-conflicts"' in html
    conflicts = html[html.index('id="calendar-conflicts"') : html.index("</ul>", html.index('id="calendar-conflicts"'))]
    assert "Release A" in conflicts and "Release B" in conflicts and "Release C" in conflicts
    assert "Release D" not in conflicts
    assert html.count(' is-conflict"') == 3


def test_disjoint_audiences_are_no_conflict(client, admin_user):
    planned_release("Release A", at(10), MessageFactory(audience_of=[InstitutionFactory()]))
    planned_release("Release B", at(10, 15), MessageFactory(audience_of=[InstitutionFactory()]))

    html = calendar(client, admin_user, view="week", date=DAY.isoformat()).content.decode()

    assert ' is-conflict"' not in html


def test_arabic_calendar_shows_the_hijri_date_beside_the_gregorian(client, admin_user):
    planned_release("إطلاق الإستراتيجية", at(10), MessageFactory())

    response = calendar(client, admin_user, "ar", view="week", date=DAY.isoformat())

    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert "26 جمادى الآخرة 1448 هـ" in html
    assert "تقويم التواصل" in html and "Communications calendar" not in html
    assert "إطلاق الإستراتيجية" in html


def test_english_calendar_shows_no_hijri_date(client, admin_user):
    html = calendar(client, admin_user, view="week", date=DAY.isoformat()).content.decode()
    assert "جمادى" not in html
    assert "Week of" in html


@pytest.mark.parametrize("query", [{"date": "2026-13-45"}, {"view": "year"}, {"date": "0001-01-01"}])
def test_bad_calendar_query_is_a_400_with_the_reason(client, admin_user, query):
    response = calendar(client, admin_user, **query)
    assert response.status_code == 400
    assert "help-critical" in response.content.decode()


def test_calendar_needs_admin_access(client):
    response = client.get(reverse("releases_calendar"))
    assert response.status_code == 302
