from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from campaigns.blocks import CampaignBodyBlock
from campaigns.enums import ActivityStatus


class HomePage(Page):
    """The site root in each language; it introduces the centre and lists campaign sections."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["campaigns.CampaignIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context


class CampaignIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["campaigns.CampaignPage"]
    parent_page_types = ["campaigns.HomePage"]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("campaign index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = (
            CampaignPage.objects.child_of(self).live().public().order_by("-start_date").select_related("hero_image")
        )
        return context


class CampaignPage(Page):
    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(CampaignBodyBlock(), verbose_name=_("body"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hero image"),
    )
    hero_image_alt = models.CharField(
        _("hero image text alternative"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it; translated with the page."),
    )
    start_date = models.DateField(_("start date"), default=datetime.date.today)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("hero_image_alt"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Dates")),
        MultiFieldPanel([InlinePanel("activities", label=_("Activity"))], heading=_("Activities")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary", boost=2), index.SearchField("body")]
    subpage_types: list[str] = []
    parent_page_types = ["campaigns.CampaignIndexPage"]
    api_fields = [
        APIField("summary"),
        APIField("hero_image_alt"),
        APIField("hero_image", serializer=ImageRenditionField("fill-1200x630")),
        APIField("hero_image_thumbnail", serializer=ImageRenditionField("fill-600x315", source="hero_image")),
        APIField("body"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("public_key_messages"),
    ]

    class Meta:
        verbose_name = _("campaign page")

    # Why a page may not go live on its own, or None: set by the messaging app in its `ready()` to
    # `messaging.lifecycle.release_hold` (campaign pages sit below messaging and do not import it).
    publish_hold: Any = staticmethod(lambda page: None)

    def publish(self, revision: Any, user: Any = None, **kwargs: Any) -> Any:
        """Every way a page goes live ends here (the editor, workflow approval, scheduled publishing): a page that
        belongs to a release that has not gone live waits for it (`publish_hold`)."""
        if (held := self.publish_hold(self)) is not None:
            log(instance=self, action="tawasul.release_held", user=user, data={"reason": held})
            return None
        return super().publish(revision, user=user, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})

    @property
    def hero_alt_text(self) -> str:
        """The page's own text alternative, else the image's description."""
        if self.hero_image is None:
            return ""
        return self.hero_image_alt or self.hero_image.default_alt_text or ""

    # The public messages a campaign page lists: `messaging.selectors.public_messages_for_campaign`, set by the
    # messaging app in its `ready()`. Messaging sits above campaigns (a message links to its campaign page), so
    # this model does not import it.
    key_messages_selector: ClassVar[Callable[..., Iterable[Any]]]
    media_resolver: ClassVar[Callable[[list[dict[str, Any]]], Any]]

    def key_messages(self) -> Iterable[Any]:
        return type(self).key_messages_selector(campaign=self)

    @property
    def public_key_messages(self) -> list[dict[str, Any]]:
        """The public messages of this campaign in the page's language, with their images (renditions and text
        alternatives) and documents as the institution API gives them (`media_resolver`, set by the messaging app
        with `key_messages_selector`)."""
        rows = [
            {
                "id": m.pk,
                "title": m.title,
                "key_message": m.key_message,
                "version": m.version,
                "media_json": list(m.media.raw_data),
            }
            for m in self.key_messages()
        ]
        type(self).media_resolver(rows)
        return rows

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["key_messages"] = self.key_messages()
        context["activities"] = self.activities.select_related("owner").all()
        context["today"] = timezone.localdate()
        return context


class CampaignActivity(TranslatableMixin, Orderable):
    """A piece of the strategy's work the centre follows up: who does what by when."""

    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=255)
    owner = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="campaign_activities",
        verbose_name=_("owner institution"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("due_date"), FieldPanel("status")]),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status != ActivityStatus.DONE and self.due_date < (today or timezone.localdate())
