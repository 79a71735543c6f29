"""Fixtures and steps shared by the integration tests that run a real worker (imported by those test modules)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from messaging.services.messages import message_submit
from tests.factories import InstitutionFactory, MessageFactory, UserFactory
from tests.webhooks.receiver import Receiver, receiver_running
from tests.webhooks.worker import CeleryProcess, worker

LIVE = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def broker(redis_url: str, postgres_in_use: None) -> Iterator[str]:
    """This test process sends tasks to Redis instead of running them in-process."""
    from hub.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield redis_url
    app.conf.task_always_eager = eager


@pytest.fixture
def live_receiver() -> Iterator[Receiver]:
    with receiver_running() as receiver:
        yield receiver


@pytest.fixture
def celery_worker(broker: str, tmp_path: Path) -> Iterator[CeleryProcess]:
    process = worker(tmp_path)
    ready = _wait_for_log(process, "ready.", 60)
    assert ready, process.output()[-3000:]
    yield process
    process.stop()


def _wait_for_log(process: CeleryProcess, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in process.output():
            return True
        time.sleep(0.1)
    return False


def worker_ready(process: CeleryProcess) -> bool:
    return _wait_for_log(process, "ready.", 60)


def approve_through_workflow(message: Any) -> float:
    """Reviewer then approver approve the message; returns the moment the approval committed."""
    communicator = UserFactory(username="communicator", groups=["Communicators"])
    reviewer = UserFactory(username="reviewer", groups=["Reviewers"])
    approver = UserFactory(username="approver", groups=["Approvers"])
    message.save_revision(user=communicator)
    message_submit(message=message, user=communicator)
    for user in (reviewer, approver):
        message.refresh_from_db()
        state = message.current_workflow_state.current_task_state
        # A first release waits for its translation unless the final approver releases the Arabic now.
        state.task.specific.on_action(state, user, "approve", release_before_translation=user is approver)
    return time.monotonic()


def institution_with_endpoint(receiver: Receiver, **fields: Any) -> Any:
    from webhooks.services import endpoint_create

    institution = InstitutionFactory()
    endpoint = endpoint_create(institution=institution, url=receiver.url, **fields)
    receiver.secret = endpoint.secret
    return institution


def draft_message(**kwargs: Any) -> Any:
    return MessageFactory(**kwargs)
