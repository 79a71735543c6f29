"""Our Elasticsearch analysis plugin (scripts/elasticsearch) against the analysis-common module it stands in for:
the project's index settings, created unchanged on both engines, give the same tokens from every analyzer."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import BadRequestError, Elasticsearch
from opensearchpy import OpenSearch

from search.engine import ARABIC_MARK_RANGES, CHAR_FILTERS, LETTER_FOLDS, engine_analysis, engine_index_settings

pytestmark = pytest.mark.integration

# Diacritics, tatweel, hamza and alef forms, lam-alef ligatures, taa marbuta, alef maqsura, Persian letters,
# Arabic-Indic digits, clitics; English possessives, inflections, stopwords, question words, mixed scripts.
TEXTS = [
    "المَسْؤُولِيَّةُ المجتمعـــية للمؤسسات",
    "إطلاق أَحمد آمال ٱلمكتبة مستشفى القاهرة",
    "\ufefb\ufef5 ﻻ ی ک ٢٠٢٦ ۱۴۰۵",
    "ماذا يعني برنامج التطعيم والمدارس؟ كيف وأين ومتى",
    "The ministry's vaccinations: what are children's running programmes?",
    "COVID-19 وزارة الصحة Ministry of Health 2026",
]


@pytest.fixture
def indexes(engine_url_of: Any) -> Iterator[list[tuple[Any, str]]]:
    """A throw-away index with the project's settings on OpenSearch and on Elasticsearch."""
    name = f"tawasul_parity_{uuid.uuid4().hex[:10]}"
    settings = engine_index_settings()["settings"]
    clients = [
        OpenSearch([engine_url_of("opensearch2")]),
        Elasticsearch([engine_url_of("elasticsearch8")]),
    ]
    for client in clients:
        client.indices.create(index=name, body={"settings": settings})
    yield [(client, name) for client in clients]
    for client in clients:
        client.indices.delete(index=name)


def tokens(client: Any, index: str, analyzer: str, text: str) -> list[tuple[str, int]]:
    body = {"analyzer": analyzer, "text": text}
    if isinstance(client, Elasticsearch):
        answer = client.indices.analyze(index=index, **body)
    else:
        answer = client.indices.analyze(index=index, body=body)
    return [(t["token"], t["position"]) for t in answer["tokens"]]


@pytest.mark.parametrize("analyzer", sorted(engine_analysis()["analyzer"]))
def test_every_analyzer_gives_the_same_tokens_on_both_engines(indexes: Any, analyzer: str) -> None:
    (opensearch, index), (elasticsearch, same_index) = indexes
    for text in TEXTS:
        expected = tokens(opensearch, index, analyzer, text)
        assert expected, f"{analyzer} gave no tokens for {text!r}"
        assert tokens(elasticsearch, same_index, analyzer, text) == expected, text


def test_an_analysis_component_the_plugin_lacks_is_refused(engine_url_of: Any) -> None:
    """Only what our settings use is provided, so a setting needing more fails loudly, never silently differs."""
    client = Elasticsearch([engine_url_of("elasticsearch8")])
    analyzer = {"tokenizer": "standard", "filter": ["x"]}
    settings = {"analysis": {"filter": {"x": {"type": "cjk_bigram"}}, "analyzer": {"a": analyzer}}}
    with pytest.raises(BadRequestError, match="cjk_bigram"):
        client.indices.create(index=f"tawasul_parity_{uuid.uuid4().hex[:10]}", settings=settings)


def test_the_one_char_filter_gives_the_tokens_of_the_pattern_it_replaced(engine_url_of: Any) -> None:
    """`tawasul_chars` (one `mapping` filter: marks to nothing, letters folded) against what it replaced: a
    `pattern_replace` of the same marks followed by a `mapping` of the folds. Every analyzer, on both engines, over
    the texts above and a word carrying every mark."""
    marks = "".join(chr(code) for low, high in ARABIC_MARK_RANGES for code in range(low, high + 1))
    texts = [*TEXTS, f"ال{marks}مسؤولية ت{marks[::-1]}واصل"]
    pattern = "[" + "".join(f"\\u{low:04X}-\\u{high:04X}" for low, high in ARABIC_MARK_RANGES) + "]"
    current = engine_index_settings()["settings"]
    replaced = copy.deepcopy(current)
    analysis = replaced["analysis"]
    analysis["char_filter"] = {
        "strip_marks": {"type": "pattern_replace", "pattern": pattern, "replacement": ""},
        "fold_letters": {"type": "mapping", "mappings": LETTER_FOLDS},
    }
    for analyzer in analysis["analyzer"].values():
        assert analyzer["char_filter"] == CHAR_FILTERS
        analyzer["char_filter"] = ["strip_marks", "fold_letters"]
    for client in (OpenSearch([engine_url_of("opensearch2")]), Elasticsearch([engine_url_of("elasticsearch8")])):
        names = {}
        for label, settings in (("current", current), ("replaced", replaced)):
            names[label] = f"tawasul_parity_{uuid.uuid4().hex[:10]}"
            client.indices.create(index=names[label], body={"settings": settings})
        try:
            for analyzer in analysis["analyzer"]:
                for text in texts:
                    expected = tokens(client, names["replaced"], analyzer, text)
                    assert tokens(client, names["current"], analyzer, text) == expected, (analyzer, text)
            words = tokens(client, names["current"], "tawasul_text", texts[-1])
            assert words and not any(set(marks) & set(word) for word, _ in words), words
        finally:
            client.indices.delete(index=",".join(names.values()))
