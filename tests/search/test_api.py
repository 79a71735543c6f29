"""GET /api/v1/search/: visible messages only, documents like the messages API, clear 400s."""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.search.backends import get_search_backend

from institutions.models import Delivery
from tests.factories import InstitutionFactory, message_body
from tests.messaging.api_helpers import client_for, issue_key
from tests.search.conftest import index_refresh

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


def search(institution: Any, **params: str) -> Any:
    return client_for(issue_key(institution)).get(URL, params)


def vaccination_message(publish: Any, **kwargs: Any) -> Any:
    return publish(
        title="حملة التطعيم الوطنية",
        key_message="التطعيم مجاني في جميع المراكز الصحية",
        body=message_body("الوقاية أولاً", ("يحمي اللقاح الأطفال من الأمراض",)),
        **kwargs,
    )


def test_search_finds_a_visible_message_with_orthographic_variants(publish: Any) -> None:
    message = vaccination_message(publish)
    response = search(InstitutionFactory(), q="المراكز الصحيه", locale="ar")
    assert response.status_code == 200
    body = response.json()
    assert body["locale"] == "ar"
    assert [r["id"] for r in body["results"]] == [str(message.translation_key)]
    result = body["results"][0]
    assert result["rank"] == 1 and result["score"] > 0
    assert result["translations"]["ar"]["key_message"] == message.key_message


def test_search_result_documents_match_the_messages_api(publish: Any) -> None:
    message = vaccination_message(publish)
    institution = InstitutionFactory()
    found = search(institution, q="التطعيم", locale="ar").json()["results"][0]
    listed = client_for(issue_key(institution)).get("/api/v1/messages/", {"locale": "ar"}).json()["results"][0]
    assert {k: v for k, v in found.items() if k not in ("rank", "score")} == listed
    assert found["id"] == str(message.translation_key)


def test_search_hides_messages_addressed_to_other_institutions(publish: Any) -> None:
    other, caller = InstitutionFactory(), InstitutionFactory()
    vaccination_message(publish, audience_of=[other])
    assert search(caller, q="التطعيم", locale="ar").json()["results"] == []
    assert len(search(other, q="التطعيم", locale="ar").json()["results"]) == 1


def test_search_hides_a_withdrawn_message_even_while_the_index_is_stale(publish: Any, withdraw: Any) -> None:
    message = vaccination_message(publish)
    withdraw(message)
    message.refresh_from_db()
    get_search_backend().add(message)  # the index still holds it, as when the engine was down
    index_refresh()
    assert search(InstitutionFactory(), q="التطعيم", locale="ar").json()["results"] == []


def test_search_records_deliveries_through_the_search_channel(publish: Any) -> None:
    message = vaccination_message(publish)
    institution = InstitutionFactory()
    search(institution, q="التطعيم", locale="ar")
    assert Delivery.objects.filter(institution=institution, message=message, channel="search").exists()


def test_search_only_searches_the_requested_language(publish: Any) -> None:
    vaccination_message(publish)
    assert search(InstitutionFactory(), q="التطعيم", locale="en").json()["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "vaccine\x00"}, "q"),
        ({"q": "vaccine", "locale": "fr"}, "locale"),
        ({}, "q"),
    ],
)
def test_search_refuses_malformed_queries_with_a_clear_400(params: dict[str, str], field: str) -> None:
    response = search(InstitutionFactory(), **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"] and body["message"]


def test_search_requires_an_api_key() -> None:
    assert client_for(None).get(URL, {"q": "x"}).status_code in (401, 403)


def test_search_answers_503_when_the_engine_does_not_answer(publish: Any, monkeypatch: Any) -> None:
    from search import selectors

    vaccination_message(publish)

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise selectors.SearchUnavailable("engine unreachable")

    monkeypatch.setattr(selectors, "_engine_scores", unreachable)
    response = search(InstitutionFactory(), q="التطعيم", locale="ar")
    assert response.status_code == 503
    assert response.json()["code"] == "search_unavailable"


@pytest.mark.parametrize(
    ("language", "q_help"),
    [("en", "Words to look for (at most 500 characters)."), ("ar", "الكلمات المراد البحث عنها (بحد أقصى 500 حرفًا).")],
)
def test_search_schema_states_the_limits_in_the_readers_language(client: Any, language: str, q_help: str) -> None:
    schema = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language).json()
    parameters = {p["name"]: p for p in schema["paths"][URL]["get"]["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"] == {"type": "string", "minLength": 1, "maxLength": 500}
    assert parameters["q"]["description"] == q_help
    assert parameters["locale"]["schema"]["enum"] == ["ar", "en"]
