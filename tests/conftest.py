from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from wagtail.models import Locale

from tests.factories import InstitutionFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _search_indexes() -> None:
    """With a search engine as the backend (`make test-all`), every indexed model's index exists before the first
    search, as `update_index` leaves it in a deployment: the admin's and Wagtail API's searches of pages, images
    and topics would otherwise ask the engine for an index nobody created."""
    from django.conf import settings
    from wagtail.search.backends import get_search_backend
    from wagtail.search.index import get_indexed_models

    from search.configuration import backend_name

    if backend_name(settings.WAGTAILSEARCH_BACKENDS["default"]) == "database":
        return
    backend = get_search_backend()
    for model in get_indexed_models():
        index = backend.get_index_for_model(model)
        if index is None:
            continue
        if not index.exists():
            index.put()
        index.add_model(model)


@pytest.fixture
def database_search_backend(settings: Any) -> Iterator[None]:
    """The database search backend, whatever the suite's default backend is (the suite on services uses an
    engine)."""
    configured = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database", "AUTO_UPDATE": False}}
    yield
    settings.WAGTAILSEARCH_BACKENDS = configured


@pytest.fixture(autouse=True)
def _locales(db: None) -> None:
    Locale.objects.get_or_create(language_code="ar")
    Locale.objects.get_or_create(language_code="en")


@pytest.fixture
def communicator(db: None):
    return UserFactory(username="communicator", groups=["Communicators"])


@pytest.fixture
def reviewer(db: None):
    return UserFactory(username="reviewer", groups=["Reviewers"])


@pytest.fixture
def second_reviewer(db: None):
    return UserFactory(username="reviewer2", groups=["Reviewers"])


@pytest.fixture
def approver(db: None):
    return UserFactory(username="approver", groups=["Approvers"])


@pytest.fixture
def translator(db: None):
    return UserFactory(username="translator", groups=["Translators"])


@pytest.fixture
def institutions(db: None):
    return [InstitutionFactory(slug=slug, name_en=slug.upper()) for slug in ("gcc", "moi", "part")]


def services_required() -> bool:
    return os.environ.get("TAWASUL_REQUIRE_SERVICES") == "1"
