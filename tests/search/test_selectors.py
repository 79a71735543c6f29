"""The search selectors: the engine's order and scores, re-filtered through visibility, with rows built only
for the hits shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from messaging.selectors import visible_messages_for
from search import selectors
from search.queries import query_parse
from tests.factories import InstitutionFactory, MessageFactory, locale
from tests.messaging.api_helpers import client_for, issue_key
from tests.search.conftest import index_refresh

pytestmark = pytest.mark.django_db

# Texts that mention the searched word more or less often, so the engine gives them different scores.
TEXTS = [
    ("الطاقة", "الطاقة المتجددة والطاقة الشمسية وطاقة الرياح"),
    ("خطة الطاقة", "الطاقة النظيفة للمدن"),
    ("المياه", "ترشيد استهلاك الطاقة في المنازل"),
    ("الطاقة الشمسية", "محطات الطاقة الشمسية"),
    ("النقل", "النقل العام يوفر الطاقة"),
    ("التعليم", "مدارس تعمل بالطاقة المتجددة"),
]


def energy_messages(publish: Any, count: int = len(TEXTS), **kwargs: Any) -> list[Message]:
    return [publish(title=title, key_message=text, **kwargs) for title, text in TEXTS[:count]]


def reference(institution: Any, text: str, limit: int) -> list[tuple[int, float]]:
    """The ranking as the selector computed it before it stopped building a row per candidate: modelsearch's
    own results (each hit a full row with its score), re-filtered through visibility."""
    candidates = Message.objects.filter(locale=locale("ar"), live=True)
    found = get_search_backend().search(text, candidates, operator="or").annotate_score("_score")[:100]
    scores = {hit.pk: selectors._score(hit) for hit in found}
    allowed = set(visible_messages_for(institution).filter(pk__in=list(scores)).values_list("pk", flat=True))
    return [(pk, scores[pk]) for pk in scores if pk in allowed][:limit]


@pytest.fixture
def full_rows() -> Iterator[list[int]]:
    """Primary keys of the `Message` instances built with every column (the StreamField decoded)."""
    built: list[int] = []

    def count(sender: Any, instance: Message, **kwargs: Any) -> None:
        if not instance.get_deferred_fields():
            built.append(instance.pk)

    post_init.connect(count, sender=Message, weak=False)
    yield built
    post_init.disconnect(count, sender=Message)


def test_engine_scores_are_modelsearchs_own_results(publish: Any) -> None:
    energy_messages(publish)
    candidates = Message.objects.filter(locale=locale("ar"), live=True)
    found = get_search_backend().search("الطاقة", candidates, operator="or").annotate_score("_score")[:100]
    expected = [(hit.pk, selectors._score(hit)) for hit in found]
    assert len(expected) == len(TEXTS)
    assert list(selectors._engine_scores(candidates, "الطاقة").items()) == expected


def test_hits_keep_the_engines_order_and_scores(publish: Any) -> None:
    institution = InstitutionFactory()
    messages = energy_messages(publish)
    # One restricted to another institution and one expired after indexing (a stale index): both dropped,
    # and the ranks of the others close up.
    Message.objects.filter(pk=messages[1].pk).update(audience_all=False)
    Message.objects.filter(pk=messages[3].pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    query = query_parse("الطاقة", "ar")

    for limit in (2, 3, 20):
        hits = selectors.message_search(institution=institution, query=query, limit=limit)
        expected = reference(institution, "الطاقة", limit)
        assert [(hit.row.pk, hit.score) for hit in hits] == expected
        assert [hit.rank for hit in hits] == list(range(1, len(expected) + 1))
    hits = selectors.message_search(institution=institution, query=query)
    assert len(hits) == len(TEXTS) - 2
    assert {messages[1].pk, messages[3].pk}.isdisjoint(hit.row.pk for hit in hits)
    assert len({hit.score for hit in hits}) > 1  # the order comes from differing scores, not a tie-break


def values(rows: Any) -> Any:
    """A loader of plain dicts, as the search API's (document rows) is."""
    return rows.values("pk", "translation_key")


def test_hits_may_be_loaded_as_dicts(publish: Any) -> None:
    institution = InstitutionFactory()
    energy_messages(publish)
    query = query_parse("الطاقة", "ar")
    hits = selectors.message_search(institution=institution, query=query, limit=4)
    dicts = selectors.message_search(institution=institution, query=query, limit=4, load=values)
    assert [(h.row["pk"], h.score, h.rank) for h in dicts] == [(h.row.pk, h.score, h.rank) for h in hits]
    assert [h.row["translation_key"] for h in dicts] == [h.row.translation_key for h in hits]


def test_only_the_rows_shown_are_built(publish: Any, full_rows: list[int]) -> None:
    institution = InstitutionFactory()
    energy_messages(publish)
    query = query_parse("الطاقة", "ar")
    full_rows.clear()
    hits = selectors.message_search(institution=institution, query=query, limit=2)
    assert len(hits) == 2
    assert sorted(full_rows) == sorted(hit.row.pk for hit in hits)  # not one per candidate (6 match)

    full_rows.clear()
    assert len(selectors.message_search(institution=institution, query=query, limit=2, load=values)) == 2
    assert full_rows == []  # the engine's candidates are keys and scores, never rows


