"""A message whose workflow waits at the outside clearance step: published once (so there is an approved version to
compare with), edited, submitted, and approved by a reviewer at the editorial step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from wagtail.models import TaskState

from clearance.models import ClearanceLink
from clearance.services import clearance_link_send
from clearance.tokens import token_for
from messaging.models import Message
from messaging.services.messages import message_approve_step, message_submit
from tests.factories import MessageFactory, locale

APPROVED_KEY_MESSAGE = "رسائل حكومية متسقة عبر توجه موحد"
NEW_KEY_MESSAGE = "رسائل حكومية متسقة وموحدة في كل المنصات"


@dataclass
class AtClearance:
    message: Message
    task_state: TaskState

    def refresh(self) -> AtClearance:
        self.message.refresh_from_db()
        self.task_state.refresh_from_db()
        return self

    @property
    def current_task_name(self) -> str | None:
        self.message.refresh_from_db()
        state = self.message.current_workflow_state
        return state.current_task_state.task.name if state else None


@pytest.fixture
def clearance_workflow(db: None) -> None:
    call_command("clearance_setup", verbosity=0)


@pytest.fixture
def at_clearance(db: None, communicator, reviewer, approver) -> AtClearance:
    message = MessageFactory.create_published(key_message=APPROVED_KEY_MESSAGE)
    call_command("clearance_setup", verbosity=0)  # after the first release, which went through the two steps
    english = message.copy_for_translation(locale("en"))
    english.title, english.key_message = "Unified messages", "Consistent government messages"
    english.live = False  # a draft translation
    english.save()
    english.save_revision(user=communicator)
    message.key_message = NEW_KEY_MESSAGE
    message.change_note = "صياغة أوضح"
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)
    message.refresh_from_db()
    message_approve_step(message=message, user=reviewer)
    message.refresh_from_db()
    task_state = message.current_workflow_state.current_task_state
    assert task_state.task.name == "Outside clearance"
    return AtClearance(message, task_state)


@pytest.fixture
def send_link(reviewer) -> Any:
    def send(at: AtClearance, **overrides: Any) -> tuple[ClearanceLink, str]:
        fields = {"name": "Salma Al-Harthy", "email": "office@minister.example", "institution": "Minister's office"}
        link = clearance_link_send(task_state=at.task_state, sent_by=reviewer, language="ar", **{**fields, **overrides})
        return link, token_for(link.pk)

    return send
