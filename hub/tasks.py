"""Thin task interfaces of the hub: they take ids, reload, and call the hub's own functions."""

from __future__ import annotations

from celery import shared_task

from hub.workflow_mail import workflow_mail_send as send


@shared_task(acks_late=True, ignore_result=True, time_limit=120, soft_time_limit=100)
def workflow_mail_send(kind: str, instance_id: int, user_id: int | None) -> bool:
    """One of Wagtail's workflow e-mails (`hub.workflow_mail`). Not retried: Wagtail logs an e-mail it could not
    send, and a second run would send again those that went."""
    return send(kind, instance_id, user_id)
