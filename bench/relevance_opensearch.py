"""The relevance study's OpenSearch part (`bench/relevance_study.py --opensearch URL`): the proposed index analysis,
measured on a running node with the same corpus and dev queries, in a throw-away index."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from typing import Any

# The recommended index analysis. Normalisation is done by char filters so that the n-gram *tokenizer* can
# be used: the ngram token filter stacks all grams of a word on one position, and a match query then scores
# them as one synonym term, which loses the whole gain (0.916 instead of 0.936 MRR@10 for Arabic).
_DELETE_PATTERN = (
    "[\\u0610-\\u061A\\u064B-\\u065F\\u0670\\u0640\\u06D6-\\u06DC\\u06DF-\\u06E4\\u06E7\\u06E8\\u06EA-\\u06ED"
    "\\u200B-\\u200F\\u061C\\uFEFF]"
)
_LETTER_MAPPINGS = [
    *(f"{c} => \u0627" for c in "\u0623\u0625\u0622\u0671"),
    "\u0649 => \u064a",
    "\u0629 => \u0647",
    "\u0624 => \u0621",
    "\u0626 => \u0621",
    "\u06cc => \u064a",
    "\u06a9 => \u0643",
    *(f"\\u{c:04X} => \u0644\u0627" for c in range(0xFEF5, 0xFEFD)),
]
OPENSEARCH_INDEX = {
    "settings": {
        "index": {"number_of_shards": 1, "number_of_replicas": 0},
        "analysis": {
            "char_filter": {
                "tawasul_strip_marks": {
                    "type": "pattern_replace",
                    "pattern": _DELETE_PATTERN,
                    "replacement": "",
                },
                "tawasul_fold_letters": {"type": "mapping", "mappings": _LETTER_MAPPINGS},
            },
            "tokenizer": {
                "tawasul_trigrams": {
                    "type": "ngram",
                    "min_gram": 3,
                    "max_gram": 4,
                    "token_chars": ["letter", "digit"],
                }
            },
            "filter": {
                "tawasul_arabic_stop": {"type": "stop", "stopwords": "_arabic_"},
                "tawasul_english_stop": {"type": "stop", "stopwords": "_english_"},
                "tawasul_english_possessive": {"type": "stemmer", "language": "possessive_english"},
                "tawasul_arabic_stem": {"type": "stemmer", "language": "arabic"},
                "tawasul_english_stem": {"type": "stemmer", "language": "porter2"},
            },
            "analyzer": {
                "tawasul_text": {
                    "type": "custom",
                    "char_filter": ["tawasul_strip_marks", "tawasul_fold_letters"],
                    "tokenizer": "standard",
                    "filter": [
                        "lowercase",
                        "decimal_digit",
                        "tawasul_english_possessive",
                        "arabic_normalization",
                        "tawasul_arabic_stop",
                        "tawasul_english_stop",
                        "tawasul_arabic_stem",
                        "tawasul_english_stem",
                    ],
                },
                "tawasul_ngram": {
                    "type": "custom",
                    "char_filter": ["tawasul_strip_marks", "tawasul_fold_letters"],
                    "tokenizer": "tawasul_trigrams",
                    "filter": ["lowercase", "decimal_digit"],
                },
            },
        },
    },
    "mappings": {
        "properties": {
            "ar": {
                "type": "text",
                "analyzer": "tawasul_text",
                "fields": {"ngram": {"type": "text", "analyzer": "tawasul_ngram"}},
            },
            "en": {"type": "text", "analyzer": "tawasul_text"},
        }
    },
}
# Per query language, the fields of a multi_match of type most_fields.
OPENSEARCH_FIELDS = {"ar": ["ar", "ar.ngram^0.5"], "en": ["en"]}


def opensearch_request(url: str, method: str, path: str, body: str | None = None) -> Any:
    content_type = "application/x-ndjson" if path.endswith(("_bulk", "_msearch")) else "application/json"
    data = None if body is None else body.encode()
    request = urllib.request.Request(url + path, data, {"Content-Type": content_type}, method=method)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def evaluate_opensearch(
    url: str, docs: list[dict[str, str]], queries: list[dict[str, str]]
) -> dict[str, tuple[float, ...]]:
    index = "/tawasul-relevance-study"
    with contextlib.suppress(urllib.error.HTTPError):
        opensearch_request(url, "DELETE", index)
    opensearch_request(url, "PUT", index, json.dumps(OPENSEARCH_INDEX))
    bulk = "".join(
        f"{json.dumps({'index': {'_id': d['id']}})}\n{json.dumps({'ar': d['ar'], 'en': d['en']})}\n" for d in docs
    )
    opensearch_request(url, "POST", f"{index}/_bulk?refresh=true", bulk)
    results: dict[str, tuple[float, ...]] = {}
    for lang in OPENSEARCH_FIELDS:
        selected = [q for q in queries if q["lang"] == lang]
        ranks = []
        for q in selected:
            match = {"multi_match": {"query": q["query"], "type": "most_fields", "fields": OPENSEARCH_FIELDS[lang]}}
            body = json.dumps({"size": 10, "_source": False, "query": match})
            hits = [h["_id"] for h in opensearch_request(url, "POST", f"{index}/_search", body)["hits"]["hits"]]
            ranks.append(hits.index(q["relevant"]) + 1 if q["relevant"] in hits else 0)
        n = len(selected)
        results[lang] = (
            sum(1 / r for r in ranks if r) / n,
            sum(r == 1 for r in ranks) / n,
            sum(1 <= r <= 5 for r in ranks) / n,
        )
    opensearch_request(url, "DELETE", index)
    return results
