"""The ledger versions the compliance report reads: one row per (institution, message, version), written with the
ledger and equal to the whole ledger summarised again (what the migration that adds them does)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps

from institutions.compliance import compliance_by_institution
from institutions.ledger import LedgerVersion
from institutions.services import ledger_versions_rebuild
from tests.institutions.test_compliance import EXPECTED, acknowledge, build_ledger, deliver, republish

pytestmark = pytest.mark.django_db


def _rows() -> set[tuple]:
    return set(
        LedgerVersion.objects.values_list(
            "institution__slug", "translation_key", "version", "delivered", "acknowledged_at", "seconds_to_acknowledge"
        )
    )


def test_versions_written_with_the_ledger_equal_the_ledger_summarised_again():
    ledger = build_ledger()
    current, changed = ledger.messages["current"], ledger.messages["changed"]
    acknowledge(ledger.part, current, 1, after_publish=timedelta(minutes=30))  # acknowledged, never received
    deliver(ledger.moi, republish(changed), channel="feed")
    written = _rows()
    assert LedgerVersion.objects.count() == len(written) == 9
    by_key = {(slug, key, version): rest for slug, key, version, *rest in written}
    assert by_key[("moi", current.translation_key, 1)][0] is True  # two channels, one row
    assert by_key[("moi", current.translation_key, 1)][2] == pytest.approx(2 * 3600, abs=0.01)
    assert by_key[("gcc", current.translation_key, 1)][1:] == [None, None]
    assert by_key[("part", current.translation_key, 1)][0] is False
    assert by_key[("moi", changed.translation_key, 3)][:2] == [True, None]
    assert ("moi", ledger.messages["withdrawn"].translation_key, 1) in by_key  # withdrawal acks are not summarised

    # Made again from the ledger (the migration's backfill): the same rows. A delay is measured from the row's
    # publication when the acknowledgement was recorded; read again later, from its latest publication, which
    # differs only for versions that are no longer current (`changed`, republished since).
    assert ledger_versions_rebuild(apps=apps) == len(written)
    again = _rows()
    assert {row[:5] for row in again} == {row[:5] for row in written}
    assert {row for row in again if row[1] != changed.translation_key} == {
        row for row in written if row[1] != changed.translation_key
    }


def test_a_version_acknowledged_before_it_was_received_is_received_once_delivered():
    ledger = build_ledger()
    current = ledger.messages["current"]
    acknowledge(ledger.part, current, 1, after_publish=timedelta(hours=5))
    row = LedgerVersion.objects.get(institution=ledger.part, translation_key=current.translation_key)
    assert (row.delivered, row.seconds_to_acknowledge) == (False, pytest.approx(5 * 3600, abs=0.01))
    [part] = compliance_by_institution(institutions=[ledger.part])
    assert (part.delivered_current, part.acknowledged_current) == (0, 1)

    deliver(ledger.part, current)
    row.refresh_from_db()
    assert (row.delivered, row.seconds_to_acknowledge) == (True, pytest.approx(5 * 3600, abs=0.01))
    [part] = compliance_by_institution(institutions=[ledger.part])
    assert (part.delivered_current, part.acknowledged_current) == (1, 1)


def test_the_report_read_from_versions_rebuilt_from_the_ledger_is_unchanged():
    ledger = build_ledger()
    LedgerVersion.objects.all().delete()
    ledger_versions_rebuild()
    rows = compliance_by_institution(institutions=[ledger.moi, ledger.gcc, ledger.part])
    assert {row.institution.slug: row.figures() for row in rows} == EXPECTED
