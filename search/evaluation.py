"""Relevance evaluation on a bilingual retrieval set (the XQuAD Arabic/English layout): load, search, score.

Queries run through `search.selectors.message_search`, the code path of the search API."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from wagtail.models import Locale

from institutions.models import Institution
from messaging.models import Message, Topic

CORPUS_FIELDS = ("id", "ar", "en")
QUERY_FIELDS = ("qid", "lang", "query", "relevant")
LANGUAGES = ("ar", "en")
CUTOFF = 10


class EvaluationInputError(ValueError):
    pass


@dataclass(frozen=True)
class Scores:
    queries: int
    mrr_at_10: float
    recall_at_1: float
    recall_at_5: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "queries": self.queries,
            "mrr@10": round(self.mrr_at_10, 4),
            "recall@1": round(self.recall_at_1, 4),
            "recall@5": round(self.recall_at_5, 4),
        }


def jsonl_read(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvaluationInputError(f"{path}: no such file")
    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise EvaluationInputError(f"{path}:{number}: not valid JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise EvaluationInputError(f"{path}:{number}: expected a JSON object")
            missing = [field for field in required if not isinstance(record.get(field), str) or not record[field]]
            if missing:
                raise EvaluationInputError(f"{path}:{number}: missing or empty field(s): {', '.join(missing)}")
            records.append(record)
    if not records:
        raise EvaluationInputError(f"{path}: no records")
    return records


def queries_check(queries: list[dict[str, Any]], corpus: list[dict[str, Any]]) -> None:
    ids = {doc["id"] for doc in corpus}
    for query in queries:
        if query["lang"] not in LANGUAGES:
            raise EvaluationInputError(f"query {query['qid']}: lang must be one of {LANGUAGES}")
        if query["relevant"] not in ids:
            raise EvaluationInputError(f"query {query['qid']}: relevant document {query['relevant']!r} not in corpus")


def corpus_load(corpus: list[dict[str, Any]]) -> dict[int, str]:
    """Each document as one published bilingual message (Arabic source, English translation), everyone's
    audience. Returns message row id → document id."""
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    owner = Institution.objects.create(slug=f"evaluation-{uuid.uuid4().hex[:8]}", name_ar="تقييم", name_en="Evaluation")
    topic_key = uuid.uuid4()
    topics = {
        code: Topic.objects.create(name="تقييم" if code == "ar" else "Evaluation", slug=f"evaluation-{code}",
                                   locale=locales[code], translation_key=topic_key)
        for code in LANGUAGES
    }  # fmt: skip
    now = timezone.now()
    rows = []
    for doc in corpus:
        key = uuid.uuid4()
        for code in LANGUAGES:
            body = [{"type": "pillar", "value": {"title": "", "talking_points": [doc[code]]}}]
            rows.append(Message(title=doc["id"], key_message="", body=body, topic=topics[code], owner=owner,
                                locale=locales[code], translation_key=key, live=True, audience_all=True,
                                is_public=True, version=1, first_published_at=now, last_published_at=now))  # fmt: skip
    created = Message.objects.bulk_create(rows, batch_size=200)
    return {row.pk: row.title for row in created}


def evaluate(
    queries: list[dict[str, Any]], search: Callable[[str, str], list[Any]], document_of: dict[int, str]
) -> dict[str, Scores]:
    results: dict[str, Scores] = {}
    for language in LANGUAGES:
        selected = [q for q in queries if q["lang"] == language]
        ranks = []
        for query in selected:
            ranked = [document_of.get(hit.row.pk) for hit in search(query["query"], language)]
            ranks.append(ranked.index(query["relevant"]) + 1 if query["relevant"] in ranked else 0)
        n = len(selected) or 1
        results[language] = Scores(
            queries=len(selected),
            mrr_at_10=sum(1 / r for r in ranks if 0 < r <= CUTOFF) / n,
            recall_at_1=sum(r == 1 for r in ranks) / n,
            recall_at_5=sum(0 < r <= 5 for r in ranks) / n,
        )
    return results
