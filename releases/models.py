"""A coordinated release: messages (any languages) and campaign pages that go live together, at a chosen time or
at approval, optionally under an embargo (institutions at go-live, the public at the embargo's end).

The release is a snippet with Wagtail's draft, revision, lock, workflow and preview mixins: its membership, time and
embargo are approved as a whole under the two-person rule (the same `TwoPersonApprovalTask`s), and scheduled
through Wagtail's scheduled publishing. Each member is still approved on its own; `releases.actions` puts them live.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    Revision,
    RevisionMixin,
    WorkflowMixin,
)

from releases.enums import ReleaseStatus


class Release(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    title = models.CharField(_("title"), max_length=255, help_text=_("For the calendar, the admin and institutions."))
    description = models.TextField(_("description"), blank=True)
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_(
            "Institutions receive the release when it goes live; the public sees its messages and pages only after "
            "this time."
        ),
    )
    # Written by the release's actions, not by editors (a revision never carries them back: see `publish`).
    first_position = models.PositiveBigIntegerField(_("first change-feed position"), null=True, editable=False)
    last_position = models.PositiveBigIntegerField(_("last change-feed position"), null=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("withdrawal reason"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="release")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="release",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("go_live_at"), FieldPanel("embargo_until")])],
            heading=_("Timing"),
            help_text=_("Leave the go-live time empty to release as soon as the release is approved."),
        ),
        InlinePanel("message_members", heading=_("Messages"), label=_("Message")),
        InlinePanel("page_members", heading=_("Campaign pages"), label=_("Campaign page")),
    ]

    RESULT_FIELDS = ("first_position", "last_position", "withdrawn_at", "withdrawal_reason")

    # Set by the releases app in its `ready()`: Wagtail calls `publish`, `unpublish` and the preview on the model, and
    # the actions (`releases.actions.PublishReleaseAction`, `WithdrawReleaseAction`) and the selector
    # (`releases.selectors.release_preview_members`) sit above it.
    publish_action: ClassVar[Callable[..., Any]]
    withdraw_action: ClassVar[Callable[..., Any]]
    preview_members: ClassVar[Callable[[Release], Any]]

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self) -> Any:
        return self._revisions

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.embargo_until and self.go_live_at and self.embargo_until <= self.go_live_at:
            errors["embargo_until"] = _("The embargo must end after the release goes live.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The outcome of going live or being withdrawn is the row's, whatever revision is saved over it."""
        if self.pk is not None and kwargs.get("update_fields") is None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.RESULT_FIELDS).first()
            for name, value in (stored or {}).items():
                setattr(self, name, value)
        super().save(*args, **kwargs)

    @property
    def scheduled_revision(self) -> Revision | None:
        return self.revisions.filter(approved_go_live_at__isnull=False).order_by("-created_at").first()

    @property
    def status(self) -> ReleaseStatus:
        if self.live:
            return ReleaseStatus.LIVE
        if self.withdrawn_at is not None:
            return ReleaseStatus.WITHDRAWN
        if self.scheduled_revision is not None:
            return ReleaseStatus.SCHEDULED
        if self.workflow_in_progress:
            return ReleaseStatus.IN_REVIEW
        return ReleaseStatus.DRAFT

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    # Wagtail hooks into the publishing actions of this model.
    def publish(self, revision: Any, user: Any = None, **kwargs: Any) -> Any:
        allowed = {"changed", "log_action", "previous_revision"}
        action = type(self).publish_action(revision, user=user, **{k: v for k, v in kwargs.items() if k in allowed})
        return action.execute(skip_permission_checks=kwargs.get("skip_permission_checks", False))

    def unpublish(
        self, set_expired: bool = False, commit: bool = True, user: Any = None, log_action: Any = True, reason: str = ""
    ) -> None:
        """Withdraws the whole release: every member (each message in every language) with a reason."""
        type(self).withdraw_action(self, user=user, reason=reason or str(_("release withdrawn"))).execute(
            skip_permission_checks=True
        )

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        return "releases/release_preview.html"

    def get_preview_context(self, request: Any, mode_name: str) -> dict[str, Any]:
        context = super().get_preview_context(request, mode_name)
        context["members"] = type(self).preview_members(self)
        return context


class ReleaseMessage(Orderable):
    """A message in a release, by its row (any language); the release puts the message's latest revision live."""

    release = ParentalKey(Release, on_delete=models.CASCADE, related_name="message_members")
    message = models.ForeignKey(
        "messaging.Message", on_delete=models.CASCADE, related_name="release_memberships", verbose_name=_("message")
    )

    panels = [FieldPanel("message")]

    class Meta(Orderable.Meta):
        verbose_name = _("message in a release")
        verbose_name_plural = _("messages in a release")

    def __str__(self) -> str:
        return str(self.message)


class ReleasePage(Orderable):
    release = ParentalKey(Release, on_delete=models.CASCADE, related_name="page_members")
    page = models.ForeignKey(
        "campaigns.CampaignPage",
        on_delete=models.CASCADE,
        related_name="release_memberships",
        verbose_name=_("campaign page"),
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("campaign page in a release")
        verbose_name_plural = _("campaign pages in a release")

    def __str__(self) -> str:
        return str(self.page)
