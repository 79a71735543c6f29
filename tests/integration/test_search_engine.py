"""The project's analysis on a real OpenSearch node: orthographic variants and inflections find the message."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search.configuration import backend_config
from search.indexing import index_entry_sync
from search.queries import query_parse
from search.selectors import message_search
from tests.factories import InstitutionFactory, MessageFactory, locale

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def engine(opensearch_url: str) -> Iterator[Any]:
    prefix = f"tawasul_it_{uuid.uuid4().hex[:10]}_"
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": backend_config("opensearch2", url=opensearch_url,
                                                                             index_prefix=prefix)}):  # fmt: skip
        backend = get_search_backend()
        yield backend
        backend.es.indices.delete(index=f"{prefix}*")


def indexed(engine: Any, **kwargs: Any) -> Message:
    message = MessageFactory.create_published(**kwargs)
    index_entry_sync(model_label="messaging.message", object_id=message.pk)
    engine.get_index_for_model(Message).refresh()
    return message


def finds(text: str, language: str) -> list[int]:
    hits = message_search(institution=InstitutionFactory(), query=query_parse(text, language))
    return [hit.row.pk for hit in hits]


def test_engine_index_uses_the_project_analysis(engine: Any) -> None:
    indexed(engine, key_message="مبادرة")
    index = engine.get_index_for_model(Message)
    settings = engine.es.indices.get_settings(index=index.name)
    analysis = next(iter(settings.values()))["settings"]["index"]["analysis"]
    assert {"tawasul_text", "tawasul_query", "tawasul_ngram"} <= set(analysis["analyzer"])
    mapping = next(iter(engine.es.indices.get_mapping(index=index.name).values()))["mappings"]["properties"]
    assert set(mapping["key_message"]["fields"]) == {"ngram", "edge"}


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
