"""Thin task interfaces: they take ids, reload, and call a service. Safe to run twice."""

from __future__ import annotations

from celery import shared_task

RETRY_POLICY = {"max_retries": 8, "retry_backoff": 2, "retry_backoff_max": 600, "retry_jitter": True}


@shared_task(bind=True, acks_late=True, autoretry_for=(ConnectionError, TimeoutError), **RETRY_POLICY)
def event_relay(self, event_id: int) -> None:  # type: ignore[no-untyped-def]
    from messaging.services.relay import event_process

    event_process(event_id=event_id)


@shared_task(acks_late=True)
def outbox_sweep() -> int:
    from messaging.services.relay import outbox_pending_enqueue

    return outbox_pending_enqueue()
