"""`GET /api/v1/releases/` and the institution's iCalendar feed, through the API with institution keys."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from releases.models import Release
from tests.factories import InstitutionFactory, MessageFactory, lifecycle_people, release
from tests.messaging.api_helpers import client_for, issue_key
from tests.releases.helpers import approve, create_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return lifecycle_people()


def approved_release(client, communicator, reviewer, approver, people, *, messages, **form) -> Release:
    pending = create_and_submit(client, communicator, messages=messages, **form)
    for message in messages:
        release(message, people=people)
    approve(client, reviewer, pending)
    approve(client, approver, pending)
    return Release.objects.get(pk=pending.pk)


def test_scheduled_release_says_when_and_how_much_but_no_content(client, communicator, reviewer, approver, people):
    institution = InstitutionFactory()
    at = timezone.now() + timedelta(days=3)
    message = MessageFactory(title="سر قبل الإطلاق")
    scheduled = approved_release(
        client, communicator, reviewer, approver, people, messages=(message,), title="إطلاق قادم", go_live_at=at
    )

    response = client_for(issue_key(institution)).get("/api/v1/releases/")

    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == scheduled.pk and item["status"] == "scheduled"
    assert item["title"] == "إطلاق قادم"
    assert item["message_count"] == 1
    assert item["message_ids"] is None and item["positions"] is None
    assert "سر قبل الإطلاق" not in response.content.decode()
    assert str(message.translation_key) not in response.content.decode()


def test_live_release_names_the_messages_the_institution_may_read(client, communicator, reviewer, approver, people):
    institution = InstitutionFactory()
    message = MessageFactory()
    live = approved_release(client, communicator, reviewer, approver, people, messages=(message,))

    [item] = client_for(issue_key(institution)).get("/api/v1/releases/").json()

    assert item["status"] == "live"
    assert item["message_ids"] == [str(message.translation_key)]
    assert item["positions"] == {"first": live.first_position, "last": live.last_position}
    detail = client_for(issue_key(institution)).get(f"/api/v1/messages/{message.translation_key}/")
    assert detail.status_code == 200


def test_release_for_another_audience_and_drafts_are_not_listed(client, communicator, reviewer, approver, people):
    addressed, outsider = InstitutionFactory(), InstitutionFactory()
    restricted = MessageFactory(audience_of=[addressed])
    approved_release(client, communicator, reviewer, approver, people, messages=(restricted,))
    create_and_submit(client, communicator, messages=(MessageFactory(),), title="مسودة")

    assert client_for(issue_key(outsider)).get("/api/v1/releases/").json() == []
    assert [item["title"] for item in client_for(issue_key(addressed)).get("/api/v1/releases/").json()] == [
        "إطلاق حملة التواصل"
    ]


def test_releases_need_a_key(client):
    response = client_for(None).get("/api/v1/releases/")
    assert response.status_code == 401
    assert response.json()["code"]


def test_releases_and_calendar_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/releases/" in schema["paths"]
    assert "/api/v1/calendar.ics" in schema["paths"]
    assert "text/calendar" in schema["paths"]["/api/v1/calendar.ics"]["get"]["responses"]["200"]["content"]


def test_calendar_feed_lists_what_comes_to_the_institution(client, communicator, reviewer, approver, people):
    institution, outsider = InstitutionFactory(), InstitutionFactory()
    at = timezone.now() + timedelta(days=5)
    mine = MessageFactory(audience_of=[institution])
    approved_release(
        client, communicator, reviewer, approver, people, messages=(mine,), title="إطلاق الوزارة", go_live_at=at
    )
    raw = issue_key(institution)

    response = client_for(raw).get("/api/v1/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [component for component in calendar.walk("VEVENT")]
    summaries = [str(event["SUMMARY"]) for event in events]
    assert any("إطلاق الوزارة" in summary for summary in summaries)
    [event] = [event for event in events if "إطلاق الوزارة" in str(event["SUMMARY"])]
    assert abs(event.decoded("DTSTART") - at) < timedelta(minutes=1)

    other = client_for(issue_key(outsider)).get("/api/v1/calendar.ics")
    assert "إطلاق الوزارة" not in other.content.decode()


def test_calendar_feed_accepts_the_key_as_basic_password_for_calendar_applications(client):
    institution = InstitutionFactory()
    raw = issue_key(institution)
    basic = base64.b64encode(f"calendar:{raw}".encode()).decode()

    assert client.get("/api/v1/calendar.ics", HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 200
    refused = client.get("/api/v1/calendar.ics")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Basic")
    wrong = base64.b64encode(b"calendar:not-a-key").decode()
    assert client.get("/api/v1/calendar.ics", HTTP_AUTHORIZATION=f"Basic {wrong}").status_code == 401
    assert client.get("/api/v1/calendar.ics", HTTP_AUTHORIZATION="Basic %%%").status_code == 401
