"""The compliance reports under Reports: by institution, reach of one message, campaign activities board.

Each is a Wagtail `ReportView`, so filters, pagination and the CSV/XLSX downloads (`?export=csv|xlsx`) behave
like Wagtail's own reports. Only holders of `institutions.view_compliance` (Approvers, superusers) see them.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from campaigns.enums import ActivityStatus
from campaigns.models import CampaignActivity
from campaigns.selectors import activities_board, activity_counts, activity_counts_by_owner
from hub.exports import SafeExportMixin
from institutions.compliance import InstitutionCompliance, compliance_by_institution
from institutions.enums import InstitutionKind
from institutions.models import Institution
from institutions.reach import ReachStatus, message_reach, message_source, messages_with_reach, reach_status_counts
from institutions.reports.charts import BarChart, Series, bar_chart
from messaging.models import Message
from monitoring.figures import StatementSummary, statement_summaries

VIEW_COMPLIANCE = "institutions.view_compliance"
RECORD_ACKNOWLEDGEMENT = "institutions.add_acknowledgement"

GREEN, AMBER, RED, GREY, BLUE = "#1a7f5a", "#d99a00", "#c8372d", "#9aa3ab", "#2f6fb0"
ACKNOWLEDGEMENT_SERIES = [
    Series("acknowledged_current", _("Acknowledged the current version"), GREEN),
    Series("acknowledged_older_only", _("Acknowledged an older version only"), AMBER),
    Series("unacknowledged", _("Not acknowledged"), GREY),
]
DELIVERY_SERIES = [
    Series("delivered_current", _("Received the current version"), BLUE),
    Series("not_delivered", _("Not received at the current version"), GREY),
]
REACH_COLOURS = {
    ReachStatus.CURRENT: GREEN,
    ReachStatus.OLDER: AMBER,
    ReachStatus.DELIVERED: BLUE,
    ReachStatus.NOT_DELIVERED: GREY,
}
STATUS_COLOURS = {
    ActivityStatus.PLANNED: GREY,
    ActivityStatus.IN_PROGRESS: BLUE,
    ActivityStatus.DONE: GREEN,
    ActivityStatus.BLOCKED: AMBER,
}


STATEMENT_SERIES = [
    Series("carrying_current", _("Carry a current approved line"), GREEN),
    Series("not_carrying", _("Carry no current approved line"), GREY),
]
FLAGGED_SERIES = [Series("flagged_published", _("Still use a withdrawn or superseded line"), RED)]


class ComplianceRow:
    """An institution's compliance figures and the figures on what it published, read as one row."""

    def __init__(self, compliance: InstitutionCompliance, statements: StatementSummary) -> None:
        self.compliance = compliance
        self.statements = statements

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["compliance"], name)


def can_view_compliance(user: Any) -> bool:
    return bool(user.has_perm(VIEW_COMPLIANCE))


def _yes_no(value: Any) -> str:
    return str(_("Yes") if value else _("No"))


class ComplianceReportView(SafeExportMixin, ReportView):
    """Permission by `institutions.view_compliance` rather than by a model's permission policy; downloads made safe
    to open (`hub.exports`)."""

    permission_policy = None
    export_filename = "compliance"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_view_compliance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self) -> str:
        return f"{self.export_filename}-{timezone.localdate():%Y-%m-%d}"

    @property
    def rtl(self) -> bool:
        return bool(translation.get_language_bidi())


class InstitutionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InstitutionKind.choices, empty_label=_("All"))

    class Meta:
        model = Institution
        fields = ["kind"]


