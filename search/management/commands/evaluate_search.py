"""Measure search relevance in a throw-away database and index; the user's data and index are never touched."""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from institutions.models import Institution
from messaging.models import Message
from search.configuration import BACKEND_MODULES, backend_config, backend_name
from search.evaluation import (
    CORPUS_FIELDS,
    QUERY_FIELDS,
    EvaluationInputError,
    corpus_load,
    evaluate,
    jsonl_read,
    queries_check,
)
from search.indexing import chunks, index_ensure, indexes_drop
from search.queries import query_parse
from search.selectors import message_search

BULK_TIMEOUT = 60.0  # bulk loading with n-gram analysis takes longer than the request path's 2 s


class Command(BaseCommand):
    help = "Relevance (MRR@10, Recall@1, Recall@5 per language) of the search API's code path on a retrieval set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", type=Path, required=True, help="JSON lines: id, ar, en")
        parser.add_argument("--queries", type=Path, required=True, help="JSON lines: qid, lang, query, relevant")
        parser.add_argument(
            "--backend", choices=None, help=f"one of {', '.join(BACKEND_MODULES)} (default: configured)"
        )
        parser.add_argument("--url", help="engine URL (default: the configured one or TAWASUL_SEARCH_URL)")
        parser.add_argument("--json", action="store_true", help="print the scores as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            corpus = jsonl_read(Path(options["corpus"]), CORPUS_FIELDS)
            queries = jsonl_read(Path(options["queries"]), QUERY_FIELDS)
            queries_check(queries, corpus)
        except EvaluationInputError as error:
            raise CommandError(str(error)) from None
        config = self._config(options)
        if "URLS" in config:
            self._check_reachable(config)
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
                scores = self._run(corpus, queries)
        finally:
            self._drop_indexes(config)
            connection.creation.destroy_test_db(old_name, verbosity=0)
        self._report(scores, backend_name(config), options["json"])

    def _config(self, options: dict[str, Any]) -> dict[str, Any]:
        configured: dict[str, Any] = settings.WAGTAILSEARCH_BACKENDS.get("default", {})
        name = options["backend"] or backend_name(configured)
        if name not in BACKEND_MODULES:
            raise CommandError(f"Unknown backend {name!r}: use one of {', '.join(BACKEND_MODULES)}")
        url = options["url"] or (configured.get("URLS") or ["http://127.0.0.1:9200"])[0]
        prefix = f"tawasul_evaluation_{uuid.uuid4().hex[:12]}_"
        return backend_config(name, url=url, index_prefix=prefix, timeout=BULK_TIMEOUT)

    @staticmethod
    def _check_reachable(config: dict[str, Any]) -> None:
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
            backend = get_search_backend()
            try:
                reachable = backend.es.ping()
            except Exception:
                reachable = False
        if not reachable:
            raise CommandError(f"Search engine unreachable at {config['URLS'][0]}")

    def _run(self, corpus: list[dict[str, Any]], queries: list[dict[str, Any]]) -> dict[str, Any]:
        document_of = corpus_load(corpus)
        institution = Institution.objects.get(slug__startswith="evaluation-")
        backend = get_search_backend()
        index_ensure(backend, Message)
        index = backend.get_index_for_model(Message) if hasattr(backend, "get_index_for_model") else None
        for batch in chunks(Message.objects.filter(pk__in=list(document_of)), 200):
            backend.add_bulk(Message, batch)
        if index is not None:
            index.refresh()

        def search(text: str, language: str) -> list[Any]:
            return message_search(institution=institution, query=query_parse(text, language), limit=10)

        return evaluate(queries, search, document_of)

    @staticmethod
    def _drop_indexes(config: dict[str, Any]) -> None:
        if "URLS" not in config:
            return
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
            backend = get_search_backend()
            # Nothing was created, or the engine went away: either way there is nothing to keep.
            with contextlib.suppress(Exception):
                indexes_drop(backend, prefix=config["INDEX_PREFIX"])

    def _report(self, scores: dict[str, Any], backend: str, as_json: bool) -> None:
        if as_json:
            payload = {"backend": backend, "database": connection.vendor, **{k: v.as_dict() for k, v in scores.items()}}
            self.stdout.write(json.dumps(payload, indent=2))
            return
        self.stdout.write(f"backend {backend} on {connection.vendor}")
        self.stdout.write(f"{'lang':5} {'queries':>7} {'MRR@10':>7} {'R@1':>6} {'R@5':>6}")
        for language, s in scores.items():
            self.stdout.write(
                f"{language:5} {s.queries:>7} {s.mrr_at_10:>7.3f} {s.recall_at_1:>6.3f} {s.recall_at_5:>6.3f}"
            )
