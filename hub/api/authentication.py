"""Institution API keys: `Authorization: Api-Key <key>`, hashed at rest by djangorestframework-api-key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework_api_key.permissions import KeyParser

from institutions.models import Institution, InstitutionAPIKey

LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class InstitutionPrincipal:
    """`request.user` for API calls: the institution a key belongs to (not a Django user)."""

    institution: Institution
    key: InstitutionAPIKey
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def pk(self) -> int:
        return self.institution.pk


class InstitutionKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"
    parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[InstitutionPrincipal, InstitutionAPIKey] | None:
        raw = self.parser.get_from_authorization(request)
        if raw is None:
            if request.META.get("HTTP_AUTHORIZATION"):
                raise exceptions.AuthenticationFailed(_("Use the header `Authorization: Api-Key <key>`."))
            return None
        try:
            key = cast(InstitutionAPIKey, InstitutionAPIKey.objects.get_from_key(raw.strip()))
        except InstitutionAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or has been revoked.")) from None
        if key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        institution = Institution.objects.filter(pk=key.institution_id, is_active=True).first()
        if institution is None:
            raise exceptions.AuthenticationFailed(_("This institution's access is suspended."))
        self._touch(key)
        return InstitutionPrincipal(institution=institution, key=key), key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    @staticmethod
    def _touch(key: InstitutionAPIKey) -> None:
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            InstitutionAPIKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now


class HasScope(BasePermission):
    """Requires an institution key carrying the view's `required_scope` (default `read`)."""

    message: str = str(_("This API key does not have the scope this operation needs."))

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        if not isinstance(principal, InstitutionPrincipal):
            raise exceptions.NotAuthenticated(_("Send an institution API key: `Authorization: Api-Key <key>`."))
        scope = getattr(view, "required_scope", "read")
        if not principal.key.has_scope(scope):
            self.message = str(_("This API key lacks the `%(scope)s` scope.") % {"scope": scope})
            return False
        return True


class InstitutionKeyRateThrottle(SimpleRateThrottle):
    scope = "institution_key"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        principal = request.user
        if isinstance(principal, InstitutionPrincipal):
            return self.cache_format % {"scope": self.scope, "ident": principal.key.prefix}
        return None


class InstitutionAPIView(APIView):
    """Base of every institution endpoint: key authentication, scopes, per-key throttling."""

    authentication_classes: Sequence[type[BaseAuthentication]] = [InstitutionKeyAuthentication]
    permission_classes: Sequence[type[BasePermission]] = [HasScope]
    throttle_classes: Sequence[type[BaseThrottle]] = [InstitutionKeyRateThrottle]
    required_scope = "read"

    def get_institution(self) -> Institution:
        return self.principal.institution

    @property
    def principal(self) -> InstitutionPrincipal:
        principal = self.request.user
        if not isinstance(principal, InstitutionPrincipal):  # HasScope has refused such requests already
            raise exceptions.NotAuthenticated()
        return principal
