"""The messages list's page query, compiled once per shape.

`anchor_rows` is the one definition of what the list shows: the document rows (`document_rows`) of the messages
visible to an institution, in one language, narrowed by the list's filters. Building and compiling that queryset
cost Django more than PostgreSQL takes to run it (docs/benchmarks.md), so `MessagePage` hands DRF's cursor
pagination something that behaves like the queryset for what the pagination does with it (`order_by`, one
`filter` on the cursor's position, one slice) and runs the query compiled (`hub.compiled_queries`) once per
process and shape: which filters are given, the ordering, the position's comparison and the window.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db import connections
from django.db.models import QuerySet, Subquery
from wagtail.models import Locale

from hub.compiled_queries import CompiledQuery, NotCompilable, Slot
from messaging.api.documents import Row, document_rows
from messaging.models import Message, Topic
from messaging.selectors import visible_messages_for

FILTERS = ("topic", "campaign", "updated_since")
POSITION_LOOKUPS = ("updated_at__lt", "updated_at__gt")


def anchor_rows(
    *,
    institution_id: int,
    language: str,
    at: datetime,
    topic: str | None = None,
    campaign: UUID | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[Any]:
    rows = visible_messages_for(institution_id, at=at)
    if topic is not None:
        rows = rows.filter(topic__translation_key__in=Topic.objects.filter(slug=topic).values("translation_key"))
    if campaign is not None:
        rows = rows.filter(campaign__translation_key=campaign)
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    # The locale id as a scalar subquery, not a join on the language code: PostgreSQL then walks the
    # (live, locale, updated_at) index backwards and stops after one page, instead of sorting every row.
    rows = rows.filter(locale_id=Subquery(Locale.objects.filter(language_code=language).values("pk")[:1]))
    return document_rows(rows)


@dataclass(frozen=True)
class _Shape:
    filters: tuple[str, ...]
    ordering: tuple[str, ...]
    position: str | None
    start: int
    stop: int


@dataclass(frozen=True)
class MessagePage:
    """`anchor_rows(**values)` as DRF's `CursorPagination` uses a queryset: `order_by`, then perhaps `filter` on
    the position, then a slice, which runs it."""

    values: dict[str, Any]
    ordering: tuple[str, ...] = ()
    position: tuple[str, Any] | None = field(default=None)

    def order_by(self, *fields: str) -> MessagePage:
        return replace(self, ordering=fields)

    def filter(self, **lookup: Any) -> MessagePage:
        ((name, value),) = lookup.items()
        if name not in POSITION_LOOKUPS or self.position is not None:
            raise TypeError(f"a page is narrowed by one position only ({', '.join(POSITION_LOOKUPS)}), not {name}")
        return replace(self, position=(name, value))

    def __getitem__(self, window: slice) -> list[Row]:
        start, stop = window.start or 0, window.stop
        if window.step is not None or stop is None:
            raise TypeError("a page is a bounded slice")
        given = tuple(name for name in FILTERS if self.values.get(name) is not None)
        shape = _Shape(given, self.ordering, self.position[0] if self.position else None, start, stop)
        compiled = _compiled(shape)
        if compiled is None:
            return list(self._queryset()[start:stop])
        values = {name: self.values[name] for name in ("institution_id", "language", "at", *given)}
        if self.position:
            values["position"] = self.position[1]
        return compiled.rows(**values)

    def _queryset(self) -> QuerySet[Any]:
        rows = anchor_rows(**self.values).order_by(*self.ordering)
        return rows.filter(**dict([self.position])) if self.position else rows


# Sentinels the compiled page is built with; each stands for one value given at every run. They are valid values
# of their columns: Django leaves out a comparison with a value no column value could have.
_SENTINELS: dict[str, Any] = {
    "institution_id": 2_073_200_001,
    "language": "zz-tawasul-sentinel",
    "at": datetime(1971, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
    "topic": "tawasul-sentinel-topic",
    "campaign": UUID("7a5e0000-0000-4000-8000-00000000c0de"),
    "updated_since": datetime(1972, 4, 5, 6, 7, 8, 901234, tzinfo=UTC),
    "position": datetime(1973, 5, 6, 7, 8, 9, 12345, tzinfo=UTC),
}


@functools.lru_cache(maxsize=128)
def _compiled(shape: _Shape) -> CompiledQuery | None:
    connection = connections[Message.objects.db]
    timestamp = Message._meta.get_field("updated_at")  # a cursor's position is text: parsed as Django would
    names = ("institution_id", "language", "at", *shape.filters)
    page = MessagePage({name: _SENTINELS[name] for name in names}, shape.ordering)
    slots = {name: Slot(_SENTINELS[name]) for name in names}
    for name in ("at", "updated_since"):
        if name in slots:
            slots[name] = Slot.for_field(_SENTINELS[name], timestamp, connection)
    if "campaign" in slots:
        key = Message._meta.get_field("translation_key")  # a UUID column, as the campaign's key is
        slots["campaign"] = Slot.for_field(_SENTINELS["campaign"], key, connection)
    if shape.position:
        page = page.filter(**{shape.position: _SENTINELS["position"]})
        slots["position"] = Slot.for_field(_SENTINELS["position"], timestamp, connection)
    try:
        return CompiledQuery(page._queryset()[shape.start : shape.stop], slots)
    except NotCompilable:
        return None
