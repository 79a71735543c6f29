"""Monitoring in the Wagtail admin: sources (managed by Approvers), and what reading them produced (read-only):
source errors, statements, and what each statement says."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from hub.columns import YesNoColumn
from hub.viewsets import AddItemLabelMixin
from institutions.models import Institution
from monitoring.models import Finding, Source, SourceError, Statement

VIEW_COMPLIANCE = "institutions.view_compliance"


class ComplianceReadOnlyPolicy(ModelPermissionPolicy):
    """Rows written by the monitor: whoever sees the compliance reports may look, nobody edits."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and bool(user.has_perm(VIEW_COMPLIANCE) or super().user_has_permission(user, "view"))


for _model in (SourceError, Statement, Finding):
    register_permission_policy(_model, ComplianceReadOnlyPolicy(_model), exact_class=True)


def _filtered_by(queryset: QuerySet[Any], request: Any, name: str) -> QuerySet[Any]:
    value = request.GET.get(name, "")
    return queryset.filter(**{f"{name}_id": int(value)}) if value.isdigit() else queryset


class SourceForm(WagtailAdminModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["institution", "kind", "url", "description", "is_active"]


class SourceIndexView(IndexView):
    def get_list_more_buttons(self, instance: Source) -> list:
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                _("Errors"), url=reverse("monitoring_error:index") + f"?source={instance.pk}", icon_name="warning"
            ),
            ListingButton(
                _("Statements"),
                url=reverse("monitoring_statement:index") + f"?source={instance.pk}",
                icon_name="doc-full",
            ),
        ]


class SourceViewSet(AddItemLabelMixin, ModelViewSet):
    model = Source
    url_prefix = "monitoring/sources"
    name = "monitoring_source"
    icon = "site"
    menu_label = _("Sources")
    add_item_label = _("Add a source")
    index_view_class = SourceIndexView
    list_display = [
        "url",
        "institution",
        "kind",
        YesNoColumn("is_active", label=_("Active")),
        "last_success_at",
        "error_count",
        "last_error",
    ]
    list_filter = ["kind", "is_active", "institution"]
    search_fields = ["url", "description"]

    def get_form_class(self, for_update: bool = False) -> type[SourceForm]:
        return SourceForm


class SourceErrorIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[SourceError]:
        return _filtered_by(super().get_base_queryset().select_related("source"), self.request, "source")


class SourceErrorViewSet(ModelViewSet):
    model = SourceError
    url_prefix = "monitoring/errors"
    name = "monitoring_error"
    icon = "warning"
    menu_label = _("Source errors")
    index_view_class = SourceErrorIndexView
    form_fields: list[str] = []
    list_display = ["url", "source", "kind", "detail", "occurred_at"]
    list_filter = ["kind"]


class StatementFilterSet(WagtailFilterSet):
    flagged = django_filters.BooleanFilter(
        label=_("Uses a withdrawn or superseded line"), field_name="flagged_at", lookup_expr="isnull", exclude=True
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), queryset=Institution.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = Statement
        fields = ["flagged", "institution", "language"]


class StatementIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[Statement]:
        return _filtered_by(super().get_base_queryset().select_related("institution"), self.request, "source")

    def get_list_more_buttons(self, instance: Statement) -> list:
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                _("Findings"),
                url=reverse("monitoring_finding:index") + f"?statement={instance.pk}",
                icon_name="list-ul",
            ),
        ]


class StatementViewSet(ModelViewSet):
    model = Statement
    url_prefix = "monitoring/statements"
    name = "monitoring_statement"
    icon = "doc-full"
    menu_label = _("Statements")
    index_view_class = StatementIndexView
    inspect_view_enabled = True
    form_fields: list[str] = []
    filterset_class = StatementFilterSet
    list_display = ["title", "institution", "language", "published_at", "flagged_at", "replaced_at", "url"]
    search_fields = ["title", "url"]


class FindingIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[Finding]:
        return _filtered_by(super().get_base_queryset().select_related("statement"), self.request, "statement")


class FindingViewSet(ModelViewSet):
    model = Finding
    url_prefix = "monitoring/findings"
    name = "monitoring_finding"
    icon = "list-ul"
    menu_label = _("Findings")
    index_view_class = FindingIndexView
    form_fields: list[str] = []
    list_display = ["statement", "kind", "line", "version", "reason", "sentence", "score"]
    list_filter = ["kind", "reason"]


class MonitoringViewSetGroup(ViewSetGroup):
    menu_label = _("Published statements")
    menu_icon = "doc-full"
    menu_order = 175
    items = (SourceViewSet, StatementViewSet, FindingViewSet, SourceErrorViewSet)
