from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from institutions.models import Institution


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "group"
    menu_label = _("Institutions")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["name_ar", "name_en", "slug", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_ar", "name_en", "slug"]


register_snippet(InstitutionViewSet)
