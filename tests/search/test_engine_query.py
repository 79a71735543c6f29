"""The engine backend's mapping and request body, built without a running engine."""

from __future__ import annotations

from typing import Any

import pytest
from modelsearch.backends import get_search_backend as modelsearch_backend

from messaging.models import Message
from search.backends import engine
from search.configuration import backend_config
from tests.factories import locale


@pytest.fixture
def backend() -> Any:
    config = backend_config("opensearch2", index_prefix="tawasul_unit_")
    return modelsearch_backend(config.pop("BACKEND"), **config)


def body_of(backend: Any, text: str, *, stop: int = 100) -> dict[str, Any]:
    results = backend.search(text, Message.objects.all(), operator="or")[:stop]
    return results._get_es_body()


def test_mapping_keeps_each_field_once_without_all_text_copies(backend: Any) -> None:
    properties = backend.mapping_class(Message).get_mapping()["properties"]
    assert not [name for name in properties if name.startswith("_all_text")]
    assert not [name for name, field in properties.items() if "copy_to" in field or "fields" in field]
    subfields = {kind: properties[engine.subfield("pillar_text", kind)] for kind in ("ngram", "edge")}
    assert {kind: field["index_options"] for kind, field in subfields.items()} == {"ngram": "freqs", "edge": "freqs"}
    assert subfields["ngram"]["analyzer"] == "tawasul_ngram"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "filled", "empty"), [("ar", "ngram", "edge"), ("en", "edge", "ngram")])
def test_a_row_fills_the_subfields_of_its_language(backend: Any, language: str, filled: str, empty: str) -> None:
    message = Message(title="T", key_message="مبادرة Initiative", locale=locale(language), body=[])
    document = backend.mapping_class(Message).get_document(message)
    assert document[engine.subfield("key_message", filled)] == document["key_message"] == "مبادرة Initiative"
    assert engine.subfield("key_message", empty) not in document
    assert engine.subfield("pillar_text", filled) not in document  # nothing to analyse


def test_a_row_without_a_language_fills_both_subfields(backend: Any) -> None:
    document = backend.mapping_class(Message).get_document(Message(title="T", key_message="Initiative", body=[]))
    assert {engine.subfield("key_message", kind) for kind in ("ngram", "edge")} <= set(document)


@pytest.mark.django_db
def test_search_body_does_not_count_hits_past_the_page(backend: Any) -> None:
    assert body_of(backend, "vaccination")["track_total_hits"] is False


def should_of(query: dict[str, Any]) -> list[dict[str, Any]]:
    return query["bool"]["must"]["bool"]["should"]


@pytest.mark.django_db
def test_long_fields_subfields_rescore_the_best_hits_only(backend: Any) -> None:
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="or")[:100]
    body = results._get_es_body()
    should = should_of(body["query"])
    assert "title_ngram" in str(should) and "key_message_ngram" in str(should)
    assert "pillar_text_ngram" not in str(should)  # first asked for without the recall filter
    (recall,) = [clause["constant_score"] for clause in should_of(results._recall_query) if "constant_score" in clause]
    assert recall["boost"] == 0 and "pillar_text_ngram" in str(recall)  # still found, scored by the rescore
    assert [clause for clause in should_of(results._recall_query) if "constant_score" not in clause] == should
    rescore = body["rescore"]
    assert rescore["window_size"] == engine.RESCORE_WINDOW
    assert "pillar_text_ngram" in str(rescore["query"]["rescore_query"])
    assert rescore["query"]["score_mode"] == "total"


@pytest.mark.django_db
def test_a_page_smaller_than_the_rescore_window_keeps_the_recall_filter(backend: Any) -> None:
    """Below a full window, documents only the filter finds can be rescored into the page."""
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="or")[:20]
    body = results._get_es_body()
    assert results._recall_query is None
    assert [clause for clause in should_of(body["query"]) if "constant_score" in clause]


class Answers:
    """Stands for the engine client: answers each search with the next number of hits, records the queries."""

    def __init__(self, *counts: int) -> None:
        self.counts = list(counts)
        self.queries: list[dict[str, Any]] = []

    def search(self, **kwargs: Any) -> dict[str, Any]:
        self.queries.append(kwargs.get("body", kwargs).get("query"))
        return {"hits": {"hits": [{"_score": 1.0, "fields": {"pk": [i]}} for i in range(self.counts.pop(0))]}}


@pytest.mark.django_db
@pytest.mark.parametrize(("counts", "asked"), [((100,), 1), ((40, 55), 2)])
def test_the_recall_filter_is_asked_for_only_when_a_page_is_not_filled(
    backend: Any, counts: tuple[int, ...], asked: int
) -> None:
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="or")[:100]
    body = results._get_es_body()
    full = results._recall_query
    backend.es = Answers(*counts)
    response = results._backend_do_search(body, index="i", from_=0, size=100)
    assert len(response["hits"]["hits"]) == counts[-1]
    assert backend.es.queries == [body["query"], full][:asked]


@pytest.mark.django_db
def test_a_scrolled_search_has_no_rescore(backend: Any) -> None:
    """Engines refuse a rescore in a scroll (modelsearch scrolls beyond one page of 100)."""
    assert "rescore" not in body_of(backend, "مبادرة التعليم", stop=500)
