"""Precision and recall of "carries the message" and "uses a withdrawn line" on a labelled set built from a
bilingual corpus (see `monitoring.evaluation`), in memory.

    python manage.py evaluate_monitoring --corpus corpus.jsonl [--threshold 0.4 ...] [--json]

Nothing is read from or written to the project database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alignment.evaluation import CorpusError, corpus_load
from monitoring.evaluation import MonitoringResult, monitoring_evaluate
from monitoring.matching import CARRY_THRESHOLD

ROWS = ("all", "ar", "en", "quote", "paraphrase", "none")


class Command(BaseCommand):
    help = "Measure how well published statements are matched to approved and withdrawn lines."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", required=True, type=Path, help="JSON lines: {id, ar, en} per document.")
        parser.add_argument(
            "--threshold",
            type=float,
            action="append",
            help=f"Score a line must reach (repeat to compare; default {CARRY_THRESHOLD}).",
        )
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            documents = corpus_load(Path(options["corpus"]))
        except CorpusError as error:
            raise CommandError(f"Malformed corpus: {error}") from error
        thresholds = options["threshold"] or [CARRY_THRESHOLD]
        if any(not 0 < threshold <= 1 for threshold in thresholds):
            raise CommandError("Thresholds lie between 0 (excluded) and 1.")
        results = monitoring_evaluate(documents, thresholds=thresholds)
        if options["json"]:
            self.stdout.write(json.dumps({"documents": len(documents), "results": [r.as_dict() for r in results]}))
            return
        self.stdout.write(f"{len(documents)} documents, {results[0].items} statements")
        for result in results:
            self._table(result)

    def _table(self, result: MonitoringResult) -> None:
        self.stdout.write(f"\nthreshold {result.threshold}")
        self.stdout.write(
            f"{'statements':<12} {'carries P':>10} {'carries R':>10} {'withdrawn P':>12} {'withdrawn R':>12}"
        )
        for name in ROWS:
            carries, withdrawn = result.carries[name], result.withdrawn[name]
            self.stdout.write(
                f"{name:<12} {carries.precision:>10.3f} {carries.recall:>10.3f} "
                f"{withdrawn.precision:>12.3f} {withdrawn.recall:>12.3f}"
            )
