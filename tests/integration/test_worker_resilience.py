# ruff: noqa: F811 - fixtures imported from tests.webhooks.live are used as arguments
"""Nothing is lost: a worker killed mid-delivery, a broker down during an approval."""

from __future__ import annotations

import re
import time
from pathlib import Path

from django.conf import settings

from tests.integration.conftest import services
from tests.webhooks.live import (
    LIVE,
    approve_through_workflow,
    broker,  # noqa: F401
    draft_message,
    institution_with_endpoint,
    live_receiver,  # noqa: F401
    worker_ready,
)
from tests.webhooks.worker import CeleryProcess, beat, wait_until, worker
from webhooks.enums import DeliveryStatus
from webhooks.models import WebhookAttempt, WebhookDelivery

pytestmark = LIVE


def test_worker_killed_mid_delivery_delivers_once_after_restart(broker, live_receiver, tmp_path: Path):
    live_receiver.hold = lambda item: len(live_receiver.received) == 1  # the first request never gets an answer
    institution_with_endpoint(live_receiver)
    first = worker(tmp_path, "first")
    scheduler = None
    second = None
    try:
        assert worker_ready(first), first.output()[-3000:]
        approve_through_workflow(draft_message())
        assert live_receiver.arrived.wait(10), first.output()[-3000:]

        first.kill()
        live_receiver.release.set()
        assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING

        second = worker(tmp_path, "second")
        scheduler = beat(tmp_path)  # its webhook-retries-due entry resends the delivery once the claim lapses
        assert wait_until(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(), 60), (
            second.output()[-3000:] + scheduler.output()[-2000:]
        )
    finally:
        for process in (first, second, scheduler):
            if process:
                process.stop()

    ids = [r.webhook_id for r in live_receiver.received]
    assert len(ids) >= 2 and len(set(ids)) == 1  # the same webhook-id, sent again
    assert len(live_receiver.effects) == 1  # applied once
    attempts = list(WebhookAttempt.objects.order_by("number"))
    assert attempts[0].finished_at and not attempts[0].succeeded and attempts[0].error  # closed as interrupted
    assert attempts[-1].succeeded


def worker_idle(process: CeleryProcess, url: str) -> bool:
    """Nothing waiting in the broker's queues, and every task the worker received has finished (its log says so)."""
    import redis

    log = process.output()
    received = len(re.findall(r"Task \S+\[[0-9a-f-]+\] received", log))
    finished = len(re.findall(r"Task \S+\[[0-9a-f-]+\] (succeeded|raised|retry|failed)", log))
    client = redis.Redis.from_url(url)
    try:
        return finished >= received and not any(client.llen(queue) for queue in settings.CELERY_TASK_QUEUES)
    finally:
        client.close()


def test_worker_broker_down_during_approval_event_delivered_after_broker_returns(broker, live_receiver, tmp_path: Path):
    institution_with_endpoint(live_receiver)
    message = draft_message()
    running = worker(tmp_path)
    scheduler = None
    try:
        assert worker_ready(running), running.output()[-3000:]
        # What the set-up queued (the institution's and the message's index updates) is done first: the outage
        # is the approval's. A worker holding an unacknowledged task when Redis disappears is killed by the
        # locked kombu (README, "Background work"): a different failure, which a supervisor's restart answers.
        assert wait_until(lambda: worker_idle(running, broker), 30), running.output()[-3000:]
        time.sleep(0.5)  # the last acknowledgement reaches Redis
        services("down", "redis")
        try:
            started = time.monotonic()
            approve_through_workflow(message)
            approval_seconds = time.monotonic() - started
        finally:
            services("up", "redis")
        returned = time.monotonic()
        print(f"approval with Redis down took {approval_seconds:.2f} s")
        assert approval_seconds < 10
        message.refresh_from_db()
        assert message.live

        scheduler = beat(tmp_path)  # the outbox sweeper re-sends the event the broker never got
        assert wait_until(lambda: live_receiver.effects, 60), running.output()[-3000:] + scheduler.output()[-2000:]
        print(f"delivered {time.monotonic() - returned:.1f} s after Redis returned")
    finally:
        for process in (running, scheduler):
            if process:
                process.stop()
    assert len(live_receiver.effects) == 1
