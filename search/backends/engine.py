"""OpenSearch/Elasticsearch backends with the project's fields and query.

Each text field gets two companion fields ("sub-fields" below): `<field>_ngram` (character trigrams, filled for
Arabic rows) and `<field>_edge` (word beginnings, filled for English rows), with term frequencies but no positions;
modelsearch's `_all_text` copies are left out. A plain-text query scores the model's search fields with their
boosts (key message > talking points > Q&A > facts), analysed by `tawasul_query` (the index analyzer minus
interrogatives): the sum a `most_fields` match gives, sent as one flat disjunction of (field, word) terms
(`flat_disjunction`). The `ngram` sub-fields add half weight when the query has Arabic letters and the `edge`
sub-fields a quarter when it has Latin ones, only over the best `RESCORE_WINDOW` hits, by a rescore that adds the
same scores (the sub-fields of `SHORT_FIELDS`, if any, are scored in the query itself). A document that only they
match is still found (a filter that adds nothing to the score), below those the query scores. Measured in
docs/benchmarks.md.
"""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.utils.crypto import get_random_string
from modelsearch.index import SearchField
from modelsearch.query import MatchAll, Not, PlainText

from search.engine import EDGE_ANALYZER, EDGE_QUERY_ANALYZER, NGRAM_ANALYZER, QUERY_ANALYZER

NGRAM_WEIGHT = 0.5
EDGE_WEIGHT = 0.25
RESCORE_WINDOW = 100
SCROLL_ABOVE = 100  # modelsearch scrolls for more than one page of 100
# The text fields whose sub-fields are scored in the query itself, not only by the rescore (None: every field). On
# the whole data set the title's and key message's n-grams alone matched half to nearly all rows of the query's
# language, so the query scored most of them; they are rescored like the others (measured in docs/benchmarks.md).
SHORT_FIELDS: frozenset[str] | None = frozenset()
_ARABIC = re.compile("[\u0620-\u064a\u066e-\u06d3]")
_LATIN = re.compile("[A-Za-z]")


SUBFIELD_MAPPINGS: dict[str, dict[str, Any]] = {
    "ngram": {"type": "text", "analyzer": NGRAM_ANALYZER, "index_options": "freqs"},
    "edge": {
        "type": "text",
        "analyzer": EDGE_ANALYZER,
        "search_analyzer": EDGE_QUERY_ANALYZER,
        "index_options": "freqs",
    },
}
# The sub-fields a row of each language fills. A search looks only at rows of its own language, n-grams serve
# queries with Arabic letters and word beginnings those with Latin ones: an Arabic row's word beginnings and an
# English row's n-grams were analysed and stored for queries that hardly ever reach them (measured in
# docs/benchmarks.md). A row with no language of its own (an image, a document) fills both.
SUBFIELDS_BY_LANGUAGE: dict[str, tuple[str, ...]] | None = {"ar": ("ngram",), "en": ("edge",)}


def subfield(name: str, kind: str) -> str:
    """The document field holding `kind` (`ngram` or `edge`) of the text field `name`."""
    return f"{name}_{kind}"


def row_language(obj: Any) -> str | None:
    locale = getattr(obj, "locale", None) if hasattr(obj, "locale_id") else None
    code = getattr(locale, "language_code", "") or ""
    return code.split("-")[0].lower() or None


class FieldsMappingMixin:
    """The model's own fields only: modelsearch's `_all_text` and `_all_text_boost_*` copies of every search field
    are left out (the query never reads them; they doubled what the engine analyses and stores). Each text field
    has an `ngram` and an `edge` field of its own (`subfield`), filled with the same text according to the row's
    language (`SUBFIELDS_BY_LANGUAGE`); they keep term frequencies, not positions: nothing runs a phrase query on
    them."""

    model: Any

    @functools.cached_property
    def text_fields(self) -> list[str]:
        """The document names of the model's text search fields."""
        named = [(field, self.get_field_mapping(field)) for field in self.model.get_search_fields()]  # type: ignore[attr-defined]
        return [
            name for field, (name, mapping) in named if isinstance(field, SearchField) and mapping.get("type") == "text"
        ]

    def get_mapping(self) -> dict[str, Any]:
        properties = _without_copies(super().get_mapping()["properties"])  # type: ignore[misc]
        for name in self.text_fields:
            properties.update({subfield(name, kind): dict(mapping) for kind, mapping in SUBFIELD_MAPPINGS.items()})
        return {"properties": properties}

    def get_document(self, obj: Any) -> dict[str, Any]:
        document: dict[str, Any] = super().get_document(obj)  # type: ignore[misc]
        language = row_language(obj)
        kinds = (SUBFIELDS_BY_LANGUAGE or {}).get(language or "", tuple(SUBFIELD_MAPPINGS))
        for name in self.text_fields:
            if document.get(name):
                document.update({subfield(name, kind): document[name] for kind in kinds})
        return document


