from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from campaigns.widgets import CampaignChooser
from messaging.blocks import MessageHouseBlock, MessageMediaBlock
from messaging.enums import TranslationStatus
from messaging.forms import MessageForm
from messaging.lifecycle import SOURCE_LANGUAGE, ReleaseRefused, in_lifecycle_transition, translation_status
from messaging.querysets import MessageQuerySet
from messaging.rendering import api_body_json
from messaging.sanitise import plain_text

LIVE_ROWS = models.Q(live=True, expired=False)


class Message(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A unified government message: one row per language, sharing a `translation_key`."""

    title = models.CharField(_("title"), max_length=255, help_text=_("For the admin and the API; not a slogan."))
    key_message = models.CharField(_("key message"), max_length=300, help_text=_("The one line everyone repeats."))
    body = StreamField(MessageHouseBlock(), verbose_name=_("message house"), blank=False)
    media = StreamField(MessageMediaBlock(), verbose_name=_("images and documents"), blank=True, default=list)

    topic = models.ForeignKey(
        "messaging.Topic", on_delete=models.PROTECT, related_name="messages", verbose_name=_("topic")
    )
    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("campaign"),
    )
    audience_all = models.BooleanField(
        _("all institutions"),
        default=True,
        help_text=_("Untick to address only the institutions chosen below."),
    )
    audience = ParentalManyToManyField(
        "institutions.Institution", blank=True, related_name="addressed_messages", verbose_name=_("audience")
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on public campaign pages once the embargo has passed.")
    )
    owner = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="owned_messages",
        verbose_name=_("owner institution"),
    )
    clearing_authority = models.CharField(_("clearing authority"), max_length=255, blank=True)
    spokesperson = models.CharField(_("spokesperson"), max_length=255, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("The public sees the message only after this time."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    source_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("synced from source revision"),
    )
    change_note = models.TextField(
        _("change note"),
        blank=True,
        help_text=_("Required when a published message is changed: what changed and why."),
    )
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    emergency_unreviewed = models.BooleanField(
        _("released in an emergency, not yet reviewed"),
        default=False,
        editable=False,
        help_text=_("Set by emergency publishing; cleared when a second approver reviews the live version."),
    )
    translation_to_follow = models.BooleanField(
        _("released before its translation"),
        default=False,
        editable=False,
        help_text=_("An approver released the Arabic source before its translation was approved."),
    )
    hold_for_translation = models.BooleanField(
        _("update held for its translation"),
        default=False,
        editable=False,
        help_text=_(
            "The final approver held this update of a live message until its translation is approved: institutions "
            "keep the current version, in every language, until both go live together."
        ),
    )
    creation_token = models.UUIDField(
        _("creation token"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Sent with the new-message form, so that two submissions of one form create one message."),
    )
    api_body = models.TextField(
        _("message house as the API presents it"),
        null=True,
        editable=False,
        help_text=_("JSON, written on every save; empty until then (the API then builds it from the message house)."),
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="message")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="message",
        for_concrete_model=False,
    )

    objects = MessageQuerySet.as_manager()
    base_form_class = MessageForm

    # The lifecycle's actions (`messaging.actions.PublishMessageAction`, `UnpublishMessageAction`), set by the
    # messaging app in its `ready()`: Wagtail calls `publish`/`unpublish` on the model, and the actions sit above it.
    publish_action: ClassVar[Callable[..., Any]]
    unpublish_action: ClassVar[Callable[..., Any]]

    # A translation is its own row with its own state: it is not live, approved or flagged because its source is.
    exclude_fields_in_copy = [
        "creation_token",
        "emergency_unreviewed",
        "translation_to_follow",
        "hold_for_translation",
        "version",
        "source_revision",
    ]

    content_panels = [
        FieldPanel("title"),
        FieldPanel("key_message"),
        FieldPanel("body"),
        FieldPanel("media"),
        FieldPanel("change_note"),
    ]
    metadata_panels = [
        FieldRowPanel([FieldPanel("topic"), FieldPanel("campaign", widget=CampaignChooser)]),
        MultiFieldPanel(
            [
                FieldPanel("audience_all"),
                FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
                FieldPanel("is_public"),
            ],
            heading=_("Audience"),
        ),
        MultiFieldPanel(
            [FieldPanel("owner"), FieldPanel("clearing_authority"), FieldPanel("spokesperson")],
            heading=_("Responsibilities"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("due_date"),
                FieldPanel("go_live_at"),
                FieldPanel("embargo_until"),
                FieldPanel("expire_at"),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("supersedes"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Message house")),
            ObjectList(metadata_panels, heading=_("Metadata")),
        ]
    )

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("key_message", boost=5),
        index.SearchField("pillar_text", boost=3),
        index.SearchField("qa_text", boost=2),
        index.SearchField("fact_text", boost=1),
        index.AutocompleteField("title"),
        index.FilterField("locale"),
        index.FilterField("live"),
        index.FilterField("topic"),
        index.FilterField("translation_key"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["-updated_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["live", "locale", "updated_at"], name="message_live_locale_updated"),
            # The next instant at which time alone changes what is visible (hub.api.state).
            models.Index(fields=["go_live_at"], condition=LIVE_ROWS, name="message_live_go_live"),
            models.Index(fields=["expire_at"], condition=LIVE_ROWS, name="message_live_expire"),
            # Counting the live messages by audience (`MessageQuerySet.addressed_counts`) reads this index alone,
            # not the rows with their texts.
            models.Index(
                fields=["locale", "audience_all", "go_live_at", "expire_at"],
                condition=LIVE_ROWS,
                name="message_live_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self) -> Any:
        return self._revisions

    # Message house in plain text, for search fields and the alignment check.
    def blocks_of(self, block_type: str) -> list[Any]:
        return [block.value for block in self.body if block.block_type == block_type]

    def pillar_text(self) -> str:
        lines: list[str] = []
        for pillar in self.blocks_of("pillar"):
            lines.append(pillar["title"])
            lines.extend(pillar["talking_points"])
        return "\n".join(lines)

    def qa_text(self) -> str:
        return "\n".join(f"{qa['question']}\n{qa['answer']}" for qa in self.blocks_of("qa"))

    def fact_text(self) -> str:
        return "\n".join(f"{fact['statement']} ({fact['source_title']})" for fact in self.blocks_of("fact"))

    def lines_to_avoid(self) -> list[str]:
        return [str(line) for line in self.blocks_of("avoid")]

    def first_image(self) -> Any:
        """The first image block whose image still exists (one deleted since is left out), or None."""
        return next((b for b in self.media if b.block_type == "image" and b.value["image"] is not None), None)

    # Rules about one message.
    @property
    def is_source(self) -> bool:
        return self.locale.language_code == SOURCE_LANGUAGE

    def source_translation(self) -> Message | None:
        if self.is_source:
            return self
        return Message.objects.filter(
            translation_key=self.translation_key, locale__language_code=SOURCE_LANGUAGE
        ).first()

    def translation_status(self, source: Message | None = None) -> TranslationStatus:
        """A translation is current only while it was published from the live source version."""
        if not self.is_source:
            source = source or self.source_translation()
        return translation_status(
            language=self.locale.language_code, version=self.version, source_version=source.version if source else None
        )

    def needs_change_note(self) -> bool:
        """Editing the Arabic source of a published message requires a note that differs from the live one's."""
        if not (self.pk and self.locale_id and self.is_source and self.live_revision_id):
            return False
        live_note = (self.live_revision.content or {}).get("change_note", "") if self.live_revision else ""
        return not self.change_note.strip() or self.change_note.strip() == (live_note or "").strip()

    PLAIN_TEXT_FIELDS = ("title", "key_message", "clearing_authority", "spokesperson", "change_note")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The API's rendering of the message house (`messaging.rendering`), kept with it: read as it is, it costs an
        # API page no decoding and no block transform (`messaging.api.documents`).
        if not in_lifecycle_transition() and self._keeps_live_version(kwargs.get("update_fields")):
            return
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.api_body = api_body_json(self.body.raw_data)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "api_body"}
        super().save(*args, **kwargs)

    # Written only by the lifecycle's actions; an editor's form or a revision's copy never carries them back.
    LIFECYCLE_FIELDS = (
        "live", "version", "source_revision_id", "emergency_unreviewed", "translation_to_follow",
        "hold_for_translation",
    )  # fmt: skip

    def _keeps_live_version(self, update_fields: Any) -> bool:
        """Going live or offline happens only through the lifecycle's actions (`messaging.lifecycle`), and the row
        of a live message holds its live version. A save from anywhere else that would take the row offline with
        new content (wagtail-localize re-syncing a live translation as a draft) writes nothing to the row: the
        content goes to the revision its caller saves next. Any other change of `live` is refused, and the other
        lifecycle fields keep their stored values (an object rebuilt from an old revision carries old ones)."""
        if update_fields is not None and not set(update_fields) & {"live", "version"}:
            return False
        stored: dict[str, Any] = {"live": False}
        if self.pk is not None:
            stored = Message.objects.filter(pk=self.pk).values(*self.LIFECYCLE_FIELDS).first() or stored
        live = bool(getattr(self, "live", False))
        if stored["live"] and not live and update_fields is None:
            self.live = True
            return True
        if live != bool(stored["live"]):
            raise ReleaseRefused(_("A message goes live or offline only through publishing or withdrawal."))
        for name, value in stored.items():
            setattr(self, name, value)
        return False

    def clean(self) -> None:
        super().clean()
        for name in self.PLAIN_TEXT_FIELDS:  # stored as plain text: institutions re-publish it anywhere
            setattr(self, name, plain_text(getattr(self, name)))
        errors: dict[str, Any] = {}
        if self.expire_at and self.go_live_at and self.expire_at <= self.go_live_at:
            errors["expire_at"] = _("The expiry must come after the go-live time.")
        if self.embargo_until and self.expire_at and self.embargo_until >= self.expire_at:
            errors["embargo_until"] = _("The embargo must end before the message expires.")
        if self.needs_change_note():
            errors["change_note"] = _("Say what changed: a new change note is required to change a published message.")
        if self.is_public and not self.audience_all:
            errors["is_public"] = _(
                'Only a message addressed to all institutions can be public. Untick "public" or address it to all.'
            )
        if self.supersedes_id and self.supersedes_id == self.pk:
            errors["supersedes"] = _("A message cannot supersede itself.")
        if errors:
            raise ValidationError(errors)

    # Wagtail hooks into the publishing actions of this model.
    def publish(self, revision: Any, user: Any = None, **kwargs: Any) -> Any:
        action = type(self).publish_action(revision, user=user, **_publish_kwargs(kwargs))
        return action.execute(skip_permission_checks=kwargs.get("skip_permission_checks", False))

    def unpublish(
        self,
        set_expired: bool = False,
        commit: bool = True,
        user: Any = None,
        log_action: Any = True,
        reason: str = "",
    ) -> None:
        """Withdraws the message in every language (`UnpublishMessageAction`); expiry is a withdrawal too."""
        type(self).unpublish_action(
            self, set_expired=set_expired, commit=commit, user=user, log_action=log_action, reason=reason
        ).execute()

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        return "messaging/message_preview.html"

    def get_preview_context(self, request: Any, mode_name: str) -> dict[str, Any]:
        context = super().get_preview_context(request, mode_name)
        context["language_code"] = self.locale.language_code
        return context


def _publish_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    allowed = {"changed", "log_action", "previous_revision"}
    return {key: value for key, value in kwargs.items() if key in allowed}
