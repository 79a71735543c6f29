"""Search reads. The engine only proposes candidates; what a caller sees is always re-filtered through the
visibility selectors, so a stale index can never show a withdrawn, expired or restricted message.

A search costs, whatever the engine: a locale lookup (unless the caller knows the id), the engine request for
up to `CANDIDATES` (primary key, score) pairs, and one query that re-filters them through the visibility rule,
orders the survivors by the engine's rank and loads the first `limit` of them. No row is built for a candidate
that is not shown, and the candidates travel as one array parameter on PostgreSQL: building up to 100 `Message`
instances (modelsearch's hydration of every hit), then a second query to re-filter them, used to be most of a
search request's time.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, IntegerField, Model, QuerySet
from django.utils import timezone
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchResults
from modelsearch.conf import get_app_config
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from campaigns.models import CampaignPage
from hub.compiled_queries import CompiledQuery, NotCompilable, Slot
from messaging.api.documents import document_rows, with_document_relations
from messaging.models import Message
from messaging.selectors import InstitutionRef, public_messages, visible_messages_for
from search.analysis import analyse_query
from search.queries import SearchQuery

CANDIDATES = 100  # one engine page (modelsearch scrolls beyond 100)
DEFAULT_LIMIT = 20

Loader = Callable[[QuerySet[Any]], Iterable[Any]]


class SearchUnavailable(RuntimeError):
    """The engine did not answer (down, timed out): the caller should say so, not show an empty result."""


@dataclass(frozen=True)
class Hit:
    row: Any
    score: float
    rank: int


def message_search(
    *,
    institution: InstitutionRef,
    query: SearchQuery,
    limit: int = DEFAULT_LIMIT,
    load: Loader = with_document_relations,
) -> list[Hit]:
    """Messages in the query's language visible to an institution, best first. `load` builds the rows shown
    from the ranked queryset of them, keeping its order (by default model instances with the relations a
    document needs). The search API uses `message_document_search`."""
    return _ranked(Message, visible_messages_for(institution), query, limit, load)


def public_message_search(*, query: SearchQuery, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    return _ranked(Message, public_messages(), query, limit, lambda rows: rows.select_related("locale", "topic"))


def public_campaign_search(*, query: SearchQuery, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    return _ranked(CampaignPage, CampaignPage.objects.live().public(), query, limit, lambda rows: rows)


def message_document_search(
    *, institution_id: int, query: SearchQuery, limit: int = DEFAULT_LIMIT, locale_id: int | None = None
) -> list[Hit]:
    """`message_search` for the search API: the hits shown as document rows (`document_rows`). On PostgreSQL
    their query is compiled once per process and limit (`hub.compiled_queries`); building and compiling it
    took longer than running it."""
    candidates_in = _candidates(Message, query, locale_id)
    if candidates_in is None:
        return []
    locale_id, scores = candidates_in
    compiled = _document_search_compiled(limit)
    if compiled is None:  # a database without arrays: the candidates shape the SQL text
        visible = visible_messages_for(institution_id)
        shown = _shown(Message, visible, _conditions(Message, locale_id), list(scores), limit)
        rows: Iterable[Any] = document_rows(shown)
    else:
        rows = compiled.rows(institution=institution_id, at=timezone.now(), locale=locale_id, keys=list(scores))
    return [Hit(row=row, score=scores[row["pk"]], rank=i) for i, row in enumerate(rows, start=1)]


# Sentinels the compiled document search is built with; each stands for one value given at every run. They are
# valid values of their columns: Django leaves out a comparison with a value no column value could have.
_INSTITUTION = 2_073_100_001
_LOCALE = 2_073_100_002
_AT = datetime(1971, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


@functools.lru_cache(maxsize=64)
def _document_search_compiled(limit: int) -> CompiledQuery | None:
    keys: list[Any] = []
    visible = visible_messages_for(_INSTITUTION, at=_AT)
    shown = document_rows(_shown(Message, visible, _conditions(Message, _LOCALE), keys, limit))
    at = Slot.for_field(_AT, Message._meta.get_field("go_live_at"), connection)
    try:
        return CompiledQuery(shown, {"institution": Slot(_INSTITUTION), "at": at, "locale": Slot(_LOCALE),
                                     "keys": Slot(keys)})  # fmt: skip
    except NotCompilable:
        return None


def _ranked(model: type[Model], visible: QuerySet[Any], query: SearchQuery, limit: int, load: Loader) -> list[Hit]:
    candidates_in = _candidates(model, query, None)
    if candidates_in is None:
        return []
    locale_id, scores = candidates_in
    shown = _shown(model, visible, _conditions(model, locale_id), list(scores), limit)
    return [Hit(row=row, score=scores[_pk(row)], rank=i) for i, row in enumerate(load(shown), start=1)]


def _candidates(model: type[Model], query: SearchQuery, locale_id: int | None) -> tuple[int, dict[Any, float]] | None:
    """The query's locale id and the engine's candidates in it, best first; None when there is nothing to
    look for or nothing was found."""
    if locale_id is None:
        locale_id = Locale.objects.filter(language_code=query.language).values_list("pk", flat=True).first()
    if locale_id is None or not analyse_query(query.text, query.language):
        return None
    scores = _engine_scores(model._default_manager.filter(**_conditions(model, locale_id)), query.text)
    return (locale_id, scores) if scores else None


def _conditions(model: type[Model], locale_id: int) -> dict[str, Any]:
    """What the engine may propose. The ranking query applies the same conditions from the database, so a
    hit the index holds but the database no longer does (deleted, unpublished, moved) is dropped."""
    return {"locale_id": locale_id, "live": True} if model is Message else {"locale_id": locale_id}


def _shown(
    model: type[Model], visible: QuerySet[Any], conditions: dict[str, Any], keys: list[Any], limit: int
) -> QuerySet[Any]:
    """The first `limit` of `keys` (the engine's candidates, best first) that pass the visibility rule, in that
    order. Ranking inside a subquery keeps the outer query's columns (the message house) to the rows shown."""
    ranked = visible.filter(AmongKeys(keys), **conditions).order_by(RankAmong(keys))
    return model._default_manager.filter(pk__in=ranked.values("pk")[:limit]).order_by(RankAmong(keys))


class _Keys(Expression):
    """An expression over the primary key and a list of keys, sent as one array parameter on PostgreSQL: the
    SQL text then does not change with the number of candidates, and psycopg adapts one list instead of
    quoting a hundred parameters."""

    def __init__(self, keys: list[Any]) -> None:
        super().__init__()
        self.keys = keys
        self.column: Any = F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs


class AmongKeys(_Keys):
    """`pk IN (keys)`; `pk = ANY(%s)` on PostgreSQL."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        column, params = compiler.compile(self.column)
        return f"{column} IN ({', '.join(['%s'] * len(self.keys))})", [*params, *self.keys]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        column, params = compiler.compile(self.column)
        return f"{column} = ANY(%s::{_array_type(self.column, connection)})", [*params, self.keys]


class RankAmong(_Keys):
    """A row's position among `keys` (from 0 or 1: only the order counts), to order by the engine's rank."""

    output_field = IntegerField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        column, params = compiler.compile(self.column)
        whens = " ".join(["WHEN %s THEN %s"] * len(self.keys))
        ranks = [value for pair in zip(self.keys, range(len(self.keys)), strict=True) for value in pair]
        return f"CASE {column} {whens} END", [*params, *ranks]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        column, params = compiler.compile(self.column)
        return f"array_position(%s::{_array_type(self.column, connection)}, {column})", [self.keys, *params]


def _array_type(column: Any, connection: Any) -> str:
    return f"{column.output_field.cast_db_type(connection)}[]"


_backend: tuple[int, dict[str, Any], Any] | None = None


def search_backend() -> Any:
    """The default search backend, built once per process and configuration rather than per call
    (`get_search_backend` builds a new engine client, hence a new connection, each time). A configuration
    change (a test's `override_settings`) or a fork builds a new one. Backends keep no per-search state, and
    engine clients are thread-safe."""
    global _backend
    config = get_app_config().get_search_backend_config()
    cached = _backend
    if cached is not None and cached[0] == os.getpid() and cached[1] == config:
        return cached[2]
    backend = get_search_backend()
    _backend = (os.getpid(), copy.deepcopy(config), backend)
    return backend


def _engine_scores(candidates: QuerySet[Any], text: str) -> dict[Any, float]:
    """The engine's best `CANDIDATES` as {primary key: score}, best first, without building their rows."""
    results = search_backend().search(text, candidates.only("pk"), operator="or")
    results = results.annotate_score("_score")[:CANDIDATES]
    try:
        if isinstance(results, ElasticsearchBaseSearchResults):
            return _engine_hits(results, candidates.model)
        # The database backends rank inside one SQL query; `only("pk")` keeps its rows to a key and a score.
        return {hit.pk: _score(hit) for hit in results}
    except Exception as error:
        if _missing_index(error):
            return {}  # nothing indexed yet
        raise SearchUnavailable(str(error)) from error


def _engine_hits(results: Any, model: type[Model]) -> dict[Any, float]:
    """OpenSearch/Elasticsearch: the request modelsearch's `_do_search` sends for one page (same body, same
    parameters: `_source` off, the stored `pk` field only), read as (pk, score) pairs. modelsearch would then
    load every hit from the database (`_get_results_from_hits`) only for us to discard most of them. This uses
    modelsearch's results internals (`_get_es_body`, `_backend_do_search`, pinned in requirements.lock);
    `tests/search/test_selectors.py` checks it against modelsearch's own results on every engine run."""
    start, stop = results.start, results.stop
    response = results._backend_do_search(
        results._get_es_body(),
        index=results.backend.get_index_for_model(model).name,
        _source=False,
        **{results.fields_param_name: "pk"},
        from_=start,
        size=stop - start,
    )
    to_python = model._meta.pk.to_python  # type: ignore[union-attr]
    scores: dict[Any, float] = {}
    for hit in response["hits"]["hits"]:
        scores.setdefault(to_python(hit["fields"]["pk"][0]), _score_value(hit.get("_score")))
    return scores


def _pk(row: Any) -> Any:
    return row["pk"] if isinstance(row, dict) else row.pk


def _score(hit: Any) -> float:
    return _score_value(getattr(hit, "_score", 0.0))


def _score_value(value: Any) -> float:
    # SQLite FTS5's bm25() is negative (more negative is better); present every engine's score as higher-is-better.
    number = float(value or 0.0)
    return -number if number < 0 else number


def _missing_index(error: Exception) -> bool:
    status = getattr(error, "status_code", None) or getattr(getattr(error, "meta", None), "status", None)
    return status == 404
