"""The centre's alert in the admin: statements still using a withdrawn or superseded line."""

from __future__ import annotations

from typing import Any

from wagtail.admin.ui.components import Component

from monitoring.models import Statement

SHOWN = 5


class FlaggedStatementsPanel(Component):
    name = "flagged_statements"
    order = 95
    template_name = "monitoring/flagged_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        flagged = Statement.objects.filter(flagged_at__isnull=False, replaced_at__isnull=True)
        return {
            "count": flagged.count(),
            "latest": list(flagged.select_related("institution").order_by("-flagged_at")[:SHOWN]),
        }
