"""Compliance figures, computed from the ledger with aggregate queries (no per-row Python loops)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement, Delivery
from messaging.models import SOURCE_LANGUAGE, TOMBSTONE_KINDS
from messaging.selectors import events_for, visible_messages_for


def institution_figures(*, institution: Any) -> dict[str, Any]:
    """Live messages addressed to the institution, and how many it received and acknowledged at which version."""
    addressed = visible_messages_for(institution).filter(locale__language_code=SOURCE_LANGUAGE)
    delivered = Delivery.objects.filter(
        institution_id=institution.pk, translation_key=OuterRef("translation_key"), version=OuterRef("version")
    )
    acked_current = Acknowledgement.objects.filter(
        institution_id=institution.pk,
        translation_key=OuterRef("translation_key"),
        version=OuterRef("version"),
        kind=AcknowledgementKind.MESSAGE,
    )
    acked_any = Acknowledgement.objects.filter(
        institution_id=institution.pk, translation_key=OuterRef("translation_key"), kind=AcknowledgementKind.MESSAGE
    )
    annotated = addressed.annotate(
        is_delivered=Exists(delivered), is_current=Exists(acked_current), has_any=Exists(acked_any)
    )
    withdrawals = events_for(institution).filter(kind__in=TOMBSTONE_KINDS, language_code=SOURCE_LANGUAGE)
    withdrawal_acked = Acknowledgement.objects.filter(
        institution_id=institution.pk,
        translation_key=OuterRef("translation_key"),
        version=OuterRef("version"),
        kind=AcknowledgementKind.WITHDRAWAL,
    )
    received_before = Delivery.objects.filter(
        institution_id=institution.pk, translation_key=OuterRef("translation_key")
    )
    pending_withdrawals = (
        withdrawals.filter(Exists(received_before)).exclude(Exists(withdrawal_acked)).values("translation_key")
    )
    return {
        "live_messages": annotated.count(),
        "delivered_current": annotated.filter(is_delivered=True).count(),
        "acknowledged_current": annotated.filter(is_current=True).count(),
        "acknowledged_older_only": annotated.filter(has_any=True, is_current=False).count(),
        "withdrawals_unacknowledged": pending_withdrawals.distinct().count(),
    }
