"""Thin task interfaces: they take ids, reload, and call a service. Safe to run twice."""

from __future__ import annotations

from celery import shared_task

from hub.celery import RETRY_POLICY
from messaging.services.relay import event_process, outbox_pending_enqueue
from messaging.services.schedule import embargo_lifts_record as record
from messaging.services.schedule import scheduled_publish_run


@shared_task(acks_late=True, autoretry_for=(Exception,), time_limit=120, soft_time_limit=100, **RETRY_POLICY)
def event_relay(event_id: int) -> None:
    event_process(event_id=event_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def outbox_sweep() -> int:
    return outbox_pending_enqueue()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def scheduled_publish() -> bool:
    """Wagtail's `publish_scheduled`: publishes whatever fell due (however long ago) and unpublishes what expired."""
    return scheduled_publish_run()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def embargo_lifts_record() -> int:
    return len(record())
