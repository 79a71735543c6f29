"""Thin task interfaces: ids in, a service call, safe to run twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from hub.celery import RETRY_POLICY


@shared_task(acks_late=True, autoretry_for=(OSError, SMTPException), time_limit=60, soft_time_limit=50, **RETRY_POLICY)
def contact_notification_send(notification_id: int) -> bool:
    from institution_space.notifications import notification_send

    return notification_send(notification_id=notification_id)


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def contact_notifications_pending() -> int:
    from institution_space.notifications import notifications_pending_enqueue

    return notifications_pending_enqueue()
