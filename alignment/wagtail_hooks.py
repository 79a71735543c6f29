from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from alignment.views import alignment_check_view, user_can_check


class AlignmentMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_can_check(request.user)


@hooks.register("register_admin_urls")
def register_alignment_admin_urls() -> list[Any]:
    return [path("alignment/", alignment_check_view, name="alignment_check")]


@hooks.register("register_admin_menu_item")
def register_alignment_menu_item() -> MenuItem:
    return AlignmentMenuItem(
        _("Alignment check"),
        reverse_lazy("alignment_check"),
        name="alignment-check",
        icon_name="tick-inverse",
        order=160,
    )
