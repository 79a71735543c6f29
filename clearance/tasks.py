"""Thin task interfaces: ids in, a service call, safe to run twice."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from clearance.mail import clearance_link_mail_send
from hub.celery import RETRY_POLICY


@shared_task(acks_late=True, autoretry_for=(OSError, SMTPException), time_limit=60, soft_time_limit=50, **RETRY_POLICY)
def clearance_link_mail(link_id: str) -> bool:
    return clearance_link_mail_send(link_id=link_id)
