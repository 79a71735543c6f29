"""The engine backend's mapping and request body, built without a running engine."""

from __future__ import annotations

from typing import Any

import pytest
from modelsearch.backends import get_search_backend as modelsearch_backend

from messaging.models import Message
from search.backends import engine
from search.configuration import backend_config


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
    assert not [name for name, field in properties.items() if "copy_to" in field]
    subfields = properties["pillar_text"]["fields"]
    assert {name: field["index_options"] for name, field in subfields.items()} == {"ngram": "freqs", "edge": "freqs"}


@pytest.mark.django_db
def test_search_body_does_not_count_hits_past_the_page(backend: Any) -> None:
    assert body_of(backend, "vaccination")["track_total_hits"] is False


@pytest.mark.django_db
def test_long_fields_subfields_rescore_the_best_hits_only(backend: Any) -> None:
    body = body_of(backend, "مبادرة التعليم")
    should = body["query"]["bool"]["must"]["bool"]["should"]
    scored = str([clause for clause in should if "constant_score" not in clause])
    assert "title.ngram" in scored and "key_message.ngram" in scored
    assert "pillar_text.ngram" not in scored
    (recall,) = [clause["constant_score"] for clause in should if "constant_score" in clause]
    assert recall["boost"] == 0 and "pillar_text.ngram" in str(recall)  # still found, scored by the rescore
    rescore = body["rescore"]
    assert rescore["window_size"] == engine.RESCORE_WINDOW
    assert "pillar_text.ngram" in str(rescore["query"]["rescore_query"])
    assert rescore["query"]["score_mode"] == "total"


@pytest.mark.django_db
def test_a_scrolled_search_has_no_rescore(backend: Any) -> None:
    """Engines refuse a rescore in a scroll (modelsearch scrolls beyond one page of 100)."""
    assert "rescore" not in body_of(backend, "مبادرة التعليم", stop=500)
