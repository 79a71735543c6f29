"""Keeping the cycle collector's work small in web workers: an API response lets go of its data once rendered, so
a page of documents is freed at once rather than with the request, view and response that refer to one another
(`InstitutionAPIView.finalize_response`), and gunicorn workers freeze the loaded application (`hub/gunicorn.py`)."""

from __future__ import annotations

import gc

import orjson
import pytest

from tests.factories import InstitutionFactory, MessageFactory
from tests.messaging.api_helpers import client_for, issue_key

pytestmark = pytest.mark.django_db


def _cyclic_garbage_after(client, page_size: int) -> int:
    """Objects only the cycle collector frees, left by one request whose response has been read and dropped."""
    client.get(f"/api/v1/messages/?locale=ar&page_size={page_size}")  # warm: key, token, names, ledger
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        response = client.get(f"/api/v1/messages/?locale=ar&page_size={page_size}")
        assert response.status_code == 200
        assert len(orjson.loads(response.content)["results"]) == page_size
        del response
        return gc.collect()
    finally:
        if enabled:
            gc.enable()


def test_a_page_of_documents_is_not_left_to_the_cycle_collector():
    client = client_for(issue_key(InstitutionFactory(slug="moi")))
    for _ in range(30):
        MessageFactory.create_published()
    small, large = _cyclic_garbage_after(client, 2), _cyclic_garbage_after(client, 30)
    # Each document is a handful of dicts: held by the response, 28 more documents left about 140 more objects.
    assert large - small < 28, (small, large)


def test_the_rendered_response_is_complete():
    client = client_for(issue_key(InstitutionFactory(slug="moi")))
    message = MessageFactory.create_published()
    response = client.get("/api/v1/messages/?locale=ar")
    assert response.status_code == 200
    assert response.data is None  # let go of after rendering
    assert [document["id"] for document in orjson.loads(response.content)["results"]] == [str(message.translation_key)]


def test_gunicorn_workers_freeze_the_loaded_application():
    from types import SimpleNamespace

    from hub.gunicorn import post_worker_init

    logged: list[tuple[object, ...]] = []
    worker = SimpleNamespace(pid=1234, log=SimpleNamespace(info=lambda *args: logged.append(args)))
    assert gc.get_freeze_count() == 0
    try:
        post_worker_init(worker)
        assert gc.get_freeze_count() > 10_000
        assert logged and logged[0][1:] == (1234, gc.get_freeze_count())
    finally:
        gc.unfreeze()
