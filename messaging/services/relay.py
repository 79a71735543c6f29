"""Processing outbox events: the search index now, webhooks and deliveries as they are connected."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from messaging.models import MessageEvent

logger = logging.getLogger("tawasul")
SWEEP_GRACE = timedelta(seconds=30)


def event_process(*, event_id: int) -> None:
    with transaction.atomic():
        event = MessageEvent.objects.select_for_update().filter(pk=event_id, processed_at__isnull=True).first()
        if event is None:
            return
        event.attempts += 1
        event.save(update_fields=["attempts"])
    for handler in _handlers():
        handler(event)
    MessageEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now())


def _handlers() -> list:
    from search.indexing import event_index

    return [event_index]


def outbox_pending_enqueue() -> int:
    """Re-send events left unprocessed past a grace period (a broker outage, a worker killed mid-task)."""
    from messaging.tasks import event_relay

    cutoff = timezone.now() - SWEEP_GRACE
    pending = list(
        MessageEvent.objects.filter(processed_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True)
    )
    for event_id in pending:
        event_relay.delay(event_id)
    return len(pending)
