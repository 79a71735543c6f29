from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from messaging.enums import EventKind
from messaging.lifecycle import SOURCE_LANGUAGE

TOMBSTONE_KINDS = frozenset({EventKind.WITHDRAWN, EventKind.EXPIRED, EventKind.SUPERSEDED})


class MessageEvent(models.Model):
    """Append-only outbox, written in the transaction of the change it records.

    `position` is the change feed cursor. It is taken from `EventSequence` under a row lock held until the
    writing transaction commits, so positions become visible in increasing order: a reader that has seen
    position N will never later find a committed event below N. Auto-increment ids do not promise that.
    """

    position = models.PositiveBigIntegerField(_("position"), unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        related_name="events",
        verbose_name=_("message"),
    )
    translation_key = models.UUIDField(_("translation key"))
    language_code = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField(_("version"))
    audience_all = models.BooleanField(_("all institutions"))
    is_public = models.BooleanField(_("public"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["translation_key", "language_code", "-position"], name="messaging_event_key_lang_pos"),
            # The messages with a withdrawal, expiry or replacement in the source language, which the compliance
            # figures start from (`institutions.compliance`): a few rows read alone, not every event scanned.
            models.Index(
                fields=["translation_key"],
                condition=models.Q(kind__in=sorted(TOMBSTONE_KINDS), language_code=SOURCE_LANGUAGE),
                name="messaging_event_tombstones",
            ),
        ]
        verbose_name = _("message event")
        verbose_name_plural = _("message events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.message_id} v{self.version} ({self.language_code})"

    @property
    def is_tombstone(self) -> bool:
        return self.kind in TOMBSTONE_KINDS


class MessageEventRecipient(models.Model):
    """Who an audience-restricted event concerns: the audience after the change, and those who lost access."""

    event = models.ForeignKey(MessageEvent, on_delete=models.CASCADE, related_name="recipients")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    removed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "institution"], name="unique_event_recipient")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.institution_id}{' (removed)' if self.removed else ''}"


class EventSequence(models.Model):
    """A single row whose lock orders event writes; see `MessageEvent`."""

    last_position = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_position)
