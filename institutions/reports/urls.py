from django.urls import path

from institutions.reports.acknowledge import record_acknowledgement
from institutions.reports.statements import PullThroughView
from institutions.reports.views import (
    ActivitiesBoardView,
    ComplianceByInstitutionView,
    MessageReachIndexView,
    MessageReachView,
)

app_name = "tawasul_reports"
urlpatterns = [
    path("compliance/", ComplianceByInstitutionView.as_view(), name="compliance"),
    path("compliance/results/", ComplianceByInstitutionView.as_view(results_only=True), name="compliance_results"),
    path("message-reach/", MessageReachIndexView.as_view(), name="reach_index"),
    path("message-reach/results/", MessageReachIndexView.as_view(results_only=True), name="reach_index_results"),
    path("message-reach/<int:message_id>/", MessageReachView.as_view(), name="reach"),
    path(
        "message-reach/<int:message_id>/results/",
        MessageReachView.as_view(results_only=True),
        name="reach_results",
    ),
    path(
        "message-reach/<int:message_id>/acknowledge/<int:institution_id>/",
        record_acknowledgement,
        name="reach_acknowledge",
    ),
    path("pull-through/", PullThroughView.as_view(), name="pull_through"),
    path("pull-through/results/", PullThroughView.as_view(results_only=True), name="pull_through_results"),
    path("campaign-activities/", ActivitiesBoardView.as_view(), name="activities"),
    path("campaign-activities/results/", ActivitiesBoardView.as_view(results_only=True), name="activities_results"),
]
