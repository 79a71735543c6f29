"""The decision the monitor makes about one statement, on the alignment engine's index (`alignment.matching`).

Current lines (what the institution may use now) and retired lines (lines of withdrawn, expired or superseded
messages, and lines an older version had and the current one dropped) share one index, so their scores are
comparable. Each sentence of the statement is scored against every line: a current line at or above
`CARRY_THRESHOLD` is carried; a retired line at or above it is in use only when no current line scores as high
for that sentence (a line kept word for word in the new version is current, not retired). A sentence counts only
for the lines scoring within `RELATIVE_MARGIN` of its best line: a sentence that quotes one message is not also
taken to carry a neighbouring message of the same subject that shares some of its words. Nothing here reads the
database: the service builds the lines from what the institution may see, the evaluation from a corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alignment.matching import Line, line_index_for, split_sentences

# Calibrated with `manage.py evaluate_monitoring` on the XQuAD set (docs/benchmarks.md).
CARRY_THRESHOLD = 0.45
RELATIVE_MARGIN = 0.9
# The message-level decision "carries the message" counts these parts of the message house.
MESSAGE_PARTS = frozenset({"key_message", "pillar"})
MAX_SENTENCES = 400


@dataclass(frozen=True)
class LineUse:
    line: Line
    score: float
    sentence: str
    retired: bool


def statement_line_uses(
    *, text: str, language: str, current: Sequence[Line], retired: Sequence[Line], threshold: float = CARRY_THRESHOLD
) -> list[LineUse]:
    """The best use of each line (by place in its message house and version) found in `text`."""
    current_lines = tuple(current)
    current_texts = {(line.message_id, line.text.strip()) for line in current_lines}
    retired_lines = tuple(line for line in retired if (line.message_id, line.text.strip()) not in current_texts)
    lines = current_lines + retired_lines
    if not lines:
        return []
    index = line_index_for(lines)
    boundary = len(current_lines)
    best: dict[tuple[object, ...], LineUse] = {}
    for sentence in split_sentences(text)[:MAX_SENTENCES]:
        scores = index.scores(sentence.text, language)
        best_current = max((score for line_id, score in scores.items() if line_id < boundary), default=0.0)
        floor = max(threshold, RELATIVE_MARGIN * max(scores.values(), default=0.0))
        for line_id, score in scores.items():
            if score < floor:
                continue
            is_retired = line_id >= boundary
            if is_retired and score <= best_current:
                continue
            line = index.lines[line_id]
            key = (*line.position, line.version, is_retired)
            if key not in best or best[key].score < score:
                best[key] = LineUse(
                    line=line, score=round(min(score, 1.0), 4), sentence=sentence.text, retired=is_retired
                )
    return sorted(best.values(), key=lambda use: (-use.score, use.line.message_id))


def carried_messages(uses: Sequence[LineUse]) -> set[str]:
    """Messages whose key message, a pillar or a talking point the statement carries."""
    return {use.line.message_id for use in uses if not use.retired and use.line.block_type in MESSAGE_PARTS}


def retired_messages(uses: Sequence[LineUse]) -> set[str]:
    return {use.line.message_id for use in uses if use.retired}
