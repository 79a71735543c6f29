"""Thin task interfaces: ids in, a service call, safe to run twice (a delivery is claimed before it is sent)."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from hub.celery import RETRY_POLICY
from webhooks.delivery import deliveries_due_enqueue, delivery_attempt


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), time_limit=90, soft_time_limit=75, **RETRY_POLICY)
def webhook_deliver(delivery_id: int) -> str:
    return delivery_attempt(delivery_id=delivery_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def webhook_retries_due() -> int:
    return deliveries_due_enqueue()