class ComplianceByInstitutionView(ComplianceReportView):
    page_title = _("Compliance by institution")
    header_icon = "tasks"
    results_template_name = "institutions/reports/compliance_results.html"
    index_url_name = "tawasul_reports:compliance"
    index_results_url_name = "tawasul_reports:compliance_results"
    filterset_class = InstitutionFilterSet
    export_filename = "compliance-by-institution"
    list_export = [
        "institution",
        "live_messages",
        "delivered_current",
        "acknowledged_current",
        "acknowledged_older_only",
        "unacknowledged",
        "acknowledged_percent",
        "median_acknowledgement_hours",
        "withdrawals_unacknowledged",
        "statements.published",
        "statements.carrying_current",
        "statements.flagged_published",
    ]
    export_headings = {
        "institution": _("Institution"),
        "live_messages": _("Live messages addressed"),
        "delivered_current": _("Delivered (current version)"),
        "acknowledged_current": _("Acknowledged (current version)"),
        "acknowledged_older_only": _("Acknowledged an older version only"),
        "unacknowledged": _("Not acknowledged"),
        "acknowledged_percent": _("Acknowledged current (%)"),
        "median_acknowledgement_hours": _("Median hours from publication to acknowledgement"),
        "withdrawals_unacknowledged": _("Withdrawals not acknowledged"),
        "statements.published": _("Statements published"),
        "statements.carrying_current": _("Statements carrying a current line"),
        "statements.flagged_published": _("Statements using withdrawn lines"),
    }

    def get_base_queryset(self) -> QuerySet[Institution]:
        return Institution.objects.filter(is_active=True).order_by("name_ar" if self.rtl else "name_en")

    def decorate_paginated_queryset(self, object_list: Any) -> list[ComplianceRow]:
        institutions = list(object_list)
        self.rows = [
            ComplianceRow(compliance, statements)
            for compliance, statements in zip(
                compliance_by_institution(institutions=institutions),
                statement_summaries(institutions=institutions),
                strict=True,
            )
        ]
        return self.rows

    @cached_property
    def charts(self) -> list[BarChart]:
        acknowledgements = [
            (str(row.institution), {s.key: getattr(row, s.key) for s in ACKNOWLEDGEMENT_SERIES}) for row in self.rows
        ]
        deliveries = [
            (str(row.institution), {"delivered_current": row.delivered_current, "not_delivered": row.not_delivered})
            for row in self.rows
        ]
        statements = [
            (
                str(row.institution),
                {
                    "carrying_current": row.statements.carrying_current,
                    "not_carrying": row.statements.published - row.statements.carrying_current,
                    "flagged_published": row.statements.flagged_published,
                },
            )
            for row in self.rows
        ]
        charts = [
            bar_chart(
                title=_("Acknowledgement of live messages"),
                series=ACKNOWLEDGEMENT_SERIES,
                rows=acknowledgements,
                rtl=self.rtl,
            ),
            bar_chart(
                title=_("Delivery of the current versions"), series=DELIVERY_SERIES, rows=deliveries, rtl=self.rtl
            ),
        ]
        if not any(row.statements.published for row in self.rows):  # no source registered or read yet
            return charts
        return [
            *charts,
            bar_chart(title=_("Published statements"), series=STATEMENT_SERIES, rows=statements, rtl=self.rtl),
            bar_chart(
                title=_("Published statements still using withdrawn lines"),
                series=FLAGGED_SERIES,
                rows=statements,
                rtl=self.rtl,
            ),
        ]


class MessageReachIndexView(ComplianceReportView):
    page_title = _("Reach of messages")
    header_icon = "mail"
    results_template_name = "institutions/reports/reach_index_results.html"
    index_url_name = "tawasul_reports:reach_index"
    index_results_url_name = "tawasul_reports:reach_index_results"
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None
    export_filename = "message-reach"
    list_export = ["title", "version", "is_live_now", "addressed_count", "delivered_count", "acknowledged_count"]
    export_headings = {
        "title": _("Message"),
        "version": _("Current version"),
        "is_live_now": _("Live"),
        "addressed_count": _("Institutions addressed"),
        "delivered_count": _("Received the current version"),
        "acknowledged_count": _("Acknowledged the current version"),
    }
    custom_field_preprocess = {"is_live_now": {"csv": _yes_no, "xlsx": _yes_no}}

    def get_base_queryset(self) -> QuerySet[Message]:
        return messages_with_reach().order_by("-last_published_at", "-pk")


