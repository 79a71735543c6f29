"""The compliance ledger: what each institution received and acknowledged. Figures are computed from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institutions.enums import AcknowledgementKind, DeliveryChannel


class Delivery(models.Model):
    """The first time an institution received one version of one message translation through one channel."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("institution")
    )
    # Kept when a message is deleted: the ledger still shows who received it, and its withdrawal stays owed.
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("message"),
    )
    translation_key = models.UUIDField(_("message id"), db_index=True)
    language_code = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField(_("version"))
    channel = models.CharField(_("channel"), max_length=16, choices=DeliveryChannel.choices)
    delivered_at = models.DateTimeField(_("first delivered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "message", "version", "channel"], name="unique_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["institution", "translation_key", "version"], name="delivery_inst_key_ver")]

    def __str__(self) -> str:
        return f"{self.institution_id} ← {self.translation_key} v{self.version} ({self.channel})"


class Acknowledgement(models.Model):
    """An institution confirms it has taken on one version of a message, or its withdrawal."""

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("institution"),
    )
    translation_key = models.UUIDField(_("message id"), db_index=True)
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        related_name="acknowledgements",
        verbose_name=_("message"),
    )
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=AcknowledgementKind.choices, default=AcknowledgementKind.MESSAGE
    )
    acknowledged_by = models.CharField(_("acknowledged by"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "translation_key", "version", "kind"], name="unique_acknowledgement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} ✓ {self.translation_key} v{self.version} ({self.kind})"
