"""The alignment check: does a draft say what was approved?

The caller decides which messages may be matched (the API passes what the institution may see, the admin
page what is live), so visibility stays with ``messaging.selectors`` and nothing else is ever read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import QuerySet

from alignment.matching import (
    Line,
    LineIndex,
    Match,
    Sentence,
    contains_tokens,
    line_index_for,
    numbers_in,
    split_sentences,
    surface_tokens,
)
from alignment.message_lines import current_rows, message_lines
from messaging.models import Message

MAX_DRAFT_LENGTH = 20_000
MATCHES_PER_SENTENCE = 3
# Calibrated with `manage.py evaluate_alignment` on the XQuAD set (reworded drafts):
# at 0.40 a sentence reaches its own line 99% of the time and a line of another paragraph 1-5% of the time.
MATCH_MIN_SCORE = 0.15
COVERAGE_THRESHOLD = 0.40
FACT_THRESHOLD = 0.35


class MessageNotVisible(LookupError):
    """The message asked about does not exist for this caller (absent, not live, or not addressed to it)."""


@dataclass(frozen=True)
class SentenceReport:
    sentence: Sentence
    matches: list[Match]


@dataclass(frozen=True)
class PointCoverage:
    pillar_index: int
    item_index: int | None
    text: str
    score: float
    sentence: int | None
    covered: bool


@dataclass(frozen=True)
class PillarCoverage:
    index: int
    title: str
    covered: bool
    title_coverage: PointCoverage
    talking_points: list[PointCoverage]


@dataclass(frozen=True)
class MessageCoverage:
    message_id: str
    title: str
    version: int
    pillars: list[PillarCoverage]
    missing: list[PointCoverage]

    @property
    def covered_count(self) -> int:
        return sum(point.covered for pillar in self.pillars for point in pillar.talking_points)

    @property
    def total_count(self) -> int:
        return sum(len(pillar.talking_points) for pillar in self.pillars)


@dataclass(frozen=True)
class AvoidedLine:
    message_id: str
    index: int
    line: str
    language: str
    sentence: int


@dataclass(frozen=True)
class NumberMismatch:
    sentence: int
    draft_numbers: list[str]
    fact_numbers: list[str]
    fact: Match


@dataclass(frozen=True)
class AlignmentReport:
    language: str
    sentences: list[SentenceReport]
    coverage: MessageCoverage | None = None
    lines_to_avoid: list[AvoidedLine] = field(default_factory=list)
    number_mismatches: list[NumberMismatch] = field(default_factory=list)


def alignment_check(
    *, text: str, language: str, messages: QuerySet[Message], message_id: UUID | None = None
) -> AlignmentReport:
    """Match each sentence of ``text`` against the approved lines of ``messages``; with ``message_id``,
    also report that message's coverage. Raises ``MessageNotVisible`` if it is not among ``messages``."""
    rows = current_rows(messages.select_related("locale"))
    chosen = [row for row in rows if message_id is not None and row.translation_key == message_id]
    if message_id is not None and not chosen:
        raise MessageNotVisible(str(message_id))

    index = line_index_for(tuple(line for row in rows for line in message_lines(row)))
    sentences = split_sentences(text)
    scores = [index.scores(sentence.text, language) for sentence in sentences]
    return AlignmentReport(
        language=language,
        sentences=[
            SentenceReport(sentence, _closest(index, sentence_scores))
            for sentence, sentence_scores in zip(sentences, scores, strict=True)
        ],
        coverage=_coverage(index, scores, chosen, language) if chosen else None,
        lines_to_avoid=_lines_to_avoid(sentences, chosen or rows),
        number_mismatches=_number_mismatches(index, sentences, scores),
    )


