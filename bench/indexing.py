"""Indexing: the rebuild path (read rows, build documents with modelsearch's mapping, bulk them) in documents per
second, versus a raw bulk load of the same documents with opensearch-py.

Both load the same sample of live message rows (`--index-sample`, the most recent ones) into scratch indexes
created with the backend's settings and the Message mapping, in chunks of 500 (the project's
`rebuild_search_index` chunk size), and end with a refresh. The rebuild path is `search.indexing.chunks` of
`indexed_objects` into the index's `add_items`, as in `rebuild_search_index`; the raw load sends documents built
beforehand (not timed). The difference is what the rebuild spends reading the database and building documents.
A sample; `full_rebuild` (`python -m bench --only search --full-rebuild`) rebuilds the whole data set behind the
alias, as `rebuild_search_index` does, while searching.
"""

from __future__ import annotations

import time
from typing import Any

CHUNK = 500


def _sample_ids(sample: int) -> list[int]:
    from messaging.models import Message
    from search.indexing import indexed_objects

    return list(indexed_objects(Message).order_by("-updated_at").values_list("pk", flat=True)[:sample])


def _scratch(backend: Any, name: str) -> Any:
    from messaging.models import Message

    index = backend.index_class(backend, name)
    index.delete()
    index.put()
    index.add_model(Message)
    return index


def rebuild_path(ids: list[int]) -> float:
    from wagtail.search.backends import get_search_backend

    from messaging.models import Message
    from search.indexing import chunks, indexed_objects

    backend = get_search_backend()
    index = _scratch(backend, backend.get_index_for_model(Message).name + "_bench_rebuild")
    started = time.perf_counter()
    for batch in chunks(indexed_objects(Message).filter(pk__in=ids), CHUNK):
        index.add_items(Message, batch)
    index.refresh()
    seconds = time.perf_counter() - started
    index.delete()
    return seconds


def raw_bulk(ids: list[int]) -> tuple[float, float]:
    from opensearchpy.helpers import bulk
    from wagtail.search.backends import get_search_backend

    from messaging.models import Message
    from search.indexing import chunks, indexed_objects

    backend = get_search_backend()
    mapping = backend.mapping_class(Message)
    built = time.perf_counter()
    documents = [
        {"_id": mapping.get_document_id(obj), **mapping.get_document(obj)}
        for batch in chunks(indexed_objects(Message).filter(pk__in=ids), CHUNK)
        for obj in batch
    ]
    build_seconds = time.perf_counter() - built
    index = _scratch(backend, backend.get_index_for_model(Message).name + "_bench_raw")
    started = time.perf_counter()
    bulk(backend.es, documents, index=index.name, chunk_size=CHUNK)
    index.refresh()
    seconds = time.perf_counter() - started
    index.delete()
    return seconds, build_seconds


def run(*, sample: int, log: Any) -> dict[str, Any]:
    ids = _sample_ids(sample)
    raw_bulk(ids[:CHUNK])  # warm-up: the engine's first bulk into a fresh index is slower
    rebuild_seconds = rebuild_path(ids)
    log(f"rebuild path: {len(ids)} documents in {rebuild_seconds:.1f} s")
    raw_seconds, build_seconds = raw_bulk(ids)
    log(f"raw bulk: {len(ids)} documents in {raw_seconds:.1f} s")
    rebuild_rate, raw_rate = len(ids) / rebuild_seconds, len(ids) / raw_seconds
    ratio = rebuild_rate / raw_rate
    return {
        "documents": len(ids),
        "chunk_size": CHUNK,
        "rebuild": {
            "documents": len(ids),
            "seconds": round(rebuild_seconds, 1),
            "docs_per_second": round(rebuild_rate, 1),
        },
        "raw_bulk": {
            "documents": len(ids),
            "seconds": round(raw_seconds, 1),
            "docs_per_second": round(raw_rate, 1),
            "document_build_seconds_not_timed": round(build_seconds, 1),
        },
        "full_rebuild_estimate_seconds": round(_live_rows() / rebuild_rate),
        "ratios": {"rebuild_over_raw": round(ratio, 3)},
        "targets": {"rebuild_over_raw": {"target": ">= 0.5", "met": ratio >= 0.5}},
    }


def _live_rows() -> int:
    from messaging.models import Message
    from search.indexing import indexed_objects

    return int(indexed_objects(Message).count())


