"""The reach of messages: per message, which institutions it is addressed to, received it and acknowledged which
version (the dashboard's and the message report's columns), from the ledger rows themselves. The figures per
institution are `institutions.compliance`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from institutions.compliance import live_sources
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement, Delivery
from institutions.models import Institution
from messaging.models import SOURCE_LANGUAGE, Message
from messaging.selectors import institutions_addressed


class ReachStatus(models.TextChoices):
    CURRENT = "current", _("Acknowledged the current version")
    OLDER = "older", _("Acknowledged an older version only")
    DELIVERED = "delivered", _("Received, not acknowledged")
    NOT_DELIVERED = "not_delivered", _("Not received")


def message_source(message: Message) -> Message:
    """The Arabic row, which carries the message's version and audience."""
    return message.source_translation() or message


def message_reach(*, message: Message, at: datetime | None = None) -> QuerySet[Institution]:
    """Every (active) institution the message is addressed to now, or that received or acknowledged it, annotated with
    the latest version it received and acknowledged, and its `reach_status` against the current version."""
    source = message_source(message)
    is_live = live_sources(at).filter(pk=source.pk).exists()
    key = source.translation_key
    addressed: Any = Value(False)
    if is_live:
        addressed = Exists(institutions_addressed(source).filter(pk=OuterRef("pk")))
    deliveries = Delivery.objects.filter(institution_id=OuterRef("pk"), translation_key=key)
    acks = Acknowledgement.objects.filter(
        institution_id=OuterRef("pk"), translation_key=key, kind=AcknowledgementKind.MESSAGE
    ).order_by("-version")
    withdrawal_acks = Acknowledgement.objects.filter(
        institution_id=OuterRef("pk"), translation_key=key, kind=AcknowledgementKind.WITHDRAWAL
    ).order_by("-version")
    return (
        Institution.objects.annotate(
            is_addressed=ExpressionWrapper(addressed, output_field=models.BooleanField()),
            delivered_version=Subquery(deliveries.order_by("-version").values("version")[:1]),
            first_delivered_at=Subquery(deliveries.order_by("delivered_at").values("delivered_at")[:1]),
            acknowledged_version=Subquery(acks.values("version")[:1]),
            acknowledged_at=Subquery(acks.values("created_at")[:1]),
            acknowledged_by=Subquery(acks.values("acknowledged_by")[:1]),
            acknowledgement_note=Subquery(acks.values("note")[:1]),
            recorded_by=Subquery(acks.values("user__username")[:1]),
            withdrawal_acknowledged_at=Subquery(withdrawal_acks.values("created_at")[:1]),
        )
        .filter(Q(is_addressed=True) | Q(delivered_version__isnull=False) | Q(acknowledged_version__isnull=False))
        .annotate(
            reach_status=Case(
                When(acknowledged_version=source.version, then=Value(ReachStatus.CURRENT.value)),
                When(acknowledged_version__isnull=False, then=Value(ReachStatus.OLDER.value)),
                When(delivered_version__isnull=False, then=Value(ReachStatus.DELIVERED.value)),
                default=Value(ReachStatus.NOT_DELIVERED.value),
                output_field=models.CharField(),
            )
        )
    )


def reach_status_counts(reach: QuerySet[Any]) -> dict[str, int]:
    counts = dict(reach.order_by().values("reach_status").annotate(n=Count("pk")).values_list("reach_status", "n"))
    return {status.value: counts.get(status.value, 0) for status in ReachStatus}


def messages_with_reach(*, at: datetime | None = None) -> QuerySet[Any]:
    """Source rows of every message published at least once, with how many (active) institutions it is addressed
    to now, and how many received and acknowledged its current version."""
    addressed = (
        institutions_addressed(OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=models.IntegerField()))
    )

    def ledger_count(model: Any, **filters: Any) -> Coalesce:
        rows = (
            model.objects.filter(translation_key=OuterRef("translation_key"), version=OuterRef("version"), **filters)
            .order_by()
            .values("translation_key")
            .annotate(n=Count("institution_id", distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    live = live_sources(at).values("pk")
    return (
        Message.objects.in_language(SOURCE_LANGUAGE)
        .filter(version__gt=0)
        .annotate(
            is_live_now=Exists(live.filter(pk=OuterRef("pk"))),
            addressed_count=Case(
                When(is_live_now=False, then=Value(0)),
                default=Coalesce(Subquery(addressed.values("n")), 0),
            ),
            delivered_count=ledger_count(Delivery),
            acknowledged_count=ledger_count(Acknowledgement, kind=AcknowledgementKind.MESSAGE),
        )
    )
