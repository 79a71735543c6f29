"""Message documents for institutions, built from rows in constant queries.

A document is one message (its `translation_key` is the id) with the translations the caller asked for and
may see. Built as plain dicts rather than through serializer instances: this is the API's hot path. The
serializers in `messaging.api.serializers` describe the same shape for the OpenAPI schema.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from messaging.models import SOURCE_LANGUAGE, Message


def _iso(value: datetime | Any) -> str | None:
    return value.isoformat() if value else None


def _institution(institution: Any) -> dict[str, Any] | None:
    if institution is None:
        return None
    return {"slug": institution.slug, "name": {"ar": institution.name_ar, "en": institution.name_en}}


def with_document_relations(rows: QuerySet[Message]) -> QuerySet[Message]:
    return rows.select_related("locale", "topic", "owner", "campaign", "supersedes").prefetch_related("audience")


def _block(raw: dict[str, Any]) -> dict[str, Any]:
    """Typed blocks from stored JSON, without instantiating StreamField blocks (this is the hot path)."""
    if raw["type"] != "pillar":
        return {"type": raw["type"], "id": raw.get("id", ""), "value": raw["value"]}
    points = raw["value"].get("talking_points", [])
    return {
        "type": "pillar",
        "id": raw.get("id", ""),
        "value": {
            "title": raw["value"].get("title", ""),
            "talking_points": [point["value"] if isinstance(point, dict) else point for point in points],
        },
    }


def translation_document(row: Message, source_version: int) -> dict[str, Any]:
    status = (
        "source"
        if row.locale.language_code == SOURCE_LANGUAGE
        else ("current" if row.version >= source_version else "outdated")
    )
    return {
        "locale": row.locale.language_code,
        "version": row.version,
        "status": status,
        "title": row.title,
        "key_message": row.key_message,
        "body": [_block(block) for block in row.body.raw_data],
        "change_note": row.change_note,
        "topic": {"slug": row.topic.slug, "name": row.topic.name},
        "campaign": {"id": str(row.campaign.translation_key), "title": row.campaign.title} if row.campaign else None,
        "published_at": _iso(row.last_published_at),
        "updated_at": _iso(row.updated_at),
    }


def message_document(rows: list[Message], source_version: int | None = None) -> dict[str, Any]:
    """One document from the visible rows of one message (at least one)."""
    first = rows[0]
    source_row = next((r for r in rows if r.locale.language_code == SOURCE_LANGUAGE), None)
    version = source_version if source_version is not None else (source_row or first).version
    return {
        "id": str(first.translation_key),
        "version": version,
        "owner": _institution(first.owner),
        "responsibilities": {
            "owner": _institution(first.owner),
            "clearing_authority": first.clearing_authority,
            "spokesperson": first.spokesperson,
        },
        "audience": "all" if first.audience_all else "restricted",
        "public": first.is_public,
        "go_live_at": _iso(first.go_live_at),
        "embargo_until": _iso(first.embargo_until),
        "expire_at": _iso(first.expire_at),
        "due_date": first.due_date.isoformat() if first.due_date else None,
        "supersedes": str(first.supersedes.translation_key) if first.supersedes else None,
        "updated_at": _iso(max(r.updated_at for r in rows)),
        "translations": {r.locale.language_code: translation_document(r, version) for r in rows},
    }


def source_versions(keys: Iterable[Any]) -> dict[Any, int]:
    """The live source version of each message, in one query (an outdated translation is judged against it)."""
    return dict(
        Message.objects.filter(translation_key__in=list(keys), locale__language_code=SOURCE_LANGUAGE).values_list(
            "translation_key", "version"
        )
    )


def documents_for(
    anchor_rows: list[Message], visible: QuerySet[Message], language: str | None
) -> tuple[list[dict[str, Any]], list[Message]]:
    """Documents for a page of anchor rows, and the rows they present (for the delivery ledger).

    With `language`, each document carries just that translation; without, every visible translation.
    """
    keys = [row.translation_key for row in anchor_rows]
    versions = source_versions(keys)
    if language:
        documents = [message_document([row], versions.get(row.translation_key, row.version)) for row in anchor_rows]
        return documents, list(anchor_rows)
    siblings: dict[Any, list[Message]] = defaultdict(list)
    presented: list[Message] = []
    for row in with_document_relations(visible.filter(translation_key__in=keys)).order_by("locale__language_code"):
        siblings[row.translation_key].append(row)
        presented.append(row)
    documents = [
        message_document(siblings[row.translation_key] or [row], versions.get(row.translation_key, row.version))
        for row in anchor_rows
    ]
    return documents, presented
