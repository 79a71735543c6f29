"""Reads about campaigns: the activities board the centre follows up."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from wagtail.models import Page

from campaigns.enums import ActivityStatus
from campaigns.models import CampaignActivity

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
