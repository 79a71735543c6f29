"""The lines a statement of an institution is checked against: current and retired, as the institution saw them.

Current lines are those of the messages `messaging.selectors.visible_messages_for` shows the institution now.
Retired lines are the lines of every version the hub recorded (`ApprovedLine`) that the institution may no longer
use: all lines of messages withdrawn, expired or superseded for it (a tombstone concerning it in the outbox), and
the lines an older version of a message it still sees had and the latest version in the same language dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from alignment.matching import Line
from alignment.message_lines import current_rows, message_lines
from messaging.models import TOMBSTONE_KINDS, Message
from messaging.selectors import events_for, visible_messages_for
from monitoring.enums import RetiredReason
from monitoring.models import ApprovedLine


@dataclass
class InstitutionLines:
    current: list[Line] = field(default_factory=list)
    retired: list[Line] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # message id -> why its retired lines are retired
    topics: dict[str, int | None] = field(default_factory=dict)
    current_versions: dict[str, int] = field(default_factory=dict)


def approved_lines_record(*, rows: Iterable[Message], version: int | None = None) -> None:
    """Keep the lines of these rows at their version (or the version given), once."""
    records = [
        ApprovedLine(
            translation_key=UUID(line.message_id),
            language_code=line.language,
            version=version if version is not None else line.version,
            topic_id=row.topic_id,
            block_type=line.block_type,
            block_index=line.block_index,
            item_index=-1 if line.item_index is None else line.item_index,
            field=line.field,
            text=line.text,
        )
        for row in rows
        for line in message_lines(row)
    ]
    ApprovedLine.objects.bulk_create(records, ignore_conflicts=True)


def institution_lines(*, institution: Any) -> InstitutionLines:
    visible = list(visible_messages_for(institution).select_related("locale"))
    rows = current_rows(visible)
    approved_lines_record(rows=rows)
    result = InstitutionLines(current=[line for row in rows for line in message_lines(row)])
    for row in visible:
        key = str(row.translation_key)
        result.topics[key] = row.topic_id
        result.current_versions[key] = max(result.current_versions.get(key, 0), row.version)

    withdrawn = _withdrawn_for(institution, exclude=set(result.current_versions))
    for key, reason in withdrawn.items():
        result.reasons[key] = reason
    recorded = ApprovedLine.objects.filter(translation_key__in=[UUID(k) for k in result.current_versions])
    retired_rows = list(ApprovedLine.objects.filter(translation_key__in=[UUID(k) for k in withdrawn]))
    retired_rows += _dropped_lines(list(recorded))
    for each in retired_rows:
        key = str(each.translation_key)
        result.reasons.setdefault(key, RetiredReason.OLDER_VERSION)
        result.topics.setdefault(key, each.topic_id)
        result.retired.append(
            Line(
                message_id=key,
                language=each.language_code,
                block_type=each.block_type,
                block_index=each.block_index,
                item_index=None if each.item_index < 0 else each.item_index,
                field=each.field,
                text=each.text,
                version=each.version,
            )
        )
    return result


def _dropped_lines(recorded: list[ApprovedLine]) -> list[ApprovedLine]:
    """Lines of an older version that the latest recorded version in the same language no longer has. A
    translation not yet re-synced with its source has no newer version of its own, so none of its lines is
    retired by the source's change alone."""
    latest: dict[tuple[str, str], int] = {}
    for each in recorded:
        group = (str(each.translation_key), each.language_code)
        latest[group] = max(latest.get(group, 0), each.version)
    latest_texts = {
        (str(each.translation_key), each.language_code, each.text.strip())
        for each in recorded
        if each.version == latest[(str(each.translation_key), each.language_code)]
    }
    return [
        each
        for each in recorded
        if each.version < latest[(str(each.translation_key), each.language_code)]
        and (str(each.translation_key), each.language_code, each.text.strip()) not in latest_texts
    ]


def _withdrawn_for(institution: Any, *, exclude: set[str]) -> dict[str, str]:
    """Messages whose latest tombstone concerning the institution is not followed by their return to its view;
    lines of a withdrawn version never recorded while live are recorded now from the row the event names."""
    withdrawn: dict[str, str] = {}
    tombstones = events_for(institution).filter(kind__in=TOMBSTONE_KINDS).select_related("message__locale")
    for event in tombstones.order_by("-position"):
        key = str(event.translation_key)
        if key in exclude:
            continue
        withdrawn.setdefault(key, event.kind)
        if (
            event.message is not None
            and not ApprovedLine.objects.filter(
                translation_key=event.translation_key, language_code=event.language_code, version=event.version
            ).exists()
        ):
            approved_lines_record(rows=[event.message], version=event.version)
    return withdrawn
