"""No lost updates: with the engine stopped, publishing and withdrawing still succeed quickly; once it is back,
the catch-up brings the index in line within 60 s; a withdrawn message never appears in API results."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test.utils import override_settings
from wagtail.search.backends import get_search_backend

from messaging.models import Message
from search.configuration import backend_config
from search.indexing import index_entry_sync, indexes_drop
from search.models import IndexUpdate, IndexUpdateStatus
from search.tasks import index_catch_up
from tests.factories import InstitutionFactory, MessageFactory
from tests.integration.conftest import engine_backend, engine_service, port_open, services
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
CONVERGE_WITHIN = 60.0
# Publishing writes the outbox and never waits on the engine; a publish through the workflow alone takes about a
# second on a busy two-core machine, a wait on the engine would add its 2 s timeout per request.
FAILS_FAST = 5.0


@pytest.fixture
def engine(engine_url: str) -> Iterator[Any]:
    prefix = f"tawasul_it_{uuid.uuid4().hex[:10]}_"
    config = backend_config(engine_backend(), url=engine_url, index_prefix=prefix)
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": config}):
        backend = get_search_backend()
        yield backend
        if not port_open(engine_url):
            engine_start(engine_url)
        indexes_drop(backend, prefix=prefix)


def engine_start(url: str) -> None:
    """`services up`, tolerating a node that another run brought up meanwhile (the port is then taken)."""
    for _ in range(3):
        try:
            services("up", engine_service())
            return
        except subprocess.CalledProcessError:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not port_open(url):
                time.sleep(1)
    services("up", engine_service())


def in_index(engine: Any, message: Message) -> bool:
    index = engine.get_index_for_model(Message)
    return bool(engine.es.exists(index=index.name, id=str(message.pk)))


def api_ids(key: str, text: str) -> list[str]:
    response = client_for(key).get("/api/v1/search/", {"q": text, "locale": "ar"})
    assert response.status_code == 200
    return [r["id"] for r in response.json()["results"]]


def test_index_converges_after_the_engine_returns_and_withdrawn_never_shows(
    engine: Any, engine_url: str, django_capture_on_commit_callbacks: Any
) -> None:
    key = issue_key(InstitutionFactory())
    withdrawn = MessageFactory.create_published(key_message="خطة الطاقة المتجددة القديمة")
    index_entry_sync(model_label="messaging.message", object_id=withdrawn.pk)
    engine.get_index_for_model(Message).refresh()
    assert api_ids(key, "الطاقة") == [str(withdrawn.translation_key)]

    services("down", engine_service())
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            published = MessageFactory.create_published(key_message="خطة الطاقة المتجددة الجديدة")
        assert time.monotonic() - started < FAILS_FAST
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn.unpublish()
        assert time.monotonic() - started < FAILS_FAST
        pending = IndexUpdate.objects.filter(model_label="messaging.message", status=IndexUpdateStatus.PENDING)
        assert set(pending.values_list("object_id", flat=True)) == {str(published.pk), str(withdrawn.pk)}
        assert index_catch_up() == 0  # still down: nothing applied, nothing lost
        assert pending.count() == 2
    finally:
        engine_start(engine_url)

    deadline = time.monotonic() + CONVERGE_WITHIN
    while time.monotonic() < deadline:
        assert str(withdrawn.translation_key) not in api_ids(key, "الطاقة")
        index_catch_up()
        engine.get_index_for_model(Message).refresh()
        if in_index(engine, published) and not in_index(engine, withdrawn):
            break
        time.sleep(1)
    assert in_index(engine, published) and not in_index(engine, withdrawn)
    assert api_ids(key, "الطاقة") == [str(published.translation_key)]
    assert not IndexUpdate.objects.filter(model_label="messaging.message", status=IndexUpdateStatus.PENDING).exists()
