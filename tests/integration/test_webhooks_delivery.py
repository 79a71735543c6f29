# ruff: noqa: F811 - fixtures imported from tests.webhooks.live are used as arguments
"""Webhooks through a real worker and Redis: an approval reaches a local receiver, signed, within seconds;
failures are retried with growing gaps; 410 disables the endpoint; a stale replay is refused; deliveries travel
on a queue of their own."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import httpx
import standardwebhooks.webhooks as standard

from messaging.models import MessageEvent
from tests.webhooks.live import (
    LIVE,
    approve_through_workflow,
    broker,  # noqa: F401
    celery_worker,  # noqa: F401
    draft_message,
    institution_with_endpoint,
    live_receiver,  # noqa: F401
    worker_ready,
)
from tests.webhooks.worker import wait_until, worker
from webhooks.enums import DeliveryStatus
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

pytestmark = LIVE


def test_webhooks_approval_is_delivered_signed_within_five_seconds(celery_worker, live_receiver):
    institution_with_endpoint(live_receiver)
    message = draft_message()

    approved_at = approve_through_workflow(message)

    assert wait_until(lambda: live_receiver.effects, 5), celery_worker.output()[-3000:]
    latency = live_receiver.received[0].at - approved_at
    print(f"approval → webhook received: {latency * 1000:.0f} ms")
    request = live_receiver.received[0]
    payload = live_receiver.verify(request.body, request.headers)
    assert payload["type"] == "message.published"
    assert payload["data"]["message"]["id"] == str(message.translation_key)
    assert wait_until(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(), 5)


def test_webhooks_replay_older_than_five_minutes_is_refused_by_the_receiver(celery_worker, live_receiver, monkeypatch):
    institution_with_endpoint(live_receiver)
    approve_through_workflow(draft_message())
    assert wait_until(lambda: live_receiver.effects, 5)
    original = live_receiver.received[0]
    replay_headers = {k: v for k, v in original.headers.items() if k.startswith("webhook-")}

    # Replayed at once: valid, but the receiver applies each webhook-id once.
    assert httpx.post(live_receiver.url, content=original.body, headers=replay_headers).status_code == 200
    assert len(live_receiver.effects) == 1

    class SixMinutesLater(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return datetime.now(tz) + timedelta(minutes=6)

    monkeypatch.setattr(standard, "datetime", SixMinutesLater)
    assert httpx.post(live_receiver.url, content=original.body, headers=replay_headers).status_code == 400
    assert live_receiver.rejected == ["Message timestamp too old"]
    assert len(live_receiver.effects) == 1


def test_webhooks_receiver_answering_500_sees_retries_with_growing_gaps(celery_worker, live_receiver):
    live_receiver.statuses = [500, 500, 500]  # then 200
    institution_with_endpoint(live_receiver)
    approve_through_workflow(draft_message())

    assert wait_until(lambda: len(live_receiver.received) >= 4, 30), celery_worker.output()[-3000:]
    times = [r.at for r in live_receiver.received[:4]]
    gaps = [b - a for a, b in pairwise(times)]
    print("gaps between attempts (s):", [round(g, 2) for g in gaps])
    assert gaps[0] < gaps[1] < gaps[2]
    assert len({r.webhook_id for r in live_receiver.received}) == 1
    assert len(live_receiver.effects) == 1
    assert wait_until(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(), 5)
    statuses = list(WebhookAttempt.objects.order_by("number").values_list("status_code", flat=True))
    assert statuses == [500, 500, 500, 200]


def test_webhooks_receiver_answering_410_disables_its_endpoint(celery_worker, live_receiver):
    live_receiver.statuses = [410]
    institution_with_endpoint(live_receiver)
    approve_through_workflow(draft_message())

    assert wait_until(lambda: not WebhookEndpoint.objects.get().is_active, 10), celery_worker.output()[-3000:]
    time.sleep(2)
    assert len(live_receiver.received) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_webhooks_deliveries_travel_on_their_own_queue(broker, live_receiver, tmp_path: Path):
    """A worker on `celery` alone relays the event (fan-out, index) but sends nothing; a worker on `webhooks`
    then sends the delivery. (A worker without `-Q`, as in the tests above, consumes both.)"""
    institution_with_endpoint(live_receiver)
    message = draft_message()
    relay = worker(tmp_path, "relay", queues="celery")
    webhooks = None
    try:
        assert worker_ready(relay), relay.output()[-3000:]
        approve_through_workflow(message)
        relayed = wait_until(lambda: MessageEvent.objects.filter(processed_at__isnull=False).exists(), 10)
        assert relayed, relay.output()[-3000:]
        assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
        time.sleep(1)
        assert live_receiver.received == []

        webhooks = worker(tmp_path, "webhooks", queues="webhooks")
        assert worker_ready(webhooks), webhooks.output()[-3000:]
        assert wait_until(lambda: live_receiver.effects, 5), webhooks.output()[-3000:]
    finally:
        for process in (relay, webhooks):
            if process:
                process.stop()
    received = "Task {}["  # the worker's INFO line for each task it takes (its banner lists every task by name)
    assert received.format("webhooks.tasks.webhook_deliver") in webhooks.output()
    assert received.format("webhooks.tasks.webhook_deliver") not in relay.output()
    assert received.format("messaging.tasks.event_relay") in relay.output()
