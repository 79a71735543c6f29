"""The site's error views (`handler400`, `handler403`, `handler404`, `handler500`): under `/api/` they answer in
the API's JSON error shape (`{"code": ..., "message": ...}`), elsewhere Django's own pages. A body over
`DATA_UPLOAD_MAX_MEMORY_SIZE` read outside DRF (Django raises `RequestDataTooBig`, a 400) is a 413."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(code: str, message: Any, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message)}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    too_large = isinstance(exception, RequestDataTooBig)
    if _is_api(request):
        if too_large:
            return api_error("too_large", _("The request body is too large."), 413)
        return api_error("bad_request", _("The request could not be understood."), 400)
    response = defaults.bad_request(request, exception)  # type: ignore[arg-type]
    if too_large:
        response.status_code = 413
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return api_error("permission_denied", _("You may not do this."), 403)
    return defaults.permission_denied(request, exception)  # type: ignore[arg-type]


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return api_error("not_found", _("No API resource at this address."), 404)
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return api_error("server_error", _("The server could not answer this request."), 500)
    return defaults.server_error(request)
