"""The outbox relay: webhook deliveries are handed to the broker before the search engine is updated, on a queue
of their own, and an event is marked processed only once both handlers ran (a re-run sends nothing twice)."""

from __future__ import annotations

from unittest import mock

import pytest

from messaging.models import MessageEvent
from messaging.services.relay import EventHandlersFailed, event_process
from tests.factories import InstitutionFactory, MessageFactory
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_create

# Transactional: outside a test transaction each on-commit hook runs when its row commits, as in a worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def unprocessed_event() -> MessageEvent:
    """A published message whose relay has not run yet, and one subscribed endpoint."""
    endpoint_create(institution=InstitutionFactory(), url="http://127.0.0.1:9/hook")
    with mock.patch("messaging.tasks.event_relay.delay"):
        message = MessageFactory.create_published()
    event = message.events.get()
    assert event.processed_at is None and not WebhookDelivery.objects.exists()
    return event


def test_relay_sends_deliveries_to_the_broker_before_updating_the_search_index(unprocessed_event):
    order: list[str] = []
    with (
        mock.patch("webhooks.tasks.webhook_deliver.apply_async", side_effect=lambda *a, **k: order.append("send")),
        mock.patch("search.indexing.object_index", side_effect=lambda **kwargs: order.append("index")),
    ):
        event_process(event_id=unprocessed_event.pk)

    assert order == ["send", "index"]
    unprocessed_event.refresh_from_db()
    assert unprocessed_event.processed_at is not None


def test_engine_failure_after_the_fan_out_keeps_the_event_and_a_rerun_sends_nothing_twice(unprocessed_event):
    sent: list[int] = []
    with (
        mock.patch("webhooks.tasks.webhook_deliver.apply_async", side_effect=lambda args, **k: sent.append(args[0])),
        mock.patch("search.indexing.object_index", side_effect=ConnectionError("engine down")),
        pytest.raises(EventHandlersFailed),
    ):
        event_process(event_id=unprocessed_event.pk)
    unprocessed_event.refresh_from_db()
    assert unprocessed_event.processed_at is None and len(sent) == 1

    with (
        mock.patch("webhooks.tasks.webhook_deliver.apply_async", side_effect=lambda args, **k: sent.append(args[0])),
        mock.patch("search.indexing.object_index") as index,
    ):
        event_process(event_id=unprocessed_event.pk)
    unprocessed_event.refresh_from_db()
    assert unprocessed_event.processed_at is not None
    assert len(sent) == 1 and WebhookDelivery.objects.count() == 1
    index.assert_called_once()


def test_webhook_deliveries_have_a_queue_of_their_own_that_a_plain_worker_consumes():
    from hub.celery import app

    def queue_of(task: str) -> str:
        return str(app.amqp.router.route({}, task, (1,), {})["queue"].name)

    assert queue_of("webhooks.tasks.webhook_deliver") == "webhooks"
    assert queue_of("messaging.tasks.event_relay") == "celery"
    assert queue_of("search.tasks.index_update_apply") == "celery"
    assert queue_of("webhooks.tasks.webhook_retries_due") == "celery"
    # A worker started without -Q consumes every queue declared here.
    assert set(app.amqp.queues) == {"celery", "webhooks"}
