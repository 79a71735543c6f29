"""Reads that enforce visibility. Every read path (API, feed, search, webhooks, public pages, compliance) uses these.

"Addressed to" is one rule (`MessageQuerySet.addressed_to`): a message is addressed to an institution when its
audience is everyone or names the institution. `institutions_addressed` is the same rule read the other way (which
institutions a message reaches), and counts active institutions only: an inactive institution cannot call the API
and has no webhook deliveries, so nothing reaches it (docs/design-notes.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from institutions.models import Institution
from messaging.models import Message, MessageEvent, MessageEventRecipient
from messaging.models.messages import LIVE_ROWS

if TYPE_CHECKING:
    from campaigns.models import CampaignPage

InstitutionRef = Institution | int
"""An institution, or its primary key."""


def institution_id(institution: InstitutionRef) -> int:
    return institution if isinstance(institution, int) else institution.pk


def visible_messages_for(institution: InstitutionRef, *, at: datetime | None = None) -> QuerySet[Message]:
    """Live, past go-live, not expired, addressed to everyone or to this institution. Embargo does not apply:
    institutions prepare before the public may see a message."""
    return Message.objects.live_now(at).addressed_to(institution_id(institution))


def institutions_addressed(message: Message | OuterRef) -> QuerySet[Institution]:
    """The active institutions a message is addressed to (whether it is live is the caller's question).
    `message` is a row, or an expression for one's primary key resolved in the institution query's surroundings
    (`OuterRef("pk")` from a query over messages)."""
    ref = message.pk if isinstance(message, Message) else OuterRef(message)
    addressed = Message.objects.filter(pk=ref).addressed_to(OuterRef(OuterRef("pk")))
    return Institution.objects.filter(is_active=True).filter(Exists(addressed))


def public_messages(*, at: datetime | None = None) -> QuerySet[Message]:
    """What the public may read: live, public, addressed to everyone, and past its embargo."""
    at = at or timezone.now()
    return Message.objects.live_now(at).public(at)


def public_messages_for_campaign(*, campaign: CampaignPage, at: datetime | None = None) -> QuerySet[Message]:
    return (
        public_messages(at=at)
        .filter(campaign__translation_key=campaign.translation_key, locale_id=campaign.locale_id)
        .select_related("topic")
        .order_by("title")
    )


def events_for(institution: InstitutionRef) -> QuerySet[MessageEvent]:
    """Events that concern an institution: those addressed to everyone, or naming it (as audience or as
    having lost access)."""
    concerned = MessageEventRecipient.objects.filter(institution_id=institution_id(institution)).values("event_id")
    return MessageEvent.objects.filter(Q(audience_all=True) | Q(pk__in=concerned)).order_by("position")


def next_visibility_change(now: datetime) -> datetime | None:
    """The next instant after `now` at which time alone changes what institutions see: a live row's go-live or
    expiry (each the first entry of a partial index on live rows)."""
    live = Message.objects.filter(LIVE_ROWS)
    instants = [
        instant
        for field in ("go_live_at", "expire_at")
        if (instant := live.filter(**{f"{field}__gt": now}).order_by(field).values_list(field, flat=True).first())
    ]
    return min(instants) if instants else None
