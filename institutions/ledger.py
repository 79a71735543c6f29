"""The compliance ledger: what each institution received and acknowledged. Figures are computed from it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import FloatField, Func
from django.utils.translation import gettext_lazy as _

from institutions.enums import AcknowledgementKind, DeliveryChannel


class SecondsBetween(Func):
    """`end - start` in seconds, computed natively (Django's SQLite duration arithmetic calls Python per row)."""

    output_field = FloatField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]  # PostgreSQL etc.
        return super().as_sql(compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))", arg_joiner=" - ")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "((julianday(%(expressions)s)) * 86400.0)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=") - julianday(")


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


class LedgerVersion(models.Model):
    """What the ledger holds for one institution and one version of one message, whatever the channel and the
    language: received or not, and its acknowledgement with how long it came after the acknowledged row's
    publication. Derived from `Delivery` and `Acknowledgement` rows, and written with them
    (`institutions.services`), so the compliance report reads one row per (institution, message, version) and
    needs no `DISTINCT` and no join with the acknowledged rows. Whether the message is live now, and which version
    is current, is still decided when the report runs (`institutions.compliance`): expiry passes without a write.
    """

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index leads with the institution
        verbose_name=_("institution"),
    )
    translation_key = models.UUIDField(_("message id"))
    version = models.PositiveIntegerField(_("version"))
    delivered = models.BooleanField(_("received"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True)
    seconds_to_acknowledge = models.FloatField(_("seconds from publication to acknowledgement"), null=True)

    class Meta:
        verbose_name = _("ledger version")
        verbose_name_plural = _("ledger versions")
        constraints = [
            models.UniqueConstraint(fields=["institution", "translation_key", "version"], name="unique_ledger_version")
        ]
        indexes = [  # the lowest version acknowledged, in one probe (`institutions.compliance`)
            models.Index(
                fields=["version"],
                name="ledger_version_acknowledged",
                condition=models.Q(acknowledged_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.translation_key} v{self.version}"
