"""Growth: what the message list, a message, the change feed, search and the compliance report cost as the data set
grows.

    .venv/bin/python -m bench.growth [--sizes 10000,100000] [--requests 60] [--queries 60] [--no-docs]

Each size is a data set of its own made by `bench/dataset.py` (the generator `python -m bench` uses: bilingual
messages, 200 institutions, a ledger) in a PostgreSQL database `tawasul_bench_growth_<messages>` on the server of
`scripts/services`, kept between runs and reused. Each size is measured in a process of its own, in-process through
Django's test client (the whole middleware stack and the API's views, no HTTP server): the same institution key
reads `GET /api/v1/messages/?locale=ar&page_size=50`, message details, `GET /api/v1/changes/?limit=100` and the
search API on the database backend (modelsearch's index entries, holding every live row of the data set), then the
compliance report for all institutions and one institution's figures (`/api/v1/me/`). The baseline, measured in the
same process, is `bench.urls.floor` (a byte string through the same middleware). Unless 1,000,000 is one of the
sizes, its cost is extrapolated from the two largest measured sizes (a power law through them). Writes the growth
section of docs/benchmarks.md and docs/growth.svg unless `--no-docs`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.environment import BIN, DEFAULT_DATA, REPO, _with_path, services_env

DATABASE_PREFIX = "tawasul_bench_growth_"
EXTRAPOLATED = 1_000_000
OPERATIONS = {
    "list": "list (50 a page)",
    "detail": "message detail",
    "changes": "change feed (100)",
    "search": "search (database backend)",
    "compliance": "compliance, 200 institutions",
    "me": "`/api/v1/me/`",
}
START, END = "<!-- growth:start -->", "<!-- growth:end -->"
KEPT = REPO / "var" / "bench" / "growth"


def _log(message: str) -> None:
    print(f"[growth {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# One size, in its own process ------------------------------------------------------------------------------------
def _env(messages: int) -> dict[str, str]:
    services = services_env()
    admin = services.get("DATABASE_URL", "postgres://tawasul:tawasul@127.0.0.1:5432/tawasul")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": _with_path(admin, f"/{DATABASE_PREFIX}{messages}"),
        "BENCH_ADMIN_DATABASE_URL": admin,
        "TAWASUL_SEARCH_BACKEND": "database",
        "TAWASUL_CELERY_EAGER": "1",  # tasks in-process, no broker: nothing of this run reaches another's queue
        "PYTHONPATH": str(REPO),
    }


def _database_create(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _dataset(messages: int, institutions: int, data_dir: Path) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from bench.corpus import corpus_load
    from bench.dataset import GENERATOR_VERSION, Generator, dataset_present

    call_command("migrate", interactive=False, verbosity=0)
    wanted = {"messages": messages, "institutions": institutions, "version": GENERATOR_VERSION}
    if dataset_present(connection) == wanted:
        return {"reused": True, **wanted}
    if dataset_present(connection) is not None:
        raise SystemExit(f"{connection.settings_dict['NAME']} holds another data set; drop it first")
    _log(f"generating {messages} messages")
    return {"reused": False, **Generator(corpus_load(data_dir), messages=messages, institutions=institutions,
                                         log=_log).run()}  # fmt: skip


def _search_index(rows: int) -> dict[str, Any]:
    """The `rows` most recent live rows in the database backend's index, once per data set."""
    from bench.search_latency import database_index_ensure

    return database_index_ensure(rows, _log)


def _samples(run: Callable[[], Any], count: int, warm_up: int = 3) -> dict[str, float]:
    for _ in range(warm_up):
        run()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    return {
        "n": count,
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)], 2),
    }


