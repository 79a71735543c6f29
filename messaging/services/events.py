"""Writing the outbox. Callers are inside the transaction of the change being recorded."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from hub.celery import task
from institutions.models import Institution
from messaging.enums import EventKind
from messaging.models import TOMBSTONE_KINDS, EventSequence, MessageEvent, MessageEventRecipient


@dataclass(frozen=True)
class AudienceSnapshot:
    everyone: bool
    institution_ids: frozenset[int]

    def reaches(self, institution_id: int) -> bool:
        return self.everyone or institution_id in self.institution_ids


def audience_snapshot(message: Any) -> AudienceSnapshot:
    return AudienceSnapshot(
        everyone=message.audience_all, institution_ids=frozenset(i.pk for i in message.audience.all())
    )


def feed_shows_live(message: Any) -> bool:
    """Whether the change feed last told institutions this message is live (a copy made for translation
    inherits `live` from its source without ever having been published)."""
    last = MessageEvent.objects.filter(message_id=message.pk).order_by("-position").values_list("kind", flat=True)
    kind = last.first()
    return kind is not None and kind not in TOMBSTONE_KINDS


def _next_position() -> int:
    sequence, _ = EventSequence.objects.select_for_update().get_or_create(pk=1)
    sequence.last_position += 1
    sequence.save(update_fields=["last_position"])
    return sequence.last_position


def event_record(
    *,
    message: Any,
    kind: EventKind,
    previous_audience: AudienceSnapshot | None = None,
    data: dict | None = None,
) -> MessageEvent:
    """Record one change and whom it concerns; enqueue its relay once the transaction commits.

    For a tombstone the audience is the one that could see the message before. For an update that narrows the
    audience, institutions that lost access get a tombstone of their own (`removed=True`).
    """
    current = audience_snapshot(message)
    tombstone = kind in TOMBSTONE_KINDS
    audience = previous_audience if tombstone and previous_audience else current
    removed: set[int] = set()
    if previous_audience and not tombstone:
        if current.everyone:
            removed = set()
        elif previous_audience.everyone:
            removed = set(Institution.objects.exclude(pk__in=current.institution_ids).values_list("pk", flat=True))
        else:
            removed = set(previous_audience.institution_ids - current.institution_ids)

    with transaction.atomic():
        event = MessageEvent.objects.create(
            position=_next_position(),
            kind=kind,
            message=message,
            translation_key=message.translation_key,
            language_code=message.locale.language_code,
            version=message.version,
            audience_all=audience.everyone,
            is_public=message.is_public,
            data={"removed": sorted(removed), **(data or {})},
        )
        recipients = (
            []
            if audience.everyone
            else [MessageEventRecipient(event=event, institution_id=pk) for pk in sorted(audience.institution_ids)]
        )
        recipients += [MessageEventRecipient(event=event, institution_id=pk, removed=True) for pk in sorted(removed)]
        MessageEventRecipient.objects.bulk_create(recipients)
        transaction.on_commit(lambda: _enqueue_relay(event.pk))
    return event


def _enqueue_relay(event_id: int) -> None:
    try:
        task("messaging.tasks.event_relay").delay(event_id)
    except Exception:
        logging.getLogger("tawasul").warning("Broker unavailable; event %s left for the sweeper", event_id)
