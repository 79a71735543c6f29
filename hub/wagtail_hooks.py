from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("hub/admin/admin.css"))


@hooks.register("insert_global_admin_js")
def admin_direction_js() -> str:
    return format_html('<script src="{}" defer></script>', static("hub/admin/direction.js"))


@hooks.register("insert_editor_js")
def translation_editor_js() -> str:
    return format_html('<script src="{}" defer></script>', static("hub/admin/translation_editor.js"))