def measure_size(
    *, messages: int, institutions: int, requests: int, queries: int, search_rows: int, data_dir: Path
) -> dict[str, Any]:
    import django

    django.setup()
    from django.test import Client

    from bench.api_pull import api_key_create
    from bench.search_latency import queries_load
    from institutions.compliance import compliance_by_institution, institution_figures
    from institutions.models import Institution
    from messaging.models import Message

    dataset = _dataset(messages, institutions, data_dir)
    index = _search_index(search_rows)
    key, institution = api_key_create("growth")
    client = Client(headers={"Authorization": f"Api-Key {key}"})

    def get(path: str) -> Callable[[], None]:
        def run() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return run

    keys = [str(k) for k in Message.objects.live_now().addressed_to(institution.pk).in_language("ar")
            .order_by("-updated_at").values_list("translation_key", flat=True)[:20]]  # fmt: skip
    details = iter(range(10**9))
    every = queries_load(data_dir, None)
    texts = every[:: max(1, len(every) // queries)][:queries]  # both languages (the file lists Arabic first)
    asked = iter(range(10**9))
    everyone = list(Institution.objects.all())
    figures: dict[str, Any] = {
        "baseline_floor": _samples(get("/bench/floor/"), requests),
        "list": _samples(get("/api/v1/messages/?locale=ar&page_size=50"), requests),
        "detail": _samples(lambda: get(f"/api/v1/messages/{keys[next(details) % len(keys)]}/")(), requests),
        "changes": _samples(get("/api/v1/changes/?limit=100"), requests),
    }

    def search() -> None:
        query = texts[next(asked) % len(texts)]
        response = client.get("/api/v1/search/", {"q": query["query"], "locale": query["lang"]})
        assert response.status_code == 200, (query, response.status_code)

    figures["search"] = _samples(search, len(texts))
    compliance_runs = max(3, requests // 20)
    figures["compliance"] = _samples(lambda: compliance_by_institution(institutions=everyone), compliance_runs, 1)
    figures["me"] = _samples(get("/api/v1/me/"), requests)
    figures["me_figures_only"] = _samples(lambda: institution_figures(institution=institution), requests)
    return {"messages": messages, "dataset": dataset, "search_index": index, "figures": figures}


# Several sizes, the docs ------------------------------------------------------------------------------------------
def extrapolate(sizes: list[int], costs: list[float], target: int = EXTRAPOLATED) -> float:
    """A power law `cost = a · size^k` through the two largest sizes, evaluated at `target`; a cost that fell
    between them (the machine's load, not the data) is held flat rather than extrapolated downwards."""
    (n1, c1), (n2, c2) = sorted(zip(sizes, costs, strict=True))[-2:]
    if c1 <= 0 or c2 <= 0:
        return c2
    k = max(0.0, math.log(c2 / c1) / math.log(n2 / n1))
    return c2 * (target / n2) ** k


def _extrapolating(runs: list[dict[str, Any]]) -> bool:
    """Whether the table and the plot add an estimate at `EXTRAPOLATED`: not when that size was measured."""
    return len(runs) > 1 and all(run["messages"] < EXTRAPOLATED for run in runs)


def table(runs: list[dict[str, Any]]) -> list[str]:
    sizes = [run["messages"] for run in runs]
    guessing = _extrapolating(runs)
    head = " | ".join([f"{size:,} p50 / p95" for size in sizes] + [f"{EXTRAPOLATED:,} p50 (extrapolated)"] * guessing)
    lines = [f"| operation | {head} |", "| --- |" + " --- |" * (len(sizes) + guessing)]
    for name, label in {"baseline_floor": "baseline: `bench.urls.floor`", **OPERATIONS}.items():
        cells = [f"{run['figures'][name]['p50_ms']:,.1f} / {run['figures'][name]['p95_ms']:,.1f} ms" for run in runs]
        if guessing:
            cells.append(f"{extrapolate(sizes, [run['figures'][name]['p50_ms'] for run in runs]):,.1f} ms")
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return lines


def svg(runs: list[dict[str, Any]]) -> str:
    """Median cost against size, both axes logarithmic; the dashed part, if any, is the extrapolation."""
    width, height, left, bottom, top, right = 640, 400, 60, 40, 20, 170
    guessing = _extrapolating(runs)
    measured_sizes = [run["messages"] for run in runs]
    sizes = measured_sizes + [EXTRAPOLATED] * guessing
    series = {}
    for name in OPERATIONS:
        costs = [run["figures"][name]["p50_ms"] for run in runs]
        series[name] = [*costs, *([extrapolate(measured_sizes, costs)] if guessing else [])]
    low = min(min(v) for v in series.values())
    high = max(max(v) for v in series.values())
    y_low, y_high = math.floor(math.log10(max(low, 0.01))), math.ceil(math.log10(high))
    x_low, x_high = math.log10(sizes[0]), math.log10(sizes[-1])

    def x(size: float) -> float:
        return left + (math.log10(size) - x_low) / (x_high - x_low) * (width - left - right)

    def y(ms: float) -> float:
        return top + (y_high - math.log10(max(ms, 0.01))) / (y_high - y_low) * (height - top - bottom)

    colours = ["#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for decade in range(y_low, y_high + 1):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(10**decade):.1f}" y2="{y(10**decade):.1f}" '
                     'stroke="#ddd"/>')  # fmt: skip
        parts.append(f'<text x="{left - 6}" y="{y(10**decade) + 4:.1f}" text-anchor="end">{10**decade:g} ms</text>')
    for size in sizes:
        label = f"{size:,}" + (" (extrapolated)" if guessing and size == EXTRAPOLATED else "")
        parts.append(f'<text x="{x(size):.1f}" y="{height - bottom + 16}" text-anchor="middle">{label}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 6}" text-anchor="middle">messages</text>')
    for n, (name, values) in enumerate(series.items()):
        colour = colours[n % len(colours)]
        points = [(x(size), y(ms)) for size, ms in zip(sizes, values, strict=True)]
        kept = points[: len(measured_sizes)]
        measured = " ".join(f"{px:.1f},{py:.1f}" for px, py in kept)
        parts.append(f'<polyline points="{measured}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if guessing:
            (ax, ay), (bx, by) = points[-2], points[-1]
            parts.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{colour}" '
                         'stroke-width="2" stroke-dasharray="5,4"/>')  # fmt: skip
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py in kept]
        label = OPERATIONS[name].replace("`", "")
        parts.append(f'<text x="{width - right + 8}" y="{top + 14 + 16 * n}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def docs_write(docs: Path, runs: list[dict[str, Any]]) -> None:
    sizes = ", ".join(f"{run['messages']:,}" for run in runs)
    recorded = "; ".join(
        f"{run['messages']:,}: {run['recorded_at']}, `{run['command']}`, load average at start "
        f"{', '.join(map(str, run['load_average_at_start']))}"
        for run in runs
    )
    index = "; ".join(f"{run['messages']:,}: {run['search_index']['documents']:,} rows" for run in runs)
    lines = [
        START,
        f"Recorded ({recorded}) on a two-core machine: absolute figures move with its load (given with each size); "
        "compare each with the floor measured in the same process. Sizes measured: "
        f"{sizes} messages (two rows each, Arabic and English). Search index (database backend, the most "
        f"recent live rows): {index}. "
        + (
            f"{EXTRAPOLATED:,} messages were not generated: that column is a power law through the two largest "
            "measured sizes (held flat where the cost fell between them), an estimate, not a measurement."
            if _extrapolating(runs)
            else "Every column is measured; nothing is extrapolated."
        ),
        "",
        *table(runs),
        "",
        "![Median cost against size, log-log"
        + ("; dashed: extrapolated" if _extrapolating(runs) else "")
        + "](growth.svg)",
        END,
    ]
    text = docs.read_text()
    block = "\n".join(lines)
    if START in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Growth: cost against size\n\n" + block + "\n"
    docs.write_text(text)
    if len(runs) > 1:
        (docs.parent / "growth.svg").write_text(svg(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated message counts")
    parser.add_argument("--institutions", type=int, default=200)
    parser.add_argument("--requests", type=int, default=60, help="requests per API operation and size")
    parser.add_argument("--queries", type=int, default=60, help="dev queries sent to the search API")
    parser.add_argument("--search-rows", type=int, default=20_000, help="most recent live rows in the search index")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the xquad-ar-en directory")
    parser.add_argument("--docs-only", action="store_true", help="write the docs from the kept results of --sizes")
    parser.add_argument("--docs", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one size, in the child process
    options = parser.parse_args(argv)
    if options.size:
        _database_create(os.environ["BENCH_ADMIN_DATABASE_URL"], f"{DATABASE_PREFIX}{options.size}")
        result = measure_size(
            messages=options.size,
            institutions=options.institutions,
            requests=options.requests,
            queries=options.queries,
            search_rows=options.search_rows,
            data_dir=options.data,
        )
        print(json.dumps(result, default=str))
        return 0
    sizes = sorted(int(s) for s in options.sizes.split(","))
    if options.docs_only:
        runs = [json.loads((KEPT / f"{size}.json").read_text()) for size in sizes]
        docs_write(options.docs, runs)
        return 0
    runs = []
    for size in sizes:
        _log(f"{size} messages")
        child = [str(BIN / "python"), "-m", "bench.growth", "--size", str(size), "--requests", str(options.requests),
                 "--queries", str(options.queries), "--institutions", str(options.institutions),
                 "--search-rows", str(options.search_rows), "--data", str(options.data)]  # fmt: skip
        started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        load = [round(x, 2) for x in os.getloadavg()]
        done = subprocess.run(child, env=_env(size), cwd=REPO, check=True, stdout=subprocess.PIPE, text=True)
        run = json.loads(done.stdout.strip().splitlines()[-1])
        command = "python -m bench.growth " + " ".join(argv if argv is not None else sys.argv[1:])
        runs.append({**run, "recorded_at": started, "load_average_at_start": load, "command": command.strip()})
        if not options.no_docs:  # kept for --docs-only, like the bench's stored results
            KEPT.mkdir(parents=True, exist_ok=True)
            (KEPT / f"{size}.json").write_text(json.dumps(runs[-1], indent=1, default=str))
        _log(json.dumps(runs[-1]["figures"]))
    if not options.no_docs:
        docs_write(options.docs, runs)
    print(json.dumps(runs, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
