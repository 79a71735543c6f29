"""Reads for subscriptions: what may be followed, and who follows a message. Visibility of messages is
`messaging.selectors.public_messages`, never restated here."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from campaigns.models import CampaignPage
from messaging.models import Topic
from subscriptions.enums import TargetKind
from subscriptions.models import Subscription


def subscription_target(*, kind: str, key: uuid.UUID, language_code: str) -> Any | None:
    """The live public campaign page or the topic with this translation key, in this language; None if none."""
    if kind == TargetKind.CAMPAIGN:
        return (
            CampaignPage.objects.live()
            .public()
            .filter(translation_key=key, locale__language_code=language_code)
            .first()
        )
    if kind == TargetKind.TOPIC:
        return Topic.objects.filter(translation_key=key, locale__language_code=language_code).first()
    return None


def subscriptions_following(
    *, language_code: str, campaign_key: uuid.UUID | None, topic_key: uuid.UUID | None
) -> QuerySet[Subscription]:
    """Confirmed subscriptions in a message's language that follow its campaign or its topic."""
    follows = Q(pk__in=[])
    if campaign_key:
        follows |= Q(target_kind=TargetKind.CAMPAIGN, target_key=campaign_key)
    if topic_key:
        follows |= Q(target_kind=TargetKind.TOPIC, target_key=topic_key)
    return Subscription.objects.filter(follows, language_code=language_code, confirmed_at__isnull=False)
