"""Accuracy of the matcher on a bilingual corpus, in a throw-away index that never touches the database.

Each corpus document stands for one approved message whose lines are its sentences, in Arabic and in
English. Each document's sentences are then sent back as drafts, in the same language and in the other
one, and a draft counts as right when its top match belongs to its own document. Verbatim drafts only
show that nothing is lost in analysis; the ``reworded`` drafts (a third of the words dropped, Arabic
spelling variants introduced) are closer to what a communicator actually writes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alignment.matching import Line, LineIndex, split_sentences

LANGUAGES = ("ar", "en")
DIRECTIONS = (("ar", "ar"), ("en", "en"), ("ar", "en"), ("en", "ar"))
DRAFT_KINDS = ("verbatim", "reworded")
REWORD_SEED = 20260101
REWORD_DROP = 1 / 3

# Spellings writers actually swap: hamza forms, taa marbuta/heh, alef maqsura/yeh.
_ARABIC_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "ة": "ه", "ى": "ي"})
_TATWEEL, _FATHA = "\u0640", "\u064e"


class CorpusError(ValueError):
    """The corpus file cannot be read as documents with an id and Arabic and English text."""


@dataclass(frozen=True)
class CorpusDocument:
    id: str
    ar: str
    en: str

    def text(self, language: str) -> str:
        return self.ar if language == "ar" else self.en


@dataclass(frozen=True)
class DirectionResult:
    draft_language: str
    line_language: str
    kind: str
    drafts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.drafts if self.drafts else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "direction": f"{self.draft_language}->{self.line_language}",
            "drafts": self.kind,
            "count": self.drafts,
            "correct": self.correct,
            "accuracy_at_1": round(self.accuracy, 4),
        }


def corpus_load(path: Path) -> list[CorpusDocument]:
    try:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(f"cannot read {path.name}: {error}") from error
    documents: list[CorpusDocument] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            continue
        documents.append(_document(raw, number, seen))
    if not documents:
        raise CorpusError("the corpus holds no documents")
    return documents


def _document(raw: str, number: int, seen: set[str]) -> CorpusDocument:
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CorpusError(f"line {number}: not JSON ({error.msg})") from error
    if not isinstance(record, dict):
        raise CorpusError(f"line {number}: expected an object")
    fields = {name: record.get(name) for name in ("id", "ar", "en")}
    missing = [name for name, value in fields.items() if not isinstance(value, str) or not value.strip()]
    if missing:
        raise CorpusError(f"line {number}: missing or empty {', '.join(missing)}")
    document = CorpusDocument(**{name: str(value) for name, value in fields.items()})
    if document.id in seen:
        raise CorpusError(f"line {number}: duplicate id {document.id!r}")
    seen.add(document.id)
    return document


def corpus_lines(documents: Iterable[CorpusDocument], language: str) -> list[Line]:
    return [
        Line(
            message_id=document.id,
            language=language,
            block_type="sentence",
            block_index=sentence.index,
            item_index=None,
            field="text",
            text=sentence.text,
        )
        for document in documents
        for sentence in split_sentences(document.text(language))
    ]


def reword(text: str, language: str, rng: random.Random) -> str:
    """Drop about a third of the words (never all) and, in Arabic, vary the spelling of the rest."""
    words = text.split()
    kept = [word for word in words if rng.random() >= REWORD_DROP] or words[:1]
    if language == "ar":
        kept = [_vary_arabic(word, rng) for word in kept]
    return " ".join(kept)


def _vary_arabic(word: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return word.translate(_ARABIC_VARIANTS)
    if roll < 0.6 and len(word) > 2:
        return word[:2] + _TATWEEL + word[2:]
    if roll < 0.7:
        return word[:1] + _FATHA + word[1:]
    return word


def _drafts(documents: list[CorpusDocument], language: str, kind: str) -> Iterator[tuple[str, str]]:
    rng = random.Random(f"{REWORD_SEED}-{language}")
    for document in documents:
        for sentence in split_sentences(document.text(language)):
            text = sentence.text if kind == "verbatim" else reword(sentence.text, language, rng)
            yield document.id, text


def alignment_evaluate(documents: list[CorpusDocument]) -> list[DirectionResult]:
    indexes = {language: LineIndex(corpus_lines(documents, language)) for language in LANGUAGES}
    results: list[DirectionResult] = []
    for kind in DRAFT_KINDS:
        for draft_language, line_language in DIRECTIONS:
            index = indexes[line_language]
            drafts = correct = 0
            for document_id, text in _drafts(documents, draft_language, kind):
                drafts += 1
                top = index.search(text, draft_language, limit=1)
                correct += bool(top and top[0].line.message_id == document_id)
            results.append(DirectionResult(draft_language, line_language, kind, drafts, correct))
    return results
