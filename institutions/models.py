from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager
from wagtail.search import index

from .enums import ApiScope, InstitutionKind


class Institution(index.Indexed, models.Model):
    """A ministry, authority or the centre itself: a consumer of approved messaging."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices, default=InstitutionKind.MINISTRY)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    search_fields = [
        index.SearchField("name_ar"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_ar"),
        index.AutocompleteField("name_en"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name_in(translation.get_language() or "ar")

    def name_in(self, language: str) -> str:
        return self.name_ar if language.startswith("ar") else self.name_en


class InstitutionAPIKeyManager(APIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        """The library's (keys not revoked), each with its institution: verifying a key reads both at once."""
        return super().get_usable_keys().select_related("institution")


class InstitutionAPIKey(AbstractAPIKey):
    """Hashed at rest by djangorestframework-api-key; the clear key is shown once, at creation."""

    objects: ClassVar[InstitutionAPIKeyManager] = InstitutionAPIKeyManager()  # type: ignore[assignment]

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("institution")
    )
    scopes = models.JSONField(_("scopes"), default=list)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")  # type: ignore[assignment]  # lazy strings are what Django expects
        verbose_name_plural = _("API keys")  # type: ignore[assignment]

    def has_scope(self, scope: ApiScope | str) -> bool:
        return str(scope) in self.scopes


from institutions.ledger import Acknowledgement, Delivery  # noqa: E402

__all__ = ["Acknowledgement", "Delivery", "Institution", "InstitutionAPIKey"]
