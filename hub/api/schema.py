"""OpenAPI: only the institution API, authenticated with `Authorization: Api-Key <key>`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
            "description": "`Api-Key <key>`, as issued to your institution.",
        }
