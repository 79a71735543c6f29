"""manage.py evaluate_search: malformed input fails with a clear message; metrics are computed per language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from search.evaluation import evaluate
from search.selectors import Hit

CORPUS = [{"id": "d1", "ar": "نص عربي", "en": "English text"}, {"id": "d2", "ar": "نص آخر", "en": "Other text"}]
QUERIES = [{"qid": "q1", "lang": "en", "query": "english", "relevant": "d1"}]


def write(path: Path, records: list[Any]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records))
    return path


def run(tmp_path: Path, corpus: list[Any] = CORPUS, queries: list[Any] = QUERIES, **options: Any) -> None:
    call_command(
        "evaluate_search",
        corpus=str(write(tmp_path / "corpus.jsonl", corpus)),
        queries=str(write(tmp_path / "queries.jsonl", queries)),
        **options,
    )


def test_evaluate_search_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("evaluate_search", corpus=str(tmp_path / "nope.jsonl"), queries=str(tmp_path / "q.jsonl"))


def test_evaluate_search_reports_a_bad_json_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"corpus.jsonl:2: not valid JSON"):
        run(tmp_path, corpus=[CORPUS[0], "{not json"])


def test_evaluate_search_reports_missing_fields(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"queries.jsonl:1: missing or empty field\(s\): relevant"):
        run(tmp_path, queries=[{"qid": "q1", "lang": "en", "query": "x"}])


def test_evaluate_search_reports_an_unknown_relevant_document(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not in corpus"):
        run(tmp_path, queries=[{**QUERIES[0], "relevant": "d9"}])


def test_evaluate_search_reports_an_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="lang must be one of"):
        run(tmp_path, queries=[{**QUERIES[0], "lang": "fr"}])


def test_evaluate_search_reports_an_unknown_backend(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Unknown backend 'solr'"):
        run(tmp_path, backend="solr")


def test_evaluate_search_reports_an_unreachable_engine(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"unreachable at http://127\.0\.0\.1:9"):
        run(tmp_path, backend="opensearch2", url="http://127.0.0.1:9")


def test_evaluate_computes_mrr_and_recall_per_language() -> None:
    class Row:
        def __init__(self, pk: int) -> None:
            self.pk = pk

    documents = {1: "d1", 2: "d2", 3: "d3"}
    rankings = {"first": [1, 2], "second": [2, 1], "missing": [3]}
    queries = [{"qid": name, "lang": "en", "query": name, "relevant": "d1"} for name in ("first", "second", "missing")]

    def search(text: str, language: str) -> list[Hit]:
        return [Hit(row=Row(pk), score=1.0, rank=i) for i, pk in enumerate(rankings[text], start=1)]

    scores = evaluate(queries, search, documents)["en"]
    assert scores.queries == 3
    assert scores.mrr_at_10 == pytest.approx((1 + 0.5 + 0) / 3)
    assert scores.recall_at_1 == pytest.approx(1 / 3)
    assert scores.recall_at_5 == pytest.approx(2 / 3)
