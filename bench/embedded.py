"""`python -m bench.embedded`: the api and search benchmarks on the embedded default (SQLite, the database search
backend, the file-based API state cache), with no services at all.

    python -m bench.embedded --messages 5000 --duration 10 --out var/bench/embedded.json

The data set is the one `bench/dataset.py` generates (the same texts and metadata, written with batched inserts
instead of PostgreSQL's COPY) in `var/bench/embedded-<messages>.sqlite3`, generated once and reused. The api
benchmark is `bench.api_pull` unchanged (gunicorn, wrk, the same four endpoints and ratios) against that file;
the CPU row's "postgres" share is zero here (SQLite runs inside the web workers). Search sends the XQuAD dev
queries to the search API one at a time, and compares its p95 with the database backend's own ranking query for
the same queries run in-process (`search.selectors._candidates`), the embedded counterpart of "engine direct".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.environment import DEFAULT_DATA, REPO

SETTINGS = "bench.embedded_settings"


def _log(message: str) -> None:
    print(f"[bench.embedded {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _env(database: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "TAWASUL_SQLITE_PATH": str(database),
        "TAWASUL_STATE_CACHE_DIR": str(database.parent / f"{database.stem}-state"),
        "TAWASUL_SEARCH_BACKEND": "database",
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }


def _search(data_dir: Path, limit: int | None, serve: Any) -> dict[str, Any]:
    from wagtail.models import Locale

    from bench.api_pull import api_key_create
    from bench.search_latency import api_latencies, database_index_ensure, percentiles, queries_load
    from messaging.models import Message
    from search.queries import query_parse
    from search.selectors import _candidates

    index = database_index_ensure(3000, _log)
    queries = queries_load(data_dir, limit)
    key, _ = api_key_create("bench-search")
    locales = dict(Locale.objects.values_list("language_code", "pk"))

    def direct(query: dict[str, str]) -> float:
        started = time.perf_counter()
        _candidates(Message, query_parse(query["query"], query["lang"]), locales[query["lang"]])
        return (time.perf_counter() - started) * 1000

    for query in queries[:50]:
        direct(query)
    backend = [direct(query) for query in queries]
    with serve() as server:
        api_latencies(server.base, key, queries[:50])  # warm-up
        api, empty, retried = api_latencies(server.base, key, queries)
    result = {
        "database_index": index,
        "queries": len(queries),
        "api_database": {**percentiles(api), "empty_results": empty, "retried_5xx": retried},
        "backend_direct": percentiles(backend),
    }
    ratio = result["api_database"]["p95_ms"] / result["backend_direct"]["p95_ms"]
    result["ratios"] = {"api_p95_over_backend_p95": round(ratio, 3)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embedded", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--institutions", type=int, default=200)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--queries", type=int, default=0, help="use only the first N dev queries (0: all)")
    parser.add_argument("--only", default="api,search")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--database", type=Path, default=None, help="the SQLite file (default under var/bench)")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    options = parser.parse_args(argv)

    database = options.database or REPO / "var" / "bench" / f"embedded-{options.messages}.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    env = _env(database)
    os.environ.update(env)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.corpus import corpus_load
    from bench.dataset import Generator, dataset_present
    from bench.processes import gunicorn

    wanted = {"messages": options.messages, "institutions": options.institutions}
    present = dataset_present(connection)
    call_command("migrate", interactive=False, verbosity=0)
    if present is None or {k: present[k] for k in wanted} != wanted:
        _log(f"generating {options.messages} messages into {database.name}")
        Generator(corpus_load(options.data), log=_log, **wanted).run()
    connection.close()
    serve = partial(gunicorn, **env, TAWASUL_JEMALLOC="auto")
    report: dict[str, Any] = {"database": "sqlite", "search_backend": "database", **wanted}
    chosen = {name.strip() for name in options.only.split(",")}
    if "api" in chosen:
        from bench import api_pull

        api_pull.gunicorn = serve  # type: ignore[assignment]
        report["api"] = api_pull.run(duration=options.duration, log=_log)
    if "search" in chosen:
        report["search"] = _search(options.data, options.queries or None, serve)
        _log(f"search: {report['search']['ratios']}")
    text = json.dumps(report, indent=1, ensure_ascii=False, default=str)
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
