"""Time-driven changes (scheduled publishing, embargo lifts) and the outbox relay."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from messaging.enums import EventKind
from messaging.models import Message, MessageEvent
from messaging.services.relay import OutboxConsumer, event_process, outbox_consumers, outbox_pending_enqueue
from messaging.services.schedule import embargo_lifts_record, scheduled_publish_run
from messaging.tasks import embargo_lifts_record as embargo_task
from tests.factories import MessageFactory, release

pytestmark = pytest.mark.django_db


def _embargoed_then_passed() -> Message:
    message = MessageFactory.create_published()
    Message.objects.filter(pk=message.pk).update(embargo_until=timezone.now() - timedelta(minutes=1))
    MessageEvent.objects.filter(message=message).update(created_at=timezone.now() - timedelta(minutes=5))
    return message


def test_embargo_lift_recorded_once_per_message_however_often_it_runs():
    message = _embargoed_then_passed()

    assert [e.kind for e in embargo_lifts_record()] == [EventKind.EMBARGO_LIFTED]
    assert embargo_lifts_record() == []
    assert embargo_task.delay().get() == 0
    assert MessageEvent.objects.filter(message=message, kind=EventKind.EMBARGO_LIFTED).count() == 1


def test_embargo_lift_not_owed_while_embargoed_or_when_published_after_it():
    embargoed = MessageFactory.create_published()
    Message.objects.filter(pk=embargoed.pk).update(embargo_until=timezone.now() + timedelta(hours=1))
    published_after = MessageFactory.create_published()
    Message.objects.filter(pk=published_after.pk).update(embargo_until=timezone.now() - timedelta(hours=1))

    assert embargo_lifts_record() == []


def test_embargo_lift_not_owed_for_a_withdrawn_message():
    message = _embargoed_then_passed()
    message.unpublish()
    assert embargo_lifts_record() == []


def test_scheduled_publish_publishes_what_fell_due_while_nothing_ran():
    message = MessageFactory()
    message.go_live_at = timezone.now() + timedelta(hours=1)
    revision = message.save_revision()
    release(message)
    past = timezone.now() - timedelta(minutes=10)
    type(revision).objects.filter(pk=revision.pk).update(
        approved_go_live_at=past, content={**revision.content, "go_live_at": past.isoformat()}
    )
    Message.objects.filter(pk=message.pk).update(go_live_at=past)

    assert scheduled_publish_run() is True
    message.refresh_from_db()
    assert message.live
    assert MessageEvent.objects.filter(message=message, kind=EventKind.PUBLISHED).count() == 1


def test_relay_runs_every_handler_and_keeps_a_failed_event_for_retry():
    message = MessageFactory.create_published()
    event = message.events.get()
    MessageEvent.objects.filter(pk=event.pk).update(processed_at=None)
    calls = []

    def broken(event):  # type: ignore[no-untyped-def]
        raise ConnectionError("engine down")

    consumers = [OutboxConsumer("broken", broken, 1), OutboxConsumer("recorder", calls.append, 2)]
    with (
        mock.patch("messaging.services.relay.outbox_consumers", return_value=consumers),
        pytest.raises(RuntimeError),
    ):
        event_process(event_id=event.pk)
    event.refresh_from_db()
    assert calls == [event] and event.processed_at is None and event.attempts >= 1

    with mock.patch("messaging.services.relay.outbox_consumers", return_value=consumers[1:]):
        event_process(event_id=event.pk)
    event.refresh_from_db()
    assert event.processed_at is not None


def test_outbox_consumers_registered_by_their_apps_run_fan_out_first():
    """Each consumer registers itself in its own AppConfig.ready(); the relay imports none of them."""
    assert [consumer.name for consumer in outbox_consumers()] == ["webhooks", "search", "contact notifications"]


def test_outbox_sweeper_resends_only_events_left_unprocessed_past_the_grace_period():
    message = MessageFactory.create_published()
    MessageEvent.objects.filter(message=message).update(processed_at=None)
    with mock.patch("messaging.tasks.event_relay.delay") as delay:
        assert outbox_pending_enqueue() == 0
        MessageEvent.objects.filter(message=message).update(created_at=timezone.now() - timedelta(minutes=1))
        assert outbox_pending_enqueue() == 1
    delay.assert_called_once_with(message.events.get().pk)
