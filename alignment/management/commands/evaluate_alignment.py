"""Accuracy@1 of the alignment matcher on a bilingual corpus, in a throw-away in-memory index.

    python manage.py evaluate_alignment --corpus corpus.jsonl [--json]

Nothing is read from or written to the project database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alignment.evaluation import CorpusError, alignment_evaluate, corpus_load


class Command(BaseCommand):
    help = "Measure how often a draft sentence's closest approved line comes from the right document."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", required=True, type=Path, help="JSON lines: {id, ar, en} per document.")
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            documents = corpus_load(Path(options["corpus"]))
        except CorpusError as error:
            raise CommandError(f"Malformed corpus: {error}") from error
        results = alignment_evaluate(documents)
        if options["json"]:
            payload = {"documents": len(documents), "results": [result.as_dict() for result in results]}
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(f"{len(documents)} documents")
        self.stdout.write(f"{'direction':<10} {'drafts':<9} {'count':>6} {'accuracy@1':>11}")
        for result in results:
            row = result.as_dict()
            self.stdout.write(
                f"{row['direction']:<10} {row['drafts']:<9} {row['count']:>6} {row['accuracy_at_1']:>11.3f}"
            )
