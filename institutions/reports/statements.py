"""The pull-through report: per institution and message, what the institution's published statements carry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from institutions.models import Institution
from institutions.reports.charts import BarChart, Series, bar_chart
from institutions.reports.views import GREEN, GREY, RED, ComplianceReportView, InstitutionFilterSet, _yes_no
from monitoring.figures import MessagePullThrough, statement_summaries

PULL_THROUGH_SERIES = [
    Series("carrying_current", _("On the topic, carrying the current line"), GREEN),
    Series("not_carrying", _("On the topic, not carrying it"), GREY),
]
WITHDRAWN_SERIES = [Series("withdrawn", _("Still using a withdrawn or superseded line"), RED)]


class PullThroughView(ComplianceReportView):
    page_title = _("Pull-through of messages")
    header_icon = "doc-full"
    results_template_name = "institutions/reports/pull_through_results.html"
    index_url_name = "tawasul_reports:pull_through"
    index_results_url_name = "tawasul_reports:pull_through_results"
    filterset_class = InstitutionFilterSet
    export_filename = "pull-through"
    list_export = [
        "institution",
        "title",
        "version",
        "is_visible",
        "on_topic",
        "carrying_current",
        "pull_through_percent",
        "first_use_hours",
        "withdrawn_lines_published",
    ]
    export_headings = {
        "institution": _("Institution"),
        "title": _("Message"),
        "version": _("Current version"),
        "is_visible": _("Live for the institution"),
        "on_topic": _("Statements on the topic"),
        "carrying_current": _("Carrying the current line"),
        "pull_through_percent": _("Pull-through (%)"),
        "first_use_hours": _("Hours from release to first use"),
        "withdrawn_lines_published": _("Statements using withdrawn lines"),
    }
    custom_field_preprocess = {"is_visible": {"csv": _yes_no, "xlsx": _yes_no}}

    def get_base_queryset(self) -> QuerySet[Institution]:
        with_sources = Institution.objects.filter(is_active=True, sources__isnull=False).distinct()
        return with_sources.order_by("name_ar" if self.rtl else "name_en")

    def decorate_paginated_queryset(self, object_list: Any) -> list[MessagePullThrough]:
        self.rows = [
            row
            for summary in statement_summaries(institutions=list(object_list))
            for row in summary.messages
            if row.on_topic or row.withdrawn_lines_published or row.first_use_at
        ]
        return self.rows

    @cached_property
    def charts(self) -> list[BarChart]:
        rows = [
            (
                f"{row.institution} · {row.title}",
                {
                    "carrying_current": row.carrying_current,
                    "not_carrying": row.on_topic - row.carrying_current,
                    "withdrawn": row.withdrawn_lines_published,
                },
            )
            for row in self.rows
        ]
        return [
            bar_chart(title=_("Pull-through by message"), series=PULL_THROUGH_SERIES, rows=rows, rtl=self.rtl),
            bar_chart(
                title=_("Withdrawn lines still published"),
                series=WITHDRAWN_SERIES,
                rows=[row for row in rows if row[1]["withdrawn"]],
                rtl=self.rtl,
            ),
        ]
