"""Keeping the search index in line with the database, off the request path and without losing updates.

Messages follow the event outbox (`event_index`, run by the relay task); campaign pages follow Wagtail's publish
and unpublish signals; other indexed models (topics, images, documents, other pages) follow their saves. Each
update decides from the database what the entry should be (present while live, absent otherwise), so running it
twice or late is harmless. When an engine is down the update is recorded as an `IndexUpdate` and the periodic
catch-up (`index_catch_up`) applies it once the engine answers again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from modelsearch.index import class_is_indexed, get_indexed_models
from wagtail.search.backends import get_search_backends

from hub.celery import task
from messaging.models import Message
from search.models import IndexUpdate, IndexUpdateStatus

logger = logging.getLogger("tawasul")
CATCH_UP_BATCH = 500


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def should_be_indexed(obj: Any) -> bool:
    return obj is not None and bool(getattr(obj, "live", True))


def indexed_objects(model: type[Any]) -> models.QuerySet[Any]:
    """What a rebuild puts in the index: live rows only for models with a publishing state, with their locale (the
    engine mapping fills a row's sub-fields by its language)."""
    rows = model.get_indexed_objects()
    names = {f.name for f in model._meta.get_fields()}
    if "live" in names:
        rows = rows.filter(live=True)
    if "locale" in names:
        rows = rows.select_related("locale")
    return rows


def index_ensure(backend: Any, model: type[Any]) -> None:
    """Engines create a missing index on first write with guessed mappings; create it with ours instead."""
    if not hasattr(backend, "get_index_for_model") or not hasattr(backend, "es"):
        return
    index = backend.get_index_for_model(model)
    if not index.exists():
        try:
            index.put()
        except Exception:
            if not index.exists():
                raise
            # another process created it first (the engine refuses a second write index behind the alias)
        index.add_model(model)


def indexes_drop(backend: Any, *, prefix: str) -> None:
    """Delete every index whose name starts with `prefix`. Elasticsearch 8 and later refuse a wildcard in a delete
    by default (`action.destructive_requires_name`), so the names are resolved first and deleted by name."""
    names = sorted(backend.es.indices.get(index=f"{prefix}*"))
    if names:
        backend.es.indices.delete(index=",".join(names))


# While an index is rebuilt behind its alias (`search.rebuild`), updates are recorded to be applied again after
# the swap.
MARKER_TIMEOUT = 3600


def _marker(alias: str) -> str:
    return f"search:rebuilding:{alias}"


def rebuilding(alias: str) -> bool:
    return bool(cache.get(_marker(alias)))


def rebuild_touch(*, backend: Any, model: type[Any], object_id: str | int) -> None:
    """Called for every index update: while the model's index is being rebuilt, remember the object so it is
    applied again to the new index after the swap (the rebuild may have read the row before this update)."""
    if not hasattr(backend, "es") or not rebuilding(backend.get_index_for_model(model).name):
        return
    row, created = IndexUpdate.objects.get_or_create(
        model_label=label_of(model), object_id=str(object_id), defaults={"status": IndexUpdateStatus.DONE}
    )
    if not created:  # a pending request stays pending, with its generation: only the time is news
        IndexUpdate.objects.filter(pk=row.pk).update(updated_at=timezone.now())


def rebuilding_mark(alias: str, on: bool) -> None:
    if on:
        cache.set(_marker(alias), True, MARKER_TIMEOUT)
    else:
        cache.delete(_marker(alias))


def index_entry_sync(*, model_label: str, object_id: str | int) -> None:
    """Make every backend's entry for one object match the database. Raises when an engine fails."""
    model = apps.get_model(model_label)
    obj = model._default_manager.filter(pk=object_id).first()
    indexed = obj.get_indexed_instance() if obj is not None else None
    for backend in get_search_backends():
        rebuild_touch(backend=backend, model=type(indexed) if indexed is not None else model, object_id=object_id)
        if should_be_indexed(indexed):
            index_ensure(backend, type(indexed))
            backend.add(indexed)
        else:
            backend.delete(indexed or model(pk=object_id))


def index_update_request(*, model_label: str, object_id: str | int, error: str = "") -> None:
    """Record that an object's entry must be (re)applied; a newer request supersedes an older one."""
    with transaction.atomic():
        row, created = IndexUpdate.objects.select_for_update().get_or_create(
            model_label=model_label, object_id=str(object_id), defaults={"last_error": error[:2000]}
        )
        if not created:
            IndexUpdate.objects.filter(pk=row.pk).update(
                status=IndexUpdateStatus.PENDING,
                generation=F("generation") + 1,
                last_error=error[:2000],
                updated_at=timezone.now(),  # `auto_now` is not applied by `update()`
            )


def object_index(*, model_label: str, object_id: str | int) -> bool:
    """Apply now; on failure, record it for the catch-up. Never raises: a publish must not fail on the index."""
    try:
        index_entry_sync(model_label=model_label, object_id=object_id)
    except Exception as error:
        logger.warning("Search index update for %s:%s deferred: %s", model_label, object_id, error)
        index_update_request(model_label=model_label, object_id=object_id, error=repr(error))
        return False
    return True


def pending_update_apply(*, update_id: int) -> bool:
    row = IndexUpdate.objects.filter(pk=update_id, status=IndexUpdateStatus.PENDING).first()
    if row is None:
        return True
    try:
        index_entry_sync(model_label=row.model_label, object_id=row.object_id)
    except Exception as error:
        IndexUpdate.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, last_error=repr(error)[:2000])
        return False
    IndexUpdate.objects.filter(pk=row.pk, generation=row.generation).update(
        status=IndexUpdateStatus.DONE, attempts=F("attempts") + 1, last_error=""
    )
    return True


def pending_updates_apply(*, limit: int = CATCH_UP_BATCH) -> int:
    """The catch-up: apply pending updates, oldest first; stop at the first failure (the engine is still down)."""
    applied = 0
    pending = IndexUpdate.objects.filter(status=IndexUpdateStatus.PENDING).order_by("updated_at", "pk")
    for update_id in pending.values_list("pk", flat=True)[:limit]:
        if not pending_update_apply(update_id=update_id):
            break
        applied += 1
    return applied


def update_enqueue(*, model_label: str, object_id: str | int) -> None:
    """Record the request in the current transaction and apply it through the task queue once it commits."""
    index_update_request(model_label=model_label, object_id=object_id)
    transaction.on_commit(lambda: _enqueue(model_label, str(object_id)))


def _enqueue(model_label: str, object_id: str) -> None:
    update_id = IndexUpdate.objects.filter(model_label=model_label, object_id=object_id).values_list("pk", flat=True)
    try:
        for pk in update_id:
            task("search.tasks.index_update_apply").delay(pk)
    except Exception:
        logger.warning("Broker unavailable; search update %s:%s left for the catch-up", model_label, object_id)


def event_index(event: Any) -> None:
    """Outbox handler: a message was published, updated, withdrawn, expired or superseded."""
    if event.message_id:
        object_index(model_label=label_of(Message), object_id=event.message_id)


def index_models() -> list[type[Any]]:
    return [model for model in get_indexed_models() if class_is_indexed(model)]


def chunks(rows: models.QuerySet[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows.order_by("pk").iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
