"""Wagtail's workflow e-mails are sent after the action that occasions them commits (`hub.workflow_mail`), through
the admin's own views."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from wagtail.models import WorkflowState

from hub import workflow_mail
from messaging.models import Message
from tests.factories import InstitutionFactory, TopicFactory, UserFactory
from tests.messaging.admin_forms import message_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: None) -> dict:
    return {
        "communicator": UserFactory(username="communicator", groups=["Communicators"]),
        "reviewer": UserFactory(username="reviewer", groups=["Reviewers"]),
        "approver": UserFactory(username="approver", groups=["Approvers"]),
    }


def submit(client, user) -> Message:
    client.force_login(user)
    data = message_form(topic=TopicFactory().pk, owner=InstitutionFactory().pk, change_note="أول")
    data = {**data, "action-submit": "on", "creation_token_value": str(uuid.uuid4())}
    response = client.post(reverse("wagtailsnippets_messaging_message:add") + "?locale=ar", data)
    assert response.status_code == 302, response.content[:500]
    return Message.objects.get()


def test_submission_mails_the_reviewers_once_committed_not_during_the_request(
    client, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        submit(client, people["communicator"])
    assert mail.outbox == []  # the request has answered; nothing was sent inside it
    for callback in callbacks:
        callback()  # the commit
    recipients = {address for message in mail.outbox for address in message.to}
    assert "reviewer@example.test" in recipients
    assert "communicator@example.test" not in recipients  # Wagtail's own rule: not to the submitter
    assert all("رسالة من المحرر" in message.subject + message.body for message in mail.outbox)


def test_an_action_rolled_back_sends_nothing(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                submit(client, people["communicator"])
                raise RuntimeError("the action failed after the submission")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_with_the_broker_down_the_mail_is_sent_by_the_committing_process(
    client, people, django_capture_on_commit_callbacks, monkeypatch
):
    class Down:
        def delay(self, *args: object) -> None:
            raise ConnectionError("broker unreachable")

    monkeypatch.setattr(workflow_mail, "task", lambda name: Down())
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, people["communicator"])
    assert "reviewer@example.test" in {address for message in mail.outbox for address in message.to}


def test_a_state_deleted_before_the_worker_runs_sends_nothing(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        submit(client, people["communicator"])
    WorkflowState.objects.all().delete()
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_wagtail_notifiers_are_replaced_not_doubled():
    for kind, (signal, _sender, dispatch_uid, _notifier) in workflow_mail.NOTIFICATIONS.items():
        receivers = {lookup[0][0] for lookup in signal.receivers}
        assert dispatch_uid not in receivers, kind
        assert f"tawasul-{kind}-mail" in receivers, kind
