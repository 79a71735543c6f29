"""The database backend on PostgreSQL: the bulk path writes the entries modelsearch's own path writes, and the
query served by the RUM index (the GIN index where the extension is missing) finds and ranks what modelsearch's
query finds and ranks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchQueryCompiler,
)
from modelsearch.query import And, Not, Or, Phrase, PlainText
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search import analysis
from search.backends import postgres
from search.backends.database import AnalysedObject
from tests.conftest import services_required
from tests.factories import MessageFactory, locale

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL path of the database backend"),
    pytest.mark.usefixtures("database_search_backend"),
]

TEXTS = [
    ("Solar energy plan", "Solar panels on every school roof"),
    ("Water savings", "Less water for gardens in summer; energy for pumps"),
    ("Public transport", "Buses save energy and time"),
    ("Energy prices", "Energy bills and solar subsidies for households"),
    ("School year", "The school year starts in September"),
]
COLUMNS = ("object_id", "title", "autocomplete", "body", "title_text", "body_text")


@pytest.fixture
def messages() -> list[Message]:
    return [MessageFactory(title=title, key_message=text, locale=locale("en")) for title, text in TEXTS]


def entries() -> list[tuple[Any, ...]]:
    rows = IndexEntry.objects.order_by("object_id").values_list(*COLUMNS)
    return [tuple(str(value) for value in row) for row in rows]


def test_the_bulk_path_writes_the_entries_modelsearchs_add_items_writes(messages: list[Message]) -> None:
    backend = get_search_backend()
    backend.add_bulk(Message, messages)
    ours = entries()
    IndexEntry.objects.all().delete()
    PostgresIndex.add_items(backend.get_index_for_model(Message), Message, [AnalysedObject(m) for m in messages])
    assert ours == entries()
    assert len(ours) == len(messages)


def test_the_bulk_path_analyses_each_field_once(messages: list[Message], monkeypatch: Any) -> None:
    calls: list[str] = []
    original = analysis.analysed_text

    def counting(text: str, language: str) -> str:
        calls.append(text)
        return original(text, language)

    monkeypatch.setattr("search.backends.database.analysed_text", counting)
    get_search_backend().add_bulk(Message, messages[:1])
    fields = [f for f in Message.get_search_fields() if type(f).__name__ == "SearchField"]
    assert len(calls) == len(fields)


def test_a_batch_larger_than_one_statement_is_written_whole(messages: list[Message], monkeypatch: Any) -> None:
    monkeypatch.setattr(postgres, "ROWS_PER_STATEMENT", 2)
    get_search_backend().add_bulk(Message, messages)
    assert sorted(IndexEntry.objects.values_list("object_id", flat=True)) == sorted(str(m.pk) for m in messages)


def test_a_rebuild_sets_title_norms_once_at_its_end_and_ends_as_modelsearchs(messages: list[Message]) -> None:
    backend = get_search_backend()
    index = backend.get_index_for_model(Message)

    def rebuild(rebuilder_class: Any) -> tuple[set[float], list[tuple[str, float]]]:
        IndexEntry.objects.all().delete()
        rebuilder = rebuilder_class(index)
        target = rebuilder.start()
        target.add_items(Message, messages[:2])
        target.add_items(Message, messages[2:])
        during = set(IndexEntry.objects.values_list("title_norm", flat=True))
        rebuilder.finish()
        return during, sorted(IndexEntry.objects.values_list("object_id", "title_norm"))

    during, ours = rebuild(backend.rebuilder_class)
    assert during == {1.0}  # not updated after each chunk
    during, theirs = rebuild(PostgresSearchAtomicRebuilder)
    assert during != {1.0}
    assert ours == theirs


QUERIES = [
    "solar energy",
    "school",
    "nothing-here",
    PlainText("solar energy", operator="and"),
    Phrase("solar panels"),
    Or([PlainText("water"), PlainText("buses")]),
    And([PlainText("energy"), Not(PlainText("solar"))]),
]


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_the_query_finds_and_ranks_what_modelsearchs_query_does(messages: list[Message], query: Any) -> None:
    backend = get_search_backend()
    backend.add_bulk(Message, messages)
    results = backend.search(query, Message.objects.all()).annotate_score("_score")
    ours = [(hit.pk, round(hit._score, 6)) for hit in results]
    compiler = results.query_compiler
    theirs = PostgresSearchQueryCompiler.search(compiler, compiler.get_config(backend), None, None, "_score")
    assert ours == [(hit.pk, round(hit._score, 6)) for hit in theirs]
    if query == "solar energy":
        assert len(ours) == 4


def test_the_query_keeps_the_querysets_own_filters(messages: list[Message]) -> None:
    backend = get_search_backend()
    backend.add_bulk(Message, messages)
    wanted = messages[3]
    found = backend.search("energy", Message.objects.filter(translation_key=wanted.translation_key))
    assert [hit.pk for hit in found] == [wanted.pk]


def plan(queryset: Any, *switched_off: str) -> str:
    """EXPLAIN of `queryset` with the sequential scan (and `switched_off`, e.g. "sort") off: the plan the planner
    picks at full size, where it does not expect a few rows."""
    with connection.cursor() as cursor:
        for setting in ("seqscan", *switched_off):
            cursor.execute(f"SET LOCAL enable_{setting} = off")
        query, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + query, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_text_index_answers_the_querys_filter(messages: list[Message]) -> None:
    """The query filters the entries on `title || body`, the expression migrations search/0002 (GIN) and 0003 (RUM,
    replacing it where PostgreSQL has the extension) index. (With five rows the planner prefers the content type's
    index for the whole query; at full size it picks the text index by itself, docs/benchmarks.md.)"""
    backend = get_search_backend()
    backend.add_bulk(Message, messages)
    sql = str(backend.search("solar energy", Message.objects.all())[:10].get_queryset().query)
    assert re.search(r'\(\w+\."title" \|\| \w+\."body"\) @@', sql), sql
    entries = IndexEntry.objects.annotate(v=postgres._combined()).filter(v=SearchQuery("solar", config="simple"))
    index = postgres.RUM_INDEX if postgres.rum_indexed(connection.alias) else "search_indexentry_text_gin"
    assert re.search(f"(Index Scan using|Bitmap Index Scan on) {index} ", plan(entries)), plan(entries)


def test_the_rum_index_is_there_where_services_are_required() -> None:
    """CI installs PostgreSQL's rum extension (scripts/services); without it the backend would rank every match."""
    if not services_required():
        pytest.skip("TAWASUL_REQUIRE_SERVICES is not set: the RUM index is optional")
    assert postgres.rum_indexed(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_indexentry_text_%'")
        assert [row[0] for row in cursor.fetchall()] == [postgres.RUM_INDEX]


@pytest.fixture
def rum(db: None) -> None:
    if not postgres.rum_indexed(connection.alias):
        pytest.fail("the RUM index is missing") if services_required() else pytest.skip("no rum extension here")


@pytest.mark.usefixtures("rum")
def test_a_page_is_ranked_among_the_entries_nearest_the_query(messages: list[Message]) -> None:
    """With a page size, the RUM index proposes the `NEAREST * stop` nearest entries and `ts_rank` orders them:
    with room for every match, the page is modelsearch's first page."""
    backend = get_search_backend()
    backend.add_bulk(Message, messages)
    results = backend.search("solar energy", Message.objects.all()).annotate_score("_score")[:2]
    sql = str(results.get_queryset().query)
    assert " <=> " in sql, sql
    ours = [(hit.pk, round(hit._score, 6)) for hit in results]
    compiler = results.query_compiler
    theirs = PostgresSearchQueryCompiler.search(compiler, compiler.get_config(backend), 0, 2, "_score")
    assert ours == [(hit.pk, round(hit._score, 6)) for hit in theirs]
    assert len(ours) == 2


@pytest.mark.usefixtures("rum")
def test_only_the_nearest_entries_are_ranked(messages: list[Message], monkeypatch: Any) -> None:
    """With room for one candidate a result, a page of two holds the two entries nearest the query, whatever
    `ts_rank` thinks of the others: the RUM ordering really limits what is ranked."""
    monkeypatch.setattr(postgres, "NEAREST", 1)
    backend = get_search_backend()
    backend.add_bulk(Message, messages)
    results = backend.search("energy", Message.objects.all())
    compiler = results.query_compiler
    tsquery = compiler.build_tsquery(compiler.query, config=compiler.get_config(backend))
    nearness = (
        IndexEntry.objects.annotate(v=postgres._combined())
        .filter(v=tsquery)
        .annotate(d=postgres.Nearness(postgres._combined(), tsquery))
        .order_by("d")
    )
    distances = list(nearness.values_list("object_id", "d"))
    assert len(distances) == 4  # four of the five messages mention energy
    assert distances[1][1] < distances[2][1], distances  # no tie at the cut
    assert {str(hit.pk) for hit in results[:2]} == {key for key, _ in distances[:2]}
    assert "Index Scan using " + postgres.RUM_INDEX in plan(nearness[:2], "sort", "bitmapscan")
