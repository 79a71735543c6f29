"""Compiled querysets: the same rows as the queryset, with each run's values in place of the sentinels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

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
    at = Slot.for_field(SENTINEL_AT, Message._meta.get_field("updated_at"), connection)
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
    at = Slot.for_field(SENTINEL_AT, Message._meta.get_field("updated_at"), connection)
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


def test_a_fields_slot_takes_its_values_as_the_field_prepares_them() -> None:
    """`Slot.for_field`: a UUID as the driver takes it, a timestamp given as text parsed as Django would."""
    first, second = MessageFactory(), MessageFactory()
    sentinel_key = UUID("7a5e0000-0000-4000-8000-0000000f1e1d")
    slots = {
        "key": Slot.for_field(sentinel_key, Message._meta.get_field("translation_key"), connection),
        "at": Slot.for_field(SENTINEL_AT, Message._meta.get_field("updated_at"), connection),
    }
    query = Message.objects.filter(translation_key=sentinel_key, updated_at__lte=SENTINEL_AT).values("pk")
    compiled = CompiledQuery(query, slots)
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert compiled.rows(key=second.translation_key, at=later) == [{"pk": second.pk}]
    assert compiled.rows(key=str(first.translation_key), at=datetime.now(UTC) + timedelta(minutes=1)) == [
        {"pk": first.pk}
    ]
    assert compiled.rows(key=first.translation_key, at="1970-01-01T00:00:00+00:00") == []


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
