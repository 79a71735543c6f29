"""The API docs speak one language at a time: every summary and description in the reader's language."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
ARABIC = re.compile(r"[\u0600-\u06ff]")


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("summary", "description") and isinstance(v, str) and v]
        return found + [t for k, v in node.items() if k not in ("summary", "description") for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


@pytest.mark.parametrize("language", ["ar", "en"])
def test_api_docs_summaries_and_descriptions_are_all_in_the_reader_language(client, language):
    schema = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language).json()
    texts = _texts(schema)
    assert len(texts) > 20
    other = [t for t in texts if bool(ARABIC.search(t)) != (language == "ar")]
    assert other == []
    operations = [op for methods in schema["paths"].values() for op in methods.values()]
    assert all(op.get("summary") for op in operations)
