"""The change feed lets a mirror converge on exactly what the institution may see."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.models import Message
from messaging.selectors import visible_messages_for
from tests.factories import InstitutionFactory, MessageFactory, release
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

notes = itertools.count()


def replay(client, page_size: int = 3) -> dict[tuple[str, str], int]:
    """Apply the whole feed, page by page, to an empty mirror keyed by (message id, language)."""
    mirror: dict[tuple[str, str], int] = {}
    after, seen = 0, []
    while True:
        page = client.get("/api/v1/changes/", {"after": after, "limit": page_size}).json()
        for item in page["results"]:
            seen.append(item["position"])
            key = (item["message_id"], item["locale"])
            if item["tombstone"]:
                mirror.pop(key, None)
            else:
                mirror[key] = item["message"]["translations"][item["locale"]]["version"]
        after = page["next_after"]
        if not page["has_more"]:
            break
    assert seen == sorted(set(seen)), "the cursor repeated or reordered an event"
    return mirror


def visible_set(institution) -> dict[tuple[str, str], int]:
    return {
        (str(m.translation_key), m.locale.language_code): m.version
        for m in visible_messages_for(institution).select_related("locale")
    }


def republish(message: Message, audience=None) -> None:
    message = Message.objects.get(pk=message.pk)
    if audience is not None:
        message.audience_all = not audience
        message.is_public = message.is_public and not audience
        message.audience.set(audience)
    message.change_note = f"change {next(notes)}"
    message.save_revision()
    release(message)


operations = st.lists(
    st.tuples(st.sampled_from(["publish", "edit", "withdraw", "narrow", "widen", "restrict_other"]), st.integers(0, 4)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_feed_replay_from_start_yields_exactly_the_visible_set(ops):
    moi, part = InstitutionFactory(slug="moi"), InstitutionFactory(slug="part")
    messages: list[Message] = []
    for op, index in ops:
        if op == "publish" or not messages:
            messages.append(MessageFactory.create_published())
            continue
        message = Message.objects.get(pk=messages[index % len(messages)].pk)
        if op == "withdraw" and message.live:
            message.unpublish()
        elif not message.live or op == "edit":
            republish(message)
        elif op == "narrow":
            republish(message, audience=[moi])
        elif op == "restrict_other":
            republish(message, audience=[part])
        elif op == "widen":
            republish(message, audience=[])

    for institution in (moi, part):
        assert replay(client_for(issue_key(institution))) == visible_set(institution)


def test_feed_tells_an_institution_removed_from_the_audience(db):
    moi, part = InstitutionFactory(slug="moi"), InstitutionFactory(slug="part")
    message = MessageFactory.create_published()
    republish(message, audience=[moi])
    items = client_for(issue_key(part)).get("/api/v1/changes/").json()["results"]
    assert [(i["kind"], i["tombstone"]) for i in items] == [
        ("message.published", True),
        ("message.access_removed", True),
    ]
    assert replay(client_for(issue_key(part))) == {}


def test_feed_says_audience_changed_when_a_live_message_reaches_new_institutions(db):
    moi, part = InstitutionFactory(slug="moi"), InstitutionFactory(slug="part")
    message = MessageFactory.create_published(audience_of=[moi])
    republish(message, audience=[moi, part])
    republish(message)  # the same audience again: an ordinary update
    kinds = [i["kind"] for i in client_for(issue_key(moi)).get("/api/v1/changes/").json()["results"]]
    assert kinds == ["message.published", "message.audience_changed", "message.updated"]
    items = client_for(issue_key(part)).get("/api/v1/changes/").json()["results"]
    assert [(i["kind"], i["tombstone"]) for i in items] == [
        ("message.audience_changed", False),
        ("message.updated", False),
    ]


def test_feed_rejects_bad_cursor_with_clear_error(db):
    client = client_for(issue_key(InstitutionFactory()))
    response = client.get("/api/v1/changes/", {"after": "yesterday"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "after" in response.json()["message"]


@pytest.mark.parametrize("after", ["18446744073709551616", "-1"])
def test_feed_rejects_a_cursor_outside_64_bits(db, after):
    """Positions are 64-bit integers; a larger cursor used to reach PostgreSQL and fail there (a 500)."""
    client = client_for(issue_key(InstitutionFactory()))
    response = client.get("/api/v1/changes/", {"after": after})
    assert response.status_code == 400 and response.json()["errors"]["after"]
