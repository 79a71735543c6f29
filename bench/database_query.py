"""The database backend's query, three ways on the same index in one process: each dev query through the search
API's selector (`search.selectors.message_document_search`), answered by modelsearch's own query (`(title || body)
@@ q` through its generic relation, which casts every message id to text), by ours ranking every match
(`search.backends.postgres.matched`), and, where the RUM index of migration search/0003 exists, by ours ranking
only the entries nearest the query; the order rotates query by query. Ours ranking every match must find what
modelsearch finds, in the same order (a query that does not is reported); for the nearest-entries query the
report gives how much of the exact first 100 candidates it keeps, and which pages of 20 differ.

    TAWASUL_BENCH_DATABASE=... python -m bench.database_query --queries 100

The database must hold the data set and the database backend's index (`manage.py rebuild_search_index` with
`TAWASUL_SEARCH_BACKEND=database`, or `python -m bench --only search --database-index N`).
"""

from __future__ import annotations

import argparse
import json
import os
import time
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
    """The plans of the engine query `message_document_search` sends for one dev query, each way `run` times."""
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
    ours_answers, rum_indexed = postgres.answers_from_entries, postgres.rum_indexed
    out = [f"{query['lang']}: {query['query']}"]
    ways = [("modelsearch", lambda compiler: False, False), ("every_match", ours_answers, False)]
    if rum_indexed("default"):
        ways.append(("nearest", ours_answers, True))
    try:
        for name, answers, rum in ways:
            postgres.answers_from_entries = answers  # type: ignore[assignment]
            postgres.rum_indexed = lambda alias, rum=rum: rum and rum_indexed(alias)  # type: ignore[assignment]
            results = search_backend().search(query["query"], candidates, operator="or").annotate_score("_score")
            sql, params = results[:CANDIDATES].get_queryset().query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                out += [f"-- {name}", *(row[0] for row in cursor.fetchall())]
    finally:
        postgres.answers_from_entries, postgres.rum_indexed = ours_answers, rum_indexed  # type: ignore[assignment]
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
    from messaging.models import Message
    from search.selectors import _candidates

    ours_answers, rum_indexed = postgres.answers_from_entries, postgres.rum_indexed
    with_rum = rum_indexed("default")

    def variant(name: str) -> None:
        """modelsearch: its own query; every_match: ours ranking every matching entry; nearest: ours ranking the
        entries the RUM index finds nearest (migration search/0003)."""
        postgres.answers_from_entries = ours_answers if name != "modelsearch" else (lambda compiler: False)  # type: ignore[assignment]
        postgres.rum_indexed = rum_indexed if name == "nearest" else (lambda alias: False)  # type: ignore[assignment]

    def timed(name: str, text: str, language: str) -> tuple[float, list[Any], list[Any]]:
        variant(name)
        parsed = query_parse(text, language)
        started = time.perf_counter()
        hits = message_document_search(institution_id=institution.pk, query=parsed, limit=20)
        elapsed = (time.perf_counter() - started) * 1000
        found = _candidates(Message, parsed, None)
        return elapsed, [hit.row["pk"] for hit in hits], list(found[1]) if found else []

    names = ["modelsearch", "every_match", *(["nearest"] if with_rum else [])]
    samples: dict[str, list[float]] = {name: [] for name in names}
    differ: list[str] = []
    pages_differ: list[str] = []
    overlap: list[float] = []
    first_ten_same = 0
    load_before = os.getloadavg()
    try:
        for i, query in enumerate(queries):
            order = names[i % len(names) :] + names[: i % len(names)]
            pages, candidates = {}, {}
            for name in order:
                elapsed, pages[name], candidates[name] = timed(name, query["query"], query["lang"])
                samples[name].append(elapsed)
            if pages["every_match"] != pages["modelsearch"]:
                differ.append(query["query"])
            if with_rum:
                exact, near = candidates["every_match"], candidates["nearest"]
                if pages["nearest"] != pages["every_match"]:
                    pages_differ.append(query["query"])
                overlap.append(len(set(exact) & set(near)) / len(exact) if exact else 1.0)
                first_ten_same += exact[:10] == near[:10]
    finally:
        postgres.answers_from_entries, postgres.rum_indexed = ours_answers, rum_indexed  # type: ignore[assignment]
    nearest_agreement = {
        "pages_of_20_differing": pages_differ,
        "candidates_shared_mean": round(sum(overlap) / len(overlap), 4) if overlap else None,
        "candidates_shared_min": round(min(overlap), 4) if overlap else None,
        "first_ten_identical": first_ten_same,
    }
    return {
        "queries": len(queries),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        **{name: percentiles(values) for name, values in samples.items()},
        "different_results": differ,
        **({"nearest_against_every_match": nearest_agreement} if with_rum else {}),
    }


if __name__ == "__main__":
    raise SystemExit(main())
