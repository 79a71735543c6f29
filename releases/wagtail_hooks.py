from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from hub.viewsets import AddItemLabelMixin
from messaging.views import WithoutDirectPublish
from releases import views
from releases.actions import PublishReleaseAction, WithdrawReleaseAction
from releases.models import Release


class ReleaseCreateView(WithoutDirectPublish, CreateView):
    pass


class ReleaseEditView(WithoutDirectPublish, EditView):
    pass


class ReleaseViewSet(AddItemLabelMixin, SnippetViewSet):
    model = Release
    icon = "calendar-check"
    menu_label = _("Releases")
    add_item_label = _("Add a release")
    menu_order = 155
    add_to_admin_menu = True
    add_view_class = ReleaseCreateView
    edit_view_class = ReleaseEditView
    unpublish_view_class = views.ReleaseUnpublishView
    list_display = ["title", "go_live_at", "embargo_until", Column("status_label", label=_("Status")), "updated_at"]
    list_filter = ["live"]
    search_fields = ["title"]
    search_backend_name = None
    ordering = ["-updated_at"]

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("preview-all/<int:pk>/", views.release_preview, name="preview_all"),
            path("go-live-now/<int:pk>/", views.go_live_now, name="go_live_now"),
        ]


register_snippet(ReleaseViewSet)


@hooks.register("register_actions")
def register_release_actions(registry: Any) -> None:
    registry.register(Release, PublishReleaseAction)
    registry.register(Release, WithdrawReleaseAction)


@hooks.register("register_log_actions")
def register_release_log_actions(actions: Any) -> None:
    actions.register_action("tawasul.release_live", _("Release live"), _("The release went live"))
    actions.register_action("tawasul.release_failed", _("Release failed"), _("The release could not go live"))
    actions.register_action("tawasul.release_withdrawn", _("Release withdrawn"), _("The release was withdrawn"))


class PreviewAllMenuItem(ActionMenuItem):
    name = "action-preview-release"
    label = _("Preview the whole release")
    icon_name = "view"
    order = 70

    def is_shown(self, context: dict[str, Any]) -> bool:
        return context.get("view") == "edit" and isinstance(context.get("instance"), Release)

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse("wagtailsnippets_releases_release:preview_all", args=(parent_context["instance"].pk,))


@hooks.register("register_snippet_action_menu_item")
def register_preview_all(model: Any) -> Any:
    return PreviewAllMenuItem() if model is Release else None


@hooks.register("construct_snippet_action_menu")
def release_without_direct_publish(menu_items: list[Any], request: HttpRequest, context: dict[str, Any]) -> None:
    """A release goes live through its approval workflow (two people), never by a direct "Publish"."""
    if context.get("model") is Release:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


class CalendarMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin"))


@hooks.register("register_admin_urls")
def register_calendar_urls() -> list[Any]:
    return [path("calendar/", views.calendar_view, name="releases_calendar")]


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item() -> MenuItem:
    return CalendarMenuItem(
        _("Calendar"), reverse_lazy("releases_calendar"), name="calendar", icon_name="date", order=156
    )
