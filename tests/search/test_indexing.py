"""Index updates off the request: nothing lost when the engine fails, the latest state always wins."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search import indexing
from search.models import IndexUpdate, IndexUpdateStatus
from search.tasks import index_catch_up
from tests.factories import InstitutionFactory
from tests.messaging.api_helpers import client_for, issue_key
from tests.search.conftest import index_refresh

pytestmark = pytest.mark.django_db


def found(text: str, language: str = "ar") -> list[str]:
    response = client_for(issue_key(InstitutionFactory())).get("/api/v1/search/", {"q": text, "locale": language})
    return [r["id"] for r in response.json()["results"]]


@pytest.fixture
def engine_down(monkeypatch: Any) -> Any:
    def fail(**kwargs: Any) -> None:
        raise ConnectionError("engine unreachable")

    monkeypatch.setattr(indexing, "index_entry_sync", fail)
    return monkeypatch


def test_publish_succeeds_and_records_a_pending_update_when_the_engine_is_down(publish: Any, engine_down: Any) -> None:
    message = publish(key_message="رسالة عن الطاقة المتجددة")
    assert Message.objects.get(pk=message.pk).live
    update = IndexUpdate.objects.get(model_label="messaging.message", object_id=str(message.pk))
    assert update.status == IndexUpdateStatus.PENDING
    assert "engine unreachable" in update.last_error


def test_catch_up_indexes_what_was_missed_once_the_engine_returns(publish: Any, engine_down: Any) -> None:
    message = publish(key_message="رسالة عن الطاقة المتجددة")
    assert found("الطاقة") == []
    engine_down.undo()
    assert index_catch_up() >= 1
    index_refresh()
    assert found("الطاقة") == [str(message.translation_key)]
    assert not IndexUpdate.objects.filter(model_label="messaging.message", status=IndexUpdateStatus.PENDING).exists()


def test_catch_up_removes_a_message_withdrawn_while_the_engine_was_down(
    publish: Any, withdraw: Any, monkeypatch: Any
) -> None:
    message = publish(key_message="رسالة عن الطاقة المتجددة")
    with monkeypatch.context() as down:
        down.setattr(indexing, "index_entry_sync", lambda **kwargs: (_ for _ in ()).throw(ConnectionError("down")))
        withdraw(message)
    index_catch_up()
    index_refresh()
    backend_hits = get_search_backend().search("الطاقة", Message.objects.filter(live=True))
    assert list(backend_hits) == [] or all(not m.live for m in backend_hits)
    assert found("الطاقة") == []


def test_catch_up_stops_at_the_first_failure_and_keeps_the_rest(publish: Any, engine_down: Any) -> None:
    publish(key_message="الطاقة")
    publish(key_message="المياه")
    attempts_before = sum(IndexUpdate.objects.values_list("attempts", flat=True))
    assert index_catch_up() == 0
    pending = IndexUpdate.objects.filter(model_label="messaging.message", status=IndexUpdateStatus.PENDING)
    assert pending.count() == 2
    assert sum(IndexUpdate.objects.values_list("attempts", flat=True)) == attempts_before + 1  # stopped at once


def test_a_newer_request_is_not_marked_done_by_an_older_run(publish: Any, engine_down: Any) -> None:
    message = publish(key_message="الطاقة")
    update = IndexUpdate.objects.get(model_label="messaging.message")
    engine_down.undo()

    def newer_request_meanwhile(**kwargs: Any) -> None:
        indexing.index_update_request(model_label="messaging.message", object_id=message.pk)

    engine_down.setattr(indexing, "index_entry_sync", newer_request_meanwhile)
    assert indexing.pending_update_apply(update_id=update.pk)
    update.refresh_from_db()
    assert update.status == IndexUpdateStatus.PENDING and update.generation == 2


def test_saving_a_message_does_not_touch_the_index_synchronously(publish: Any) -> None:
    message = publish(key_message="الطاقة")
    Message.objects.filter(pk=message.pk).update(key_message="المياه")
    message.refresh_from_db()
    message.save()
    index_refresh()
    assert found("المياه") == []
    assert found("الطاقة") == [str(message.translation_key)]


def test_rebuild_search_index_indexes_live_messages_and_clears_pending(publish: Any, engine_down: Any) -> None:
    message = publish(key_message="رسالة عن الطاقة المتجددة")
    engine_down.undo()
    call_command("rebuild_search_index", verbosity=0)
    assert not IndexUpdate.objects.filter(status=IndexUpdateStatus.PENDING).exists()
    index_refresh()
    assert found("الطاقة") == [str(message.translation_key)]