def _closest(index: LineIndex, scores: dict[int, float]) -> list[Match]:
    """The best lines, one per place in a message house: the Arabic and English rows of a line are one line."""
    matches: list[Match] = []
    seen: set[tuple[object, ...]] = set()
    for line_id, score in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        if score < MATCH_MIN_SCORE or len(matches) >= MATCHES_PER_SENTENCE:
            break
        line = index.lines[line_id]
        if line.position not in seen:
            seen.add(line.position)
            matches.append(Match(line=line, score=round(min(score, 1.0), 4)))
    return matches


def _coverage(
    index: LineIndex, scores: Sequence[dict[int, float]], chosen: list[Message], language: str
) -> MessageCoverage:
    best: dict[tuple[object, ...], tuple[float, int | None]] = {}
    for line_id, line in enumerate(index.lines):
        if line.message_id != str(chosen[0].translation_key):
            continue
        for sentence_index, sentence_scores in enumerate(scores):
            score = sentence_scores.get(line_id, 0.0)
            if score > best.get(line.position, (0.0, None))[0]:
                best[line.position] = (score, sentence_index)

    shown = next((row for row in chosen if row.locale.language_code == language), chosen[0])

    def point(line: Line) -> PointCoverage:
        score, sentence = best.get(line.position, (0.0, None))
        covered = score >= COVERAGE_THRESHOLD
        return PointCoverage(
            pillar_index=line.block_index,
            item_index=line.item_index,
            text=line.text,
            score=round(min(score, 1.0), 4),
            sentence=sentence if covered else None,
            covered=covered,
        )

    pillar_lines = [line for line in message_lines(shown) if line.block_type == "pillar"]
    pillars: list[PillarCoverage] = []
    for title_line in (line for line in pillar_lines if line.item_index is None):
        title = point(title_line)
        talking_points = [
            point(line)
            for line in pillar_lines
            if line.block_index == title_line.block_index and line.item_index is not None
        ]
        covered = title.covered or any(each.covered for each in talking_points)
        pillars.append(PillarCoverage(title_line.block_index, title_line.text, covered, title, talking_points))
    missing = [t for p in pillars for t in [p.title_coverage, *p.talking_points] if not t.covered]
    return MessageCoverage(str(shown.translation_key), shown.title, shown.version, pillars, missing)


def _lines_to_avoid(sentences: Sequence[Sentence], rows: Sequence[Message]) -> list[AvoidedLine]:
    """Lines to avoid found in the draft, compared word by word after normalisation and light stemming,
    so spelling variants (أ/ا, ة/ه, diacritics, tatweel) and attached conjunctions still match."""
    drafted = [surface_tokens(sentence.text) for sentence in sentences]
    hits: list[AvoidedLine] = []
    seen: set[tuple[str, int]] = set()
    for row in rows:
        for position, line in enumerate(row.lines_to_avoid()):
            key = (str(row.translation_key), position)
            needle = surface_tokens(line)
            found = next((i for i, tokens in enumerate(drafted) if contains_tokens(tokens, needle)), None)
            if found is not None and key not in seen:
                seen.add(key)
                hits.append(AvoidedLine(key[0], position, line, row.locale.language_code, found))
    return hits


def _number_mismatches(
    index: LineIndex, sentences: Sequence[Sentence], scores: Sequence[dict[int, float]]
) -> list[NumberMismatch]:
    mismatches: list[NumberMismatch] = []
    for sentence, sentence_scores in zip(sentences, scores, strict=True):
        draft_numbers = numbers_in(sentence.text)
        if not draft_numbers:
            continue
        facts = [
            (score, line_id)
            for line_id, score in sentence_scores.items()
            if score >= FACT_THRESHOLD and index.lines[line_id].block_type == "fact"
        ]
        if not facts:
            continue
        score, line_id = max(facts)
        fact_line = index.lines[line_id]
        fact_numbers = numbers_in(fact_line.text)
        differing = [number for number in draft_numbers if number not in fact_numbers]
        if fact_numbers and differing:
            mismatches.append(
                NumberMismatch(sentence.index, differing, fact_numbers, Match(fact_line, round(min(score, 1.0), 4)))
            )
    return mismatches
