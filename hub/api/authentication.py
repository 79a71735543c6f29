"""Institution API keys: `Authorization: Api-Key <key>`, hashed at rest by djangorestframework-api-key."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework_api_key.permissions import KeyParser

from hub.api.state import api_state_token
from hub.client_address import client_address
from institutions.models import Institution, InstitutionAPIKey

LAST_USED_RESOLUTION = timedelta(minutes=1)
KNOWN_KEYS_MAX = 1024


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


class KnownKeys:
    """Keys this process has verified, by a digest of the raw key, each valid while the API state token it was
    verified under is current. Saving or deleting a key or an institution changes the token (`hub.api.state`),
    so a revoked key or a suspended institution is refused on its next request, by every process."""

    def __init__(self, limit: int = KNOWN_KEYS_MAX) -> None:
        self._limit = limit
        self._entries: dict[str, tuple[str, InstitutionPrincipal]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def get(self, digest: str, state: str) -> InstitutionPrincipal | None:
        entry = self._entries.get(digest)
        return entry[1] if entry is not None and entry[0] == state else None

    def put(self, digest: str, state: str, principal: InstitutionPrincipal) -> None:
        with self._lock:
            if len(self._entries) >= self._limit:
                self._entries.clear()
            self._entries[digest] = (state, principal)


class KeyExpired(exceptions.AuthenticationFailed):
    default_detail = _("This API key has expired.")


class KeyFailures:
    """Failed key attempts (unknown, revoked, or of a suspended institution) per client address, in a fixed window
    that starts with the first failure: past the limit, keys this process has not verified already are refused
    with 429 before any is looked up, so keys cannot be guessed at the rate the API answers."""

    PREFIX = "tawasul:api:key-failures:"

    @staticmethod
    def _limits() -> tuple[int, int]:
        attempts, seconds = settings.TAWASUL_API_KEY_FAILURES
        return int(attempts), int(seconds)

    def _key(self, request: HttpRequest | Request) -> str:
        return self.PREFIX + client_address(request)

    def check(self, request: HttpRequest | Request) -> None:
        attempts, seconds = self._limits()
        if int(cache.get(self._key(request), 0)) >= attempts:
            detail = str(_("Too many failed API-key attempts from your address; try again later."))
            raise exceptions.Throttled(wait=seconds, detail=detail)  # DRF appends the wait to a str

    def record(self, request: HttpRequest | Request) -> None:
        key = self._key(request)
        cache.add(key, 0, timeout=self._limits()[1])
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=self._limits()[1])


class InstitutionKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"
    parser = KeyParser()
    known = KnownKeys()
    failures = KeyFailures()

    def authenticate(self, request: Request) -> tuple[InstitutionPrincipal, InstitutionAPIKey] | None:
        raw = self.parser.get_from_authorization(request)
        if raw is None:
            if request.META.get("HTTP_AUTHORIZATION"):
                raise exceptions.AuthenticationFailed(_("Use the header `Authorization: Api-Key <key>`."))
            return None
        raw = raw.strip()
        if not raw.isprintable():  # a NUL or control character: no key has one, and PostgreSQL refuses NUL (a 500)
            raise exceptions.AuthenticationFailed(_("This API key is unknown or has been revoked."))
        state = api_state_token()  # taken before the database is read (see hub.api.state)
        digest = self.known.digest(raw)
        principal = self.known.get(digest, state)
        if principal is None:
            self.failures.check(request)
            try:
                principal = self._verified(raw)
            except KeyExpired:
                raise  # a key that was issued: not a guess
            except exceptions.AuthenticationFailed:
                self.failures.record(request)
                raise
        if principal.key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        self.known.put(digest, state, principal)
        request.api_state = state  # type: ignore[attr-defined]  # the view's ETag uses the same token
        self._touch(principal.key)
        return principal, principal.key

    def known_principal(self, request: HttpRequest, state: str) -> InstitutionPrincipal | None:
        """The principal of a key this process has verified under `state`, without any query; None when the
        key is absent, unknown here, or expired (the full path then answers with the right error)."""
        raw = self.parser.get_from_authorization(request)
        if raw is None:
            return None
        principal = self.known.get(self.known.digest(raw.strip()), state)
        if principal is None or principal.key.has_expired:
            return None
        self._touch(principal.key)
        return principal

    @staticmethod
    def _verified(raw: str) -> InstitutionPrincipal:
        try:
            key = cast(InstitutionAPIKey, InstitutionAPIKey.objects.get_from_key(raw))
        except InstitutionAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("This API key is unknown or has been revoked.")) from None
        if key.has_expired:
            raise KeyExpired()
        if not key.institution.is_active:  # read with the key (`InstitutionAPIKeyManager`)
            raise exceptions.AuthenticationFailed(_("This institution's access is suspended."))
        return InstitutionPrincipal(institution=key.institution, key=key)

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


def _let_go_of_data(response: Response) -> None:
    response.data = None


class InstitutionAPIView(APIView):
    """Base of every institution endpoint: key authentication, scopes, per-key throttling."""

    authentication_classes: Sequence[type[BaseAuthentication]] = [InstitutionKeyAuthentication]
    permission_classes: Sequence[type[BasePermission]] = [HasScope]
    throttle_classes: Sequence[type[BaseThrottle]] = [InstitutionKeyRateThrottle]
    required_scope = "read"

    def get_institution(self) -> Institution:
        return self.principal.institution

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """DRF's, and a response whose data is let go once it is rendered. The request, the view and the response
        refer to one another, so they are freed by the garbage collector's cycle detection rather than at once;
        without this the data (for a page of messages, about 270 dicts) waited for it with them, and grew the
        collections that pause every thread of a worker."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            response.add_post_render_callback(_let_go_of_data)
        return response

    @property
    def principal(self) -> InstitutionPrincipal:
        principal = self.request.user
        if not isinstance(principal, InstitutionPrincipal):  # HasScope has refused such requests already
            raise exceptions.NotAuthenticated()
        return principal
