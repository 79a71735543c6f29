"""Message documents for institutions, built from rows in constant queries.

A document is one message (its `translation_key` is the id) with the translations the caller asked for and
may see. This is the API's hot path, so documents are built from column values (`document_rows`: one query,
no model instances, the message house read as JSON text and decoded by orjson) rather than from model
instances or serializers. Model instances (the search results, webhook payloads) go through the same builder
via `document_row`. The serializers in `messaging.api.serializers` describe the same shape for the OpenAPI
schema.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from django.db import connections
from django.db.models import (
    BinaryField,
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from wagtail.models import Locale

from campaigns.models import CampaignPage
from hub.api.state import api_state_token
from hub.compiled_queries import CompiledQuery, NotCompilable, Slot
from institutions.models import Institution
from messaging.api.media import media_resolved
from messaging.enums import ACCESS_REMOVED
from messaging.lifecycle import translation_status
from messaging.models import SOURCE_LANGUAGE, Message, MessageEvent, Topic
from messaging.rendering import blocks
from messaging.selectors import visible_messages_for

Row = dict[str, Any]

# The columns a document needs, read with `.values()`. Small reference tables (locales, institutions, topics,
# campaign pages) are not joined: joining them made planning the page query cost five times its execution.
# They come from `References`, loaded once per API state token.
_COLUMNS = (
    "pk",
    "translation_key",
    "version",
    "title",
    "key_message",
    "change_note",
    "last_published_at",
    "updated_at",
    "clearing_authority",
    "spokesperson",
    "audience_all",
    "is_public",
    "go_live_at",
    "embargo_until",
    "expire_at",
    "due_date",
    "locale_id",
    "owner_id",
    "topic_id",
    "campaign_id",
    "emergency_unreviewed",
    "translation_to_follow",
)


@dataclass(frozen=True)
class References:
    """Names of the rows a document refers to by id, as of one API state token."""

    languages: dict[int, str]
    institutions: dict[int, tuple[str, str, str]]
    topics: dict[int, tuple[str, str]]
    campaigns: dict[int, tuple[Any, str]]

    @classmethod
    def load(cls) -> References:
        """The four tables in one statement (after each write an API process reloads them, and a round trip each
        cost more than reading them): each row is its table's number, its key and up to three texts."""

        def part(number: int, queryset: QuerySet[Any], *fields: str) -> QuerySet[Any]:
            texts = [Cast(name, TextField()) for name in fields] + [Value(None, TextField())] * (3 - len(fields))
            return (
                queryset.order_by()
                .annotate(part=Value(number, IntegerField()), a=texts[0], b=texts[1], c=texts[2])
                .values_list("part", "pk", "a", "b", "c")
            )

        tables = part(0, Locale.objects.all(), "language_code").union(
            part(1, Institution.objects.all(), "slug", "name_ar", "name_en"),
            part(2, Topic.objects.all(), "slug", "name"),
            part(3, CampaignPage.objects.all(), "translation_key", "title"),
            all=True,
        )
        rows: list[list[tuple[Any, ...]]] = [[], [], [], []]
        for number, pk, *texts in tables:
            rows[number].append((pk, *texts))
        return cls(
            languages={pk: code for pk, code, _b, _c in rows[0]},
            institutions={pk: (slug, ar, en) for pk, slug, ar, en in rows[1]},
            topics={pk: (slug, name) for pk, slug, name, _c in rows[2]},
            campaigns={pk: (UUID(key), title) for pk, key, title, _c in rows[3]},
        )


class _ReferenceCache:
    """One `References` per process, replaced when the API state token changes (every change to an
    institution, topic, campaign page or locale changes it, see `hub.api.state`)."""

    def __init__(self) -> None:
        self._state: str | None = None
        self._references: References | None = None
        self._lock = threading.Lock()

    def get(self, state: str | None = None) -> References:
        state = state or api_state_token()
        references = self._references
        if references is None or state != self._state:
            references = References.load()  # loaded after the token was read: never older than it
            with self._lock:
                self._state, self._references = state, references
        return references


references = _ReferenceCache()


class Utf8(Func):
    """Text as its UTF-8 bytes. The stored message house is only copied into a response, never read: as bytes
    it is neither decoded into a `str` nor encoded again (CPython would keep a second, UTF-8 copy of every
    Arabic `str` that orjson writes). Those large short-lived strings also fragmented the worker's heap (the memory
    benchmark's figures are in docs/benchmarks.md)."""

    output_field = BinaryField()
    template = "CAST(%(expressions)s AS BLOB)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # Not `::bytea`, which would read backslashes in the text as escapes.
        return self.as_sql(compiler, connection, template="convert_to(%(expressions)s, 'UTF8')", **extra_context)


