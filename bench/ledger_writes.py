"""Time of recording first deliveries (`deliveries_record`), with and without the ledger-version upkeep.

Usage (from the repository root, after `bench/compliance_reports.py` has made its data set):

    .venv/bin/python bench/ledger_writes.py [--database NAME] [--batches 30] [--rows 50 200]

Each batch records one institution's first receipt of `rows` messages it has not received, as one API list page
does, inside a transaction that is then rolled back, so the data set is unchanged. The two forms alternate batch by
batch: as the code is, and with `_versions_received` (the `LedgerVersion` rows written with the deliveries) replaced
by nothing. Prints JSON: the median and 90th percentile of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.compliance_reports import _name, database


def _batch(institution_id: int, rows: list[dict[str, Any]], upkeep: bool) -> float:
    from django.db import transaction

    from institutions.services import deliveries_record

    with transaction.atomic():
        started = time.perf_counter()
        if upkeep:
            deliveries_record(institution_id=institution_id, rows=rows, channel="api")
        else:
            with mock.patch("institutions.services._versions_received"):
                deliveries_record(institution_id=institution_id, rows=rows, channel="api")
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def measure(batches: int, sizes: list[int], seed: int = 11) -> dict[str, Any]:
    from django.db.models import Exists, F, OuterRef

    from institutions.ledger import Delivery
    from institutions.models import Institution
    from messaging.models import Message

    rng = random.Random(seed)
    institution_ids = list(Institution.objects.values_list("pk", flat=True))
    results: dict[str, Any] = {}
    for size in sizes:
        samples: dict[str, list[float]] = {"with_upkeep": [], "without_upkeep": []}
        for n in range(batches + 1):  # the first pair warms up
            institution_id = rng.choice(institution_ids)
            received = Delivery.objects.filter(institution_id=institution_id, message_id=OuterRef("pk"))
            rows = list(
                Message.objects.filter(locale__language_code="ar")
                .exclude(Exists(received))
                .order_by("?")
                .values("pk", "translation_key", "version", language=F("locale__language_code"))[:size]
            )
            order = [True, False] if n % 2 else [False, True]
            for upkeep in order:
                elapsed = _batch(institution_id, rows, upkeep)
                if n:
                    samples["with_upkeep" if upkeep else "without_upkeep"].append(elapsed)
        results[f"{size}_rows"] = {
            name: {
                "median_ms": round(statistics.median(values), 1),
                "p90_ms": round(statistics.quantiles(values, n=10)[-1], 1),
            }
            for name, values in samples.items()
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=_name(200, 100_000, 5))
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--rows", type=int, nargs="+", default=[50, 200])
    args = parser.parse_args()
    engine, url, _ = database(name=args.database)
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "hub.settings.test"})
    import django

    django.setup()
    print(json.dumps({"engine": engine, "dataset": args.database, **measure(args.batches, args.rows)}, indent=2))


if __name__ == "__main__":
    main()
