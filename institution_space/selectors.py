"""What an institution user may see. Messages and events come only through `messaging.selectors`, so the
institution space applies the same visibility rule as the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from wagtail.models import ModelLogEntry

from campaigns.models import CampaignActivity
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement
from institutions.models import InstitutionAPIKey
from messaging.models import SOURCE_LANGUAGE, TOMBSTONE_KINDS, Message, MessageEvent
from messaging.selectors import InstitutionRef, events_for, visible_messages_for
from webhooks.models import WebhookEndpoint

CHANGES_SHOWN = 100


def messages_for(*, institution: InstitutionRef) -> QuerySet[Message]:
    """The approved lines addressed to the institution: one row per message, its Arabic source."""
    return (
        visible_messages_for(institution)
        .filter(locale__language_code=SOURCE_LANGUAGE)
        .select_related("topic")
        .order_by("-last_published_at")
    )


def acknowledged_versions(*, institution: InstitutionRef, kind: str = AcknowledgementKind.MESSAGE) -> dict[Any, int]:
    """The highest version the institution acknowledged, per message."""
    rows = (
        Acknowledgement.objects.filter(institution=institution, kind=kind)
        .values("translation_key")
        .annotate(version=Max("version"))
    )
    return {row["translation_key"]: row["version"] for row in rows}


def published_title(event: MessageEvent) -> str:
    """The title as it was published when the event happened (from the audit log's published revision): never a
    draft saved on the row since, which a withdrawn message's row may hold."""
    entry = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Message),
            object_id=str(event.message_id),
            action__in=["wagtail.publish", "wagtail.publish.scheduled"],
            timestamp__lte=event.created_at,
            revision__isnull=False,
        )
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return str((entry.revision.content or {}).get("title", "")) if entry and entry.revision else ""


@dataclass(frozen=True)
class Change:
    event: MessageEvent
    title: str


def changes_since(*, institution: InstitutionRef, position: int) -> list[Change]:
    """Source-language events concerning the institution after a change feed position, newest first."""
    events = (
        events_for(institution)
        .filter(position__gt=position, language_code=SOURCE_LANGUAGE)
        .order_by("-position")[:CHANGES_SHOWN]
    )
    return [Change(event, published_title(event)) for event in events]


def latest_position(*, institution: InstitutionRef) -> int:
    return events_for(institution).order_by("-position").values_list("position", flat=True).first() or 0


def withdrawals_pending(*, institution: InstitutionRef) -> list[Change]:
    """Messages whose latest source-language event for the institution is a withdrawal it has not acknowledged."""
    acknowledged = set(
        Acknowledgement.objects.filter(institution=institution, kind=AcknowledgementKind.WITHDRAWAL).values_list(
            "translation_key", "version"
        )
    )
    last_positions = (
        events_for(institution)
        .filter(language_code=SOURCE_LANGUAGE)
        .order_by()
        .values("translation_key")
        .annotate(last=Max("position"))
        .values("last")
    )
    latest = MessageEvent.objects.filter(position__in=last_positions, kind__in=TOMBSTONE_KINDS).order_by("-position")
    return [
        Change(event, published_title(event))
        for event in latest
        if (event.translation_key, event.version) not in acknowledged
    ]


def activities_of(*, institution: InstitutionRef, language: str) -> QuerySet[CampaignActivity]:
    """Activities the institution owns on live campaign pages, in the reader's language where the page has been
    translated, else in Arabic."""
    owned = CampaignActivity.objects.filter(owner=institution, page__live=True)
    translated = owned.filter(translation_key=OuterRef("translation_key"), locale__language_code=language)
    return (
        owned.filter(
            Q(locale__language_code=language) | (Q(locale__language_code=SOURCE_LANGUAGE) & ~Exists(translated))
        )
        .select_related("page")
        .order_by("due_date", "pk")
    )


def api_keys_of(*, institution: InstitutionRef) -> QuerySet[InstitutionAPIKey]:
    return InstitutionAPIKey.objects.filter(institution=institution).order_by("-created")


def endpoints_of(*, institution: InstitutionRef) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(institution=institution).order_by("url")
