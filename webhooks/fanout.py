"""From one outbox event to one delivery per subscribed endpoint, each carrying only what its institution may see.

Called by the outbox relay (`messaging.services.relay`), possibly more than once for the same event: a delivery
is unique per (endpoint, event), so a second run creates nothing and sends nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging.api.documents import document_rows, feed_item, plain, references, resolved
from messaging.enums import ACCESS_REMOVED
from messaging.models import TOMBSTONE_KINDS, Message, MessageEvent, MessageEventRecipient
from messaging.selectors import InstitutionRef, visible_messages_for
from webhooks.delivery import delivery_enqueue
from webhooks.enums import DeliveryStatus
from webhooks.models import WebhookDelivery, WebhookEndpoint


def _concerned_endpoints(event: MessageEvent) -> tuple[list[WebhookEndpoint], set[int]]:
    recipients = MessageEventRecipient.objects.filter(event_id=event.pk)
    removed = set(recipients.filter(removed=True).values_list("institution_id", flat=True))
    endpoints = WebhookEndpoint.objects.filter(is_active=True, institution__is_active=True).select_related(
        "institution"
    )
    if not event.audience_all:
        endpoints = endpoints.filter(institution_id__in=recipients.values("institution_id"))
    return list(endpoints), removed


class Presented:
    """What one fan-out has loaded: each presented row as a document row (`messaging.api.documents`, with its
    source version) and its document, built once however many institutions see it (whether an institution sees
    it is still asked of the selector, per institution)."""

    def __init__(self) -> None:
        self.rows: dict[int, Any] = {}
        self.documents: dict[int, dict[str, Any]] = {}

    def item(self, event: MessageEvent, *, removed: bool, row: dict[str, Any] | None) -> dict[str, Any]:
        """The change feed's item for this event (`feed_item`), its document built once per presented row."""
        if row is None:
            return plain(feed_item(event, removed=removed, row=None))
        if row["pk"] not in self.documents:
            self.documents[row["pk"]] = plain(feed_item(event, removed=removed, row=row))
        return self.documents[row["pk"]]

    def row(self, pk: int) -> dict[str, Any] | None:
        if pk not in self.rows:
            found = resolved(document_rows(Message.objects.filter(pk=pk)), references.get())
            self.rows[pk] = found[0] if found else None
        return self.rows[pk]


def event_payload(
    event: MessageEvent, institution: InstitutionRef, *, removed: bool, presented: Presented | None = None
) -> tuple[dict[str, Any], Any] | None:
    """The body for one institution and the row it presents, or None when a live event shows it nothing
    (the message is no longer visible to it: a later tombstone will tell it so)."""
    presented = presented or Presented()
    row = None
    if not removed and event.kind not in TOMBSTONE_KINDS:
        visible = visible_messages_for(institution).filter(
            translation_key=event.translation_key, locale__language_code=event.language_code
        )
        pk = visible.values_list("pk", flat=True).first()
        row = presented.row(pk) if pk is not None else None
        if row is None:
            return None
    item = presented.item(event, removed=removed, row=row)
    return {"type": item["kind"], "timestamp": item["occurred_at"], "data": item}, row


def _delivery_create(
    endpoint: WebhookEndpoint,
    *,
    event: MessageEvent | None,
    webhook_id: str,
    event_type: str,
    payload: dict[str, Any],
    presented_message_id: int | None = None,
) -> int | None:
    """One pending delivery, handed to the broker once its row commits; None if that webhook id exists already
    (a concurrent or repeated fan-out got there first)."""
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event=event,
                webhook_id=webhook_id,
                event_type=event_type,
                payload=payload,
                presented_message_id=presented_message_id,
                status=DeliveryStatus.PENDING,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None
    transaction.on_commit(partial(delivery_enqueue, delivery.pk))
    return delivery.pk


def event_fanout(event: MessageEvent) -> list[int]:
    """Create the deliveries this event owes; returns the ids created by this call (already-created ones are
    left to their own schedule). Each is handed to the broker as soon as its row commits (at once when the
    caller holds no transaction, as in the relay task), so the first endpoint's request does not wait for the
    last endpoint's row."""
    endpoints, removed = _concerned_endpoints(event)
    already = set(WebhookDelivery.objects.filter(event=event).values_list("endpoint_id", flat=True))
    presented = Presented()
    created: list[int] = []
    for endpoint in endpoints:
        is_removed = endpoint.institution_id in removed
        event_type = ACCESS_REMOVED if is_removed else event.kind
        if not endpoint.subscribes_to(event_type) or endpoint.pk in already:
            continue
        built = event_payload(event, endpoint.institution, removed=is_removed, presented=presented)
        if built is None:
            continue
        payload, row = built
        delivery_id = _delivery_create(
            endpoint,
            event=event,
            webhook_id=f"msg_{event.position}_{endpoint.pk}",
            event_type=event_type,
            payload=payload,
            presented_message_id=row["pk"] if row is not None else None,
        )
        if delivery_id is not None:
            created.append(delivery_id)
    return created


def institution_event_fanout(
    *, institution_id: int, event_type: str, webhook_id: str, payload: dict[str, Any]
) -> list[int]:
    """Deliveries of an event about one institution that is not an outbox event (`statement.flagged`): one per
    active endpoint of that institution subscribed to it, with the webhook id `<webhook_id>_<endpoint>`. Safe to
    call twice: an existing webhook id is left to its own schedule."""
    endpoints = WebhookEndpoint.objects.filter(
        institution_id=institution_id, is_active=True, institution__is_active=True
    )
    created: list[int] = []
    for endpoint in endpoints:
        if not endpoint.subscribes_to(event_type):
            continue
        delivery_id = _delivery_create(
            endpoint, event=None, webhook_id=f"{webhook_id}_{endpoint.pk}", event_type=event_type, payload=payload
        )
        if delivery_id is not None:
            created.append(delivery_id)
    return created
