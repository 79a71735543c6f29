from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.columns import YesNoColumn
from hub.viewsets import AddItemLabelMixin
from institutions.models import Institution
from institutions.panels import ApiKeysPanel
from institutions.views.keys import issue_key, revoke_key


class InstitutionViewSet(AddItemLabelMixin, SnippetViewSet):
    model = Institution
    icon = "group"
    menu_label = _("Institutions")
    add_item_label = _("Add an institution")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["name_ar", "name_en", "slug", "kind", YesNoColumn("is_active", label=_("Active"))]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_ar", "name_en", "slug"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel([FieldPanel("name_ar"), FieldPanel("name_en")], heading=_("Name")),
                    FieldPanel("slug"),
                    FieldPanel("kind"),
                    FieldPanel("contact_email"),
                    FieldPanel("is_active"),
                ],
                heading=_("Institution"),
            ),
            ObjectList([ApiKeysPanel()], heading=_("API keys")),
        ]
    )


register_snippet(InstitutionViewSet)


@hooks.register("register_admin_urls")
def register_api_key_urls() -> list:
    return [
        path("institutions/<int:institution_id>/api-keys/new/", issue_key, name="institution_api_key_issue"),
        path("institutions/api-keys/<str:key_id>/revoke/", revoke_key, name="institution_api_key_revoke"),
    ]


@hooks.register("register_log_actions")
def register_api_key_log_actions(actions) -> None:  # type: ignore[no-untyped-def]
    actions.register_action("tawasul.api_key.issue", _("Issue API key"), _("API key issued"))
    actions.register_action("tawasul.api_key.revoke", _("Revoke API key"), _("API key revoked"))


# Compliance reports ------------------------------------------------------------------------------------------
from django.http import HttpRequest  # noqa: E402
from django.urls import include, reverse  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402

from institutions.reports.dashboard import CompliancePanel  # noqa: E402
from institutions.reports.views import can_view_compliance  # noqa: E402


class ComplianceMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_view_compliance(request.user)


@hooks.register("register_admin_urls")
def register_compliance_report_urls() -> list:
    return [path("reports/", include("institutions.reports.urls", namespace="tawasul_reports"))]


@hooks.register("register_reports_menu_item")
def register_compliance_report_menu_item() -> MenuItem:
    return ComplianceMenuItem(
        _("Compliance by institution"),
        reverse("tawasul_reports:compliance"),
        name="compliance-by-institution",
        icon_name="tasks",
        order=100,
    )


@hooks.register("register_reports_menu_item")
def register_message_reach_menu_item() -> MenuItem:
    return ComplianceMenuItem(
        _("Reach of messages"),
        reverse("tawasul_reports:reach_index"),
        name="message-reach",
        icon_name="mail",
        order=110,
    )


@hooks.register("register_reports_menu_item")
def register_pull_through_menu_item() -> MenuItem:
    return ComplianceMenuItem(
        _("Pull-through of messages"),
        reverse("tawasul_reports:pull_through"),
        name="pull-through",
        icon_name="doc-full",
        order=115,
    )


@hooks.register("register_reports_menu_item")
def register_activities_board_menu_item() -> MenuItem:
    return ComplianceMenuItem(
        _("Campaign activities"),
        reverse("tawasul_reports:activities"),
        name="campaign-activities",
        icon_name="list-ul",
        order=120,
    )


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request: HttpRequest, panels: list) -> None:
    if can_view_compliance(request.user):
        panels.append(CompliancePanel(request))


@hooks.register("register_log_actions")
def register_acknowledgement_log_actions(actions) -> None:  # type: ignore[no-untyped-def]
    actions.register_action(
        "tawasul.acknowledgement.record", _("Record acknowledgement"), _("Acknowledgement recorded on behalf")
    )