def _without_copies(properties: dict[str, Any]) -> dict[str, Any]:
    kept = {}
    for name, mapping in properties.items():
        if name.startswith("_all_text"):
            continue
        mapping.pop("copy_to", None)
        if "properties" in mapping:
            mapping["properties"] = _without_copies(mapping["properties"])
        kept[name] = mapping
    return kept


class Weighted:
    def __init__(self, field_name: str, boost: float) -> None:
        self.field_name = field_name
        self.boost = boost

    def with_boost(self, kind: str = "", factor: float = 1.0) -> str:
        name = subfield(self.field_name, kind) if kind else self.field_name
        return f"{name}^{round(self.boost * factor, 4)}"


def flat_disjunction(words: list[str], fields: list[Weighted]) -> dict[str, Any]:
    """The score of a `most_fields` match of analysed `words` over `fields` (each field's BM25 sum of the words,
    times its boost, added up), as one disjunction of (field, word) term queries: the engine can then skip a
    document by the best score each term can add, where a disjunction of per-field disjunctions held it to the sum
    of a whole field's (measured in docs/benchmarks.md: the same hits and scores). A word the analysis gives twice
    counts twice, as the match query counts it."""
    counts = Counter(words)
    if not counts:
        return {"match_none": {}}
    terms = [
        {"term": {field.field_name: {"value": word, "boost": round(field.boost * times, 4)}}}
        for field in fields
        for word, times in counts.items()
    ]
    return {"bool": {"should": terms}}


def _subfield_queries(text: str, fields: list[Any], *, short: bool) -> list[dict[str, Any]]:
    """Arabic trigrams at half weight for a query with Arabic letters, word beginnings at a quarter for one
    with Latin letters; over the short fields (`SHORT_FIELDS`) or the others."""
    chosen = [f for f in fields if (SHORT_FIELDS is None or f.field_name in SHORT_FIELDS) == short]
    queries = []
    if _ARABIC.search(text) and chosen:
        ngram_fields = [f.with_boost("ngram", NGRAM_WEIGHT) for f in chosen]
        queries.append({"multi_match": {"query": text, "type": "most_fields", "fields": ngram_fields}})
    if _LATIN.search(text) and chosen:
        edge_fields = [f.with_boost("edge", EDGE_WEIGHT) for f in chosen]
        queries.append({"multi_match": {"query": text, "type": "most_fields", "fields": edge_fields}})
    return queries


