"""The engine backend's mapping and request body, built without a running engine."""

from __future__ import annotations

import re
from typing import Any

import pytest
from modelsearch.backends import get_search_backend as modelsearch_backend

from messaging.models import Message
from search.backends import engine
from search.configuration import backend_config
from tests.factories import locale


class Words:
    """Stands for the engine's `_analyze`: the words of the text split on spaces, and how often it was asked."""

    def __init__(self) -> None:
        self.asked = 0

    def analyze(self, *, index: str, body: dict[str, Any]) -> dict[str, Any]:
        self.asked += 1
        assert body["analyzer"] == "tawasul_query"
        return {"tokens": [{"token": word} for word in body["text"].split()]}


class Answers:
    """Stands for the engine client: analyses as `Words`, answers each search with the next number of hits and
    records the queries."""

    def __init__(self, *counts: int) -> None:
        self.counts = list(counts)
        self.queries: list[dict[str, Any]] = []
        self.indices = Words()

    def search(self, **kwargs: Any) -> dict[str, Any]:
        self.queries.append(kwargs.get("body", kwargs).get("query"))
        return {"hits": {"hits": [{"_score": 1.0, "fields": {"pk": [i]}} for i in range(self.counts.pop(0))]}}


@pytest.fixture
def backend() -> Any:
    config = backend_config("opensearch2", index_prefix="tawasul_unit_")
    backend = modelsearch_backend(config.pop("BACKEND"), **config)
    backend.es = Answers()
    return backend


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


def test_the_fields_are_one_flat_disjunction_of_field_and_word() -> None:
    fields = [engine.Weighted("title", 2.0), engine.Weighted("pillar_text", 3.0)]
    terms = engine.flat_disjunction(["مبادر", "تعليم", "مبادر"], fields)["bool"]["should"]
    assert terms == [
        {"term": {"title": {"value": "مبادر", "boost": 4.0}}},  # a word given twice counts twice
        {"term": {"title": {"value": "تعليم", "boost": 2.0}}},
        {"term": {"pillar_text": {"value": "مبادر", "boost": 6.0}}},
        {"term": {"pillar_text": {"value": "تعليم", "boost": 3.0}}},
    ]
    assert engine.flat_disjunction([], fields) == {"match_none": {}}  # not an empty bool, which matches all


@pytest.mark.django_db
def test_the_query_scores_the_words_of_the_engines_analysis_asked_for_once(backend: Any) -> None:
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="or")[:100]
    body = results._get_es_body()
    (scored,) = should_of(body["query"])
    terms = {(field, term["value"]) for clause in scored["bool"]["should"] for field, term in clause["term"].items()}
    assert {("key_message", "مبادرة"), ("pillar_text", "التعليم")} <= terms
    assert backend.es.indices.asked == 1  # the scored query and the recall query share one analysis


@pytest.mark.django_db
def test_an_and_search_keeps_the_match_per_field(backend: Any) -> None:
    """`and` asks for every word in one field, which a flat disjunction cannot say."""
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="and")[:100]
    (main, *_) = should_of(results._get_es_body()["query"])
    assert main["multi_match"]["operator"] == "and" and main["multi_match"]["type"] == "most_fields"


@pytest.mark.django_db
def test_subfields_rescore_the_best_hits_only(backend: Any) -> None:
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="or")[:100]
    body = results._get_es_body()
    should = should_of(body["query"])
    assert "_ngram" not in str(should)  # first asked for without the recall filter
    (recall,) = [clause["constant_score"] for clause in should_of(results._recall_query) if "constant_score" in clause]
    assert recall["boost"] == 0 and "pillar_text_ngram" in str(recall)  # still found, scored by the rescore
    assert [clause for clause in should_of(results._recall_query) if "constant_score" not in clause] == should
    rescore = body["rescore"]
    assert rescore["window_size"] == engine.RESCORE_WINDOW
    assert {"title_ngram", "key_message_ngram", "pillar_text_ngram"} <= set(re.findall(r"\w+_ngram", str(rescore)))
    assert rescore["query"]["score_mode"] == "total"


@pytest.mark.django_db
def test_a_page_smaller_than_the_rescore_window_keeps_the_recall_filter(backend: Any) -> None:
    """Below a full window, documents only the filter finds can be rescored into the page."""
    results = backend.search("مبادرة التعليم", Message.objects.all(), operator="or")[:20]
    body = results._get_es_body()
    assert results._recall_query is None
    assert [clause for clause in should_of(body["query"]) if "constant_score" in clause]


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
