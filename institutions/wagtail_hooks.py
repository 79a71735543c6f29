from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from institutions.models import Institution
from institutions.panels import ApiKeysPanel
from institutions.views.keys import issue_key, revoke_key


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "group"
    menu_label = _("Institutions")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["name_ar", "name_en", "slug", "kind", "is_active"]
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
