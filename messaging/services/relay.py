"""Processing outbox events: each registered consumer in turn (`outbox_consumer_register`): the webhook fan-out
(which records deliveries as they succeed), then the search index, then contact notifications.

Handlers are idempotent, so an event may be processed more than once (a retry, the sweeper, a redelivered
task); it is marked processed only when every handler succeeded. One failing handler (a search engine down)
does not hold back the others: each runs, and the failure is raised at the end so the task retries.

The fan-out runs first: it creates one delivery row per endpoint and hands each to the broker (the `webhooks`
queue) as soon as its row is committed, so a delivery's latency does not include the engine's round trip and
refresh. A webhook may therefore reach an institution a moment before its search finds the message; the change
feed and the message API, which read the database, already show it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from hub.celery import task
from messaging.models import MessageEvent

logger = logging.getLogger("tawasul")
SWEEP_GRACE = timedelta(seconds=15)
SWEEP_BATCH = 1000
SWEEP_BACKOFF_MAX = 3600


class EventHandlersFailed(RuntimeError):
    pass


def event_process(*, event_id: int) -> None:
    with transaction.atomic():
        event = MessageEvent.objects.select_for_update().filter(pk=event_id, processed_at__isnull=True).first()
        if event is None:
            return
        event.attempts += 1
        event.save(update_fields=["attempts"])
    failed: list[str] = []
    for consumer in outbox_consumers():
        try:
            consumer.handle(event)
        except Exception:
            logger.exception("Outbox consumer %s failed for event %s", consumer.name, event.pk)
            failed.append(consumer.name)
    if failed:
        raise EventHandlersFailed(f"event {event.pk}: {', '.join(failed)}")
    MessageEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now())


@dataclass(frozen=True)
class OutboxConsumer:
    name: str
    handle: Callable[[MessageEvent], Any]
    order: int


_consumers: dict[str, OutboxConsumer] = {}


def outbox_consumer_register(name: str, handle: Callable[[MessageEvent], Any], *, order: int) -> None:
    """Called by each consumer of the outbox from its own `AppConfig.ready()` (webhooks, search, the institution
    space), so the relay depends on none of them. Registering a name again replaces it (a reloaded app)."""
    _consumers[name] = OutboxConsumer(name=name, handle=handle, order=order)


def outbox_consumers() -> list[OutboxConsumer]:
    """In the order they run: the webhook fan-out (10) first, so deliveries are on their way before the (slower)
    engine update (20) starts; then notifications (30)."""
    return sorted(_consumers.values(), key=lambda consumer: consumer.order)


def outbox_pending_enqueue() -> int:
    """Re-send events left unprocessed past a grace period (a broker outage, a worker killed mid-task).

    An event that keeps failing is re-sent with exponential backoff on its attempt count (15 s, 30 s, 1 min …
    up to an hour), so a long outage of a handler does not pile up copies of it in the broker."""
    cutoff = timezone.now() - SWEEP_GRACE
    pending = MessageEvent.objects.filter(processed_at__isnull=True, created_at__lt=cutoff).order_by("position")
    sent = 0
    for event_id, attempts in pending.values_list("pk", "attempts")[:SWEEP_BATCH]:
        if attempts and not _sweep_gate(event_id, attempts):
            continue
        try:
            task("messaging.tasks.event_relay").delay(event_id)
        except Exception:
            logger.warning("Broker unavailable; outbox sweep stopped at event %s", event_id)
            break
        sent += 1
    return sent


def _sweep_gate(event_id: int, attempts: int) -> bool:
    """Whether a failing event's backoff has run out since the sweeper last re-sent it."""
    backoff = min(int(SWEEP_GRACE.total_seconds()) * 2 ** min(attempts - 1, 12), SWEEP_BACKOFF_MAX)
    try:
        return bool(cache.add(f"tawasul:outbox:resent:{event_id}", attempts, backoff))
    except Exception:
        return True
