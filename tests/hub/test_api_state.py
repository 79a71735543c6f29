"""The API state token: conditional reads answered without queries, and never stale after a change (whichever way
it is written), a revocation, a suspension or a scheduled go-live."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from hub.api.renderers import ORJSONRenderer
from hub.api.state import api_state_token, api_state_triggers_present, local, watched_tables
from institutions.models import Delivery, InstitutionAPIKey
from messaging.models import Message
from tests.factories import InstitutionFactory, MessageFactory
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

LIST = "/api/v1/messages/?locale=ar"


class Clock:
    """`timezone.now()` at a time of the test's choosing."""

    def __init__(self, monkeypatch) -> None:
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def fresh_copy():
    """Each test starts with this process's copy of the token forgotten (tests that allow it an age would
    otherwise start with the previous test's)."""
    local.clear()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def institution():
    return InstitutionFactory(slug="moi")


@pytest.fixture
def raw_key(institution):
    return issue_key(institution)


@pytest.fixture
def client(raw_key):
    return client_for(raw_key)


def _conditional(client, etag: str, path: str = LIST):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    return response, len(captured.captured_queries)


@override_settings(TAWASUL_API_STATE_MAX_AGE=60)
def test_a_current_copy_is_answered_304_without_any_query(client):
    message = MessageFactory.create_published()
    first = client.get(LIST)
    assert first.status_code == 200 and first["ETag"]
    response, queries = _conditional(client, first["ETag"])
    assert response.status_code == 304 and response["ETag"] == first["ETag"] and queries == 0
    detail = client.get(f"/api/v1/messages/{message.translation_key}/")
    response, queries = _conditional(client, detail["ETag"], f"/api/v1/messages/{message.translation_key}/")
    assert response.status_code == 304 and queries == 0


def test_a_304_reads_only_the_state_row_when_the_copy_is_due(client):
    MessageFactory.create_published()
    etag = client.get(LIST)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(captured.captured_queries) == 1 and "hub_apistate" in captured.captured_queries[0]["sql"]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda m, i, k: Message.objects.filter(pk=m.pk).update(title="عنوان"), id="queryset-update"),
        pytest.param(
            lambda m, i, k: Message.audience.through.objects.create(message=m, institution=i), id="audience-add"
        ),
        pytest.param(lambda m, i, k: type(i).objects.filter(pk=i.pk).update(name_en="Renamed"), id="institution"),
        pytest.param(lambda m, i, k: InstitutionAPIKey.objects.filter(pk=k.pk).update(revoked=True), id="key-revoked"),
        pytest.param(lambda m, i, k: m.topic.__class__.objects.filter(pk=m.topic_id).update(name="آخر"), id="topic"),
        pytest.param(lambda m, i, k: Message.objects.bulk_create([Message(**_copy_of(m))]), id="bulk-create"),
        pytest.param(lambda m, i, k: _raw_update(m), id="raw-sql"),
    ],
)
def test_every_way_of_writing_changes_the_token(client, institution, raw_key, write):
    """The database replaces the token itself: writes that send no signal (QuerySet.update, bulk_create, raw SQL,
    another process) change it as a save does."""
    message = MessageFactory.create_published()
    key = InstitutionAPIKey.objects.get(prefix=raw_key.split(".")[0])
    token = api_state_token()
    write(message, institution, key)
    assert api_state_token() != token


def test_using_a_key_does_not_change_the_token(raw_key):
    token = api_state_token()
    InstitutionAPIKey.objects.filter(prefix=raw_key.split(".")[0]).update(last_used_at=timezone.now())
    assert api_state_token() == token


def test_every_watched_table_has_its_triggers():
    assert set(watched_tables()) <= api_state_triggers_present()
    assert {"messaging_message", "institutions_institutionapikey", "messaging_message_audience"} <= set(
        watched_tables()
    )


def _copy_of(message: Message) -> dict:
    import uuid

    fields = {f.attname: getattr(message, f.attname) for f in Message._meta.concrete_fields if not f.primary_key}
    return {**fields, "translation_key": uuid.uuid4(), "creation_token": None, "latest_revision_id": None,
            "live_revision_id": None}  # fmt: skip


def _raw_update(message: Message) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE messaging_message SET key_message = %s WHERE id = %s", ["سطر", message.pk])


def test_every_kind_of_change_ends_the_304s(client, institution):
    message = MessageFactory.create_published()
    changes = [
        lambda: setattr(message.topic, "name", "اسم آخر") or message.topic.save(),
        lambda: setattr(institution, "name_en", "Renamed") or institution.save(),
        lambda: MessageFactory.create_published(),
    ]
    for change in changes:
        etag = client.get(LIST)["ETag"]
        assert _conditional(client, etag)[0].status_code == 304
        change()
        response, _ = _conditional(client, etag)
        assert response.status_code == 200 and response["ETag"] != etag