def test_the_search_api_builds_no_message_instance(publish: Any, full_rows: list[int]) -> None:
    energy_messages(publish)
    client = client_for(issue_key(InstitutionFactory()))
    full_rows.clear()
    body = client.get("/api/v1/search/", {"q": "الطاقة", "locale": "ar", "limit": "3"}).json()
    assert [r["rank"] for r in body["results"]] == [1, 2, 3]
    assert full_rows == []  # documents come from column rows of the three shown


def test_the_loader_is_given_only_the_rows_shown(publish: Any, monkeypatch: Any) -> None:
    energy_messages(publish)
    loaded: list[int] = []
    original = selectors._ranked

    def ranked(model: Any, visible: Any, query: Any, limit: int, load: Any, *args: Any) -> Any:
        def recording(rows: Any) -> Any:
            result = list(load(rows))
            loaded.extend(selectors._pk(row) for row in result)
            return result

        return original(model, visible, query, limit, recording, *args)

    monkeypatch.setattr(selectors, "_ranked", ranked)
    hits = selectors.message_search(institution=InstitutionFactory(), query=query_parse("الطاقة", "ar"), limit=3)
    assert sorted(loaded) == sorted(hit.row.pk for hit in hits)
    assert len(loaded) == 3


def test_search_api_queries_do_not_grow_with_the_number_of_hits(publish: Any) -> None:
    energy_messages(publish)
    publish(title="زراعة", key_message="زراعة النخيل")
    client = client_for(issue_key(InstitutionFactory()))
    client.get("/api/v1/search/", {"q": "الرياح", "locale": "ar"})  # the key is verified once, then known

    def queries(text: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/search/", {"q": text, "locale": "ar"}).json()
        return body["count"], len(captured)

    few, queries_for_few = queries("زراعة")
    many, queries_for_many = queries("الطاقة")
    assert 0 < few < many
    assert queries_for_many == queries_for_few


def test_the_search_backend_is_reused_until_its_configuration_changes(settings: Any) -> None:
    backend = selectors.search_backend()
    assert selectors.search_backend() is backend
    config = {name: dict(entry) for name, entry in settings.WAGTAILSEARCH_BACKENDS.items()}
    config["default"]["ATOMIC_REBUILD"] = not config["default"].get("ATOMIC_REBUILD", True)  # inert when searching
    settings.WAGTAILSEARCH_BACKENDS = config
    assert selectors.search_backend() is not backend


def test_a_candidate_missing_from_the_database_is_dropped(publish: Any) -> None:
    institution = InstitutionFactory()
    kept, moved = energy_messages(publish, count=2)
    # The index still files `moved` under Arabic; the database no longer does.
    Message.objects.filter(pk=moved.pk).update(locale=locale("en"))
    index_refresh()
    hits = selectors.message_search(institution=institution, query=query_parse("الطاقة", "ar"))
    assert [hit.row.pk for hit in hits] == [kept.pk]


def test_candidates_are_filtered_and_ordered_by_the_engines_rank() -> None:
    first, second, third, _ = (MessageFactory() for _ in range(4))
    keys = [third.pk, first.pk, 10**9, second.pk]  # the engine's order; one key the database no longer has
    rows = Message.objects.filter(selectors.AmongKeys(keys)).order_by(selectors.RankAmong(keys))
    assert [row.pk for row in rows] == [third.pk, first.pk, second.pk]


def test_the_ranking_query_does_not_change_with_the_number_of_candidates() -> None:
    def sql(keys: list[int]) -> str:
        rows = Message.objects.filter(selectors.AmongKeys(keys)).order_by(selectors.RankAmong(keys))
        with CaptureQueriesContext(connection) as captured:
            list(rows)
        return str(captured[0]["sql"]).replace(",".join(map(str, keys)), "KEYS")

    if connection.vendor != "postgresql":
        pytest.skip("one array parameter is PostgreSQL's form; elsewhere the keys are listed")
    assert sql([1, 2]) == sql([3, 4, 5, 6])


def test_the_search_apis_documents_are_the_hits_of_message_search(publish: Any) -> None:
    institution, other = InstitutionFactory(), InstitutionFactory()
    messages = energy_messages(publish)
    Message.objects.filter(pk=messages[1].pk).update(audience_all=False)
    Message.audience.through.objects.create(message=messages[1], institution=other)
    Message.objects.filter(pk=messages[3].pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    query = query_parse("الطاقة", "ar")
    for caller in (institution, other):
        for limit in (1, 3, 20):
            hits = selectors.message_search(institution=caller, query=query, limit=limit)
            documents = selectors.message_document_search(institution_id=caller.pk, query=query, limit=limit)
            assert [(h.row["pk"], h.score, h.rank) for h in documents] == [(h.row.pk, h.score, h.rank) for h in hits]
    assert messages[1].pk in {
        h.row["pk"] for h in selectors.message_document_search(institution_id=other.pk, query=query)
    }
    # PostgreSQL runs the query compiled once; elsewhere the keys shape the SQL text and it is built each time.
    assert (selectors._document_search_compiled(20) is not None) == (connection.vendor == "postgresql")