def search_index_ensure(sample: int, log: Any) -> dict[str, Any]:
    """The live search index holds at least the `sample` most recent live message rows (added, not rebuilt:
    a full rebuild of every row is out of reach, see `run`). Reused across runs."""
    from wagtail.search.backends import get_search_backend

    from messaging.models import Message
    from search.indexing import chunks, index_ensure, indexed_objects

    backend = get_search_backend()
    index_ensure(backend, Message)
    index = backend.get_index_for_model(Message)
    present = int(backend.es.count(index=index.name)["count"])
    if present >= sample:
        return {"documents": present, "added": 0}
    ids = _sample_ids(sample)
    log(f"adding the {len(ids)} most recent live messages to the search index (once; not measured)")
    for batch in chunks(indexed_objects(Message).filter(pk__in=ids), CHUNK):
        index.add_items(Message, batch)
    index.refresh()
    return {"documents": int(backend.es.count(index=index.name)["count"]), "added": len(ids)}


def full_rebuild(*, data_dir: Any, log: Any, merge_segments: int | None = 1) -> dict[str, Any]:
    """The whole data set rebuilt into a new index behind the alias (`search.rebuild`, what
    `manage.py rebuild_search_index` runs), while one client searches the API without pause: how long the
    rebuild takes, and how many searches failed or were slow meanwhile."""
    import threading

    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index
    from wagtail.search.backends import get_search_backend

    from bench.api_pull import api_key_create
    from bench.processes import gunicorn
    from bench.search_latency import percentiles, queries_load
    from messaging.models import Message
    from search.indexing import index_models
    from search.rebuild import AliasRebuild

    backend = get_search_backend(TIMEOUT=300.0)
    alias = backend.get_index_for_model(Message)
    before = _index_size(backend, alias.name)
    models = next(m for index, m in group_models_by_index(backend, index_models()).items() if Message in m)
    queries = queries_load(data_dir, None)
    key, _ = api_key_create("bench-rebuild")
    samples: list[float] = []
    failures: list[str] = []
    done = threading.Event()
    with gunicorn() as server:

        def search_meanwhile() -> None:
            import http.client
            import urllib.parse

            parts = urllib.parse.urlsplit(server.base)
            connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
            i = 0
            while not done.is_set():
                query = queries[i % len(queries)]
                i += 1
                path = "/api/v1/search/?" + urllib.parse.urlencode({"q": query["query"], "locale": query["lang"]})
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"Authorization": f"Api-Key {key}"})
                    response = connection.getresponse()
                    response.read()
                    if response.status != 200:
                        failures.append(f"{response.status} {query['query'][:40]}")
                except Exception as error:  # counted, then a new connection
                    failures.append(repr(error)[:120])
                    connection.close()
                    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
                samples.append((time.perf_counter() - started) * 1000)

        searcher = threading.Thread(target=search_meanwhile, daemon=True)
        searcher.start()
        log(f"rebuilding {alias.name} ({', '.join(m._meta.label for m in models)}) while searching")
        try:
            result = AliasRebuild(backend, models, merge_segments=merge_segments, log=log).run()
        finally:
            time.sleep(5)  # searches after the swap and the old index's deletion count too
            done.set()
            searcher.join(timeout=60)
    log(f"full rebuild: {result.documents} documents in {result.seconds} s; {len(samples)} searches, "
        f"{len(failures)} failed")  # fmt: skip
    return {
        "documents": result.documents,
        "seconds": result.seconds,
        "load_seconds": result.load_seconds,
        "settings_refresh_merge_seconds": result.merge_seconds,
        "merge_segments": merge_segments,
        "reapplied": result.reapplied,
        "index": result.index,
        "size_before": before,
        "size_after": _index_size(backend, alias.name),
        "searches_during": {**percentiles(samples or [0.0]), "failed": len(failures),
                            "slower_than_1s": sum(s > 1000 for s in samples), "failures": failures[:10]},
        "targets": {"seconds": {"target": "<= 300", "met": result.seconds <= 300},
                    "failed_searches": {"target": "0", "met": not failures}},
    }  # fmt: skip


def _index_size(backend: Any, name: str) -> dict[str, Any]:
    try:
        stats = backend.es.indices.stats(index=name, metric="docs,store,segments")
    except Exception:
        return {}
    total = stats["_all"]["primaries"]
    return {
        "documents": total["docs"]["count"],
        "store_mb": round(total["store"]["size_in_bytes"] / 2**20, 1),
        "segments": total["segments"]["count"],
    }
