"""Reads that enforce visibility. Every read path (API, feed, search, webhooks, public pages) uses these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from messaging.models import Message, MessageEvent, MessageEventRecipient


def visible_messages_for(institution: Any, *, at: datetime | None = None) -> QuerySet[Message]:
    """Live, past go-live, not expired, addressed to everyone or to this institution. Embargo does not apply:
    institutions prepare before the public may see a message."""
    return Message.objects.live_now(at).addressed_to(institution.pk)


def public_messages(*, at: datetime | None = None) -> QuerySet[Message]:
    """What the public may read: live, public, addressed to everyone, and past its embargo."""
    at = at or timezone.now()
    return Message.objects.live_now(at).public(at)


def public_messages_for_campaign(*, campaign: Any, at: datetime | None = None) -> QuerySet[Message]:
    return (
        public_messages(at=at)
        .filter(campaign__translation_key=campaign.translation_key, locale_id=campaign.locale_id)
        .select_related("topic")
        .order_by("title")
    )


def events_for(institution: Any) -> QuerySet[MessageEvent]:
    """Events that concern an institution: those addressed to everyone, or naming it (as audience or as
    having lost access)."""
    concerned = MessageEventRecipient.objects.filter(institution_id=institution.pk).values("event_id")
    return MessageEvent.objects.filter(Q(audience_all=True) | Q(pk__in=concerned)).order_by("position")
