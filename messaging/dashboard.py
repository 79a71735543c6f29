"""The admin home's panels about messages: a communicator's drafts and what came back to them, and what was
recently withdrawn. What waits for the reader's own review is Wagtail's "Awaiting your review" panel, shown with
each message's due date (messaging/templates/wagtailadmin/home/workflow_objects_to_moderate.html)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from wagtail.admin.ui.components import Component
from wagtail.models import ModelLogEntry, WorkflowState

from messaging.models import Message
from messaging.models.workflow_names import shown_name

SHOWN = 8
WITHDRAWN_WITHIN = datetime.timedelta(days=30)


@dataclass
class CameBack:
    message: Message
    task_name: str
    by: Any
    comment: str
    at: datetime.datetime | None


@dataclass
class Withdrawn:
    message: Message
    by: Any
    reason: str
    at: datetime.datetime


def drafts_of(user: Any) -> list[Message]:
    """Messages whose latest revision is the user's, with changes not yet live and not under review."""
    candidates = (
        Message.objects.filter(latest_revision__user=user, has_unpublished_changes=True)
        .select_related("locale", "latest_revision")
        .order_by("-latest_revision__created_at")[: SHOWN * 3]
    )
    return [message for message in candidates if not message.workflow_in_progress][:SHOWN]


def came_back_to(user: Any) -> list[CameBack]:
    """Messages the user submitted that a reviewer or approver sent back for changes, with what they said."""
    states = (
        WorkflowState.objects.filter(
            requested_by=user,
            status=WorkflowState.STATUS_NEEDS_CHANGES,
            base_content_type=ContentType.objects.get_for_model(Message),
        )
        .select_related("current_task_state__task", "current_task_state__finished_by")
        .order_by("-current_task_state__finished_at")[:SHOWN]
    )
    messages = Message.objects.in_bulk([int(state.object_id) for state in states])
    result = []
    for state in states:
        message = messages.get(int(state.object_id))
        task_state = state.current_task_state
        if message is None or task_state is None:
            continue
        result.append(
            CameBack(
                message=message,
                task_name=shown_name(task_state.task.name),
                by=task_state.finished_by,
                comment=task_state.get_comment(),
                at=task_state.finished_at,
            )
        )
    return result


def recently_withdrawn() -> list[Withdrawn]:
    """Messages withdrawn in the last 30 days, once each, in the reader's language where it has a row."""
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Message),
            action="wagtail.unpublish",
            timestamp__gte=timezone.now() - WITHDRAWN_WITHIN,
        )
        .select_related("user")
        .order_by("-timestamp")[: SHOWN * 4]
    )
    rows = Message.objects.select_related("locale").in_bulk([int(entry.object_id) for entry in entries])
    language = (translation.get_language() or "").split("-")[0]
    chosen: dict[Any, Withdrawn] = {}
    for entry in entries:
        message = rows.get(int(entry.object_id))
        if message is None:  # deleted since
            continue
        seen = chosen.get(message.translation_key)
        if seen is not None and (seen.message.locale.language_code == language or seen.at > entry.timestamp):
            continue
        chosen[message.translation_key] = Withdrawn(
            message=message, by=entry.user, reason=(entry.data or {}).get("reason", ""), at=entry.timestamp
        )
    return sorted(chosen.values(), key=lambda item: item.at, reverse=True)[:SHOWN]


class MyMessagesPanel(Component):
    name = "my_messages"
    order = 90
    template_name = "messaging/dashboard/my_messages.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        came_back = came_back_to(self.user)
        returned = {item.message.pk for item in came_back}
        return {"drafts": [m for m in drafts_of(self.user) if m.pk not in returned], "came_back": came_back}


class RecentlyWithdrawnPanel(Component):
    name = "recently_withdrawn"
    order = 240
    template_name = "messaging/dashboard/recently_withdrawn.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"withdrawn": recently_withdrawn()}
