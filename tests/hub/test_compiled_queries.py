"""Compiled querysets: the same rows as the queryset, with each run's values in place of the sentinels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat

from hub.compiled_queries import CompiledQuery, NotCompilable, Slot
from messaging.models import Message
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

SENTINEL_VERSION = 990_001  # a valid version: Django drops a condition no row could fail
SENTINEL_AT = datetime(1971, 1, 1, 1, 1, 1, 101010, tzinfo=UTC)


def messages_from(version: int, at: datetime) -> Any:
    return (
        Message.objects.filter(version__gte=version, updated_at__lte=at)
        .order_by("pk")
        .values("pk", "version", "translation_key", "updated_at", label=Concat("title", Value("!")))
    )


def test_runs_give_the_querysets_own_rows_for_each_value() -> None:
    for version in (1, 2, 3):
        MessageFactory(version=version)
    at = Slot(SENTINEL_AT, adapt=connection.ops.adapt_datetimefield_value)
    compiled = CompiledQuery(
        messages_from(SENTINEL_VERSION, SENTINEL_AT), {"version": Slot(SENTINEL_VERSION), "at": at}
    )
    now = datetime.now(UTC)
    for version, moment in [(1, now), (2, now), (3, now), (4, now), (1, now - timedelta(days=1))]:
        assert compiled.rows(version=version, at=moment) == list(messages_from(version, moment))
    assert [row["version"] for row in compiled.rows(version=2, at=now)] == [2, 3]


def test_json_columns_and_every_other_type_come_back_as_the_queryset_gives_them() -> None:
    """On PostgreSQL runs read binary results except for JSON, which Django parses from text itself."""
    MessageFactory.create_published(version=2)
    at = Slot(SENTINEL_AT, adapt=connection.ops.adapt_datetimefield_value)
    columns = ("pk", "translation_key", "updated_at", "due_date", "is_public", "body", "api_body", "locale_id")
    query = Message.objects.filter(updated_at__lte=SENTINEL_AT).order_by("pk").values(*columns)
    compiled = CompiledQuery(query, {"at": at})
    now = datetime.now(UTC)
    rows = compiled.rows(at=now)
    assert rows == list(Message.objects.filter(updated_at__lte=now).order_by("pk").values(*columns))
    assert rows and isinstance(rows[0]["body"], type(Message.objects.values_list("body", flat=True).first()))
    assert compiled._binary is False and CompiledQuery(query.values("pk", "updated_at"), {"at": at})._binary is (
        connection.vendor == "postgresql"
    )


def test_a_sentinel_the_query_does_not_use_is_refused() -> None:
    with pytest.raises(NotCompilable, match="version"):
        CompiledQuery(Message.objects.values("pk"), {"version": Slot(SENTINEL_VERSION)})


def test_only_values_querysets_compile() -> None:
    with pytest.raises(NotCompilable):
        CompiledQuery(Message.objects.filter(version=SENTINEL_VERSION), {"version": Slot(SENTINEL_VERSION)})


def test_every_value_is_asked_for() -> None:
    compiled = CompiledQuery(
        Message.objects.filter(version=SENTINEL_VERSION).values("pk"), {"version": Slot(SENTINEL_VERSION)}
    )
    with pytest.raises(TypeError):
        compiled.rows()
    with pytest.raises(TypeError):
        compiled.rows(version=1, other=2)


def test_a_list_is_one_parameter_only_where_arrays_are() -> None:
    from search.selectors import AmongKeys

    first, second = MessageFactory(), MessageFactory()
    keys: list[int] = []
    rows = Message.objects.filter(AmongKeys(keys)).order_by("pk").values("pk")
    if connection.vendor != "postgresql":
        with pytest.raises(NotCompilable):
            CompiledQuery(rows, {"keys": Slot(keys)})
        return
    compiled = CompiledQuery(rows, {"keys": Slot(keys)})
    assert compiled.rows(keys=[second.pk]) == [{"pk": second.pk}]
    assert compiled.rows(keys=[first.pk, second.pk, 10**9]) == [{"pk": first.pk}, {"pk": second.pk}]
