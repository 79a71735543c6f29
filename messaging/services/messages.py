"""Flows that change a message. Views, commands and tasks call these; Wagtail's actions (extended in
`messaging.actions`) do the state changes and `messaging.lifecycle` holds the rules."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from messaging.actions import PublishMessageAction, UnpublishMessageAction
from messaging.models import Message
from messaging.permissions import message_permission_policy


@transaction.atomic
def message_draft_save(*, message: Message, user: Any) -> Revision:
    """Validate and save a draft revision; the live version is untouched."""
    message.full_clean()
    if message.pk is None:
        message.live = False
        message.save()
    else:
        Message.objects.filter(pk=message.pk).update(has_unpublished_changes=True)
    return message.save_revision(user=user, log_action=True)


def message_submit(*, message: Message, user: Any) -> Any:
    """Start the message's approval workflow on its latest revision (a translation goes through the same one)."""
    workflow = message.get_workflow()
    if workflow is None:
        raise PermissionDenied(_("No approval workflow is configured for messages."))
    if message.workflow_in_progress:
        raise PermissionDenied(_("This message is already waiting for approval."))
    return workflow.start(message, user)


def _require_approver(user: Any, refusal: str) -> None:
    if user is None or not message_permission_policy().user_has_permission(user, "publish"):
        raise PermissionDenied(refusal)


def message_emergency_publish(*, message: Message, user: Any, reason: str) -> Revision:
    """Put the latest revision of the Arabic source live without the workflow: approvers only, with a reason kept in
    the audit log. The message is flagged "not reviewed" (admin, API, feed) until another approver reviews it."""
    _require_approver(user, _("Only approvers may publish in an emergency."))
    if not message.is_source:
        raise PermissionDenied(_("Emergency publishing is for the Arabic source; translations are reviewed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this cannot wait for the approval workflow.")})
    revision = message.latest_revision or message.save_revision(user=user)
    PublishMessageAction(revision, user=user, emergency_reason=reason.strip()).execute(skip_permission_checks=True)
    return revision


@transaction.atomic
def message_emergency_review(*, message: Message, user: Any) -> None:
    """A second approver confirms an emergency release: the "not reviewed" flag goes."""
    _require_approver(user, _("Only approvers may review an emergency release."))
    row = Message.objects.select_for_update().get(pk=message.pk)
    if not row.emergency_unreviewed:
        return
    published = (
        ModelLogEntry.objects.filter(
            content_type_id=ContentType.objects.get_for_model(Message).pk,
            object_id=str(row.pk),
            action="tawasul.emergency_publish",
        )
        .order_by("-timestamp")
        .values_list("user_id", flat=True)
        .first()
    )
    if published == user.pk:
        raise PermissionDenied(_("Two-person rule: another approver must review your emergency release."))
    Message.objects.filter(translation_key=row.translation_key).update(emergency_unreviewed=False)
    log(instance=row, action="tawasul.emergency_review", user=user)


def message_withdraw(*, message: Message, user: Any, reason: str) -> None:
    """Take a live message offline in every language, with a reason kept in the audit log and the tombstones."""
    _require_approver(user, _("You do not have permission to withdraw messages."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the message is withdrawn.")})
    UnpublishMessageAction(message, user=user, reason=reason.strip()).execute(skip_permission_checks=True)


def message_approve_step(*, message: Message, user: Any, release_before_translation: bool = False) -> None:
    """Approve the current workflow step as `user`, as the admin's "Approve" does (the two-person rule applies)."""
    state = Message.objects.get(pk=message.pk).current_workflow_state
    if state is None or state.current_task_state is None:
        raise PermissionDenied(_("This message is not waiting for approval."))
    task_state = state.current_task_state
    extra = {"release_before_translation": True} if release_before_translation else {}
    task_state.task.specific.on_action(task_state, user, "approve", **extra)
