"""A new outbox event wakes the subscriptions reader once its transaction commits; the periodic
`subscriptions-outbox` task reads anything a lost wake-up left behind."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from messaging.models import MessageEvent
from subscriptions.services import task_enqueue


def _event_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        transaction.on_commit(_wake)


def _wake() -> None:
    task_enqueue("outbox_dispatch")


def signals_connect() -> None:
    post_save.connect(_event_saved, sender=MessageEvent, dispatch_uid="subscriptions_outbox_event")
