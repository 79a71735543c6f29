"""The admin home panel that summarises the three compliance reports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from wagtail.admin.ui.components import Component

from campaigns.enums import ActivityStatus
from campaigns.selectors import activities_board, activity_counts
from institutions.compliance import compliance_by_institution
from institutions.models import Institution
from institutions.reach import messages_with_reach


class CompliancePanel(Component):
    name = "compliance"
    order = 90
    template_name = "institutions/dashboard/compliance_panel.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        rows = compliance_by_institution(institutions=Institution.objects.filter(is_active=True))
        addressed = sum(row.live_messages for row in rows)
        acknowledged = sum(row.acknowledged_current for row in rows)
        live = messages_with_reach().filter(is_live_now=True)
        activities = activity_counts(
            activities_board(today=timezone.localdate(), language=translation.get_language() or "ar")
        )
        lagging = sorted((row for row in rows if row.live_messages), key=lambda row: row.acknowledged_percent)[:3]
        return {
            "institutions": len(rows),
            "addressed": addressed,
            "delivered": sum(row.delivered_current for row in rows),
            "acknowledged": acknowledged,
            "older_only": sum(row.acknowledged_older_only for row in rows),
            "acknowledged_percent": round(100 * acknowledged / addressed) if addressed else 0,
            "withdrawals_pending": sum(row.withdrawals_unacknowledged for row in rows),
            "lagging": lagging,
            "live_messages": live.count(),
            "unacknowledged_messages": live.filter(acknowledged_count=0).count(),
            "activities": activities,
            "activity_rows": [(status.label, activities[status.value]) for status in ActivityStatus],
            "activities_total": sum(v for k, v in activities.items() if k != "overdue"),
        }
