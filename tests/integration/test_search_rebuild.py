"""Rebuilding the message index behind its alias on a real engine node: the swap is one step, searches never fail
while it runs, a failed rebuild leaves nothing behind, and updates made meanwhile reach the new index."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search.configuration import backend_config
from search.indexing import index_ensure, index_entry_sync, indexes_drop, rebuilding
from search.rebuild import AliasRebuild
from tests.factories import MessageFactory
from tests.integration.conftest import engine_backend

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def engine(engine_url: str) -> Iterator[Any]:
    prefix = f"tawasul_it_{uuid.uuid4().hex[:10]}_"
    config = backend_config(engine_backend(), url=engine_url, index_prefix=prefix, timeout=30.0)
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
        backend = get_search_backend()
        yield backend
        indexes_drop(backend, prefix=prefix)


def published(count: int, text: str = "مبادرة التعليم") -> list[Message]:
    return [MessageFactory.create_published(key_message=f"{text} {i}") for i in range(count)]


def index_all(engine: Any, messages: list[Message]) -> None:
    for message in messages:
        index_entry_sync(model_label="messaging.message", object_id=message.pk)
    engine.get_index_for_model(Message).refresh()


def alias_targets(engine: Any) -> list[str]:
    name = engine.get_index_for_model(Message).name
    if not engine.es.indices.exists_alias(name=name):
        return []
    return sorted(engine.es.indices.get_alias(name=name))


def engine_ids(engine: Any, word: str = "مبادرة") -> set[int]:
    name = engine.get_index_for_model(Message).name
    body = {"query": {"match": {"key_message": word}}, "size": 500, "_source": False, "stored_fields": ["pk"]}
    response = engine.es.search(index=name, body=body)
    return {int(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]}


def rebuild(engine: Any, **kwargs: Any) -> Any:
    return AliasRebuild(engine, [Message], **{"chunk_size": 5, "grace": 0.5, **kwargs})


def test_rebuild_swaps_the_alias_to_one_new_index_and_retires_the_old(engine: Any) -> None:
    messages = published(12)
    index_all(engine, messages)  # the first index, created behind its alias (`IndexMixin.put`)
    initial = alias_targets(engine)
    assert len(initial) == 1 and initial[0] != engine.get_index_for_model(Message).name
    first = rebuild(engine).run()
    assert first.old_indexes == initial  # moved off and retired after the grace, never removed under a search
    assert alias_targets(engine) == [first.index]
    assert engine_ids(engine) == {m.pk for m in messages}
    second = rebuild(engine).run()
    assert second.old_indexes == [first.index]
    assert alias_targets(engine) == [second.index]
    time.sleep(1.5)  # the grace given to searches already sent to the old index
    assert not engine.es.indices.exists(index=first.index)
    assert engine_ids(engine) == {m.pk for m in messages}
    settings = engine.es.indices.get_settings(index=second.index)[second.index]["settings"]["index"]
    assert settings.get("refresh_interval") == "1s"  # bulk-load settings restored before the swap


def test_two_processes_creating_the_index_at_once_leave_one_index_behind_the_alias(engine: Any) -> None:
    index_ensure(engine, Message)  # the first process creates the index and its mapping
    with pytest.raises(Exception, match="write index"):
        engine.get_index_for_model(Message).put()  # what the slower of two processes creating it meets
    assert len(alias_targets(engine)) == 1
    index_ensure(engine, Message)  # the index exists: nothing to create, no error
    messages = published(2)
    index_all(engine, messages)  # writes through the alias reach its one index
    assert engine_ids(engine) == {m.pk for m in messages}


def test_searches_never_fail_while_the_index_is_rebuilt(engine: Any) -> None:
    messages = published(40)
    index_all(engine, messages)
    rebuild(engine).run()
    expected = {m.pk for m in messages}
    answers: list[set[int]] = []
    errors: list[Exception] = []
    done = threading.Event()

    def search() -> None:
        while not done.is_set():
            try:
                answers.append(engine_ids(engine))
            except Exception as error:
                errors.append(error)

    searcher = threading.Thread(target=search)
    searcher.start()
    try:
        for _ in range(2):
            rebuild(engine, chunk_size=3, grace=0.3).run()
        time.sleep(0.6)
    finally:
        done.set()
        searcher.join()
    assert errors == []
    assert len(answers) > 5
    assert all(found == expected for found in answers)  # never a half-built index, never both at once


def test_a_failed_rebuild_deletes_its_index_and_leaves_the_alias(engine: Any, monkeypatch: Any) -> None:
    messages = published(12)
    index_all(engine, messages)
    before = rebuild(engine).run()
    calls = []
    bulk = AliasRebuild._bulk

    def failing_bulk(self: Any, actions: list[Any]) -> None:
        calls.append(len(actions))
        if len(calls) == 2:
            raise ConnectionError("engine went away")
        bulk(self, actions)

    monkeypatch.setattr(AliasRebuild, "_bulk", failing_bulk)
    failed = rebuild(engine)
    with pytest.raises(ConnectionError):
        failed.run()
    assert not engine.es.indices.exists(index=failed.index.name)
    assert alias_targets(engine) == [before.index]
    assert engine_ids(engine) == {m.pk for m in messages}
    assert not rebuilding(engine.get_index_for_model(Message).name)


def test_updates_made_during_a_rebuild_reach_the_new_index(engine: Any) -> None:
    messages = published(15)
    index_all(engine, messages)
    withdrawn, added = messages[0], MessageFactory.create_published(key_message="مبادرة جديدة")
    Message.objects.filter(pk=added.pk).update(live=False)

    def meanwhile(loaded: int) -> None:
        if loaded and not meanwhile.done:  # type: ignore[attr-defined]
            meanwhile.done = True  # type: ignore[attr-defined]
            # after the first batch was read (the withdrawn one in it): the rows change and the index follows
            Message.objects.filter(pk=withdrawn.pk).update(live=False)
            Message.objects.filter(pk=added.pk).update(live=True)
            for message in (withdrawn, added):
                index_entry_sync(model_label="messaging.message", object_id=message.pk)

    meanwhile.done = False  # type: ignore[attr-defined]
    result = rebuild(engine).run(progress=meanwhile)
    engine.get_index_for_model(Message).refresh()
    assert result.reapplied >= 2
    assert engine_ids(engine) == {m.pk for m in messages[1:]} | {added.pk}
