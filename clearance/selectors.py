"""Reads for the clearance page: which link a token opens, and what it shows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from clearance.enums import LinkState
from clearance.models import ClearanceLink
from clearance.tokens import link_id_from
from messaging.models import Message


def clearance_link_for(*, token: str) -> tuple[LinkState, ClearanceLink | None]:
    link_id = link_id_from(token)
    link = None
    if link_id is not None:
        link = ClearanceLink.objects.select_related("task_state", "revision").filter(pk=link_id).first()
    if link is None:
        return LinkState.INVALID, None
    return link.state(), link


def message_house_lines(message: Message) -> list[tuple[str, str]]:
    """Every line of a message house with what it is, in order: the unit a reader compares."""
    lines: list[tuple[str, str]] = [(str(_("Title")), message.title), (str(_("Key message")), message.key_message)]
    for block in message.body:
        value = block.value
        if block.block_type == "pillar":
            lines.append((str(_("Pillar")), value["title"]))
            lines.extend((str(_("Talking point")), str(point)) for point in value["talking_points"])
        elif block.block_type == "qa":
            lines += [(str(_("Question")), value["question"]), (str(_("Answer")), str(value["answer"]))]
        elif block.block_type == "fact":
            lines.append((str(_("Fact")), f"{value['statement']} ({value['source_title']})"))
        elif block.block_type == "avoid":
            lines.append((str(_("Line to avoid")), str(value)))
    if message.change_note:
        lines.append((str(_("Change note")), message.change_note))
    return lines


@dataclass(frozen=True)
class DiffLine:
    change: str  # "same", "added" or "removed"
    label: str
    text: str


def message_diff(*, before: Message, after: Message) -> list[DiffLine]:
    """Line-by-line differences between two versions of a message house; unchanged lines are kept for context."""
    old, new = message_house_lines(before), message_house_lines(after)
    diff: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            diff += [DiffLine("same", label, text) for label, text in old[a1:a2]]
            continue
        diff += [DiffLine("removed", label, text) for label, text in old[a1:a2]]
        diff += [DiffLine("added", label, text) for label, text in new[b1:b2]]
    return diff


def clearance_context(link: ClearanceLink) -> dict[str, Any]:
    """The revision under clearance, its other language, and what changed since the last approved version."""
    message = link.revision.as_object()
    translations = []
    for other in type(message).objects.filter(translation_key=message.translation_key).exclude(pk=message.pk):
        revision = other.get_latest_revision()
        translations.append(revision.as_object() if revision else other)
    versions = sorted([message, *translations], key=lambda row: row.locale.language_code)
    live = type(message).objects.get(pk=message.pk).live_revision
    approved = live.as_object() if live is not None and live.pk != link.revision_id else None
    return {
        "link": link,
        "message": message,
        "versions": versions,
        "approved": approved,
        "diff": message_diff(before=approved, after=message) if approved is not None else [],
    }
