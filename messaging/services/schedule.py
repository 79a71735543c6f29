"""Time-driven changes, run by Celery beat: scheduled publishing and expiry (Wagtail's `publish_scheduled`) and
embargo lifts. Both work from the database state, not from the clock ticks they missed, so a beat that was down
catches up on everything that fell due when it returns."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zlib import crc32

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from messaging.enums import EventKind
from messaging.models import TOMBSTONE_KINDS, Message, MessageEvent
from messaging.querysets import MessageQuerySet
from messaging.services.events import event_record

logger = logging.getLogger("tawasul")
LOCK_SECONDS = 300


@contextmanager
def _exclusive(name: str) -> Iterator[bool]:
    """One runner at a time across workers: a PostgreSQL advisory lock, else a cache key (embedded runs in one
    process). Yields whether this caller holds the lock."""
    if connection.vendor == "postgresql":
        key = crc32(name.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    held = cache.add(f"tawasul:lock:{name}", 1, LOCK_SECONDS)
    try:
        yield held
    finally:
        if held:
            cache.delete(f"tawasul:lock:{name}")


def scheduled_publish_run() -> bool:
    """Publish revisions whose go-live time has passed and unpublish what expired. Publishing goes through
    `Message.publish`, so each publication writes its outbox event. Returns False if another run holds the lock
    (running twice at once would publish a revision twice)."""
    with _exclusive("publish_scheduled") as held:
        if not held:
            return False
        call_command("publish_scheduled", verbosity=0)
    return True


def embargo_lifts_due(*, at: datetime | None = None) -> MessageQuerySet:
    """Live messages whose embargo has passed and whose last event was written while it was still embargoed:
    institutions have been told of it, but not that it may now be public."""
    at = at or timezone.now()
    latest = MessageEvent.objects.filter(message_id=OuterRef("pk")).order_by("-position")
    owed: MessageQuerySet = (
        Message.objects.live_now(at)
        .filter(embargo_until__isnull=False, embargo_until__lte=at)
        .annotate(last_kind=Subquery(latest.values("kind")[:1]), last_at=Subquery(latest.values("created_at")[:1]))
        .filter(last_at__lt=F("embargo_until"))
        .exclude(last_kind__in=TOMBSTONE_KINDS)
    )
    return owed


def embargo_lifts_record(*, at: datetime | None = None) -> list[MessageEvent]:
    """Record one EMBARGO_LIFTED event per message whose embargo has passed. Idempotent: the check is repeated
    under the message's row lock, and the event it writes makes the message no longer due."""
    at = at or timezone.now()
    events = []
    for message_id in list(embargo_lifts_due(at=at).values_list("pk", flat=True)):
        with transaction.atomic():
            message = Message.objects.select_for_update().filter(pk=message_id).first()
            if message is None or not embargo_lifts_due(at=at).filter(pk=message_id).exists():
                continue
            events.append(
                event_record(
                    message=message,
                    kind=EventKind.EMBARGO_LIFTED,
                    data={"embargo_until": message.embargo_until.isoformat() if message.embargo_until else None},
                )
            )
    if events:
        logger.info("Recorded %d embargo lifts", len(events))
    return events
