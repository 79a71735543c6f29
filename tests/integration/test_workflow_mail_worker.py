# ruff: noqa: F811 - fixtures imported from tests.webhooks.live are used as arguments
"""Wagtail's workflow e-mails through a real Celery worker and a real SMTP server: the admin's submission commits,
the worker sends the e-mail (`hub/workflow_mail.py`), the web process sends none."""

from __future__ import annotations

import email
import email.policy
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import InstitutionFactory, TopicFactory, UserFactory
from tests.messaging.admin_forms import message_form
from tests.smtp_server import smtp_server
from tests.webhooks.live import LIVE, broker, worker_ready  # noqa: F401
from tests.webhooks.worker import CeleryProcess, wait_until, worker

pytestmark = LIVE


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with smtp_server(handler) as port:
        yield handler, port


@pytest.fixture
def mailing_worker(broker: str, inbox: tuple[Inbox, int], tmp_path: Path) -> Iterator[CeleryProcess]:
    process = worker(tmp_path, TAWASUL_TEST_SMTP_PORT=str(inbox[1]))
    assert worker_ready(process), process.output()[-3000:]
    yield process
    process.stop()


def test_the_worker_mails_the_reviewers_once_the_submission_committed(client, inbox, mailing_worker):
    handler, _port = inbox
    communicator = UserFactory(username="communicator", groups=["Communicators"])
    UserFactory(username="reviewer", groups=["Reviewers"])
    client.force_login(communicator)
    data = message_form(topic=TopicFactory().pk, owner=InstitutionFactory().pk, title="رسالة للمراجعة")
    data = {**data, "action-submit": "on", "creation_token_value": str(uuid.uuid4())}
    response = client.post(reverse("wagtailsnippets_messaging_message:add") + "?locale=ar", data)
    assert response.status_code == 302, response.content[:500]

    def reviewer_mailed() -> bool:
        return any("reviewer@example.test" in recipients for recipients, _message in handler.received)

    assert wait_until(reviewer_mailed, 30), mailing_worker.output()[-3000:]
    (message,) = [message for recipients, message in handler.received if "reviewer@example.test" in recipients]
    assert "رسالة للمراجعة" in message["Subject"] + message.get_body(("plain",)).get_content()
    assert "workflow_mail_send" in mailing_worker.output()  # sent by the worker's task
    assert mail.outbox == []  # and not by the web process
