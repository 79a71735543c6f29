"""Bodies and query values no client should send: each gets the API's JSON 4xx, never a 500 (issue 21)."""

from __future__ import annotations

import base64
import json

import orjson
import pytest

from tests.factories import InstitutionFactory, MessageFactory
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db

NESTED = "[" * 3000 + "]" * 3000  # 6 KB: the standard library's decoder raised RecursionError


@pytest.fixture
def client():
    client = client_for(issue_key(InstitutionFactory(slug="moi")))
    client.raise_request_exception = False
    return client


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = orjson.loads(response.content)
    assert isinstance(body["code"], str) and isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code
    return body


@pytest.mark.parametrize("path", ["/api/v1/alignment/", "/api/v1/messages/{id}/acknowledgements/"])
def test_deeply_nested_json_is_a_json_400(client, path):
    message = MessageFactory.create_published()
    response = client.post(path.format(id=message.translation_key), NESTED, content_type="application/json")
    _error(response, 400, "parse_error")


@pytest.mark.parametrize(
    "body",
    [b'{"text": "\\ud800", "locale": "en"}', b'{"text": NaN}', b'{"text": 1e999}', b"\xff\xfe", b'{"text": "a"'],
    ids=["lone-surrogate", "nan", "infinity", "not-utf8", "truncated"],
)
def test_malformed_json_is_a_json_400(client, body):
    _error(client.post("/api/v1/alignment/", body, content_type="application/json"), 400, "parse_error")


def test_a_body_over_the_upload_limit_is_a_json_413(client, settings):
    body = json.dumps({"text": "x" * (3 * 1024 * 1024), "locale": "en"})
    _error(client.post("/api/v1/alignment/", body, content_type="application/json"), 413, "too_large")


def test_a_body_django_refuses_as_too_large_is_a_json_413_under_the_api():
    from django.core.exceptions import RequestDataTooBig
    from django.test import RequestFactory

    from hub.error_pages import bad_request

    response = bad_request(RequestFactory().post("/api/v1/alignment/"), RequestDataTooBig())
    _error(response, 413, "too_large")
    page = bad_request(RequestFactory().post("/admin/login/"), RequestDataTooBig())
    assert page.status_code == 413 and page["Content-Type"].startswith("text/html")


def test_alignment_counts_a_number_of_five_thousand_digits(client):
    response = client.post("/api/v1/alignment/", {"text": "1" * 5000, "locale": "en"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value",
    ["0001-01-01T00:00:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01"],
)
def test_updated_since_at_the_edge_of_the_calendar_is_a_json_400(client, value):
    MessageFactory.create_published()
    _error(client.get("/api/v1/messages/", {"updated_since": value}), 400, "invalid")


@pytest.mark.parametrize(
    "position", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59.999999-05:00"]
)
def test_a_cursor_at_the_edge_of_the_calendar_is_a_json_404(client, position):
    MessageFactory.create_published()
    for reverse in ("0", "1"):
        cursor = base64.b64encode(f"r={reverse}&p={position}".encode()).decode()
        _error(client.get("/api/v1/messages/", {"cursor": cursor}), 404, "not_found")


def test_updated_since_far_in_the_past_still_lists(client):
    message = MessageFactory.create_published()
    response = client.get("/api/v1/messages/", {"updated_since": "0002-01-01T00:00:00Z"})
    assert response.status_code == 200
    assert [d["id"] for d in orjson.loads(response.content)["results"]] == [str(message.translation_key)]


def test_if_none_match_star_is_304_for_the_list_and_an_existing_message(client):
    message = MessageFactory.create_published()
    assert client.get("/api/v1/messages/", HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get(f"/api/v1/messages/{message.translation_key}/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_if_none_match_star_is_404_for_a_missing_message(client):
    MessageFactory.create_published()
    response = client.get("/api/v1/messages/7a5e0000-0000-4000-8000-000000000000/", HTTP_IF_NONE_MATCH="*")
    _error(response, 404, "not_found")


def test_a_form_body_is_refused_as_unsupported(client):
    response = client.post("/api/v1/alignment/", "text=a&locale=en", content_type="application/x-www-form-urlencoded")
    _error(response, 415, "unsupported_media_type")
