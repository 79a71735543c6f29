from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from wagtail.search.backends import get_search_backend

from search.indexing import indexes_drop
from tests.factories import MessageFactory


@pytest.fixture(autouse=True)
def isolated_index(settings: Any) -> Iterator[None]:
    """With an engine configured, each test gets its own throw-away indexes."""
    config = dict(settings.WAGTAILSEARCH_BACKENDS["default"])
    if "URLS" not in config:
        yield
        return
    config["INDEX_PREFIX"] = f"tawasul_test_{uuid.uuid4().hex[:10]}_"
    settings.WAGTAILSEARCH_BACKENDS = {"default": config}
    yield
    indexes_drop(get_search_backend(), prefix=config["INDEX_PREFIX"])


def index_refresh() -> None:
    """Engines show writes after a refresh; the database backend at once."""
    backend = get_search_backend()
    if hasattr(backend, "es"):
        backend.es.indices.refresh(index=f"{settings.WAGTAILSEARCH_BACKENDS['default']['INDEX_PREFIX']}*")


@pytest.fixture
def publish(django_capture_on_commit_callbacks: Any) -> Any:
    """Publish a message and run what commits trigger (the outbox relay, hence indexing)."""

    def run(**kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            message = MessageFactory.create_published(**kwargs)
        index_refresh()
        return message

    return run


@pytest.fixture
def withdraw(django_capture_on_commit_callbacks: Any) -> Any:
    def run(message: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            message.unpublish()
        index_refresh()

    return run
