"""Sending deliveries: claim, sign, post, log the attempt, and schedule the next one.

At most one attempt of a delivery is in flight: a claim (under a row lock) moves `next_attempt_at` forward by
a lease, so a duplicate task finds it not due and stops. A worker killed mid-request leaves the attempt row
open and the delivery due again when the lease ends; the periodic `webhook_retries_due` picks it up.
"""

from __future__ import annotations

import json
import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.celery import task
from institutions.enums import DeliveryChannel
from institutions.services import deliveries_record
from messaging.models import Message
from webhooks.enums import DeliveryStatus
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.signing import signed_headers
from webhooks.transport import PostOutcome, webhook_post

logger = logging.getLogger("tawasul")

DEFAULT_RETRY_DELAYS = (5, 30, 120, 600, 1800, 7200, 18000, 36000)
COUNTDOWN_LIMIT = 15 * 60  # longer waits are left to the periodic task rather than held in the broker
DUE_BATCH = 500
JITTER = 0.1


def retry_delays() -> list[float]:
    return [float(d) for d in getattr(settings, "TAWASUL_WEBHOOKS_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)]


def claim_seconds() -> float:
    return float(getattr(settings, "TAWASUL_WEBHOOKS_CLAIM_SECONDS", 120))


def retry_delay(attempts: int) -> float | None:
    """Seconds to wait after the `attempts`-th failed attempt, with ±10 % jitter; None once they are spent."""
    delays = retry_delays()
    if attempts > len(delays):
        return None
    return delays[attempts - 1] * random.uniform(1 - JITTER, 1 + JITTER)


def delivery_enqueue(delivery_id: int, *, countdown: float = 0) -> None:
    """Hand a delivery to the broker; if the broker is down the periodic task sends it when it is due."""
    try:
        task("webhooks.tasks.webhook_deliver").apply_async((delivery_id,), countdown=countdown or None)
    except Exception:
        logger.warning("Broker unavailable; webhook delivery %s left for the retry sweep", delivery_id)


def _claim(delivery_id: int, now: datetime) -> tuple[WebhookDelivery, WebhookAttempt] | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            return None
        WebhookAttempt.objects.filter(delivery=delivery, finished_at__isnull=True).update(
            finished_at=now, error=_("Interrupted: the worker stopped while the request was in flight.")
        )
        delivery.endpoint = endpoint
        delivery.attempts += 1
        delivery.next_attempt_at = now + timedelta(seconds=claim_seconds())
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        attempt = WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts, started_at=now)
    return delivery, attempt


def delivery_attempt(*, delivery_id: int) -> str:
    """Make the next attempt of a delivery if it is due. Returns what happened (for logs and tests)."""
    now = timezone.now()
    claimed = _claim(delivery_id, now)
    if claimed is None:
        return "skipped"
    delivery, attempt = claimed
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    headers = signed_headers(
        secrets_=delivery.endpoint.signing_secrets(now), webhook_id=delivery.webhook_id, at=now, body=body
    )
    outcome = webhook_post(url=delivery.endpoint.url, body=body, headers=headers)
    return _outcome_record(delivery, attempt, outcome)


def _outcome_record(delivery: WebhookDelivery, attempt: WebhookAttempt, outcome: PostOutcome) -> str:
    now = timezone.now()
    endpoint = delivery.endpoint
    attempt.finished_at = now
    attempt.status_code = outcome.status_code
    attempt.latency_ms = outcome.latency_ms
    attempt.error = outcome.error
    attempt.succeeded = outcome.succeeded
    delivery.last_status_code = outcome.status_code
    delivery.last_latency_ms = outcome.latency_ms
    delivery.last_error = outcome.error
    countdown: float | None = None
    with transaction.atomic():
        attempt.save()
        if outcome.succeeded:
            result = "succeeded"
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_count=0)
            if delivery.presented_message_id:
                rows = Message.objects.filter(pk=delivery.presented_message_id).select_related("locale")
                deliveries_record(institution_id=endpoint.institution_id, rows=rows, channel=DeliveryChannel.WEBHOOK)
        elif outcome.status_code == 410:
            result = "gone"
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                is_active=False,
                failure_count=F("failure_count") + 1,
                disabled_reason=_("The receiver answered 410 Gone."),
            )
        else:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_count=F("failure_count") + 1)
            delay = retry_delay(delivery.attempts)
            if delay is None:
                result = "exhausted"
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
            else:
                result = "retrying"
                delivery.next_attempt_at = now + timedelta(seconds=delay)
                countdown = delay if delay <= COUNTDOWN_LIMIT else None
        delivery.save(
            update_fields=[
                "status",
                "delivered_at",
                "next_attempt_at",
                "last_status_code",
                "last_latency_ms",
                "last_error",
            ]
        )
        if countdown is not None:
            transaction.on_commit(lambda: delivery_enqueue(delivery.pk, countdown=countdown + 0.05))
    return result


def deliveries_due_enqueue(*, limit: int = DUE_BATCH) -> int:
    """Send every pending delivery whose time has come (retries, expired claims, broker outages)."""
    due = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now(), endpoint__is_active=True
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for delivery_id in due:
        delivery_enqueue(delivery_id)
    return len(due)


def delivery_redeliver(*, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again now, whatever its state, with the same webhook id and payload (receivers that
    already processed it deduplicate). If this attempt fails too, the schedule continues where it stopped."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        transaction.on_commit(lambda: delivery_enqueue(delivery.pk))
    return delivery
