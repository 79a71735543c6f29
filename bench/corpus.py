"""The XQuAD Arabic/English corpus as the bench data set's source of text: documents split into sentences, the dev
questions, and the small text helpers the generator recombines them with. The corpus is read in place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Doc:
    topic: str
    ar: list[str]
    en: list[str]


@dataclass(frozen=True)
class Corpus:
    docs: list[Doc]
    questions: dict[str, list[str]]


def corpus_load(data_dir: Path) -> Corpus:
    docs = []
    for line in (data_dir / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        docs.append(Doc(topic=item["topic"], ar=sentences(item["ar"]), en=sentences(item["en"])))
    questions: dict[str, list[str]] = {"ar": [], "en": []}
    for line in (data_dir / "dev_queries.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        questions[item["lang"]].append(item["query"])
    return Corpus(docs=docs, questions=questions)


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"(?<=[.!?؟])\s+", text) if len(p.strip()) > 20]
    return parts or [text.strip()]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def words(text: str, count: int) -> str:
    return " ".join(text.split()[:count])