class QueryCompilerMixin:
    """Searches the model's own fields (not modelsearch's `_all_text` copies) so sub-fields can be used."""

    query: Any
    remapped_fields: list[Any]
    # The engine's own `tawasul_query` analysis of a text (`ResultsMixin` sets it); without it the fields are
    # scored by a `most_fields` match, the same sum without the flat shape.
    analyse: Callable[[str], list[str]] | None = None

    def _remap_fields(self, fields: Any) -> list[Any]:
        searchable = self.get_searchable_fields()  # type: ignore[attr-defined]
        chosen = [f for f in searchable if not fields or f.field_name in fields]
        mapping = self.mapping  # type: ignore[attr-defined]
        return [Weighted(mapping.get_field_column_name(f), float(f.boost or 1)) for f in chosen]

    def _compile_plaintext_query(self, query: PlainText, fields: list[Any], boost: float = 1.0) -> dict[str, Any]:
        text = query.query_string
        if self.analyse is not None and query.operator == "or":
            should = [flat_disjunction(self.analyse(text), fields)]
        else:  # `and`: every word in one field, which the flat shape cannot say
            match: dict[str, Any] = {"query": text, "type": "most_fields", "analyzer": QUERY_ANALYZER}
            if query.operator != "or":
                match["operator"] = query.operator
            should = [{"multi_match": {**match, "fields": [f.with_boost() for f in fields]}}]
        should += _subfield_queries(text, fields, short=True)
        long_fields = _subfield_queries(text, fields, short=False)
        if not RESCORE_WINDOW:
            should += long_fields
        elif long_fields and self.recall:  # still found, scored by the rescore (or last, below the window)
            should.append({"constant_score": {"filter": {"bool": {"should": long_fields}}, "boost": 0}})
        compiled: dict[str, Any] = {"bool": {"should": should, "minimum_should_match": 1}}
        if boost != 1.0:
            compiled["bool"]["boost"] = boost
        return compiled

    recall = True  # with the zero-weight filter that finds what only the long fields' sub-fields match

    def get_scored_query(self) -> dict[str, Any] | None:
        """The query without the recall filter, when it has one. On a page that fills the rescore window it gives
        the same hits: the filter's documents score 0, below every document the rest matches, so they reach the
        window only when the rest matches fewer than it holds. Most of an Arabic search's time on a large index
        went into that filter (measured in docs/benchmarks.md)."""
        if self.get_rescore() is None:
            return None
        self.recall = False
        try:
            return dict(self.get_query())  # type: ignore[attr-defined]
        finally:
            del self.recall

    def get_rescore(self) -> dict[str, Any] | None:
        """The sub-field (n-gram, word-beginning) queries, scored over the best `RESCORE_WINDOW` hits only and
        added to their score: the same sum as one `bool` of all of them for those hits."""
        if not RESCORE_WINDOW or not isinstance(self.query, PlainText):
            return None
        subqueries = _subfield_queries(self.query.query_string, self.remapped_fields, short=False)
        if not subqueries:
            return None
        rescore_query = {"bool": {"should": subqueries}}
        return {"window_size": RESCORE_WINDOW, "query": {"rescore_query": rescore_query, "score_mode": "total"}}

    def _compile_fuzzy_query(self, query: Any, fields: list[Any]) -> dict[str, Any]:
        return super()._compile_fuzzy_query(query, [_Plain(f) for f in fields])  # type: ignore[misc]

    def _compile_phrase_query(self, query: Any, fields: list[Any]) -> dict[str, Any]:
        return super()._compile_phrase_query(query, [_Plain(f) for f in fields])  # type: ignore[misc]


class _Plain:
    """modelsearch's own field shape, for the query types we leave to it."""

    def __init__(self, field: Weighted) -> None:
        self.field_name = field.field_name
        self.boost = field.boost
        self.field_name_with_boost = field.with_boost()


def _plain_words(query: Any) -> list[str]:
    """The words of a parsed query, whatever its shape (phrases, and/or, boosts); negated parts are left out."""
    if isinstance(query, Not):
        return []
    if hasattr(query, "query_string"):
        return [query.query_string]
    if hasattr(query, "subqueries"):
        return [word for part in query.subqueries for word in _plain_words(part)]
    if hasattr(query, "subquery"):
        return _plain_words(query.subquery)
    return []


def engine_words(backend: Any, index: str, text: str) -> list[str]:
    """`text` analysed by the engine's `tawasul_query` analyzer of `index` (one `_analyze` request, well under a
    millisecond): the words a match query of it would look up."""
    request = {"analyzer": QUERY_ANALYZER, "text": text}
    if backend.use_new_elasticsearch_api:
        response = backend.es.indices.analyze(index=index, **request)
    else:
        response = backend.es.indices.analyze(index=index, body=request)
    return [token["token"] for token in response["tokens"]]


class ResultsMixin:
    """The body every search sends: the fields scored by one flat disjunction of the words the engine's analysis
    gives (`flat_disjunction`), hits not counted past the page (`track_total_hits` off lets the engine skip
    documents that cannot reach the page), and the compiler's rescore, if any. A page that reaches the rescore
    window is asked for without the recall filter first (`get_scored_query`), and again with it only when fewer
    hits than the page holds come back."""

    query_compiler: Any
    _recall_query: dict[str, Any] | None = None

    def _get_es_body(self, for_count: bool = False) -> dict[str, Any]:
        index = self.backend.get_index_for_model(self.query_compiler.queryset.model).name  # type: ignore[attr-defined]
        analyse = functools.cache(functools.partial(engine_words, self.backend, index))  # type: ignore[attr-defined]
        self.query_compiler.analyse = analyse  # once per text: the scored and recall queries share it
        body: dict[str, Any] = super()._get_es_body(for_count)  # type: ignore[misc]
        self._recall_query = None
        if for_count:
            return body
        scrolls = self.stop is None or self.stop - self.start > SCROLL_ABOVE  # type: ignore[attr-defined]
        if scrolls:  # engines refuse both in a scroll, which reads every hit anyway
            return body
        body["track_total_hits"] = False
        rescore = getattr(self.query_compiler, "get_rescore", lambda: None)()
        if rescore is not None and "sort" not in body:  # nor a rescore with a sort
            body["rescore"] = rescore
            scored = self.query_compiler.get_scored_query() if self.stop >= RESCORE_WINDOW else None  # type: ignore[attr-defined]
            if scored is not None:
                self._recall_query, body["query"] = body["query"], scored
        return body

    def _backend_do_search(self, body: dict[str, Any], **kwargs: Any) -> Any:
        response = super()._backend_do_search(body, **kwargs)  # type: ignore[misc]
        recall = self._recall_query
        if recall is not None and body.get("query") is not recall and len(response["hits"]["hits"]) < kwargs["size"]:
            response = super()._backend_do_search({**body, "query": recall}, **kwargs)  # type: ignore[misc]
        return response