def test_a_stale_etag_or_another_url_gets_the_full_answer(client):
    MessageFactory.create_published()
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"not-this-one"').status_code == 200
    assert client.get("/api/v1/messages/?locale=en", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_etag_is_per_institution(client):
    MessageFactory.create_published()
    etag = client.get(LIST)["ETag"]
    other = client_for(issue_key(InstitutionFactory(slug="mof")))
    assert other.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_revoked_key_is_refused_at_once_even_with_a_current_etag(client, raw_key):
    MessageFactory.create_published()
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    key = InstitutionAPIKey.objects.get(prefix=raw_key.split(".")[0])
    key.revoked = True
    key.save(update_fields=["revoked"])
    for response in (client.get(LIST, HTTP_IF_NONE_MATCH=etag), client.get(LIST)):
        assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_a_suspended_institution_is_refused_at_once(client, institution):
    etag = client.get(LIST)["ETag"]
    institution.is_active = False
    institution.save()
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 401


def test_an_expired_key_is_refused_even_when_known(client, raw_key, clock):
    InstitutionAPIKey.objects.filter(prefix=raw_key.split(".")[0]).update(expiry_date=clock.now + timedelta(hours=1))
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    clock.advance(hours=2)
    response = client.get(LIST, HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and "expired" in response.json()["message"]


def test_a_key_without_the_scope_is_refused_on_the_early_path(institution):
    MessageFactory.create_published()
    client = client_for(issue_key(institution, scopes=("acknowledge",)))
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"anything"').status_code == 403


def _live_until(message: Message, **times) -> None:
    """Live rows whose go-live or expiry lies ahead (rows loaded in bulk, or published before a date was
    moved): visibility then changes with time alone, with no write."""
    Message.objects.filter(pk=message.pk).update(**times)


def test_the_token_lapses_at_the_next_go_live_or_expiry(client, clock):
    MessageFactory.create_published()
    coming = MessageFactory.create_published()
    going = MessageFactory.create_published()
    _live_until(coming, go_live_at=clock.now + timedelta(seconds=90))
    _live_until(going, expire_at=clock.now + timedelta(seconds=300))
    first = client.get(LIST)
    assert str(coming.translation_key) not in first.content.decode()
    token = api_state_token()

    clock.advance(seconds=89)
    assert api_state_token() == token  # nothing written, nothing due
    clock.advance(seconds=2)
    assert api_state_token() != token
    later = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 200 and str(coming.translation_key) in later.content.decode()

    clock.advance(seconds=300)
    gone = client.get(LIST, HTTP_IF_NONE_MATCH=later["ETag"])
    assert gone.status_code == 200 and str(going.translation_key) not in gone.content.decode()


@override_settings(TAWASUL_API_STATE_MAX_AGE=60)
def test_a_process_copy_lapses_at_the_next_scheduled_instant_however_young(clock):
    MessageFactory.create_published()
    _live_until(MessageFactory.create_published(), expire_at=clock.now + timedelta(seconds=40))
    _live_until(MessageFactory.create_published(), go_live_at=clock.now + timedelta(seconds=300))
    token = api_state_token()
    clock.advance(seconds=39)
    assert api_state_token() == token
    clock.advance(seconds=2)  # the expiry has passed: the go-live is next
    later = api_state_token()
    assert later != token and local.until == clock.now - timedelta(seconds=41) + timedelta(seconds=300)


def test_repeated_reads_write_the_ledger_once(client, django_capture_on_commit_callbacks):
    MessageFactory.create_published()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(LIST)
    assert Delivery.objects.count() == 1
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    assert not any("institutions_delivery" in q["sql"] for q in captured.captured_queries)
    Delivery.objects.all().delete()
    MessageFactory.create_published()  # a new token: the process no longer trusts what it remembered
    with django_capture_on_commit_callbacks(execute=True):
        client.get(LIST)
    assert Delivery.objects.count() == 2


def test_orjson_renders_what_drf_renders():
    now = timezone.now()
    data = {"at": now, "day": now.date(), "text": "نص", "lazy": _lazy(), "nested": [{"n": 1.5, "none": None}]}
    assert orjson.loads(ORJSONRenderer().render(data)) == orjson.loads(JSONRenderer().render(data))


def _lazy():
    from django.utils.translation import gettext_lazy

    return gettext_lazy("Messages")


def test_a_conditional_request_counts_once_against_the_rate(client, monkeypatch):
    from hub.api.authentication import InstitutionKeyRateThrottle

    monkeypatch.setattr(InstitutionKeyRateThrottle, "THROTTLE_RATES", {"institution_key": "3/min"})  # a new key
    MessageFactory.create_published()
    assert client.get(LIST).status_code == 200
    # A stale ETag from a known key tries the early path, then takes the full one: counted there only.
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"stale"').status_code == 429
