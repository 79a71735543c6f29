from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from hub.columns import YesNoColumn
from hub.viewsets import AddItemLabelMixin
from institution_space.models import InstitutionContact, InstitutionMember


class InstitutionContactViewSet(AddItemLabelMixin, ModelViewSet):
    model = InstitutionContact
    icon = "mail"
    menu_label = _("Contacts")
    add_item_label = _("Add a contact")
    form_fields = ["institution", "role", "name", "email", "phone", "language", "notify"]
    list_display = ["name", "role", "institution", "email", "phone", YesNoColumn("notify", label=_("E-mail changes"))]
    list_filter = ["institution", "role", "notify"]
    search_fields = ["name", "email"]


class InstitutionMemberViewSet(AddItemLabelMixin, ModelViewSet):
    model = InstitutionMember
    icon = "user"
    menu_label = _("Institution users")
    add_item_label = _("Add an institution user")
    form_fields = ["user", "institution", "role"]
    list_display = ["user", "institution", "role"]
    list_filter = ["institution", "role"]


class InstitutionPeopleGroup(ViewSetGroup):
    items = (InstitutionContactViewSet, InstitutionMemberViewSet)
    menu_icon = "group"
    menu_label = _("Institutions' people")
    menu_name = "institution_people"
    menu_order = 165


@hooks.register("register_admin_viewset")
def register_people() -> ViewSetGroup:
    return InstitutionPeopleGroup()


@hooks.register("register_log_actions")
def register_space_log_actions(actions) -> None:  # type: ignore[no-untyped-def]
    actions.register_action("tawasul.activity.update", _("Update activity"), _("Activity updated by its institution"))
    actions.register_action("tawasul.webhook.revoke", _("Revoke webhook endpoint"), _("Webhook endpoint revoked"))
