"""ETags for institution reads, derived from the API state token (`hub.api.state`) without reading the
database: a conditional request whose copy is current is answered before any query runs."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace
from typing import Any, cast

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotModified
from rest_framework.request import Request
from rest_framework.response import Response

from hub.api.authentication import InstitutionAPIView, InstitutionKeyAuthentication
from hub.api.state import api_state_token, request_api_state


def state_etag(request: Request | HttpRequest, *parts: Any) -> str:
    """Changes whenever anything the answer to this URL could show changes: the token changes with every
    written change and at every scheduled go-live or expiry. `parts` name the caller (its institution)."""
    raw = "|".join(str(p) for p in (request.get_full_path(), request_api_state(request), *parts))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def _matches(request: Request | HttpRequest, etag: str, *, exists: bool = False) -> bool:
    """Whether `If-None-Match` names this ETag, or is `*` and the resource exists (RFC 9110, 13.1.2)."""
    candidates = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    return etag in candidates or f"W/{etag}" in candidates or (exists and "*" in candidates)


def not_modified(request: Request, etag: str, *, exists: bool = False) -> Response | None:
    """A 304 when the client's copy is current; `exists` says the resource is known to exist, for `*`."""
    if _matches(request, etag, exists=exists):
        response = Response(status=304)
        response["ETag"] = etag
        return response
    return None


class ConditionalReadView(InstitutionAPIView):
    """An institution read whose ETag is `state_etag(request, institution.pk)`. A conditional GET from a key
    this process already knows (`KnownKeys`), with a current ETag, is answered 304 before DRF builds its
    request: scope and throttling are still applied, and nothing is read from the database. Anything else
    (no or stale ETag, a key not seen under the current token, an expired key) takes the full path."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        conditional = request.method == "GET" and "HTTP_IF_NONE_MATCH" in request.META
        if conditional and (early := self._not_modified_early(request)) is not None:
            return early
        return super().dispatch(request, *args, **kwargs)

    def _not_modified_early(self, request: HttpRequest) -> HttpResponseBase | None:
        state = api_state_token()
        authentication = next(
            (a for a in self.get_authenticators() if isinstance(a, InstitutionKeyAuthentication)), None
        )
        principal = authentication.known_principal(request, state) if authentication else None
        if principal is None or not principal.key.has_scope(self.required_scope):
            return None
        request.api_state = state  # type: ignore[attr-defined]
        etag = state_etag(request, principal.institution.pk)
        if not _matches(request, etag):
            return None  # before the throttles: the full path counts this request, once
        caller = cast(Request, SimpleNamespace(user=principal))  # what the throttles read of a request
        if not all(throttle.allow_request(caller, self) for throttle in self.get_throttles()):
            return None
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Vary"] = "Accept"
        return response
