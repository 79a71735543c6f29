"""Request bodies: JSON parsed by orjson, with the size and depth bounded, so that no body can raise anything but
the API's 400 or 413.

DRF's `JSONParser` catches `ValueError` only: a body of a few thousand nested arrays raised `RecursionError` in
the standard library's decoder (a 500), and a body over Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` was read whole.
orjson refuses nesting deeper than 1024, lone surrogates, invalid UTF-8, `NaN` and infinite numbers with a
`JSONDecodeError` (a `ValueError`); the body is read up to the limit and no further.
"""

from __future__ import annotations

from typing import IO, Any

import orjson
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser

from hub.api.renderers import ORJSONRenderer


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def bounded_body(stream: IO[bytes] | None, *, declared: int | None = None) -> bytes:
    """The body, refused with 413 when it is (or says it is) larger than the limit."""
    limit = body_limit()
    if declared is not None and limit and declared > limit:
        raise PayloadTooLarge(_("The request body is larger than %(limit)s bytes.") % {"limit": limit})
    if stream is None:
        return b""
    body = stream.read(limit + 1) if limit else stream.read()
    if limit and len(body) > limit:
        raise PayloadTooLarge(_("The request body is larger than %(limit)s bytes.") % {"limit": limit})
    return body


class ORJSONParser(BaseParser):
    media_type = "application/json"
    renderer_class = ORJSONRenderer

    def parse(self, stream: IO[Any] | None, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        declared = _declared_length(request.META if request is not None else {})
        body = bounded_body(stream, declared=declared)
        try:
            return orjson.loads(body)
        except (orjson.JSONDecodeError, RecursionError) as exc:
            raise ParseError(_("JSON parse error: %(reason)s") % {"reason": exc}) from None


def _declared_length(meta: Any) -> int | None:
    try:
        return int(meta.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None
