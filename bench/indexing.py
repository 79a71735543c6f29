"""Indexing: the rebuild path (read rows, build documents with modelsearch's mapping, bulk them) in documents per
second, versus a raw bulk load of the same documents with opensearch-py.

Both load the same sample of live message rows (`--index-sample`, the most recent ones) into scratch indexes
created with the backend's settings and the Message mapping, in chunks of 500 (the project's
`rebuild_search_index` chunk size), and end with a refresh. The rebuild path is `search.indexing.chunks` of
`indexed_objects` into the index's `add_items`, as in `rebuild_search_index`; the raw load sends documents built
beforehand (not timed). The difference is what the rebuild spends reading the database and building documents.
A sample, not the 200,000 rows: with the project's analysis (3–4-gram and word-beginning sub-fields on every
text field) the engine indexes a few dozen documents per second on this machine, so a full rebuild would take
hours; see the notes.
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
