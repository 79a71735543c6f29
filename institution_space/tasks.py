"""Thin task interfaces: ids in, a service call, safe to run twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from hub.celery import RETRY_POLICY
from institution_space.notifications import notification_send, notifications_pending_enqueue


@shared_task(acks_late=True, autoretry_for=(OSError, SMTPException), time_limit=60, soft_time_limit=50, **RETRY_POLICY)
def contact_notification_send(notification_id: int) -> bool:
    return notification_send(notification_id=notification_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def contact_notifications_pending() -> int:
    return notifications_pending_enqueue()
