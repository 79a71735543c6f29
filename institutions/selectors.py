"""Reads about one institution's ledger, shared by the API's acknowledgement endpoint and the institution space."""

from __future__ import annotations

from uuid import UUID

from messaging.models import SOURCE_LANGUAGE, TOMBSTONE_KINDS, Message, MessageEvent
from messaging.selectors import InstitutionRef, events_for, visible_messages_for


def message_current_version(*, institution: InstitutionRef, translation_key: UUID) -> int | None:
    """The current version of a message visible to the institution (its Arabic source row's version)."""
    return (
        visible_messages_for(institution)
        .filter(translation_key=translation_key, locale__language_code=SOURCE_LANGUAGE)
        .values_list("version", flat=True)
        .first()
    )


def acknowledgeable_message(*, institution: InstitutionRef, translation_key: UUID) -> Message | None:
    """A visible row of the message to attach an acknowledgement to (the Arabic one when visible)."""
    return (
        visible_messages_for(institution)
        .filter(translation_key=translation_key)
        .order_by("locale__language_code")
        .first()
    )


def withdrawal_sent_to(*, institution: InstitutionRef, translation_key: UUID) -> MessageEvent | None:
    """The latest withdrawal, expiry or supersession of the message sent to the institution, if any."""
    return (
        events_for(institution)
        .filter(translation_key=translation_key, kind__in=TOMBSTONE_KINDS)
        .order_by("-position")
        .first()
    )
