"""Writing the ledger. One bulk insert per request, whatever the page size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from institutions.enums import AcknowledgementKind, DeliveryChannel
from institutions.ledger import Acknowledgement, Delivery


def deliveries_record(*, institution_id: int, rows: Iterable[Any], channel: DeliveryChannel | str) -> None:
    """Record first receipt of each (message row, version) through `channel`; repeats are ignored."""
    deliveries = [
        Delivery(
            institution_id=institution_id,
            message_id=row.pk,
            translation_key=row.translation_key,
            language_code=row.locale.language_code,
            version=row.version,
            channel=channel,
        )
        for row in rows
    ]
    if deliveries:
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def acknowledgement_record(
    *,
    institution_id: int,
    translation_key: Any,
    message: Any,
    version: int,
    kind: AcknowledgementKind | str = AcknowledgementKind.MESSAGE,
    note: str = "",
    acknowledged_by: str = "",
    user: Any = None,
) -> tuple[Acknowledgement, bool]:
    """Idempotent per (institution, message, version, kind): the first acknowledgement stands."""
    lookup = {"institution_id": institution_id, "translation_key": translation_key, "version": version, "kind": kind}
    existing = Acknowledgement.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(
                **lookup, message=message, note=note, acknowledged_by=acknowledged_by, user=user
            ), True
    except IntegrityError:  # a concurrent request acknowledged first
        return Acknowledgement.objects.get(**lookup), False
