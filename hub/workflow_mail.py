"""Wagtail's workflow e-mails (submitted for review, a step to review, approved, changes requested) are sent by the
worker once the action that occasions them has committed, not inside the editor's request.

An approver's click then waits for no mail server, a mail server that is down delays e-mail rather than approvals,
and an action that fails and rolls back sends nothing. The e-mails are Wagtail's own (its notifiers, recipients,
preferences and templates); only when and where they are sent changes. If the broker cannot take the task, the
e-mail is sent in the process that committed the action, as Wagtail would have.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.dispatch import Signal
from wagtail.admin import signal_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from hub.celery import task

logger = logging.getLogger("tawasul")

# kind: (signal, sender, Wagtail's dispatch_uid for its notifier, the notifier's name in wagtail.admin.signal_handlers)
NOTIFICATIONS: dict[str, tuple[Signal, type[models.Model], str, str]] = {
    "task_submitted": (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        "task_submission_email_notifier",
    ),
    "workflow_submitted": (
        workflow_submitted,
        WorkflowState,
        "workflow_state_submitted_email_notification",
        "workflow_submission_email_notifier",
    ),
    "workflow_rejected": (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        "workflow_rejection_email_notifier",
    ),
    "workflow_approved": (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        "workflow_approval_email_notifier",
    ),
}


def workflow_mail_defer() -> None:
    """Each of Wagtail's workflow notifiers is replaced by a receiver that queues it for after the commit. Called
    once Wagtail's admin has connected its own (`hub.wagtail_admin.WagtailAdminConfig`)."""
    for kind, (signal, sender, dispatch_uid, _notifier) in NOTIFICATIONS.items():
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)
        signal.connect(partial(_queue, kind), sender=sender, weak=False, dispatch_uid=f"tawasul-{kind}-mail")


def _queue(kind: str, sender: Any, instance: Any, user: Any = None, **kwargs: Any) -> None:
    instance_id, user_id = instance.pk, getattr(user, "pk", None)
    transaction.on_commit(partial(_enqueue, kind, instance_id, user_id))


def _enqueue(kind: str, instance_id: int, user_id: int | None) -> None:
    try:
        task("hub.tasks.workflow_mail_send").delay(kind, instance_id, user_id)
    except Exception:
        logger.warning("Broker unavailable; the %s e-mail of %s is sent in this process", kind, instance_id)
        workflow_mail_send(kind, instance_id, user_id)


def workflow_mail_send(kind: str, instance_id: int, user_id: int | None) -> bool:
    """Wagtail's notifier of `kind` for the workflow or task state, acting `user`; False when the state is gone
    (its object was deleted since) or an e-mail failed (Wagtail logs which)."""
    _signal, model, _dispatch_uid, notifier = NOTIFICATIONS[kind]
    instance = model._default_manager.filter(pk=instance_id).first()
    if instance is None:
        return False
    if isinstance(instance, TaskState):
        instance = instance.specific
    user = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    return bool(getattr(signal_handlers, notifier)(sender=model, instance=instance, user=user))
