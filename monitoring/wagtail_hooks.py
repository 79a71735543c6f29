from django.http import HttpRequest
from wagtail import hooks

from monitoring.dashboard import FlaggedStatementsPanel
from monitoring.viewsets import VIEW_COMPLIANCE, MonitoringViewSetGroup


@hooks.register("register_admin_viewset")
def register_monitoring_viewsets() -> MonitoringViewSetGroup:
    return MonitoringViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_flagged_statements_panel(request: HttpRequest, panels: list) -> None:
    if request.user.has_perm(VIEW_COMPLIANCE):
        panels.append(FlaggedStatementsPanel())
