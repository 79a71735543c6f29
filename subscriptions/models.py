"""E-mail subscriptions of the public, the notifications owed to them, and how far the outbox has been read.

A subscription keeps only what sending needs: the address, the language, what it follows (a campaign page's or
a topic's translation key, so it follows the same thing whichever row is live) and how often. No name, no IP
address; an address that never confirms is deleted after `TAWASUL_SUBSCRIPTIONS_UNCONFIRMED_DAYS`, and
unsubscribing deletes the row and what it was owed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from subscriptions.enums import Frequency, TargetKind


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254)
    language_code = models.CharField(_("language"), max_length=8)
    target_kind = models.CharField(_("follows"), max_length=20, choices=TargetKind.choices)
    target_key = models.UUIDField(_("translation key of what it follows"))
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "language_code", "target_kind", "target_key"], name="unique_subscription"
            )
        ]
        indexes = [models.Index(fields=["target_kind", "target_key", "language_code"], name="subscription_target")]

    def __str__(self) -> str:
        return f"{self.target_kind}:{self.target_key} ({self.language_code})"


class Notification(models.Model):
    """One message version owed to one subscription; sent alone (immediate) or in the day's digest."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey("messaging.Message", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "message", "version"], name="unique_notification")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} ← {self.message_id} v{self.version}"


class OutboxCursor(models.Model):
    """The last outbox position read for subscriptions (a single row, locked while it is advanced). Outbox
    positions become visible in increasing order, so reading past it never skips an event."""

    last_position = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.last_position)
