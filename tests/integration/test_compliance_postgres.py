"""The compliance figures on PostgreSQL, the production database, where the median is its own aggregate and the
hub's connections run without JIT compilation."""

from __future__ import annotations

import pytest
from django.db import connection

from institutions.compliance import _compiled_figures, compliance_by_institution, institution_figures
from tests.institutions.test_compliance import EXPECTED, build_ledger
from tests.integration.conftest import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres() -> None:
    if connection.vendor != "postgresql":
        unavailable("PostgreSQL (DATABASE_URL unset when settings were loaded)")


def test_compliance_figures_are_the_same_on_postgresql():
    ledger = build_ledger()
    rows = compliance_by_institution(institutions=[ledger.moi, ledger.gcc, ledger.part])
    assert {row.institution.slug: row.figures() for row in rows} == EXPECTED
    # One institution's figures (`/api/v1/me/`) run the same queries compiled once, in binary: the same figures.
    assert _compiled_figures() is not None
    for institution in (ledger.moi, ledger.gcc, ledger.part):
        assert institution_figures(institution=institution) == EXPECTED[institution.slug]


def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