class MessageReachView(ComplianceReportView):
    header_icon = "mail"
    results_template_name = "institutions/reports/reach_results.html"
    export_filename = "message-reach"
    list_export = [
        "__str__",
        "is_addressed",
        "delivered_version",
        "first_delivered_at",
        "acknowledged_version",
        "acknowledged_at",
        "acknowledged_by",
        "recorded_by",
        "acknowledgement_note",
        "withdrawal_acknowledged_at",
        "reach_status",
    ]
    export_headings = {
        "__str__": _("Institution"),
        "is_addressed": _("Addressed now"),
        "delivered_version": _("Latest version received"),
        "first_delivered_at": _("First received at"),
        "acknowledged_version": _("Latest version acknowledged"),
        "acknowledged_at": _("Acknowledged at"),
        "acknowledged_by": _("Acknowledged by"),
        "recorded_by": _("Recorded in the admin by"),
        "acknowledgement_note": _("Note"),
        "withdrawal_acknowledged_at": _("Withdrawal acknowledged at"),
        "reach_status": _("Status"),
    }
    custom_field_preprocess = {
        "is_addressed": {"csv": _yes_no, "xlsx": _yes_no},
        "reach_status": {"csv": lambda v: str(ReachStatus(v).label), "xlsx": lambda v: str(ReachStatus(v).label)},
    }

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.message = message_source(get_object_or_404(Message, pk=kwargs["message_id"]))

    def get_page_title(self) -> str:
        return str(_("Reach of a message"))

    def get_page_subtitle(self) -> str:
        return self.message.title

    def get_filename(self) -> str:
        return f"message-reach-{self.message.pk}-{timezone.localdate():%Y-%m-%d}"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        index = {"url": reverse("tawasul_reports:reach_index"), "label": _("Reach of messages")}
        return [*self.breadcrumbs_items, index, {"url": "", "label": self.get_page_title()}]

    def get_index_url(self) -> str:
        return reverse("tawasul_reports:reach", args=(self.message.pk,))

    def get_index_results_url(self) -> str:
        return reverse("tawasul_reports:reach_results", args=(self.message.pk,))

    def get_base_queryset(self) -> QuerySet[Institution]:
        return message_reach(message=self.message).order_by("name_ar" if self.rtl else "name_en")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["message"] = self.message
        context["can_record"] = self.request.user.has_perm(RECORD_ACKNOWLEDGEMENT)
        return context

    @cached_property
    def charts(self) -> list[BarChart]:
        counts = reach_status_counts(self.object_list)
        series = [Series(status.value, status.label, REACH_COLOURS[status]) for status in ReachStatus]
        rows = [(str(s.label), {s.key: counts[s.key]}) for s in series]
        return [bar_chart(title=_("Institutions by status"), series=series, rows=rows, rtl=self.rtl)]


class ActivityFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActivityStatus.choices, empty_label=_("All"))
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner institution"), queryset=Institution.objects.all(), empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), field_name="overdue")

    class Meta:
        model = CampaignActivity
        fields = ["status", "owner", "overdue"]


class ActivitiesBoardView(ComplianceReportView):
    page_title = _("Campaign activities")
    header_icon = "list-ul"
    results_template_name = "institutions/reports/activities_results.html"
    index_url_name = "tawasul_reports:activities"
    index_results_url_name = "tawasul_reports:activities_results"
    filterset_class = ActivityFilterSet
    export_filename = "campaign-activities"
    list_export = ["title_display", "campaign_display", "owner_display", "due_date", "get_status_display", "overdue"]
    export_headings = {
        "title_display": _("Activity"),
        "campaign_display": _("Campaign"),
        "owner_display": _("Owner institution"),
        "due_date": _("Due date"),
        "get_status_display": _("Status"),
        "overdue": _("Overdue"),
    }
    custom_field_preprocess = {"overdue": {"csv": _yes_no, "xlsx": _yes_no}}

    def get_base_queryset(self) -> QuerySet[CampaignActivity]:
        return activities_board(today=timezone.localdate(), language=translation.get_language() or "ar")

    @cached_property
    def charts(self) -> list[BarChart]:
        counts = activity_counts(self.object_list)
        series = [Series(status.value, status.label, STATUS_COLOURS[status]) for status in ActivityStatus]
        overdue = Series("overdue", _("Overdue"), RED)
        by_status = [(str(s.label), {s.key: counts[s.key]}) for s in series]
        by_status.append((str(overdue.label), {"overdue": counts["overdue"]}))
        return [
            bar_chart(title=_("Activities by status"), series=[*series, overdue], rows=by_status, rtl=self.rtl),
            bar_chart(
                title=_("Activities by owner and status"),
                series=series,
                rows=activity_counts_by_owner(self.object_list),
                rtl=self.rtl,
            ),
        ]
