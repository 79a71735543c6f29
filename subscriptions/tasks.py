"""Thin task interfaces: ids in, a service call. Every task is safe to run twice; SMTP and database errors are
retried with backoff."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from hub.celery import RETRY_POLICY
from subscriptions import services

TRANSIENT = (SMTPException, OSError, DatabaseError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, time_limit=60, soft_time_limit=50, **RETRY_POLICY)
def confirmation_send(subscription_id: int) -> bool:
    return services.confirmation_send(subscription_id=subscription_id)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), time_limit=120, soft_time_limit=100, **RETRY_POLICY)
def outbox_dispatch() -> int:
    return services.outbox_read()


@shared_task(acks_late=True, autoretry_for=TRANSIENT, time_limit=300, soft_time_limit=280, **RETRY_POLICY)
def notifications_send() -> int:
    return services.notifications_send()


@shared_task(acks_late=True, autoretry_for=TRANSIENT, time_limit=300, soft_time_limit=280, **RETRY_POLICY)
def digests_send() -> int:
    return services.digests_send()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def unconfirmed_purge() -> int:
    return services.unconfirmed_purge()