def document_rows(rows: QuerySet[Message]) -> QuerySet[Any]:
    """`rows` as dicts of the columns a document shows, with the live source version (an outdated translation
    is judged against it), in one query. `resolved` adds the names of what they refer to."""
    source_locale = Subquery(Locale.objects.filter(language_code=SOURCE_LANGUAGE).values("pk")[:1])
    source_version = Message.objects.filter(
        translation_key=OuterRef("translation_key"), locale_id=source_locale
    ).values("version")[:1]
    return rows.values(
        *_COLUMNS,
        api_body_utf8=Utf8(F("api_body")),
        # The stored message house only for a row whose API rendering was never written (a bulk insert).
        body_json=Case(When(api_body__isnull=True, then=Cast("body", TextField()))),
        media_json=Cast("media", TextField()),  # as text: resolved with the page's other rows (`media_resolved`)
        # A source row is its own source: the lookup runs for translations only.
        source_version=Case(When(locale_id=source_locale, then=F("version")), default=Subquery(source_version)),
        supersedes_key=F("supersedes__translation_key"),
    )


def visible_document_rows(institution_id: int, at: datetime, keys: Iterable[UUID]) -> list[Row]:
    """`document_rows` of every language of the messages among `keys` that the institution sees at `at`
    (`visible_messages_for`): the translations of a list page, the messages of a change feed page. Building and
    compiling the query cost Django more than running it, so it is compiled once per process and number of keys
    (`hub.compiled_queries`)."""
    keys = list(dict.fromkeys(keys))
    compiled = _visible_rows_compiled(len(keys)) if 0 < len(keys) <= _KEYS_COMPILED else None
    if compiled is None:
        rows = visible_messages_for(institution_id, at=at).filter(translation_key__in=keys)
        return list(document_rows(rows)) if keys else []
    return compiled.rows(institution=institution_id, at=at, **{f"key{i}": key for i, key in enumerate(keys)})


# Sentinels the compiled rows are built with, each standing for one value given at every run (valid values of
# their columns, unlike any constant of the query).
_INSTITUTION = 2_073_300_001
_AT = datetime(1971, 6, 7, 8, 9, 10, 111213, tzinfo=UTC)
_KEYS_COMPILED = 250  # a list page holds at most 200 messages, a change feed page at most 200 events


@functools.lru_cache(maxsize=_KEYS_COMPILED)
def _visible_rows_compiled(count: int) -> CompiledQuery | None:
    connection = connections[Message.objects.db]
    keys = [UUID(int=0x7A5E_0000_0000_4000_8000_0000_5E00_0000 + i) for i in range(count)]
    rows = document_rows(visible_messages_for(_INSTITUTION, at=_AT).filter(translation_key__in=keys))
    key_field = Message._meta.get_field("translation_key")
    slots = {f"key{i}": Slot.for_field(key, key_field, connection) for i, key in enumerate(keys)}
    slots["institution"] = Slot(_INSTITUTION)
    slots["at"] = Slot.for_field(_AT, Message._meta.get_field("go_live_at"), connection)
    try:
        return CompiledQuery(rows, slots)
    except NotCompilable:
        return None


def resolved(rows: Iterable[Row], refs: References) -> list[Row]:
    """Document rows with the language, owner, topic and campaign names filled in from their ids, and their
    images and documents (`media_resolved`)."""
    out = []
    for row in rows:
        owner = refs.institutions.get(row["owner_id"]) if row["owner_id"] else None
        topic = refs.topics.get(row["topic_id"], ("", ""))
        campaign = refs.campaigns.get(row["campaign_id"]) if row["campaign_id"] else None
        out.append(
            {
                **row,
                "language": refs.languages[row["locale_id"]],
                "owner_slug": owner[0] if owner else None,
                "owner_name_ar": owner[1] if owner else None,
                "owner_name_en": owner[2] if owner else None,
                "topic_slug": topic[0],
                "topic_name": topic[1],
                "campaign_key": campaign[0] if campaign else None,
                "campaign_title": campaign[1] if campaign else None,
            }
        )
    media_resolved(out)
    return out


def document_row(message: Message) -> Row:
    """The same dict from a model instance (with `with_document_relations` loaded)."""
    row: Row = {name: getattr(message, name) for name in _COLUMNS}
    row.update(
        body=message.body.raw_data,
        media_json=list(message.media.raw_data),
        source_version=None,  # message_document falls back to its source row or the caller's version
        supersedes_key=message.supersedes.translation_key if message.supersedes else None,
        language=message.locale.language_code,
        owner_slug=message.owner.slug if message.owner else None,
        owner_name_ar=message.owner.name_ar if message.owner else None,
        owner_name_en=message.owner.name_en if message.owner else None,
        topic_slug=message.topic.slug,
        topic_name=message.topic.name,
        campaign_key=message.campaign.translation_key if message.campaign else None,
        campaign_title=message.campaign.title if message.campaign else None,
    )
    media_resolved([row])
    return row


