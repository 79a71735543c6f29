"""Every API error is JSON with a stable `code` and a human `message`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hub.api.parsers import PayloadTooLarge


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):  # Django's, when something reads an oversized body outside the parser
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    code = getattr(exc, "default_code", "error")
    codes = getattr(exc, "get_codes", lambda: code)()
    if isinstance(detail, dict) and "detail" in detail and len(detail) == 1:
        message = str(detail["detail"])
        body: dict[str, Any] = {"code": codes if isinstance(codes, str) else code, "message": message}
    else:
        body = {
            "code": "invalid" if response.status_code == status.HTTP_400_BAD_REQUEST else code,
            "message": _summary(detail),
            "errors": detail,
        }
    response.data = body
    return response


def _summary(detail: Any) -> str:
    if isinstance(detail, dict):
        field, errors = next(iter(detail.items()), ("", ""))
        first = errors[0] if isinstance(errors, list) and errors else errors
        return f"{field}: {first}" if field and field != "non_field_errors" else str(first)
    if isinstance(detail, list) and detail:
        return str(detail[0])
    return str(detail)


@csrf_exempt  # it changes nothing; without this, a POST to an unknown path would get Django's HTML 403
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown API paths (including malformed ids in a path) answer in the API's error format, not HTML."""
    return JsonResponse(
        {"code": "not_found", "message": str(_("No API resource at this address."))}, status=status.HTTP_404_NOT_FOUND
    )
