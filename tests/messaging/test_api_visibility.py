"""Who sees what: every kind of caller × every message state × every endpoint."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from messaging.models import Message
from messaging.services.messages import message_submit
from tests.factories import InstitutionFactory, MessageFactory, UserFactory, release
from tests.messaging.api_helpers import client_for, expired_key, issue_key, revoked_key

pytestmark = pytest.mark.django_db

NOW = timezone.now()
STATES = ["draft", "in_moderation", "live", "scheduled", "expired", "embargoed", "restricted", "withdrawn"]
VISIBLE_TO_ALL = {"live", "embargoed"}  # institutions prepare before the public's embargo ends


def _message_in(state: str, moi) -> Message:
    if state == "draft":
        return MessageFactory(title=state)
    if state == "in_moderation":
        message = MessageFactory(title=state)
        message_submit(message=message, user=UserFactory(username="submitter", groups=["Communicators"]))
        return message
    if state == "scheduled":
        message = MessageFactory(title=state, go_live_at=NOW + datetime.timedelta(days=1))
        release(message)
        return message
    if state == "restricted":
        return MessageFactory.create_published(title=state, audience_of=[moi])
    message = MessageFactory.create_published(title=state)
    if state == "expired":
        Message.objects.filter(pk=message.pk).update(expire_at=NOW - datetime.timedelta(minutes=1))
    elif state == "embargoed":
        Message.objects.filter(pk=message.pk).update(embargo_until=NOW + datetime.timedelta(days=1))
    elif state == "withdrawn":
        message.unpublish()
    return message


@pytest.fixture
def world(db):
    moi, part, gcc = (InstitutionFactory(slug=slug) for slug in ("moi", "part", "gcc"))
    messages = {state: _message_in(state, moi) for state in STATES}
    keys = {
        "moi": issue_key(moi),
        "part": issue_key(part),
        "gcc": issue_key(gcc),
        "revoked": revoked_key(moi),
        "expired": expired_key(moi),
        "ack_only": issue_key(moi, scopes=("acknowledge",)),
        "read_only": issue_key(moi, scopes=("read",)),
        "none": None,
    }
    return messages, keys


def expected_visible(caller: str, state: str) -> bool:
    institution = {"read_only": "moi", "ack_only": "moi"}.get(caller, caller)
    return state in VISIBLE_TO_ALL or (state == "restricted" and institution == "moi")


CALLERS = ["moi", "part", "gcc", "revoked", "expired", "ack_only", "read_only", "none"]
REFUSED = {"revoked": 401, "expired": 401, "none": 401}


@pytest.mark.parametrize("caller", CALLERS)
def test_api_matrix_every_caller_every_state_every_endpoint(world, caller):
    messages, keys = world
    client = client_for(keys[caller])

    listing = client.get("/api/v1/messages/")
    feed = client.get("/api/v1/changes/")
    if caller in REFUSED:
        assert listing.status_code == feed.status_code == 401
        assert listing.json()["code"] in {"not_authenticated", "authentication_failed"}
        assert listing["WWW-Authenticate"] == "Api-Key"
    elif caller == "ack_only":
        assert listing.status_code == feed.status_code == 403
        assert listing.json()["code"] == "permission_denied"
    else:
        assert listing.status_code == feed.status_code == 200
        listed = {doc["translations"]["ar"]["title"] for doc in listing.json()["results"]}
        mirrored = {
            item["message"]["translations"]["ar"]["title"] for item in feed.json()["results"] if item["message"]
        }
        expected = {state for state in STATES if expected_visible(caller, state)}
        assert listed == expected
        assert mirrored == expected

    for state, message in messages.items():
        detail = client.get(f"/api/v1/messages/{message.translation_key}/")
        ack = client.post(f"/api/v1/messages/{message.translation_key}/acknowledgements/", {}, format="json")
        if caller in REFUSED:
            assert detail.status_code == ack.status_code == 401, state
            continue
        visible = expected_visible(caller, state)
        if caller == "ack_only":
            assert detail.status_code == 403, state
            assert ack.status_code == (201 if visible else 404), state
        elif caller == "read_only":
            assert detail.status_code == (200 if visible else 404), state
            assert ack.status_code == 403, state
        else:
            assert detail.status_code == (200 if visible else 404), state
            assert ack.status_code == (201 if visible else 404), state
            if not visible:
                assert detail.json()["code"] == "not_found"
