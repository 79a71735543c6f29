"""Subscribing, confirming, unsubscribing, and turning outbox events into e-mails.

Outbox events are read with a cursor of our own (`OutboxCursor`), so the relay in `messaging` needs no handler
for subscriptions: a signal on each new event and a periodic task both run `outbox_read`, which is safe to run
any number of times. A message is owed to subscribers only while `public_messages` shows it, checked when the
event is read and again when the e-mail is sent (a message withdrawn in between is never mailed).
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from hub.celery import task
from messaging.enums import EventKind
from messaging.models import Message, MessageEvent
from messaging.selectors import public_messages
from subscriptions.emails import confirmation_email, notification_email
from subscriptions.enums import Frequency
from subscriptions.models import Notification, OutboxCursor, Subscription
from subscriptions.selectors import subscriptions_following

logger = logging.getLogger("tawasul")
NOTIFYING_KINDS = (EventKind.PUBLISHED, EventKind.UPDATED, EventKind.AUDIENCE_CHANGED, EventKind.EMBARGO_LIFTED)
OUTBOX_BATCH = 500
SEND_LOCK = "tawasul:subscriptions:sending"


def email_normalise(email: str) -> str:
    return email.strip().lower()


def subscription_request(
    *, email: str, language_code: str, target_kind: str, target_key: uuid.UUID, frequency: str
) -> None:
    """Ask an address to confirm a subscription. Whether the address is new, pending or already confirmed, the
    caller sees the same outcome; only a pending subscription is (re)sent its confirmation."""
    with transaction.atomic():
        subscription, _ = Subscription.objects.get_or_create(
            email=email_normalise(email),
            language_code=language_code,
            target_kind=target_kind,
            target_key=target_key,
            defaults={"frequency": frequency},
        )
        if subscription.confirmed_at is None and subscription.frequency != frequency:
            subscription.frequency = frequency
            subscription.save(update_fields=["frequency"])
        transaction.on_commit(lambda: task_enqueue("confirmation_send", subscription.pk))


def confirmation_send(*, subscription_id: int) -> bool:
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True).first()
    if subscription is None:
        return False
    confirmation_email(subscription=subscription).send()
    return True


def subscription_confirm(*, subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def subscription_cancel(*, subscription: Subscription) -> None:
    """Unsubscribing forgets the address: the row and whatever was still owed to it are deleted."""
    subscription.delete()


def unconfirmed_purge(*, older_than: timedelta | None = None) -> int:
    days = getattr(settings, "TAWASUL_SUBSCRIPTIONS_UNCONFIRMED_DAYS", 7)
    cutoff = timezone.now() - (older_than or timedelta(days=days))
    deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def outbox_read(*, batch: int = OUTBOX_BATCH) -> int:
    """Read outbox events past the cursor and record a notification for every confirmed subscription that
    follows a message the public may now read. Returns the number of notifications recorded."""
    with transaction.atomic():
        cursor, _ = OutboxCursor.objects.select_for_update().get_or_create(pk=1)
        events = list(
            MessageEvent.objects.filter(position__gt=cursor.last_position)
            .order_by("position")
            .values("position", "kind", "message_id", "version")[:batch]
        )
        if not events:
            return 0
        owed = {(e["message_id"], e["version"]) for e in events if e["kind"] in NOTIFYING_KINDS and e["message_id"]}
        rows = public_messages().filter(pk__in={message_id for message_id, _ in owed})
        notifications: list[Notification] = []
        for row in rows.values(
            "pk", "version", "locale__language_code", "campaign__translation_key", "topic__translation_key"
        ):
            versions = {version for message_id, version in owed if message_id == row["pk"]}
            followers = subscriptions_following(
                language_code=row["locale__language_code"],
                campaign_key=row["campaign__translation_key"],
                topic_key=row["topic__translation_key"],
            ).values_list("pk", flat=True)
            notifications += [
                Notification(subscription_id=pk, message_id=row["pk"], version=version)
                for pk in followers
                for version in versions
            ]
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        cursor.last_position = events[-1]["position"]
        cursor.save(update_fields=["last_position"])
        if notifications:
            transaction.on_commit(lambda: task_enqueue("notifications_send"))
        if len(events) == batch:
            transaction.on_commit(lambda: task_enqueue("outbox_dispatch"))
    return len(notifications)


def notifications_send(*, batch: int | None = None) -> int:
    """Send up to `batch` immediate notifications over one SMTP connection, each marked sent as soon as the
    server accepted it, so a failure part-way (raised, for the task to retry) never repeats an e-mail.
    One sender at a time (a cache lock), so two workers do not send the same row."""
    batch = batch or settings.TAWASUL_SUBSCRIPTIONS_BATCH
    if not cache.add(SEND_LOCK, 1, 300):
        return 0
    try:
        pending = list(
            Notification.objects.filter(
                sent_at__isnull=True,
                subscription__frequency=Frequency.IMMEDIATE,
                subscription__confirmed_at__isnull=False,
            )
            .select_related("subscription")
            .order_by("pk")[:batch]
        )
        sent = _send_grouped({notification.pk: [notification] for notification in pending}, digest=False)
    finally:
        cache.delete(SEND_LOCK)
    if len(pending) == batch:
        task_enqueue("notifications_send")
    return sent


def digests_send(*, batch: int | None = None) -> int:
    """One e-mail per daily subscription with messages owed, up to `batch` subscriptions a run; the task runs
    again while some remain."""
    batch = batch or settings.TAWASUL_SUBSCRIPTIONS_BATCH
    owed = (
        Notification.objects.filter(
            sent_at__isnull=True,
            subscription__frequency=Frequency.DAILY,
            subscription__confirmed_at__isnull=False,
        )
        .order_by("subscription_id")
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    subscription_ids = list(owed[:batch])
    groups: dict[int, list[Notification]] = defaultdict(list)
    for notification in (
        Notification.objects.filter(subscription_id__in=subscription_ids, sent_at__isnull=True)
        .select_related("subscription")
        .order_by("pk")
    ):
        groups[notification.subscription_id].append(notification)
    sent = _send_grouped(groups, digest=True)
    if len(subscription_ids) == batch:
        task_enqueue("digests_send")
    return sent


def _send_grouped(groups: dict[int, list[Notification]], *, digest: bool) -> int:
    message_ids = {n.message_id for group in groups.values() for n in group}
    readable = {m.pk: m for m in public_messages().filter(pk__in=message_ids).select_related("topic", "campaign")}
    sent = 0
    with get_connection() as connection:
        for group in groups.values():
            messages = _unique(readable[n.message_id] for n in group if n.message_id in readable)
            ids = [n.pk for n in group]
            if messages:
                email = notification_email(subscription=group[0].subscription, messages=messages, digest=digest)
                connection.send_messages([email])
                sent += 1
            Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now())
    return sent


def _unique(messages: Iterable[Message]) -> list[Message]:
    return list({message.pk: message for message in messages}.values())


def task_enqueue(task_name: str, *args: object) -> None:
    try:
        task(f"subscriptions.tasks.{task_name}").delay(*args)
    except Exception:
        logger.warning("Broker unavailable; subscriptions task %s left for the periodic run", task_name)
