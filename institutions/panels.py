from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ApiKeysPanel(Panel):
    """The institution's API keys on its edit page: prefix, scopes, expiry, last use, revoke; and "issue a key"."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "institutions/admin/api_keys_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            institution = self.instance
            context["institution"] = institution
            context["keys"] = institution.api_keys.order_by("-created") if institution.pk else []
            return context

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("heading", _("API keys"))
        super().__init__(**kwargs)
