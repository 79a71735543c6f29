"""Precision and recall of the monitor's two decisions on a labelled set built from a bilingual corpus.

Documents are grouped by article (the id up to its last ``-``: ``xq-07-3`` belongs to ``xq-07``). In each
article the first two documents become live messages, the third a withdrawn one, and the rest are never
approved. A message's lines, in Arabic and in English, are its first sentence (the key message) and the next
three (talking points). Statements are then written in both languages:

- *quote*: a line of the message word for word between two sentences of another article;
- *paraphrase*: the same with the line reworded (a third of its words dropped, Arabic spelling varied), as in
  ``alignment.evaluation``;
- *none*: three sentences of an unapproved document of the same article (same subject, no line).

Each statement is checked with `monitoring.matching.statement_line_uses`, the function the monitor runs,
against the live lines (current) and the withdrawn lines (retired). "Carries the message" is judged per
(statement, live message) and "uses a withdrawn line" per (statement, withdrawn message).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from alignment.evaluation import LANGUAGES, CorpusDocument, reword
from alignment.matching import Line, split_sentences
from monitoring.matching import CARRY_THRESHOLD, carried_messages, retired_messages, statement_line_uses

SEED = 20261206
LIVE_PER_ARTICLE = 2
WITHDRAWN_PER_ARTICLE = 1
TALKING_POINTS = 3
KINDS = ("quote", "paraphrase", "none")


@dataclass(frozen=True)
class Item:
    text: str
    language: str
    kind: str
    carries: frozenset[str]
    withdrawn: frozenset[str]


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, predicted: set[str], gold: frozenset[str]) -> None:
        self.true_positive += len(predicted & gold)
        self.false_positive += len(predicted - gold)
        self.false_negative += len(gold - predicted)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "tp": self.true_positive,
            "fp": self.false_positive,
            "fn": self.false_negative,
        }


@dataclass
class MonitoringResult:
    threshold: float
    items: int
    carries: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    withdrawn: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def as_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "items": self.items,
            "carries_the_message": {name: counts.as_dict() for name, counts in sorted(self.carries.items())},
            "uses_a_withdrawn_line": {name: counts.as_dict() for name, counts in sorted(self.withdrawn.items())},
        }


@dataclass(frozen=True)
class LabelledSet:
    current: list[Line]
    retired: list[Line]
    items: list[Item]


def _article(document_id: str) -> str:
    return document_id.rsplit("-", 1)[0] if "-" in document_id else document_id


def _sentences(document: CorpusDocument, language: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(document.text(language))]


def _lines(document: CorpusDocument, language: str) -> list[Line]:
    sentences = _sentences(document, language)[: 1 + TALKING_POINTS]
    return [
        Line(
            message_id=document.id,
            language=language,
            block_type="key_message" if position == 0 else "pillar",
            block_index=0,
            item_index=None if position == 0 else position - 1,
            field="key_message" if position == 0 else "talking_point",
            text=text,
            version=1,
        )
        for position, text in enumerate(sentences)
    ]


def labelled_set(documents: Sequence[CorpusDocument]) -> LabelledSet:
    rng = random.Random(SEED)
    articles: dict[str, list[CorpusDocument]] = defaultdict(list)
    for document in documents:
        articles[_article(document.id)].append(document)
    live: list[CorpusDocument] = []
    withdrawn: list[CorpusDocument] = []
    unapproved: dict[str, list[CorpusDocument]] = {}
    for name, members in articles.items():
        live += members[:LIVE_PER_ARTICLE]
        withdrawn += members[LIVE_PER_ARTICLE : LIVE_PER_ARTICLE + WITHDRAWN_PER_ARTICLE]
        unapproved[name] = members[LIVE_PER_ARTICLE + WITHDRAWN_PER_ARTICLE :]
    fillers = {
        (name, language): [s for document in members for s in _sentences(document, language)]
        for name, members in unapproved.items()
        for language in LANGUAGES
    }

    def filler(article: str, language: str) -> str:
        others = [key for key in fillers if key[1] == language and key[0] != article and fillers[key]]
        return rng.choice(fillers[rng.choice(others)]) if others else ""

    items: list[Item] = []
    for document, is_live in [(d, True) for d in live] + [(d, False) for d in withdrawn]:
        article = _article(document.id)
        label = frozenset({document.id})
        for language in LANGUAGES:
            lines = _lines(document, language)
            if not lines:
                continue
            for kind in ("quote", "paraphrase"):
                line = rng.choice(lines).text
                quoted = line if kind == "quote" else reword(line, language, rng)
                text = " ".join(part for part in (filler(article, language), quoted, filler(article, language)) if part)
                items.append(
                    Item(
                        text=text,
                        language=language,
                        kind=kind,
                        carries=label if is_live else frozenset(),
                        withdrawn=frozenset() if is_live else label,
                    )
                )
    for members in unapproved.values():
        for document in members:
            for language in LANGUAGES:
                sentences = _sentences(document, language)
                if sentences:
                    text = " ".join(rng.sample(sentences, min(3, len(sentences))))
                    items.append(Item(text, language, "none", frozenset(), frozenset()))
    current = [line for document in live for language in LANGUAGES for line in _lines(document, language)]
    retired = [line for document in withdrawn for language in LANGUAGES for line in _lines(document, language)]
    return LabelledSet(current=current, retired=retired, items=items)


def monitoring_evaluate(
    documents: Sequence[CorpusDocument], *, thresholds: Iterable[float] = (CARRY_THRESHOLD,)
) -> list[MonitoringResult]:
    labelled = labelled_set(documents)
    results: list[MonitoringResult] = []
    for threshold in thresholds:
        result = MonitoringResult(threshold=threshold, items=len(labelled.items))
        for item in labelled.items:
            uses = statement_line_uses(
                text=item.text,
                language=item.language,
                current=labelled.current,
                retired=labelled.retired,
                threshold=threshold,
            )
            carried, retired = carried_messages(uses), retired_messages(uses)
            for name in ("all", item.language, item.kind, f"{item.kind}-{item.language}"):
                result.carries[name].add(carried, item.carries)
                result.withdrawn[name].add(retired, item.withdrawn)
        results.append(result)
    return results
