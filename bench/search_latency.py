"""Search latency over the XQuAD dev queries: the search API, the same engine query sent straight to OpenSearch
with opensearch-py, and the search API on the database backend. One request at a time, keep-alive connections.

The engine query is the exact request body the API's backend sends: it is captured in-process by running the
same selector (`search.selectors.message_search`) once per query with the client's `search` and `indices.analyze`
methods wrapped (the backend asks the engine for the query's words first), then replayed against the engine with a
client of its own.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import time
import urllib.parse
from pathlib import Path
from typing import Any

from bench.api_pull import api_key_create
from bench.processes import gunicorn


def queries_load(data_dir: Path, limit: int | None) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (data_dir / "dev_queries.jsonl").read_text(encoding="utf-8").splitlines()]
    return rows[:limit] if limit else rows


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def at(fraction: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))], 2)

    return {"n": len(ordered), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99),
            "mean_ms": round(statistics.fmean(ordered), 2)}  # fmt: skip


RETRIES = 5


def api_latencies(base: str, key: str, queries: list[dict[str, str]]) -> tuple[list[float], int, int]:
    """Latency of each query (ms), how many found nothing, and how many requests failed and were retried
    (a 5xx while a shared Redis or engine restarts; the failed attempt is not counted as a sample)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    headers = {"Authorization": f"Api-Key {key}"}
    samples, empty, retried = [], 0, 0
    for query in queries:
        path = "/api/v1/search/?" + urllib.parse.urlencode({"q": query["query"], "locale": query["lang"]})
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status == 200:
                break
            if response.status < 500 or attempt == RETRIES:
                raise RuntimeError(f"search answered {response.status}: {body[:300]!r}")
            retried += 1
            time.sleep(1)
        samples.append(elapsed)
        empty += json.loads(body)["count"] == 0
    connection.close()
    return samples, empty, retried


EngineRequest = tuple[str, dict[str, Any]]  # ("search" or "analyze", the client method's keyword arguments)


def engine_requests(institution: Any, queries: list[dict[str, str]]) -> list[list[EngineRequest]]:
    """The requests each query makes of the engine (the analysis of its words, then one search, or two when the
    first finds less than a page), captured from the backend's own client."""
    from wagtail.search.backends import get_search_backend

    from search.queries import query_parse
    from search.selectors import message_search

    client = get_search_backend().es  # backends are built per call: patch their client classes
    methods = {"search": type(client), "analyze": type(client.indices)}
    originals = {name: getattr(owner, name) for name, owner in methods.items()}
    captured: list[list[EngineRequest]] = []

    def recording(name: str) -> Any:
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            captured[-1].append((name, kwargs))
            return originals[name](self, *args, **kwargs)

        return method

    for name, owner in methods.items():
        setattr(owner, name, recording(name))
    try:
        for query in queries:
            captured.append([])
            message_search(institution=institution, query=query_parse(query["query"], query["lang"]), limit=20)
    finally:
        for name, owner in methods.items():
            setattr(owner, name, originals[name])
    return captured


def _sent(send: dict[str, Any], query_requests: list[EngineRequest], index: str | None = None) -> float:
    """One query's requests sent one after the other (to `index` instead of the captured one, if given), in ms."""
    started = time.perf_counter()
    for name, kwargs in query_requests:
        send[name](**(kwargs if index is None else {**kwargs, "index": index}))
    return (time.perf_counter() - started) * 1000


def _engine_client(url: str) -> dict[str, Any]:
    from opensearchpy import OpenSearch

    client = OpenSearch([url], timeout=30)
    return {"search": client.search, "analyze": client.indices.analyze}


def engine_latencies(url: str, requests: list[list[EngineRequest]]) -> list[float]:
    """Each query's engine time (ms): its requests sent one after the other."""
    send = _engine_client(url)
    return [_sent(send, query_requests) for query_requests in requests]


REPLAY_WARM_UP = 20


