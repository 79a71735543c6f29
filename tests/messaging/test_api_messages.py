"""Messages list and detail: documents, filters, ETags, query counts, the delivery ledger."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institutions.models import Delivery
from messaging.models import Message
from tests.factories import InstitutionFactory, MessageFactory, TopicFactory, locale, message_body, release
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution():
    return InstitutionFactory(slug="moi")


@pytest.fixture
def client(institution):
    return client_for(issue_key(institution))


def _queries(client, url: str) -> int:
    """Queries a request makes, less the API state row's read (tests read it on every request; a server at most
    every `TAWASUL_API_STATE_MAX_AGE` seconds)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len([q for q in captured.captured_queries if "hub_apistate" not in q["sql"]])


def test_messages_list_query_count_does_not_grow_with_page_size(client, django_capture_on_commit_callbacks):
    for _ in range(3):
        MessageFactory.create_published()
    # The first call after a change verifies the key again and draws a new API state token (hub.api.state);
    # keep that, and the key's first last_used_at write, out of the counts.
    client.get("/api/v1/me/")
    small = _queries(client, "/api/v1/messages/?locale=ar&page_size=3")
    for _ in range(12):
        MessageFactory.create_published()
    client.get("/api/v1/me/")
    with django_capture_on_commit_callbacks(execute=True):  # the ledger remembers rows once they are committed
        large = _queries(client, "/api/v1/messages/?locale=ar&page_size=15")
    assert small == large
    # Repeated, the same page costs one query: the reference names are loaded once per API state token, and
    # the ledger already holds these deliveries.
    assert _queries(client, "/api/v1/messages/?locale=ar&page_size=15") == 1
    both_small = _queries(client, "/api/v1/messages/?page_size=3")
    both_large = _queries(client, "/api/v1/messages/?page_size=15")
    assert both_small == both_large


