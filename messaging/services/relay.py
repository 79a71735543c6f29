"""Processing outbox events: webhook fan-out (which records deliveries as they succeed), then the search index.

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
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

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
    for handler in _handlers():
        try:
            handler(event)
        except Exception:
            logger.exception("Outbox handler %s failed for event %s", handler.__qualname__, event.pk)
            failed.append(handler.__qualname__)
    if failed:
        raise EventHandlersFailed(f"event {event.pk}: {', '.join(failed)}")
    MessageEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now())


def _handlers() -> list[Callable[[Any], Any]]:
    """In the order they run: deliveries are on their way before the (slower) engine update starts."""
    from institution_space.notifications import event_notify
    from search.indexing import event_index
    from webhooks.fanout import event_fanout

    return [event_fanout, event_index, event_notify]


def outbox_pending_enqueue() -> int:
    """Re-send events left unprocessed past a grace period (a broker outage, a worker killed mid-task).

    An event that keeps failing is re-sent with exponential backoff on its attempt count (15 s, 30 s, 1 min …
    up to an hour), so a long outage of a handler does not pile up copies of it in the broker."""
    from messaging.tasks import event_relay

    cutoff = timezone.now() - SWEEP_GRACE
    pending = MessageEvent.objects.filter(processed_at__isnull=True, created_at__lt=cutoff).order_by("position")
    sent = 0
    for event_id, attempts in pending.values_list("pk", "attempts")[:SWEEP_BATCH]:
        if attempts and not _sweep_gate(event_id, attempts):
            continue
        try:
            event_relay.delay(event_id)
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
