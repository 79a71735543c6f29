"""The public search page shows public content only, in the page's language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.search.urls")]


def test_public_search_shows_public_messages(client: Any, publish: Any) -> None:
    publish(title="حملة التطعيم", key_message="التطعيم مجاني للأطفال")
    response = client.get("/ar/search/", {"q": "التطعيم"})
    assert response.status_code == 200
    assert "التطعيم مجاني للأطفال" in response.content.decode()


def test_public_search_hides_restricted_and_non_public_messages(client: Any, publish: Any) -> None:
    publish(key_message="رسالة داخلية عن التطعيم", is_public=False)
    publish(key_message="رسالة مقيدة عن التطعيم", audience_of=[InstitutionFactory()])
    page = client.get("/ar/search/", {"q": "التطعيم"}).content.decode()
    assert "رسالة داخلية" not in page and "رسالة مقيدة" not in page


def test_public_search_refuses_an_empty_query(client: Any) -> None:
    response = client.get("/ar/search/", {"q": "  "})
    assert response.status_code == 400


def test_public_search_without_a_query_shows_the_form(client: Any) -> None:
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