class AutocompleteMixin:
    """modelsearch's autocomplete takes plain text only, and Wagtail's admin parses a search such as `"two words"`
    or `it's` into phrases first: the engine then raised NotImplementedError (a 500 in the admin). Autocomplete
    searches the words the query contains instead."""

    query: Any

    def get_inner_query(self) -> Any:
        if not isinstance(self.query, PlainText | MatchAll):
            text = " ".join(_plain_words(self.query)).strip()
            self.query = PlainText(text) if text else MatchAll()
        return super().get_inner_query()  # type: ignore[misc]


def concrete_index_name(alias: str) -> str:
    """A new index behind `alias`: `<alias>_<UTC stamp>_<4 random letters>` (two in one second do not collide)."""
    return f"{alias}_{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{get_random_string(4).lower()}"


class IndexMixin:
    """The site reads and writes an index through an alias of the name modelsearch gives it, from the start: an
    index modelsearch creates (`put`, `reset`) is `concrete_index_name(name)` with the alias `name`, so a rebuild
    (`search.rebuild`) only ever moves an alias and never removes an index a running search is reading.

    modelsearch 1.3.2 asks whether an index exists with a positional argument, which the `elasticsearch` 8 and 9
    clients refuse (TypeError: only keyword arguments); both OpenSearch and Elasticsearch clients take `index=`."""

    def exists(self) -> bool:
        return bool(self.es.indices.exists(index=self.name))  # type: ignore[attr-defined]

    def put(self) -> None:
        # One write index behind the alias: when two processes create the index at once, the engine refuses the
        # second ("more than one write index") instead of putting the alias on two indexes.
        body = {**self.backend.settings, "aliases": {self.name: {"is_write_index": True}}}  # type: ignore[attr-defined]
        concrete = concrete_index_name(self.name)  # type: ignore[attr-defined]
        if self.backend.use_new_elasticsearch_api:  # type: ignore[attr-defined]
            self.es.indices.create(index=concrete, **body)  # type: ignore[attr-defined]
        else:
            self.es.indices.create(index=concrete, body=body)  # type: ignore[attr-defined]

    def delete(self) -> None:
        """Delete the index, or every index behind the alias of this name (engines refuse to delete an alias)."""
        es = self.es  # type: ignore[attr-defined]
        if es.indices.exists_alias(name=self.name):  # type: ignore[attr-defined]
            names = sorted(es.indices.get_alias(name=self.name))  # type: ignore[attr-defined]
        elif es.indices.exists(index=self.name):  # type: ignore[attr-defined]
            names = [self.name]  # type: ignore[attr-defined]
        else:
            return
        es.indices.delete(index=",".join(names))


def tailored_backend(base: Any) -> type:
    """`base` (a modelsearch OpenSearch/Elasticsearch backend) with the index, mapping and query above."""
    mapping = type(f"Tawasul{base.mapping_class.__name__}", (FieldsMappingMixin, base.mapping_class), {})
    compiler = type(
        f"Tawasul{base.query_compiler_class.__name__}",
        (QueryCompilerMixin, base.query_compiler_class),
        {"mapping_class": mapping},
    )
    autocomplete = type(
        f"Tawasul{base.autocomplete_query_compiler_class.__name__}",
        (AutocompleteMixin, base.autocomplete_query_compiler_class),
        {"mapping_class": mapping},
    )
    index = type(f"Tawasul{base.index_class.__name__}", (IndexMixin, base.index_class), {})
    results = type(f"Tawasul{base.results_class.__name__}", (ResultsMixin, base.results_class), {})
    attributes = {
        "results_class": results,
        "index_class": index,
        "mapping_class": mapping,
        "query_compiler_class": compiler,
        "autocomplete_query_compiler_class": autocomplete,
    }
    return type(f"Tawasul{base.__name__}", (base,), attributes)
