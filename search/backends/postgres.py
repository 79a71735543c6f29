"""The database backend on PostgreSQL: a bulk path for index entries and a query the GIN index answers.

Indexing. modelsearch's `PostgresIndex.add_items` reads every search field of an object five times (once each for
the title, body and autocomplete vectors and the two plain texts), which with our Python analysis
(`search.analysis`) meant analysing each text five times; and it builds each row's vectors as Django expressions
(`SearchVector`), whose resolving and compiling cost more than the database's insert. `EntryIndexer` reads each
field once and writes the same vectors as SQL text (`setweight(to_tsvector(config, text), weight)`, joined with
`||`); `entries_add` sends them in one multi-row `INSERT … ON CONFLICT` per slice, the statement modelsearch sends.

Searching. modelsearch filters on `(title || body) @@ query` through its generic relation, whose join casts every
message id to text: a sequential scan of both tables. `matched` keeps that filter (the same rows for every query
shape) but runs it on the index entries alone, where the GIN index over `(title || body)` (migration
`search/0002`) answers it; the rows found are joined to the searched queryset by their key cast to the primary
key's type, and ranked by modelsearch's own `ts_rank` expression on the matched rows only. Where the RUM index of
`search/0003` replaces the GIN index, ranking every match (tens of thousands for a question of several words at
full size) is what cost the time: the RUM index gives the `NEAREST * stop` entries nearest the query (`<=>`, from
its posting lists, without reading the table), and only those are ranked by modelsearch's expression.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import CharField, F, FloatField, Func, OuterRef, QuerySet, Subquery
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import IndexEntry, ObjectIndexer
from modelsearch.backends.database.postgres.weights import WEIGHTS
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

RUM_INDEX = "search_indexentry_text_rum"  # migration search/0003
# With the RUM index, the first `stop` results are ranked among the `NEAREST * stop` entries nearest the query. RUM's
# distance weighs the same lexemes, positions and weights as `ts_rank`, a little differently; bench.database_query
# measures how often the first results differ from ranking every match (docs/benchmarks.md).
NEAREST = 10

# PostgreSQL takes at most 65,535 parameters a statement; a Message row sends 16.
ROWS_PER_STATEMENT = 500

INSERT = f"""
    INSERT INTO {IndexEntry._meta.db_table}
        (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
    VALUES {{rows}}
    ON CONFLICT (content_type_id, object_id)
    DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete,
                  body = EXCLUDED.body, title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
"""  # noqa: S608 - the table name is the model's, the values are parameters


class Vector(NamedTuple):
    sql: str
    params: list[Any]


class EntryIndexer(ObjectIndexer):
    """modelsearch's indexer with each field's value read once, and the vectors as SQL text."""

    def __init__(self, obj: Any, backend: Any) -> None:
        super().__init__(obj, backend)
        # (object, field, values) by (id(object), id(field)); the object is kept so its id is not reused.
        self._prepared: dict[tuple[int, int], tuple[Any, Any, list[Any]]] = {}

    def prepare_field(self, obj: Any, field: Any) -> Iterator[Any]:
        key = (id(obj), id(field))
        if key not in self._prepared:
            self._prepared[key] = (obj, field, list(super().prepare_field(obj, field)))
        return iter(self._prepared[key][2])

    def as_vector(self, texts: list[tuple[str, str]], for_autocomplete: bool = False) -> Vector:  # type: ignore[override]
        kept = [(text.strip(), weight) for text, weight in texts if text.strip()]
        if not kept:
            return Vector("''::tsvector", [])
        config = self.autocomplete_config if for_autocomplete else self.config
        parts, params = [], []
        for text, weight in kept:
            if weight not in WEIGHTS:
                raise ValueError(f"Unknown tsvector weight {weight!r}")
            if config:
                parts.append(f"setweight(to_tsvector(%s::regconfig, %s), '{weight}')")
                params += [config, text]
            else:
                parts.append(f"setweight(to_tsvector(%s), '{weight}')")
                params.append(text)
        return Vector(" || ".join(parts), params)


def entries_add(index: Any, model: type[Any], objs: list[Any]) -> None:
    """Index `objs` (instances of `model`, already wrapped for analysis) as modelsearch's `add_items` does."""
    if not model.get_search_fields() or not objs:
        return
    content_type_pk = get_content_type_pk(model)
    for start in range(0, len(objs), ROWS_PER_STATEMENT):
        rows, params = [], []
        for obj in objs[start : start + ROWS_PER_STATEMENT]:
            indexer = EntryIndexer(obj, index.backend)
            title, autocomplete, body = indexer.title, indexer.autocomplete, indexer.body
            rows.append(f"(%s, %s, {title.sql}, {autocomplete.sql}, {body.sql}, 1.0, %s, %s)")
            params += [content_type_pk, indexer.id, *title.params, *autocomplete.params, *body.params,
                       indexer.title_text, indexer.body_text]  # fmt: skip
        with index.write_connection.cursor() as cursor:
            cursor.execute(INSERT.format(rows=", ".join(rows)), params)
    if not getattr(index, "title_norms_deferred", False):
        index._refresh_title_norms()


def deferring_title_norms(rebuilder_class: type[Any]) -> type[Any]:
    """`rebuilder_class` whose index leaves `title_norm` to the rebuild's end. After each `add_items` modelsearch sets
    the new rows' `title_norm` from the average title length of the whole table: two scans of the table and a second
    write of the rows, for every chunk. A rebuild sets every row's `title_norm` again when it finishes (its
    `finish`), so during one the per-chunk update only costs time; the rows end the same."""

    class DeferringTitleNorms(rebuilder_class):  # type: ignore[misc, valid-type]
        def start(self) -> Any:
            index = super().start()
            index.title_norms_deferred = True
            return index

        def finish(self) -> None:
            self.index.title_norms_deferred = False
            super().finish()

    return DeferringTitleNorms


def answers_from_entries(compiler: Any) -> bool:
    """Queries `matched` serves: full-text ones over the whole index entry (not `fields=`, fuzzy or match-all)."""
    query = compiler.query
    if compiler.fields is not None or isinstance(query, MatchAll | Fuzzy):
        return False
    return not (isinstance(query, Not) and isinstance(query.subquery, MatchAll))


def matched(
    compiler: Any, config: Any, start: int, stop: int | None, score_field: str | None = None, backend: Any = None
) -> QuerySet[Any]:
    """The compiler's queryset restricted to the rows whose index entry matches, ranked as modelsearch ranks them
    (`ts_rank` of title and body with its weights, the title's scaled by `title_norm`), best first, then `-pk`.

    The rank is computed once for each matching entry of a row of the queryset, in the scan that finds them; only
    the first `stop` of them are joined back to the queryset, where each one's rank is looked up again."""
    queryset = compiler.queryset
    model = queryset.model
    rank = compiler._build_rank_expression([(F("title"), F("title_norm")), (F("body"), 1.0)], config)
    ranked = IndexEntry._default_manager.filter(content_type_id__in=get_descendants_content_types_pks(model)).annotate(
        entry_key=Cast("object_id", output_field=model._meta.pk), entry_rank=rank
    )
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    found = ranked.annotate(_vector_=_combined()).filter(_vector_=tsquery).filter(entry_key__in=queryset.values("pk"))
    if compiler.order_by_relevance and stop is not None:
        if rum_indexed(queryset.db):
            nearest = found.annotate(_nearness_=Nearness(_combined(), tsquery)).order_by("_nearness_")
            found = ranked.filter(pk__in=nearest.values("pk")[: NEAREST * stop])
        found = found.order_by("-entry_rank", "-entry_key")[:stop]
    ranks = ranked.filter(object_id=Cast(OuterRef("pk"), output_field=CharField())).values("entry_rank")[:1]
    queryset = queryset.filter(pk__in=found.values("entry_key")).annotate(_rank_=Subquery(ranks))
    return compiler._apply_ordering_and_scoring(queryset, F("_rank_"), start, stop, score_field)


class Nearness(Func):
    """RUM's distance between an entry's `title || body` and a query (`<=>`): smaller is nearer."""

    arg_joiner = " <=> "
    template = "(%(expressions)s)"
    output_field = FloatField()


_rum_indexed: dict[tuple[str, str], bool] = {}


def rum_indexed(alias: str) -> bool:
    """Whether the database behind `alias` holds the RUM index of migration `search/0003` (looked up once per
    database and process)."""
    connection = connections[alias]
    key = (alias, str(connection.settings_dict["NAME"]))
    if key not in _rum_indexed:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
            _rum_indexed[key] = cursor.fetchone() is not None
    return _rum_indexed[key]


def _combined() -> Any:
    """`title || body`: the expression modelsearch filters on, and the one the GIN index of `search/0002` holds."""
    return CombinedExpression(F("title"), "||", F("body"))
