"""Reads about campaigns: the activities board the centre follows up, and what the public site, its feeds and
its sitemap show (messages always through `messaging.selectors.public_messages`)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from campaigns.enums import ActivityStatus
from campaigns.models import CampaignActivity, CampaignPage
from messaging.models import Message, Topic
from messaging.selectors import public_messages

SOURCE_LANGUAGE = "ar"


def activities_board(*, today: datetime.date, language: str) -> QuerySet[CampaignActivity]:
    """One row per activity (its Arabic source row, where status and due date are kept), titled in `language`
    when a translation exists, with `overdue` set when it is not done and its due date has passed."""
    translated_title = CampaignActivity.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language
    ).values("title")[:1]
    translated_campaign = Page.objects.filter(
        translation_key=OuterRef("page__translation_key"), locale__language_code=language
    ).values("title")[:1]
    owner_name = "owner__name_ar" if language.startswith("ar") else "owner__name_en"
    return (
        CampaignActivity.objects.filter(locale__language_code=SOURCE_LANGUAGE)
        .select_related("owner", "page")
        .annotate(
            title_display=Coalesce(Subquery(translated_title), F("title")),
            campaign_display=Coalesce(Subquery(translated_campaign), F("page__title")),
            owner_display=F(owner_name),
            overdue=Case(
                When(~Q(status=ActivityStatus.DONE) & Q(due_date__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-overdue", "due_date", "pk")
    )


def activity_counts(activities: QuerySet[CampaignActivity]) -> dict[str, int]:
    """Activities by status, plus `overdue`, in one query."""
    # Aliases must not reuse an annotation's name (`overdue`), or the aggregate reads the wrong column.
    totals = activities.order_by().aggregate(
        overdue_total=Count("pk", filter=Q(overdue=True)),
        **{f"{status}_total": Count("pk", filter=Q(status=status)) for status in ActivityStatus.values},
    )
    return {key.removesuffix("_total"): int(value or 0) for key, value in totals.items()}


def activity_counts_by_owner(activities: QuerySet[CampaignActivity]) -> list[tuple[str, dict[str, int]]]:
    """(owner name, {status: count}) for each owner with activities, in one grouped query."""
    rows = (
        activities.order_by()
        .values("owner_id", "owner_display")
        .annotate(**{status: Count("pk", filter=Q(status=status)) for status in ActivityStatus.values})
        .order_by("owner_display")
    )
    return [(row["owner_display"], {status: row[status] for status in ActivityStatus.values}) for row in rows]


def public_campaign(*, key: UUID, language_code: str) -> CampaignPage | None:
    """The live, public campaign page with this translation key in this language."""
    return CampaignPage.objects.live().public().filter(translation_key=key, locale__language_code=language_code).first()


def public_topic(*, key: UUID, language_code: str) -> Topic | None:
    return Topic.objects.filter(translation_key=key, locale__language_code=language_code).first()


def public_campaigns(*, language_code: str) -> QuerySet[CampaignPage]:
    return (
        CampaignPage.objects.live()
        .public()
        .filter(locale__language_code=language_code)
        .select_related("hero_image", "locale")
        .order_by("-last_published_at")
    )


def public_message_list(
    *, language_code: str, campaign_key: UUID | None = None, topic_key: UUID | None = None, limit: int = 50
) -> list[Message]:
    """The newest public messages in a language, optionally of one campaign or one topic, for feeds."""
    # The locale too: each feed entry names its language (one query per entry without it).
    messages = (
        public_messages().filter(locale__language_code=language_code).select_related("topic", "campaign", "locale")
    )
    if campaign_key:
        messages = messages.filter(campaign__translation_key=campaign_key)
    if topic_key:
        messages = messages.filter(topic__translation_key=topic_key)
    return list(messages.order_by("-last_published_at", "-pk")[:limit])


def public_message(*, key: UUID, language_code: str) -> Message | None:
    return (
        public_messages()
        .filter(locale__language_code=language_code)
        .filter(translation_key=key)
        .select_related("topic", "campaign")
        .first()
    )


def public_images() -> QuerySet[Any]:
    """The images public content shows: those a live public page or a public message uses (Wagtail's reference
    index of their rows, which hold the live content). An image uploaded for a draft is not among them."""

    def keys(rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.annotate(key=Cast("pk", CharField())).values("key")

    used = ReferenceIndex.objects.filter(
        Q(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=keys(Page.objects.live().public()))
        | Q(base_content_type=ContentType.objects.get_for_model(Message), object_id__in=keys(public_messages())),
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
    ).values("to_object_id")
    return get_image_model().objects.annotate(key=Cast("pk", CharField())).filter(key__in=used)
