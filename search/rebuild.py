"""Rebuilding an engine index without downtime: load a new index, then swap the alias the site searches.

The site always reads and writes through the alias (the name modelsearch gives the model's index). A rebuild
creates `<alias>_<stamp>` with bulk-load settings (no refresh, no replica), loads every live row into it while
searches keep answering from the old index, restores the serving settings, refreshes and force-merges it, then
moves the alias in one `_aliases` request (remove from the old index and add to the new one: no moment with
no index or with both). The old index is deleted a few seconds later, so searches already sent to it finish.

Updates that arrive while the rebuild runs go to the old index through the alias; each is also recorded
(`search.indexing.rebuild_touch`, an `IndexUpdate` row), and once the alias points at the new index every object
recorded since the rebuild started is applied again from the database. A rebuild that fails deletes its half-built
index and leaves the alias where it was.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from modelsearch.utils import deep_update

from search.backends.engine import concrete_index_name
from search.indexing import chunks, indexed_objects, label_of, object_index, rebuilding_mark
from search.models import IndexUpdate

logger = logging.getLogger("tawasul")

# While loading: no periodic refresh (one at the end), no replica to copy every document to, translog fsync
# off the request. Restored to `SERVING_SETTINGS` before the swap.
BULK_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0, "translog.durability": "async"}
SERVING_SETTINGS = {"refresh_interval": "1s", "translog.durability": "request"}
OLD_INDEX_GRACE = 3.0  # seconds searches already sent to the old index have to finish
# Segments the new index is force-merged to before the swap (None: left as the load made them, merged later by
# the engine's own policy). Measured in docs/benchmarks.md.
MERGE_SEGMENTS: int | None = 1
Log = Callable[[str], None]


@dataclass
class RebuildResult:
    alias: str
    index: str
    documents: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    merge_seconds: float = 0.0
    reapplied: int = 0
    old_indexes: list[str] = field(default_factory=list)


class AliasRebuild:
    """One index (the models modelsearch groups into it) rebuilt behind its alias."""

    def __init__(
        self,
        backend: Any,
        models: list[type[Any]],
        *,
        chunk_size: int = 1000,
        workers: int = 2,
        grace: float = OLD_INDEX_GRACE,
        merge_segments: int | None = MERGE_SEGMENTS,
        log: Log | None = None,
    ) -> None:
        self.backend = backend
        self.es = backend.es
        self.models = models
        self.alias = backend.get_index_for_model(models[0])
        self.index = backend.index_class(backend, concrete_index_name(self.alias.name))
        self.chunk_size = chunk_size
        self.workers = workers
        self.grace = grace
        self.merge_segments = merge_segments
        self.log = log or (lambda message: None)

    def run(self, *, progress: Callable[[int], None] | None = None) -> RebuildResult:
        result = RebuildResult(alias=self.alias.name, index=self.index.name)
        started_at = timezone.now()
        started = time.perf_counter()
        rebuilding_mark(self.alias.name, True)
        try:
            self._create()
            result.documents = self._load(progress)
            result.load_seconds = round(time.perf_counter() - started, 1)
            merging = time.perf_counter()
            self._serve()
            result.merge_seconds = round(time.perf_counter() - merging, 1)
            result.old_indexes = self._swap()
        except BaseException:
            self._discard()
            rebuilding_mark(self.alias.name, False)
            raise
        rebuilding_mark(self.alias.name, False)
        result.reapplied = self._reapply(since=started_at)
        self._retire(result.old_indexes)
        result.seconds = round(time.perf_counter() - started, 1)
        return result

    def _create(self) -> None:
        body = deep_update(copy.deepcopy(self.backend.settings), {"settings": {"index": BULK_SETTINGS}})
        if self.backend.use_new_elasticsearch_api:
            self.es.indices.create(index=self.index.name, **body)
        else:
            self.es.indices.create(index=self.index.name, body=body)
        for model in self.models:
            self.index.add_model(model)

    def _load(self, progress: Callable[[int], None] | None) -> int:
        """Documents are built here (Python, one core) while up to `workers` bulk requests are analysed by the
        engine (the other core): the two overlap instead of taking turns."""
        loaded = 0
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            pending: list[Future[Any]] = []
            for model in self.models:
                mapping = self.backend.mapping_class(model)
                for batch in chunks(indexed_objects(model), self.chunk_size):
                    actions = [{"_id": mapping.get_document_id(obj), **mapping.get_document(obj)} for obj in batch]
                    while len(pending) >= self.workers:
                        pending.pop(0).result()
                    pending.append(pool.submit(self._bulk, actions))
                    loaded += len(actions)
                    if progress:
                        progress(len(actions))
            for future in pending:
                future.result()
        return loaded

    def _bulk(self, actions: list[dict[str, Any]]) -> None:
        self.backend.bulk(self.es, actions, index=self.index.name, chunk_size=len(actions), request_timeout=300)

    def _serve(self) -> None:
        """Serving settings back, visible documents, and few segments if asked (fewer per-segment lookups a
        search)."""
        replicas = self.backend.settings.get("settings", {}).get("index", {}).get("number_of_replicas", 0)
        self.es.indices.put_settings(
            index=self.index.name, body={"index": {**SERVING_SETTINGS, "number_of_replicas": replicas}}
        )
        self.es.indices.refresh(index=self.index.name)
        if self.merge_segments:
            self.es.indices.forcemerge(index=self.index.name, max_num_segments=self.merge_segments, request_timeout=600)
            self.es.indices.refresh(index=self.index.name)

    def _swap(self) -> list[str]:
        """Point the alias at the new index in one request. Indexes are created behind an alias
        (`search.backends.engine.IndexMixin.put`); only an index created by name before that (an older install)
        is a plain index under the alias's name, removed in the same request."""
        name = self.alias.name
        actions: list[dict[str, Any]] = []
        if self.es.indices.exists_alias(name=name):
            old = sorted(self.es.indices.get_alias(name=name))
            actions += [{"remove": {"index": index, "alias": name}} for index in old]
            retire = old
        elif self.es.indices.exists(index=name):
            actions.append({"remove_index": {"index": name}})
            retire = []
        else:
            retire = []
        actions.append({"add": {"index": self.index.name, "alias": name}})
        self.es.indices.update_aliases(body={"actions": actions})
        return [index for index in retire if index != self.index.name]

    def _reapply(self, *, since: datetime) -> int:
        touched = IndexUpdate.objects.filter(
            updated_at__gte=since, model_label__in=[label_of(m) for m in self.models]
        ).values_list("model_label", "object_id")
        count = 0
        for model_label, object_id in touched:
            object_index(model_label=model_label, object_id=object_id)
            count += 1
        return count

    def _retire(self, old: list[str]) -> None:
        if not old:
            return
        if self.grace:
            threading.Timer(self.grace, self._delete, args=(old,)).start()
        else:
            self._delete(old)

    def _delete(self, names: list[str]) -> None:
        try:
            self.es.indices.delete(index=",".join(names))
        except Exception as error:
            logger.warning("Old search index %s left behind: %s", names, error)

    def _discard(self) -> None:
        try:
            if self.es.indices.exists(index=self.index.name):
                self.es.indices.delete(index=self.index.name)
        except Exception as error:
            logger.warning("Half-built search index %s left behind: %s", self.index.name, error)
