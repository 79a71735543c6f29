"""Figures on what institutions publish, per institution and message, computed from the stored findings.

For institution I and message M (its current version is the Arabic source row's `version`):

- on topic: I's statements still published (not replaced by a newer text at the same address) that carry or
  retire any line of any message filed under M's topic;
- carrying the current line: of those, the ones carrying M's key message, a pillar title or a talking point as the
  current version words it (any language);
- pull-through: carrying the current line / on topic, in percent (`None` when nothing on the topic was published);
- time to first use: from M's first publication (its release) to the publication time of I's first statement
  carrying any version of M's lines, over statements published after the release;
- withdrawn lines still published: I's statements still published that use a line of M that I may no longer use
  (M withdrawn, expired or superseded for I, or a line its current version dropped).

Messages listed for I: those visible to I now (`messaging.selectors.visible_messages_for`) on a topic I's statements
concern or whose lines they carry, and those whose retired lines I's statements use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from alignment.message_lines import current_rows, message_lines
from messaging.models import SOURCE_LANGUAGE, Message
from messaging.selectors import visible_messages_for
from monitoring.enums import FindingKind
from monitoring.matching import MESSAGE_PARTS
from monitoring.models import Finding, Statement


@dataclass(frozen=True)
class MessagePullThrough:
    institution: Any
    message_id: str
    title: str
    version: int
    is_visible: bool
    on_topic: int
    carrying_current: int
    released_at: datetime | None
    first_use_at: datetime | None
    withdrawn_lines_published: int

    @property
    def pull_through_percent(self) -> int | None:
        return round(100 * self.carrying_current / self.on_topic) if self.on_topic else None

    @property
    def time_to_first_use(self) -> timedelta | None:
        if self.first_use_at is None or self.released_at is None:
            return None
        return self.first_use_at - self.released_at

    @property
    def first_use_hours(self) -> float | None:
        delay = self.time_to_first_use
        return None if delay is None else round(delay.total_seconds() / 3600, 1)

    def figures(self) -> dict[str, Any]:
        delay = self.time_to_first_use
        return {
            "message_id": self.message_id,
            "title": self.title,
            "version": self.version,
            "visible": self.is_visible,
            "statements_on_topic": self.on_topic,
            "statements_carrying_current": self.carrying_current,
            "pull_through_percent": self.pull_through_percent,
            "seconds_to_first_use": round(delay.total_seconds()) if delay is not None else None,
            "withdrawn_lines_published": self.withdrawn_lines_published,
        }


@dataclass(frozen=True)
class StatementSummary:
    institution: Any
    published: int = 0
    carrying_current: int = 0
    flagged_published: int = 0
    messages: list[MessagePullThrough] = field(default_factory=list)

    @property
    def carrying_percent(self) -> int | None:
        return round(100 * self.carrying_current / self.published) if self.published else None

    def figures(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "carrying_current_lines": self.carrying_current,
            "withdrawn_lines_published": self.flagged_published,
            "messages": [row.figures() for row in self.messages],
        }


def statement_summaries(*, institutions: Iterable[Any], at: datetime | None = None) -> list[StatementSummary]:
    return [_summary(institution, at or timezone.now()) for institution in institutions]


def institution_statement_figures(*, institution: Any) -> dict[str, Any]:
    """What `GET /api/v1/me/` returns under `statements`: the same computation as the reports."""
    return _summary(institution, timezone.now()).figures()


def _summary(institution: Any, at: datetime) -> StatementSummary:
    statement_rows = Statement.objects.filter(institution=institution).values_list("pk", "published_at", "replaced_at")
    statements = list(statement_rows)
    published_at = {pk: published for pk, published, _replaced in statements}
    published = {pk for pk, _published, replaced in statements if replaced is None}
    findings = (
        list(
            Finding.objects.filter(
                statement__institution=institution, kind__in=[FindingKind.CARRIES, FindingKind.RETIRED_LINE]
            )
            .values("statement_id", "kind", "translation_key", "topic_id", "block_type", "line")
            .order_by()
        )
        if statements
        else []
    )

    # Only the messages the statements concern are read: those on a topic the institution wrote about, and those
    # whose lines it used (an institution that publishes nothing costs one query).
    topics = {finding["topic_id"] for finding in findings if finding["topic_id"] is not None}
    concerned = {finding["translation_key"] for finding in findings}
    visible = (
        list(
            visible_messages_for(institution, at=at)
            .filter(Q(topic_id__in=topics) | Q(translation_key__in=concerned))
            .select_related("locale")
        )
        if findings
        else []
    )
    current_texts: dict[str, set[str]] = defaultdict(set)
    for current in current_rows(visible):
        for line in message_lines(current):
            if line.block_type in MESSAGE_PARTS:
                current_texts[line.message_id].add(line.text.strip())
    sources = {str(row.translation_key): row for row in visible if row.locale.language_code == SOURCE_LANGUAGE}

    on_topic: dict[int | None, set[int]] = defaultdict(set)
    carrying: dict[str, set[int]] = defaultdict(set)
    used: dict[str, set[int]] = defaultdict(set)
    retired: dict[str, set[int]] = defaultdict(set)
    for finding in findings:
        key, statement_id = str(finding["translation_key"]), finding["statement_id"]
        if statement_id in published:
            on_topic[finding["topic_id"]].add(statement_id)
        if finding["kind"] == FindingKind.RETIRED_LINE:
            if statement_id in published:
                retired[key].add(statement_id)
            continue
        if finding["block_type"] in MESSAGE_PARTS:
            used[key].add(statement_id)
            if statement_id in published and finding["line"].strip() in current_texts.get(key, set()):
                carrying[key].add(statement_id)

    keys = list(sources) + sorted(set(retired) - set(sources))
    rows = _retired_rows(set(keys) - set(sources))
    messages: list[MessagePullThrough] = []
    for key in keys:
        row = sources.get(key) or rows.get(key)
        released = row.first_published_at if row is not None else None
        uses = [published_at[pk] for pk in used.get(key, ()) if released is None or published_at[pk] >= released]
        messages.append(
            MessagePullThrough(
                institution=institution,
                message_id=key,
                title=row.title if row is not None else key,
                version=row.version if row is not None else 0,
                is_visible=key in sources,
                on_topic=len(on_topic.get(row.topic_id, ())) if row is not None else 0,
                carrying_current=len(carrying.get(key, ())) if key in sources else 0,
                released_at=released,
                first_use_at=min(uses) if uses else None,
                withdrawn_lines_published=len(retired.get(key, ())),
            )
        )
    carrying_any = set().union(*carrying.values()) if carrying else set()
    flagged = set().union(*retired.values()) if retired else set()
    return StatementSummary(
        institution=institution,
        published=len(published),
        carrying_current=len(carrying_any),
        flagged_published=len(flagged),
        messages=messages,
    )


def _retired_rows(keys: set[str]) -> dict[str, Message]:
    """The source row of messages no longer visible (for their title, topic and release time)."""
    if not keys:
        return {}
    rows = Message.objects.filter(translation_key__in=[UUID(k) for k in keys], locale__language_code=SOURCE_LANGUAGE)
    return {str(row.translation_key): row for row in rows}
