"""Flows that change a message. Views, commands and tasks call these; Wagtail's actions do the state changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Revision

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
    """Start the message's approval workflow on its latest revision."""
    workflow = message.get_workflow()
    if workflow is None:
        raise PermissionDenied(_("No approval workflow is configured for messages."))
    if message.workflow_in_progress:
        raise PermissionDenied(_("This message is already waiting for approval."))
    return workflow.start(message, user)


def message_publish(*, message: Message, user: Any) -> Revision:
    """Publish the latest revision directly: only for users who hold the publish permission."""
    if not message_permission_policy().user_has_permission(user, "publish"):
        raise PermissionDenied(_("You do not have permission to publish messages."))
    revision = message.latest_revision or message.save_revision(user=user)
    revision.publish(user=user)
    return revision


def message_withdraw(*, message: Message, user: Any) -> None:
    """Unpublish a live message (every translation of it), recording a withdrawal event for each."""
    if not message_permission_policy().user_has_permission(user, "publish"):
        raise PermissionDenied(_("You do not have permission to withdraw messages."))
    with transaction.atomic():
        for translation in Message.objects.filter(translation_key=message.translation_key, live=True):
            translation.unpublish(user=user)
