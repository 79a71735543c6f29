"""What institutions publish, as the hub sees it: their sources, the statements found there, and what each says.

A statement is kept once per institution, URL and content hash: fetching the same text again changes nothing,
and a page whose text changed becomes a new statement (the older one is marked replaced, no longer published).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring.enums import FindingKind, RetiredReason, SourceErrorKind, SourceKind


def validate_source_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an http or https address."), code="invalid_scheme")
    if parts.username or parts.password:
        raise ValidationError(_("The address must not carry credentials."), code="credentials")


class Source(models.Model):
    """A public output of an institution: a news feed or a page."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="sources", verbose_name=_("institution")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SourceKind.choices, default=SourceKind.FEED)
    url = models.URLField(_("URL"), max_length=500, validators=[validate_source_url])
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    etag = models.CharField(_("ETag"), max_length=255, blank=True, editable=False)
    last_modified = models.CharField(_("Last-Modified"), max_length=64, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    error_count = models.PositiveIntegerField(_("consecutive errors"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["institution_id", "url"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [models.UniqueConstraint(fields=["institution", "url"], name="unique_source_url")]

    def __str__(self) -> str:
        return self.url


class SourceError(models.Model):
    """One failure of one fetch: the source is skipped for this run, the others go on."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="errors", verbose_name=_("source"))
    kind = models.CharField(_("kind"), max_length=16, choices=SourceErrorKind.choices)
    url = models.CharField(_("URL"), max_length=500)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("source error")
        verbose_name_plural = _("source errors")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.url}"


class Statement(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("institution"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, related_name="statements", verbose_name=_("source")
    )
    url = models.CharField(_("URL"), max_length=500)
    content_hash = models.CharField(_("content hash"), max_length=64)
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    fetched_at = models.DateTimeField(_("fetched at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    replaced_at = models.DateTimeField(
        _("replaced at"), null=True, blank=True, help_text=_("A newer text was found at the same address.")
    )
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published statement")
        verbose_name_plural = _("published statements")
        constraints = [
            models.UniqueConstraint(fields=["institution", "url", "content_hash"], name="unique_statement_text")
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Finding(models.Model):
    """One thing a statement says about one approved message."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="findings", verbose_name=_("statement")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    translation_key = models.UUIDField(_("message"))
    topic = models.ForeignKey(
        "messaging.Topic", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("topic")
    )
    version = models.PositiveIntegerField(_("version"))
    block_type = models.CharField(_("part of the message"), max_length=16, blank=True)
    line = models.TextField(_("line"))
    sentence = models.TextField(_("sentence"), blank=True)
    score = models.FloatField(_("score"), default=1.0)
    reason = models.CharField(_("reason"), max_length=24, choices=RetiredReason.choices, blank=True)

    class Meta:
        ordering = ["statement_id", "kind", "-score"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["translation_key", "kind"], name="finding_message_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.line[:60]}"


class ApprovedLine(models.Model):
    """The lines of each message version the hub has seen live, so that a line changed or withdrawn later is
    still recognised when a statement repeats it."""

    translation_key = models.UUIDField(_("message"))
    language_code = models.CharField(_("language"), max_length=8)
    version = models.PositiveIntegerField(_("version"))
    topic = models.ForeignKey("messaging.Topic", on_delete=models.SET_NULL, null=True, related_name="+")
    block_type = models.CharField(max_length=16)
    block_index = models.PositiveIntegerField()
    item_index = models.IntegerField(default=-1)  # -1: not an item of a list (a unique constraint needs a value)
    field = models.CharField(max_length=16)
    text = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approved line")
        verbose_name_plural = _("approved lines")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "translation_key",
                    "language_code",
                    "version",
                    "block_type",
                    "block_index",
                    "item_index",
                    "field",
                ],
                name="unique_approved_line",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]
