"""The project's analysis on a real engine node (OpenSearch, or Elasticsearch with `TAWASUL_SEARCH_BACKEND`):
orthographic variants and inflections find the message."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search.configuration import backend_config
from search.indexing import index_entry_sync, indexes_drop
from search.queries import query_parse
from search.selectors import message_search
from tests.factories import InstitutionFactory, MessageFactory, locale
from tests.integration.conftest import engine_backend

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
SERVERS = {
    "opensearch2": ("opensearch", "2."),
    "opensearch3": ("opensearch", "3."),
    "elasticsearch8": ("elasticsearch", "8."),
    "elasticsearch9": ("elasticsearch", "9."),
}


@pytest.fixture
def engine(engine_url: str) -> Iterator[Any]:
    prefix = f"tawasul_it_{uuid.uuid4().hex[:10]}_"
    config = backend_config(engine_backend(), url=engine_url, index_prefix=prefix)
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
        backend = get_search_backend()
        yield backend
        indexes_drop(backend, prefix=prefix)


def indexed(engine: Any, **kwargs: Any) -> Message:
    message = MessageFactory.create_published(**kwargs)
    index_entry_sync(model_label="messaging.message", object_id=message.pk)
    engine.get_index_for_model(Message).refresh()
    return message


def finds(text: str, language: str) -> list[int]:
    hits = message_search(institution=InstitutionFactory(), query=query_parse(text, language))
    return [hit.row.pk for hit in hits]


def test_engine_is_the_server_the_backend_names(engine: Any) -> None:
    """The backend's client talks to the product and major version it is named after."""
    version = engine.es.info()["version"]
    product, major = SERVERS[engine_backend()]
    assert version.get("distribution", "elasticsearch") == product
    assert version["number"].startswith(major)


def test_indexes_drop_deletes_the_prefixed_indexes(engine: Any) -> None:
    """By name: Elasticsearch refuses a wildcard delete by default, OpenSearch accepts both."""
    indexed(engine, key_message="مبادرة")
    index = engine.get_index_for_model(Message)
    assert index.exists()
    indexes_drop(engine, prefix=engine.index_prefix)
    assert not index.exists()
    indexes_drop(engine, prefix=engine.index_prefix)  # nothing left: a no-op, not an error


def test_engine_index_uses_the_project_analysis(engine: Any) -> None:
    indexed(engine, key_message="مبادرة")
    index = engine.get_index_for_model(Message)
    settings = engine.es.indices.get_settings(index=index.name)
    analysis = next(iter(settings.values()))["settings"]["index"]["analysis"]
    assert {"tawasul_text", "tawasul_query", "tawasul_ngram"} <= set(analysis["analyzer"])
    mapping = next(iter(engine.es.indices.get_mapping(index=index.name).values()))["mappings"]["properties"]
    assert {"key_message_ngram", "key_message_edge"} <= set(mapping)


@pytest.mark.parametrize(
    "query",
    [
        "المسؤولية",  # as written
        "المسئولية",  # hamza seat variant
        "مسؤوليه",  # taa marbuta as heh, no article
        "المَسْؤُولِيَّةُ",  # with diacritics
        "مسؤولية",  # without the definite article
    ],
)
def test_engine_finds_arabic_with_orthographic_variants(engine: Any, query: str) -> None:
    message = indexed(engine, key_message="المسؤولية المجتمعية للمؤسسات", title="إطلاق مبادرة")
    indexed(engine, key_message="التعليم عن بعد", title="خطة")
    assert finds(query, "ar")[:1] == [message.pk]


@pytest.mark.parametrize("query", ["إطلاق", "اطلاق", "أطلاق"])
def test_engine_finds_arabic_with_hamza_forms(engine: Any, query: str) -> None:
    message = indexed(engine, key_message="المسؤولية المجتمعية", title="إطلاق مبادرة")
    assert finds(query, "ar")[:1] == [message.pk]


@pytest.mark.parametrize("query", ["vaccinating children", "vaccinated child", "vaccinations"])
def test_engine_finds_english_with_inflected_forms(engine: Any, query: str) -> None:
    message = indexed(engine, key_message="Vaccination protects every child", title="Campaign",
                      locale=locale("en"))  # fmt: skip
    indexed(engine, key_message="Schools reopen in September", title="Education", locale=locale("en"))
    assert finds(query, "en")[:1] == [message.pk]


def scored_hits(engine: Any, query: dict[str, Any]) -> dict[str, float]:
    index = engine.get_index_for_model(Message).name
    if engine.use_new_elasticsearch_api:
        response = engine.es.search(index=index, query=query, size=100)
    else:
        response = engine.es.search(index=index, body={"query": query, "size": 100})
    return {hit["_id"]: hit["_score"] for hit in response["hits"]["hits"]}


@pytest.mark.parametrize(("text", "language"), [("مبادرة التعليم والمسؤولية التعليم", "ar"),
                                                 ("vaccinating the children of schools", "en")])  # fmt: skip
def test_the_flat_query_finds_and_scores_as_the_match_per_field(engine: Any, text: str, language: str) -> None:
    """The words of the engine's analysis as one flat disjunction give the hits and scores of a `most_fields`
    match of the text (a word given twice counts twice in both)."""
    for title, key_message in [("إطلاق مبادرة", "مبادرة التعليم عن بعد"), ("خطة", "المسؤولية المجتمعية"),
                               ("Campaign", "Vaccination protects every child"), ("Schools", "Schools reopen"),
                               ("مبادرات", "التعليم للجميع والتعليم المستمر")]:  # fmt: skip
        indexed(engine, title=title, key_message=key_message, locale=locale("en" if title.isascii() else "ar"))
    results = engine.search(text, Message.objects.all(), operator="or")[:100]
    results._get_es_body()  # gives the compiler the engine's analysis
    flat = results.query_compiler.get_query()
    results.query_compiler.analyse = None
    per_field = results.query_compiler.get_query()
    assert "multi_match" in str(per_field) and "multi_match" not in str(should_scored(flat))
    expected = scored_hits(engine, per_field)
    assert expected and scored_hits(engine, flat) == pytest.approx(expected, rel=1e-5)


def should_scored(query: dict[str, Any]) -> list[dict[str, Any]]:
    return [clause for clause in query["bool"]["must"]["bool"]["should"] if "constant_score" not in clause]