def test_messages_list_repeated_with_etag_answers_304_until_something_changes(client):
    message = MessageFactory.create_published()
    first = client.get("/api/v1/messages/")
    etag = first["ETag"]
    again = client.get("/api/v1/messages/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content

    message.change_note = "تحديث"
    message.save_revision()
    release(message)
    changed = client.get("/api/v1/messages/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_message_detail_etag_and_document_shape(client):
    message = MessageFactory.create_published()
    response = client.get(f"/api/v1/messages/{message.translation_key}/?locale=ar")
    document = response.json()
    assert document["id"] == str(message.translation_key)
    assert document["version"] == 1
    translation = document["translations"]["ar"]
    assert translation["status"] == "source"
    assert [block["type"] for block in translation["body"]] == ["pillar", "qa", "fact", "avoid"]
    assert translation["body"][0]["value"]["talking_points"] == ["نقطة حوار أولى"]
    assert (
        client.get(response.request["PATH_INFO"] + "?locale=ar", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    )


def test_messages_list_filters_by_topic_and_updated_since(client):
    topic = TopicFactory(slug="governance")
    wanted = MessageFactory.create_published(topic=topic)
    MessageFactory.create_published()
    by_topic = client.get("/api/v1/messages/", {"topic": "governance"}).json()["results"]
    assert [doc["id"] for doc in by_topic] == [str(wanted.translation_key)]
    future = client.get("/api/v1/messages/", {"updated_since": "2999-01-01T00:00:00Z"}).json()["results"]
    assert future == []
    bad = client.get("/api/v1/messages/", {"updated_since": "last tuesday", "locale": "fr"})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"updated_since", "locale"}


def test_reads_record_one_delivery_per_version_and_channel(client, institution):
    message = MessageFactory.create_published()
    client.get("/api/v1/messages/")
    client.get("/api/v1/messages/")
    client.get(f"/api/v1/messages/{message.translation_key}/")
    assert Delivery.objects.filter(institution=institution, message=message, version=1, channel="api").count() == 1


def test_acknowledgement_is_idempotent_per_version(client):
    message = MessageFactory.create_published()
    url = f"/api/v1/messages/{message.translation_key}/acknowledgements/"
    first = client.post(url, {"note": "تم التعميم"}, format="json")
    second = client.post(url, {"version": 1}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["note"] == "تم التعميم"
    assert client.post(url, {"version": 7}, format="json").status_code == 400
    assert client.post(url, ["not", "an", "object"], format="json").status_code == 400
    assert [a["version"] for a in client.get(url).json()] == [1]


def test_withdrawal_can_be_acknowledged_after_the_message_disappears(client):
    message = MessageFactory.create_published()
    url = f"/api/v1/messages/{message.translation_key}/acknowledgements/"
    assert client.post(url, {"kind": "withdrawal"}, format="json").status_code == 404
    message.unpublish()
    response = client.post(url, {"kind": "withdrawal"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "withdrawal"
    assert response.json()["current_version"] is None


def test_me_reports_institution_and_figures(client, institution):
    MessageFactory.create_published()
    body = client.get("/api/v1/me/").json()
    assert body["slug"] == "moi"
    assert body["compliance"]["live_messages"] == 1
    assert body["key"]["scopes"] == ["read", "acknowledge"]


def test_malformed_ids_and_unknown_api_paths_answer_json_404(client):
    for url in ("/api/v1/messages/not-a-uuid/", "/api/v1/messages/0/acknowledgements/", "/api/v1/nothing-here/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    posted = client.post("/api/v1/messages/0/acknowledgements/", {}, format="json")
    assert posted.status_code == 404 and posted.json()["code"] == "not_found"


@pytest.mark.parametrize("position", ["x", "2026-13-45 25:00", "1' OR '1'='1"])
def test_an_altered_cursor_is_an_invalid_cursor_not_a_server_error(client, position):
    """A cursor is opaque, but clients can decode and change it; a position that is not a timestamp used to
    reach the query and fail there (a 500)."""
    MessageFactory.create_published(title="one")
    MessageFactory.create_published(title="two")
    cursor = base64.b64encode(urlencode({"o": 1, "p": position}).encode()).decode()
    response = client.get("/api/v1/messages/", {"locale": "ar", "page_size": 1, "cursor": cursor})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["message"]


def test_a_cursor_from_a_page_leads_to_the_next(client):
    for n in range(3):
        MessageFactory.create_published(title=f"message {n}")
    first = client.get("/api/v1/messages/", {"locale": "ar", "page_size": 2}).json()
    second = client.get(first["next"]).json()
    titles = [d["translations"]["ar"]["title"] for d in first["results"] + second["results"]]
    assert sorted(titles) == ["message 0", "message 1", "message 2"] and second["next"] is None


def test_each_translation_is_judged_against_the_source_version(client):
    source = MessageFactory.create_published()
    english = MessageFactory.create_published(translation_key=source.translation_key, locale=locale("en"))
    Message.objects.filter(pk=english.pk).update(version=source.version - 1)

    def statuses(**params: str) -> dict[str, tuple[str, int]]:
        (document,) = client.get("/api/v1/messages/", params).json()["results"]
        assert document["version"] == source.version
        return {lang: (t["status"], t["version"]) for lang, t in document["translations"].items()}

    outdated = ("outdated", source.version - 1)
    assert statuses(locale="en") == {"en": outdated}
    assert statuses() == {"ar": ("source", source.version), "en": outdated}
    Message.objects.filter(pk=english.pk).update(version=source.version)
    assert statuses(locale="en") == {"en": ("current", source.version)}


def test_the_message_house_is_served_as_rendered_when_saved(client):
    message = MessageFactory.create_published(body=message_body(points=("أولى", "ثانية")))
    stored = json.loads(Message.objects.get(pk=message.pk).api_body)
    document = client.get(f"/api/v1/messages/{message.translation_key}/?locale=ar").json()
    assert document["translations"]["ar"]["body"] == stored
    assert stored[0] == {
        "type": "pillar",
        "id": stored[0]["id"],
        "value": {"title": "الركيزة الأولى", "talking_points": ["أولى", "ثانية"]},
    }

    message.body = message_body(pillar="ركيزة معدلة")
    message.save(update_fields=["body"])  # a partial save that touches the message house renders it again
    assert json.loads(Message.objects.get(pk=message.pk).api_body)[0]["value"]["title"] == "ركيزة معدلة"


def test_a_row_never_rendered_gets_the_same_document(client):
    message = MessageFactory.create_published(body=message_body(pillar='ركيزة "مقتبسة" \\n \\ مائلة'))
    urls = [f"/api/v1/messages/{message.translation_key}/", "/api/v1/messages/", "/api/v1/changes/"]
    rendered = [client.get(url).json() for url in urls]
    Message.objects.filter(pk=message.pk).update(api_body=None)  # as a bulk insert leaves it
    assert [client.get(url).json() for url in urls] == rendered
    assert rendered[0]["translations"]["ar"]["body"][1]["type"] == "qa"
    assert rendered[0]["translations"]["ar"]["body"][0]["value"]["title"] == 'ركيزة "مقتبسة" \\n \\ مائلة'


def test_visible_document_rows_are_the_querysets_rows_for_each_institution_and_instant(institution):
    """The translations of a list page and a feed page's messages are read by a query compiled once per number of
    keys; each run takes its own institution, instant and keys."""
    from datetime import timedelta

    from django.utils import timezone

    from messaging.api.documents import _visible_rows_compiled, document_rows, visible_document_rows
    from messaging.selectors import visible_messages_for

    other = InstitutionFactory(slug="other")
    to_all = MessageFactory.create_published()
    to_other = MessageFactory.create_published(audience_of=[other])
    at = timezone.now()
    Message.objects.filter(pk=to_all.pk).update(expire_at=at + timedelta(hours=1))
    keys = [to_all.translation_key, to_other.translation_key]
    assert _visible_rows_compiled(len(keys)) is not None
    for who, when, seen in ((institution, at, {to_all.pk}), (other, at, {to_all.pk, to_other.pk}),
                            (other, at + timedelta(hours=2), {to_other.pk})):  # fmt: skip
        rows = visible_document_rows(who.pk, when, keys)
        expected = document_rows(visible_messages_for(who, at=when).filter(translation_key__in=keys))
        assert {row["pk"] for row in rows} == seen
        assert sorted(rows, key=lambda row: row["pk"]) == sorted(expected, key=lambda row: row["pk"])


def test_a_messages_campaign_is_named_by_its_key_and_title(client):
    """The campaign comes from the reference names read once per API state (`References`), as the page says it."""
    from campaigns.models import CampaignPage
    from hub.demo.loader import demo_load

    demo_load()
    campaign = CampaignPage.objects.get(locale__language_code="ar")
    message = MessageFactory.create_published()
    Message.objects.filter(pk=message.pk).update(campaign=campaign)
    document = client.get(f"/api/v1/messages/{message.translation_key}/?locale=ar").json()
    assert document["translations"]["ar"]["campaign"] == {"id": str(campaign.translation_key), "title": campaign.title}
