from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexUpdateStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DONE = "done", _("done")


class IndexUpdate(models.Model):
    """An object whose index entry could not be brought in line (engine down, broker down): the catch-up task
    retries until it succeeds. One row per object; the action is decided from the database when applied, so
    the latest state always wins. `generation` counts requests, so a run that started before a newer request
    cannot mark that newer one done."""

    model_label = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=IndexUpdateStatus.choices, default=IndexUpdateStatus.PENDING
    )
    generation = models.PositiveIntegerField(_("generation"), default=1)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search index update")
        verbose_name_plural = _("search index updates")
        constraints = [models.UniqueConstraint(fields=["model_label", "object_id"], name="unique_index_update")]
        indexes = [models.Index(fields=["status", "updated_at"], name="index_update_status")]

    def __str__(self) -> str:
        return f"{self.model_label}:{self.object_id} ({self.status})"
