"""Thin task interfaces: ids in, a service call. Every task is safe to run twice; SMTP and database errors are
retried with backoff."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from hub.celery import RETRY_POLICY

TRANSIENT = (SMTPException, OSError, DatabaseError)


@shared_task(acks_late=True, autoretry_for=TRANSIENT, time_limit=60, soft_time_limit=50, **RETRY_POLICY)
def confirmation_send(subscription_id: int) -> bool:
    from subscriptions.services import confirmation_send as send

    return send(subscription_id=subscription_id)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), time_limit=120, soft_time_limit=100, **RETRY_POLICY)
def outbox_dispatch() -> int:
    from subscriptions.services import outbox_read

    return outbox_read()


@shared_task(acks_late=True, autoretry_for=TRANSIENT, time_limit=300, soft_time_limit=280, **RETRY_POLICY)
def notifications_send() -> int:
    from subscriptions.services import notifications_send as send

    return send()


@shared_task(acks_late=True, autoretry_for=TRANSIENT, time_limit=300, soft_time_limit=280, **RETRY_POLICY)
def digests_send() -> int:
    from subscriptions.services import digests_send as send

    return send()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def unconfirmed_purge() -> int:
    from subscriptions.services import unconfirmed_purge as purge

    return purge()