def engine_replay(*, data_dir: Path, limit: int | None, every: int, against: list[str], log: Any) -> dict[str, Any]:
    """The engine alone, without the API: the requests the API's backend sends for every `every`th dev query are
    captured once (`engine_requests`), then replayed against the index the site searches and against each index or
    alias of `against`, query by query, the order rotated every query so that every target meets the same load.
    The same bodies everywhere: what differs is the index (its segments, its settings, its analysis)."""
    from django.conf import settings

    queries = queries_load(data_dir, limit)[:: max(1, every)]
    _, institution = api_key_create("bench-replay")
    requests = engine_requests(institution, queries)
    send = _engine_client(str(settings.WAGTAILSEARCH_BACKENDS["default"]["URLS"][0]))  # type: ignore[index]
    targets: list[str | None] = [None, *against]  # None: the captured index, the site's alias
    for target in targets:
        for query_requests in requests[:REPLAY_WARM_UP]:
            _sent(send, query_requests, target)
    samples: dict[str | None, dict[str, list[float]]] = {t: {"all": [], "ar": [], "en": []} for t in targets}
    load_before = os.getloadavg()
    for i, (query, query_requests) in enumerate(zip(queries, requests, strict=True)):
        shift = i % len(targets)
        for target in targets[shift:] + targets[:shift]:
            elapsed = _sent(send, query_requests, target)
            samples[target]["all"].append(elapsed)
            samples[target][query["lang"]].append(elapsed)
    captured = next((kwargs.get("index") for query_requests in requests for _, kwargs in query_requests), None)
    result = {
        "queries": len(queries),
        "every": every,
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "targets": {
            str(target or captured): {part: percentiles(values) for part, values in parts.items() if values}
            for target, parts in samples.items()
        },
    }
    for name, figures in result["targets"].items():
        log(f"replay on {name}: engine p95 {figures['all']['p95_ms']} ms over {figures['all']['n']} queries")
    return result


def database_index_ensure(sample: int, log: Any) -> dict[str, Any]:
    """The database backend's index (modelsearch's index entries) for the same rows as the engine's index,
    built once per data set and reused."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from bench.indexing import CHUNK, _sample_ids
    from messaging.models import Message
    from search.configuration import backend_config
    from search.indexing import chunks, indexed_objects

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_database_index (seconds float, documents int)")
        cursor.execute("SELECT seconds, documents FROM bench_database_index WHERE documents >= %s", [sample])
        row = cursor.fetchone()
    if row:
        return {"reused": True, "seconds": row[0], "documents": row[1]}
    present = IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(Message)).count()
    if present >= min(sample, indexed_objects(Message).count()):  # built before, by `manage.py rebuild_search_index`
        return {"reused": True, "seconds": None, "documents": present}
    log(f"adding the {sample} most recent live messages to the database backend's index (once per data set)")
    config = backend_config("database")
    backend = get_search_backend(config.pop("BACKEND"), **config)
    started = time.perf_counter()
    ids = _sample_ids(sample)
    for batch in chunks(indexed_objects(Message).filter(pk__in=ids), CHUNK):
        backend.add_bulk(Message, batch)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_database_index VALUES (%s, %s)", [seconds, len(ids)])
    return {"reused": False, "seconds": round(seconds, 1), "documents": len(ids)}


def run(
    *,
    data_dir: Path,
    limit: int | None,
    with_database: bool,
    index_sample: int,
    log: Any,
    database_sample: int | None = None,
) -> dict[str, Any]:
    from django.conf import settings

    queries = queries_load(data_dir, limit)
    key, institution = api_key_create("bench-search")
    requests = engine_requests(institution, queries)
    engine_url = str(settings.WAGTAILSEARCH_BACKENDS["default"]["URLS"][0])  # type: ignore[index]
    with gunicorn() as server:
        api_latencies(server.base, key, queries[:50])  # warm-up
        engine_latencies(engine_url, requests[:50])
        api, empty, retried = api_latencies(server.base, key, queries)
        engine = engine_latencies(engine_url, requests)
    result: dict[str, Any] = {
        "queries": len(queries),
        "engine_requests": sum(name == "search" for query_requests in requests for name, _ in query_requests),
        "api_opensearch": {**percentiles(api), "empty_results": empty, "retried_5xx": retried},
        "engine_direct": percentiles(engine),
    }
    log(f"search api {result['api_opensearch']['p95_ms']} ms p95, engine {result['engine_direct']['p95_ms']} ms p95")
    if with_database:
        result["database_index"] = database_index_ensure(database_sample or index_sample, log)
        with gunicorn(backend="database") as server:
            api_latencies(server.base, key, queries[:50])
            database, empty, retried_database = api_latencies(server.base, key, queries)
        result["api_database"] = {**percentiles(database), "empty_results": empty, "retried_5xx": retried_database}
        log(f"search api (database backend) {result['api_database']['p95_ms']} ms p95")
    ratio = result["api_opensearch"]["p95_ms"] / result["engine_direct"]["p95_ms"]
    result["ratios"] = {"api_p95_over_engine_p95": round(ratio, 3)}
    if "api_database" in result:
        result["ratios"]["database_p95_over_opensearch_api_p95"] = round(
            result["api_database"]["p95_ms"] / result["api_opensearch"]["p95_ms"], 3
        )
    result["targets"] = {"api_p95_over_engine_p95": {"target": "<= 1.5", "met": ratio <= 1.5}}
    return result
