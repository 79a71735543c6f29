"""The compliance figures against a straightforward recomputation from the ledger and the messages, one message at
a time, through a sequence of states: a message expiring by the clock alone (no write), a withdrawal, a new version
received and acknowledged. Both forms of the figures (the report, and one institution's compiled queries for
`/api/v1/me/`) are compared, each called twice in every state, so that the rows kept per API state token
(`ContentRows`) are read back as well as computed."""

from __future__ import annotations

import itertools
import statistics
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db.models import Q
from django.utils import timezone

from institutions.compliance import compliance_by_institution, content_rows, institution_figures
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement, Delivery
from institutions.models import Institution
from messaging.lifecycle import SOURCE_LANGUAGE
from messaging.models import Message, MessageEvent
from messaging.models.events import TOMBSTONE_KINDS
from messaging.selectors import visible_messages_for
from tests.institutions.test_compliance import acknowledge, build_ledger, deliver, republish, withdraw

pytestmark = pytest.mark.django_db


def _pending_withdrawal(institution: Institution, key: Any) -> bool:
    concerning = MessageEvent.objects.filter(translation_key=key, language_code=SOURCE_LANGUAGE).filter(
        Q(audience_all=True) | Q(recipients__institution=institution)
    )
    last = concerning.order_by("-position").first()
    if last is None or last.kind not in TOMBSTONE_KINDS:
        return False
    received = Delivery.objects.filter(institution=institution, translation_key=key, delivered_at__lte=last.created_at)
    acknowledged = Acknowledgement.objects.filter(
        institution=institution, translation_key=key, kind=AcknowledgementKind.WITHDRAWAL, version=last.version
    )
    return received.exists() and not acknowledged.exists()


def recomputed(institution: Institution) -> dict[str, Any]:
    """Every figure, message by message, with no shared query."""
    live = list(visible_messages_for(institution).filter(locale__language_code=SOURCE_LANGUAGE))
    delivered = acknowledged = older = 0
    delays = []
    for message in live:
        key, version = message.translation_key, message.version
        acks = Acknowledgement.objects.filter(
            institution=institution, translation_key=key, kind=AcknowledgementKind.MESSAGE
        )
        delivered += Delivery.objects.filter(institution=institution, translation_key=key, version=version).exists()
        current = acks.filter(version=version).select_related("message").first()
        if current is not None:
            acknowledged += 1
            if current.message is not None and current.message.last_published_at is not None:
                delays.append((current.created_at - current.message.last_published_at).total_seconds())
        elif acks.filter(version__lt=version).exists():
            older += 1
    keys = set(Delivery.objects.filter(institution=institution).values_list("translation_key", flat=True))
    return {
        "live_messages": len(live),
        "delivered_current": delivered,
        "acknowledged_current": acknowledged,
        "acknowledged_older_only": older,
        "unacknowledged": len(live) - acknowledged - older,
        "median_seconds_to_acknowledge": round(statistics.median(delays)) if delays else None,
        "withdrawals_unacknowledged": sum(_pending_withdrawal(institution, key) for key in keys),
    }


def _compare(institutions: list[Institution]) -> dict[str, dict[str, Any]]:
    expected = {institution.slug: recomputed(institution) for institution in institutions}
    for _ in range(2):  # computed, then read back under the same token
        report = {row.institution.slug: row.figures() for row in compliance_by_institution(institutions=institutions)}
        assert report == expected
        assert {institution.slug: institution_figures(institution=institution) for institution in institutions} == (
            expected
        )
    return expected


def test_the_figures_equal_a_recomputation_through_expiry_withdrawal_and_a_new_version():
    content_rows.clear()
    ledger = build_ledger()
    institutions = [ledger.moi, ledger.gcc, ledger.part]
    current, private = ledger.messages["current"], ledger.messages["private"]
    now = timezone.now()
    Message.objects.filter(translation_key=current.translation_key).update(expire_at=now + timedelta(hours=1))
    states = [_compare(institutions)]
    assert states[0]["moi"]["live_messages"] == 3

    # The clock passes the expiry: no write, so only the token's scheduled instant says the figures changed.
    with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
        states.append(_compare(institutions))
    assert states[1]["moi"]["live_messages"] == 2 and states[1]["gcc"]["delivered_current"] == 1
    Message.objects.filter(translation_key=current.translation_key).update(expire_at=None)
    assert _compare(institutions) == states[0]

    withdraw(private)  # moi had received it: its withdrawal is now owed
    states.append(_compare(institutions))
    assert states[-1]["moi"]["withdrawals_unacknowledged"] == 1 and states[-1]["moi"]["live_messages"] == 2

    current = republish(current)  # v2: moi's acknowledgement of v1 is now of an older version
    states.append(_compare(institutions))
    assert (states[-1]["moi"]["acknowledged_current"], states[-1]["moi"]["acknowledged_older_only"]) == (0, 2)
    deliver(ledger.part, current)
    acknowledge(ledger.part, current, 2, after_publish=timedelta(minutes=90))
    states.append(_compare(institutions))
    assert states[-1]["part"]["median_seconds_to_acknowledge"] == 90 * 60
    assert all(before != after for before, after in itertools.pairwise(states))
