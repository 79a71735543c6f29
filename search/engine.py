"""Index analysis for OpenSearch and Elasticsearch, mirroring `search.analysis` for the database backend.

One analyzer serves both languages, as in Python: normalisation happens in char filters (so it reaches the
stemmers and n-grams alike), then both languages' stopwords and stemmers apply; each only changes tokens of its
own script. `tawasul_text` is the index default, so every text field modelsearch maps uses it. The n-gram
analyzer (3 characters from the `ngram` tokenizer, not the filter, which would stack grams at one position)
serves a secondary field for Arabic queries: 3–4 characters analysed two fifths more and found no more on the
held-out queries. Measured in docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Any

from search.analysis import QUESTION_WORDS

# Marks dropped before analysis (harakat, Quranic annotation signs, tatweel, zero-width and direction marks), as
# ranges of code points.
ARABIC_MARK_RANGES = [
    (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x0640, 0x0640), (0x06D6, 0x06DC), (0x06DF, 0x06E4),
    (0x06E7, 0x06E8), (0x06EA, 0x06ED), (0x200B, 0x200F), (0x061C, 0x061C), (0xFEFF, 0xFEFF),
]  # fmt: skip
LETTER_FOLDS = [
    "أ => ا", "إ => ا", "آ => ا", "ٱ => ا", "ى => ي", "ة => ه", "ؤ => ء", "ئ => ء", "ی => ي", "ک => ك",
    "\\uFEF5 => لا", "\\uFEF6 => لا", "\\uFEF7 => لا", "\\uFEF8 => لا",
    "\\uFEF9 => لا", "\\uFEFA => لا", "\\uFEFB => لا", "\\uFEFC => لا",
]  # fmt: skip
# One `mapping` char filter does both, in one pass over the text: marks mapped to nothing, letters folded. It
# replaced a `pattern_replace` filter (a regular expression over every character of every text, before each
# analyzer) followed by the folds: the same characters out, and the engine spent about two fifths less CPU
# indexing (measured in docs/benchmarks.md).
CHAR_MAPPINGS = [f"\\u{code:04X} => " for low, high in ARABIC_MARK_RANGES for code in range(low, high + 1)]
CHAR_FILTERS = ["tawasul_chars"]
TEXT_ANALYZER = "tawasul_text"
QUERY_ANALYZER = "tawasul_query"
NGRAM_ANALYZER = "tawasul_ngram"
EDGE_ANALYZER = "tawasul_edge"
EDGE_QUERY_ANALYZER = "tawasul_edge_query"


def engine_analysis() -> dict[str, Any]:
    return {
        "char_filter": {
            "tawasul_chars": {"type": "mapping", "mappings": CHAR_MAPPINGS + LETTER_FOLDS},
        },
        "tokenizer": {
            "tawasul_trigrams": {"type": "ngram", "min_gram": 3, "max_gram": 3, "token_chars": ["letter", "digit"]},
        },
        "filter": {
            "tawasul_arabic_stop": {"type": "stop", "stopwords": "_arabic_"},
            "tawasul_english_stop": {"type": "stop", "stopwords": "_english_"},
            "tawasul_english_possessive": {"type": "stemmer", "language": "possessive_english"},
            "tawasul_arabic_stem": {"type": "stemmer", "language": "arabic"},
            "tawasul_english_stem": {"type": "stemmer", "language": "porter2"},
            "tawasul_question_stop": {"type": "stop", "stopwords": sorted(QUESTION_WORDS)},
            "tawasul_edge_grams": {"type": "edge_ngram", "min_gram": 3, "max_gram": 6},
        },
        "analyzer": {
            "default": {"type": "custom", "char_filter": CHAR_FILTERS, "tokenizer": "standard",
                        "filter": _text_filters()},
            TEXT_ANALYZER: {"type": "custom", "char_filter": CHAR_FILTERS, "tokenizer": "standard",
                            "filter": _text_filters()},
            QUERY_ANALYZER: {"type": "custom", "char_filter": CHAR_FILTERS, "tokenizer": "standard",
                             "filter": _text_filters(query=True)},
            NGRAM_ANALYZER: {"type": "custom", "char_filter": CHAR_FILTERS, "tokenizer": "tawasul_trigrams",
                             "filter": ["lowercase", "decimal_digit"]},
            EDGE_ANALYZER: {"type": "custom", "char_filter": CHAR_FILTERS, "tokenizer": "standard",
                            "filter": _edge_filters()},
            EDGE_QUERY_ANALYZER: {"type": "custom", "char_filter": CHAR_FILTERS, "tokenizer": "standard",
                                  "filter": _edge_filters(query=True)},
        },
    }  # fmt: skip


def _text_filters(*, query: bool = False) -> list[str]:
    return [
        "lowercase",
        "decimal_digit",
        "tawasul_english_possessive",
        "arabic_normalization",
        "tawasul_arabic_stop",
        "tawasul_english_stop",
        *(["tawasul_question_stop"] if query else []),
        "tawasul_arabic_stem",
        "tawasul_english_stem",
    ]


def _edge_filters(*, query: bool = False) -> list[str]:
    """Word beginnings (3..6 letters) of unstemmed words: catches English derivations the stemmer leaves apart."""
    stops = ["tawasul_english_stop", "tawasul_arabic_stop", *(["tawasul_question_stop"] if query else [])]
    return ["lowercase", "decimal_digit", "tawasul_english_possessive", "arabic_normalization", *stops,
            "tawasul_edge_grams"]  # fmt: skip


def engine_index_settings(*, replicas: int = 0) -> dict[str, Any]:
    """Deep-merged by modelsearch into its own index settings (`INDEX_SETTINGS`). One shard; `replicas` copies of
    it on other nodes (0 on a single node, where a replica could never be placed and the index would stay yellow)."""
    index = {"number_of_shards": 1, "number_of_replicas": replicas}
    return {"settings": {"index": index, "analysis": engine_analysis()}}
