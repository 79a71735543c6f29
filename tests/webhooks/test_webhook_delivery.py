"""Deliveries end to end in-process: publish → outbox → fan-out → signed POST to a local receiver."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from institutions.ledger import Delivery
from messaging.selectors import visible_messages_for
from messaging.services.messages import message_withdraw
from tests.factories import InstitutionFactory, MessageFactory, UserFactory, release
from tests.webhooks.conftest import endpoint_for
from webhooks.delivery import deliveries_due_enqueue, delivery_attempt, delivery_redeliver
from webhooks.enums import DeliveryStatus
from webhooks.fanout import event_fanout
from webhooks.models import WebhookAttempt, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return MessageFactory.create_published(**kwargs)

    return run


def test_publish_delivers_one_signed_webhook_with_the_visible_document(receiver, publish):
    institution = InstitutionFactory()
    endpoint_for(receiver, institution)

    message = publish()

    assert len(receiver.received) == 1
    request = receiver.received[0]
    body = receiver.verify(request.body, request.headers)
    assert body["type"] == "message.published"
    assert body["data"]["message_id"] == str(message.translation_key)
    assert body["data"]["message"]["translations"]["ar"]["title"] == message.title
    assert request.headers["webhook-signature"].startswith("v1,")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.webhook_id == request.webhook_id
    assert Delivery.objects.filter(institution=institution, message=message, channel="webhook").count() == 1


def test_restricted_message_reaches_only_its_audience(receiver, publish):
    audience, outsider = InstitutionFactory(), InstitutionFactory()
    endpoint_for(receiver, outsider)

    publish(audience_of=[audience])

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_withdrawal_sends_a_tombstone_without_content(receiver, publish, django_capture_on_commit_callbacks):
    endpoint_for(receiver, InstitutionFactory())
    message = publish()
    with django_capture_on_commit_callbacks(execute=True):
        message_withdraw(message=message, user=UserFactory(is_superuser=True), reason="withdrawn")

    tombstone = receiver.received[-1].payload
    assert tombstone["type"] == "message.withdrawn"
    assert tombstone["data"]["tombstone"] is True
    assert tombstone["data"]["message"] is None
    assert set(tombstone["data"]) == {
        "position", "kind", "message_id", "locale", "version", "occurred_at", "tombstone", "message"
    }  # fmt: skip


def test_narrowed_audience_tells_the_excluded_institution_only_that_access_was_removed(
    receiver, publish, django_capture_on_commit_callbacks
):
    kept, dropped = InstitutionFactory(), InstitutionFactory()
    endpoint_for(receiver, dropped)
    message = publish(audience_of=[kept, dropped])
    message.audience.set([kept])
    message.title = "عنوان محدث"
    message.change_note = "تضييق الجمهور"
    message.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        release(message)
    last = receiver.received[-1].payload
    assert last["type"] == "message.access_removed"
    assert last["data"]["message"] is None
    assert "عنوان محدث" not in receiver.received[-1].body.decode()


def test_endpoint_receives_only_the_event_types_it_subscribes_to(receiver, publish, django_capture_on_commit_callbacks):
    endpoint_for(receiver, InstitutionFactory(), event_types=["message.withdrawn"])
    message = publish()
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True):
        message_withdraw(message=message, user=UserFactory(is_superuser=True), reason="withdrawn")
    assert [r.payload["type"] for r in receiver.received] == ["message.withdrawn"]


def test_fanout_twice_for_one_event_creates_and_sends_nothing_more(receiver, publish):
    endpoint_for(receiver, InstitutionFactory())
    message = publish()

    assert event_fanout(message.events.get()) == []
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.received) == 1


def test_fanout_asks_the_selector_for_each_institution_and_loads_the_message_once(receiver):
    from webhooks import fanout

    institutions = [InstitutionFactory() for _ in range(3)]
    for institution in institutions:
        endpoint_for(receiver, institution)
    hidden = institutions[1]
    message = MessageFactory.create_published()  # its relay has not run: no on-commit hook runs in this test

    def selector(institution):  # type: ignore[no-untyped-def]
        rows = visible_messages_for(institution)
        return rows.none() if institution.pk == hidden.pk else rows

    with (
        mock.patch("webhooks.fanout.visible_messages_for", side_effect=selector) as asked,
        mock.patch("webhooks.fanout.document_rows", wraps=fanout.document_rows) as loaded,
    ):
        created = event_fanout(message.events.get())

    deliveries = list(WebhookDelivery.objects.filter(pk__in=created).select_related("endpoint"))
    assert {d.endpoint.institution_id for d in deliveries} == {institutions[0].pk, institutions[2].pk}
    assert asked.call_count == 3 and loaded.call_count == 1
    documents = [d.payload["data"]["message"] for d in deliveries]
    assert documents[0] == documents[1] and documents[0]["id"] == str(message.translation_key)


def test_failed_attempts_are_logged_and_retried_with_growing_delays(receiver, publish, settings):
    settings.TAWASUL_WEBHOOKS_RETRY_DELAYS = [10, 100, 1000]
    receiver.statuses = [500, 503, 502]
    endpoint = endpoint_for(receiver, InstitutionFactory())
    publish()
    delivery = WebhookDelivery.objects.get()

    gaps = []
    for _ in range(2):
        delivery.refresh_from_db()
        gaps.append((delivery.next_attempt_at - timezone.now()).total_seconds())
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    gaps.append((delivery.next_attempt_at - timezone.now()).total_seconds())

    assert 8 < gaps[0] < 12 and 80 < gaps[1] < 120 and 800 < gaps[2] < 1200
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code, a.succeeded) for a in attempts] == [
        (1, 500, False),
        (2, 503, False),
        (3, 502, False),
    ]
    assert all(a.latency_ms is not None and a.finished_at for a in attempts)
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 3 and endpoint.is_active


def test_delivery_fails_for_good_once_retries_are_spent(receiver, publish, settings):
    settings.TAWASUL_WEBHOOKS_RETRY_DELAYS = [1]
    receiver.statuses = [500, 500]
    endpoint_for(receiver, InstitutionFactory())
    publish()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    assert delivery_attempt(delivery_id=delivery.pk) == "exhausted"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None


def test_gone_disables_the_endpoint(receiver, publish):
    receiver.statuses = [410]
    endpoint = endpoint_for(receiver, InstitutionFactory())
    publish()

    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    publish()
    assert len(receiver.received) == 1


def test_a_second_task_for_a_claimed_delivery_sends_nothing(receiver, publish):
    endpoint_for(receiver, InstitutionFactory())
    publish()
    delivery = WebhookDelivery.objects.get()

    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 1


def test_attempt_cut_off_by_a_dead_worker_is_closed_and_retried_after_its_claim(receiver, publish, settings):
    receiver.statuses = [500]
    settings.TAWASUL_WEBHOOKS_RETRY_DELAYS = [3600]
    endpoint_for(receiver, InstitutionFactory())
    publish()
    delivery = WebhookDelivery.objects.get()
    # A worker claimed it and died mid-request: an open attempt, the claim's lease running.
    WebhookAttempt.objects.create(delivery=delivery, number=2, started_at=timezone.now())
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=2, next_attempt_at=timezone.now() - timedelta(1))

    assert deliveries_due_enqueue() == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    cut_off = WebhookAttempt.objects.get(delivery=delivery, number=2)
    assert cut_off.finished_at and cut_off.error and not cut_off.succeeded
    assert len({r.webhook_id for r in receiver.received}) == 1


def test_redeliver_sends_the_same_webhook_id_again(receiver, publish, django_capture_on_commit_callbacks):
    endpoint_for(receiver, InstitutionFactory())
    publish()
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(delivery_id=delivery.pk)

    assert [r.webhook_id for r in receiver.received] == [delivery.webhook_id] * 2
    assert receiver.received[0].body == receiver.received[1].body
    assert len(receiver.effects) == 1


def test_webhook_data_is_the_change_feed_item(receiver, publish):
    """The webhook wraps the feed's item in its envelope: the same keys, the same values."""
    from tests.messaging.api_helpers import client_for, issue_key

    institution = InstitutionFactory()
    endpoint_for(receiver, institution)
    publish()
    body = receiver.verify(receiver.received[0].body, receiver.received[0].headers)
    item = client_for(issue_key(institution)).get("/api/v1/changes/").json()["results"][0]
    assert body["data"] == item
    assert (body["type"], body["timestamp"]) == (item["kind"], item["occurred_at"])
