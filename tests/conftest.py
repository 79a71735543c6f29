from __future__ import annotations

import os

import pytest
from wagtail.models import Locale

from tests.factories import InstitutionFactory, UserFactory


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