def with_document_relations(rows: QuerySet[Message]) -> QuerySet[Message]:
    return rows.select_related("locale", "topic", "owner", "campaign", "supersedes").prefetch_related("audience")


def _iso(value: datetime | Any) -> str | None:
    return value.isoformat() if value else None


def _body(row: Row) -> list[Any] | orjson.Fragment:
    """A model instance's blocks, or a document row's stored rendering embedded as it is (orjson writes a
    `Fragment` without parsing it; `plain` turns a document into plain data)."""
    if "body" in row:
        return blocks(row["body"])
    if row.get("api_body_utf8") is not None:
        return orjson.Fragment(row["api_body_utf8"])
    return blocks(row["body_json"] or "[]")


def plain(document: dict[str, Any]) -> dict[str, Any]:
    """A document as plain data, for storing it (a webhook payload in a JSON column) rather than rendering."""
    return orjson.loads(orjson.dumps(document))


def translation_document(row: Row, source_version: int) -> dict[str, Any]:
    status = translation_status(language=row["language"], version=row["version"], source_version=source_version)
    return {
        "locale": row["language"],
        "version": row["version"],
        "status": status.value,
        "title": row["title"],
        "key_message": row["key_message"],
        "body": _body(row),
        "media": row.get("media", []),
        "change_note": row["change_note"],
        "topic": {"slug": row["topic_slug"], "name": row["topic_name"]},
        "campaign": {"id": str(row["campaign_key"]), "title": row["campaign_title"]} if row["campaign_key"] else None,
        "published_at": _iso(row["last_published_at"]),
        "updated_at": _iso(row["updated_at"]),
    }


def _institution(row: Row) -> dict[str, Any] | None:
    if row["owner_slug"] is None:
        return None
    return {"slug": row["owner_slug"], "name": {"ar": row["owner_name_ar"], "en": row["owner_name_en"]}}


def message_document(items: list[Row] | list[Message], source_version: int | None = None) -> dict[str, Any]:
    """One document from the visible rows of one message (at least one): column rows or model instances."""
    rows = [item if isinstance(item, dict) else document_row(item) for item in items]
    first = rows[0]
    source_row = next((r for r in rows if r["language"] == SOURCE_LANGUAGE), None)
    version = source_version or first.get("source_version") or (source_row or first)["version"]
    owner = _institution(first)
    return {
        "id": str(first["translation_key"]),
        "version": version,
        "owner": owner,
        "responsibilities": {
            "owner": owner,
            "clearing_authority": first["clearing_authority"],
            "spokesperson": first["spokesperson"],
        },
        "audience": "all" if first["audience_all"] else "restricted",
        "public": first["is_public"],
        "go_live_at": _iso(first["go_live_at"]),
        "embargo_until": _iso(first["embargo_until"]),
        "expire_at": _iso(first["expire_at"]),
        "due_date": first["due_date"].isoformat() if first["due_date"] else None,
        "supersedes": str(first["supersedes_key"]) if first["supersedes_key"] else None,
        # Emergency publishing: live without the approval workflow until a second approver reviews it.
        "reviewed": not first["emergency_unreviewed"],
        # Released "Arabic now, translation to follow": a required translation is not live yet.
        "translation_pending": first["translation_to_follow"],
        "updated_at": _iso(max(r["updated_at"] for r in rows)),
        "translations": {r["language"]: translation_document(r, version) for r in rows},
    }


def feed_item(event: MessageEvent, *, removed: bool, row: Row | None) -> dict[str, Any]:
    """One change as an institution sees it: the change feed's item, and the `data` of its webhook (which wraps
    this same item in its envelope). `row` is the document row it presents, None for a tombstone (a withdrawal,
    or the institution's loss of access)."""
    return {
        "position": event.position,
        "kind": ACCESS_REMOVED if removed else event.kind,
        "tombstone": row is None,
        "message_id": str(event.translation_key),
        "locale": event.language_code,
        "version": event.version,
        "occurred_at": event.created_at.isoformat(),
        "message": message_document([row]) if row is not None else None,
    }


def documents_for(
    anchors: list[Row], language: str | None, refs: References, *, institution_id: int, at: datetime
) -> tuple[list[Any], list[Row]]:
    """Documents for a page of anchor rows (resolved rows from `document_rows`), and the rows they present
    (for the delivery ledger).

    With `language`, each document carries just that translation; without, every translation the institution
    sees at `at`.
    """
    if language:
        return [message_document([row]) for row in anchors], anchors
    siblings: dict[Any, list[Row]] = defaultdict(list)
    keys = [row["translation_key"] for row in anchors]
    presented = sorted(resolved(visible_document_rows(institution_id, at, keys), refs), key=lambda row: row["language"])
    for row in presented:
        siblings[row["translation_key"]].append(row)
    return [message_document(siblings[row["translation_key"]] or [row]) for row in anchors], presented
