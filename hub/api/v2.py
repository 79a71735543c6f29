"""Wagtail's read-only API v2 for public campaign pages (locale-aware through `?locale=`).

Wagtail's viewsets pass integers and text from the query string to the database as they come: an offset or an id
beyond 64 bits overflowed SQLite's integers, and a NUL reached the search backend (500s). Here every query value
is checked first, and errors carry the API's `code` beside Wagtail's `message`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.response import Response
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from campaigns.selectors import public_images
from search.queries import MAX_QUERY_LENGTH

LARGEST_ID = 2**63 - 1  # a signed 64-bit column
INTEGER_PARAMETERS = frozenset({"offset", "limit", "id", "child_of", "ancestor_of", "descendant_of", "translation_of"})
CODES = {400: "invalid", 404: "not_found"}


def query_checked(query: Any) -> None:
    """Refuses control characters anywhere in the query, searches longer than the hub's own search accepts and
    integers too large for a database column."""
    for name, values in query.lists():
        for value in values:
            if any(unicodedata.category(char) in ("Cc", "Cs") for char in f"{name}{value}"):
                raise BadRequestError(_("Query parameters may not contain control characters."))
            if name == "search" and len(value) > MAX_QUERY_LENGTH:
                # Each word becomes clauses of the engine's query; a page of text exceeds its clause limit.
                raise BadRequestError(_("Search for at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH})
            if name in INTEGER_PARAMETERS and _too_large(value):
                raise BadRequestError(_("%(name)s is too large.") % {"name": name})


def _too_large(value: str) -> bool:
    digits = value.strip().lstrip("+-").lstrip("0")
    # Counted before converting: `int()` refuses strings over 4,300 digits with ValueError.
    return digits.isdecimal() and (len(digits) > len(str(LARGEST_ID)) or int(digits) > LARGEST_ID)


class CheckedQueryMixin:
    request: Any
    kwargs: dict[str, Any]

    def check_query_parameters(self, queryset: Any) -> None:
        query_checked(self.request.GET)
        super().check_query_parameters(queryset)  # type: ignore[misc]

    def get_object(self) -> Any:
        query_checked(self.request.GET)
        if int(self.kwargs.get("pk", 0)) > LARGEST_ID:  # the route accepts digits only
            raise Http404(_("not found"))
        return super().get_object()  # type: ignore[misc]

    def find_object(self, queryset: Any, request: Any) -> Any:
        query_checked(request.GET)
        return super().find_object(queryset, request)  # type: ignore[misc]

    def handle_exception(self, exc: Exception) -> Response:
        response: Response = super().handle_exception(exc)  # type: ignore[misc]
        data = response.data
        if isinstance(data, dict) and "message" in data and "code" not in data:
            response.data = {"code": CODES.get(response.status_code, "error"), **data}
        return response


class PublicPagesAPIViewSet(CheckedQueryMixin, PagesAPIViewSet):
    pass


class PublicImagesAPIViewSet(CheckedQueryMixin, ImagesAPIViewSet):
    """Only images that public content shows: one uploaded for a draft or for a message to chosen institutions
    stays unlisted."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(pk__in=public_images().values("pk"))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
