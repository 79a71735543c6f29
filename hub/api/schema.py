"""OpenAPI: only the institution API, authenticated with `Authorization: Api-Key <key>`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


def institution_api_only(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list[tuple[str, str, str, Any]]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class InstitutionKeyScheme(OpenApiAuthenticationExtension):
    target_class = "hub.api.authentication.InstitutionKeyAuthentication"
    name = "InstitutionApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("`Api-Key <key>`, as issued to your institution.")),
        }


class InstitutionAPISchema(AutoSchema):
    """Operations are described by their translated summaries and descriptions (`extend_schema`); a view's docstring
    is a note for developers of the hub, in English only, and is not published in the API docs of either language."""

    def get_description(self) -> str:  # type: ignore[override]  # drf-spectacular's signature
        return ""
