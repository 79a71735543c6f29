"""The approved lines of a message row, addressed by their place in the message house."""

from __future__ import annotations

from collections.abc import Iterable

from alignment.matching import Line
from messaging.enums import TranslationStatus
from messaging.models import Message


def message_lines(message: Message) -> list[Line]:
    """Key message, pillar titles, talking points, Q&A and fact statements. Lines to avoid are left out:
    they are never an approved line to match."""
    language = message.locale.language_code
    message_id = str(message.translation_key)

    def line(block_type: str, block_index: int, item_index: int | None, field: str, text: str) -> Line:
        return Line(
            message_id=message_id,
            language=language,
            block_type=block_type,
            block_index=block_index,
            item_index=item_index,
            field=field,
            text=str(text),
            version=message.version,
        )

    lines = [line("key_message", 0, None, "key_message", message.key_message)]
    for index, pillar in enumerate(message.blocks_of("pillar")):
        lines.append(line("pillar", index, None, "title", pillar["title"]))
        lines.extend(
            line("pillar", index, point, "talking_point", text) for point, text in enumerate(pillar["talking_points"])
        )
    for index, qa in enumerate(message.blocks_of("qa")):
        lines.append(line("qa", index, None, "question", qa["question"]))
        lines.append(line("qa", index, None, "answer", qa["answer"]))
    for index, fact in enumerate(message.blocks_of("fact")):
        lines.append(line("fact", index, None, "statement", fact["statement"]))
    return [each for each in lines if each.text.strip()]


def current_rows(messages: Iterable[Message]) -> list[Message]:
    """Drop translations made from an older version of their source: they no longer say what was approved."""
    rows = list(messages)
    sources = {row.translation_key: row for row in rows if row.is_source}
    return [
        row for row in rows if row.translation_status(sources.get(row.translation_key)) != TranslationStatus.OUTDATED
    ]
