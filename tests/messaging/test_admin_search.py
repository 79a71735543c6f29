"""Editors find their messages with the admin listing's search, drafts included, on every database and engine
(the search runs on the message columns, not in the search index of live rows)."""

from __future__ import annotations

import pytest

from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/messaging/message/"


@pytest.fixture
def editor(client, communicator):
    client.force_login(communicator)
    return client


def _titles(response) -> set[str]:
    assert response.status_code == 200
    return {str(message.title) for message in response.context["object_list"]}


def test_admin_search_finds_a_draft_by_its_title_and_its_key_message(editor):
    MessageFactory(title="خطة النقل العام", key_message="حافلات كهربائية في كل المدن")
    MessageFactory(title="الأمن الغذائي", key_message="مخزون استراتيجي")
    assert _titles(editor.get(LISTING, {"q": "النقل"})) == {"خطة النقل العام"}
    assert _titles(editor.get(LISTING, {"q": "كهربائية"})) == {"خطة النقل العام"}
    assert _titles(editor.get(LISTING + "results/", {"q": "استراتيجي"})) == {"الأمن الغذائي"}


def test_admin_search_finds_a_published_message(editor):
    MessageFactory.create_published(title="رسالة منشورة")
    assert "رسالة منشورة" in _titles(editor.get(LISTING, {"q": "منشورة"}))


@pytest.mark.parametrize("query", ["\x00", "'", '"', "%", "‮", "a" * 2000, "()*:^"])
def test_admin_search_answers_odd_queries(editor, query):
    MessageFactory(title="عنوان")
    response = editor.get(LISTING, {"q": query})
    assert response.status_code == 200
