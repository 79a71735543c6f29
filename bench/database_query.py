"""The database backend's query before and after, on the same index in one process: each dev query through the
search API's selector (`search.selectors.message_document_search`), answered once by modelsearch's own query
(`(title || body) @@ q` through its generic relation, which casts every message id to text) and once by ours
(`search.backends.postgres.matched`), alternating which goes first. Both must find the same messages in the same
order; a query that does not is reported.

    TAWASUL_BENCH_DATABASE=... python -m bench.database_query --queries 100

The database must hold the data set and the database backend's index (`manage.py rebuild_search_index` with
`TAWASUL_SEARCH_BACKEND=database`, or `python -m bench --only search --database-index N`).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from typing import Any

from bench.environment import DEFAULT_DATA, django_setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA), help="the xquad-ar-en directory")
    parser.add_argument("--queries", type=int, default=100, help="the first N dev queries (0: all)")
    parser.add_argument("--explain", type=int, metavar="N", help="print EXPLAIN ANALYZE of dev query N both ways")
    options = parser.parse_args(argv)
    django_setup("database")
    if options.explain is not None:
        print(explain(data_dir=options.data, number=options.explain))
        return 0
    print(json.dumps(run(data_dir=options.data, limit=options.queries or None), indent=2))
    return 0


def explain(*, data_dir: Any, number: int) -> str:
    """The plans of the engine query `message_document_search` sends for one dev query, modelsearch's then ours."""
    from pathlib import Path

    from django.db import connection
    from wagtail.models import Locale

    from bench.search_latency import queries_load
    from messaging.models import Message
    from search.backends import postgres
    from search.selectors import CANDIDATES, search_backend

    query = queries_load(Path(data_dir), number + 1)[number]
    locale = Locale.objects.get(language_code=query["lang"])
    candidates = Message.objects.filter(locale=locale, live=True).only("pk")
    ours_answers = postgres.answers_from_entries
    out = [f"{query['lang']}: {query['query']}"]
    try:
        for name, answers in (("modelsearch", lambda compiler: False), ("ours", ours_answers)):
            postgres.answers_from_entries = answers  # type: ignore[assignment]
            results = search_backend().search(query["query"], candidates, operator="or").annotate_score("_score")
            sql, params = results[:CANDIDATES].get_queryset().query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                out += [f"-- {name}", *(row[0] for row in cursor.fetchall())]
    finally:
        postgres.answers_from_entries = ours_answers  # type: ignore[assignment]
    return "\n".join(out)


def run(*, data_dir: Any, limit: int | None) -> dict[str, Any]:
    from pathlib import Path

    from bench.api_pull import api_key_create
    from bench.search_latency import percentiles, queries_load
    from search.backends import postgres
    from search.queries import query_parse
    from search.selectors import message_document_search

    queries = queries_load(Path(data_dir), limit)
    _, institution = api_key_create("bench-database-query")
    ours_answers = postgres.answers_from_entries

    def modelsearchs(compiler: Any) -> bool:
        return False

    def timed(answers: Callable[[Any], bool], text: str, language: str) -> tuple[float, list[Any]]:
        postgres.answers_from_entries = answers  # type: ignore[assignment]
        started = time.perf_counter()
        hits = message_document_search(institution_id=institution.pk, query=query_parse(text, language), limit=20)
        return (time.perf_counter() - started) * 1000, [hit.row["pk"] for hit in hits]

    samples: dict[str, list[float]] = {"modelsearch": [], "ours": []}
    differ: list[str] = []
    load_before = os.getloadavg()
    try:
        for i, query in enumerate(queries):
            order = [("ours", ours_answers), ("modelsearch", modelsearchs)]
            found = {}
            for name, answers in order if i % 2 else order[::-1]:
                elapsed, found[name] = timed(answers, query["query"], query["lang"])
                samples[name].append(elapsed)
            if found["ours"] != found["modelsearch"]:
                differ.append(query["query"])
    finally:
        postgres.answers_from_entries = ours_answers  # type: ignore[assignment]
    return {
        "queries": len(queries),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        **{name: percentiles(values) for name, values in samples.items()},
        "different_results": differ,
    }


if __name__ == "__main__":
    raise SystemExit(main())
