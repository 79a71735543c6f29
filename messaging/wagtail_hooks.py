from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem as PageSubmitForModerationMenuItem
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.action_menu import SubmitForModerationMenuItem as SnippetSubmitForModerationMenuItem
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation

from hub.columns import YesNoColumn
from hub.exports import SafeExportMixin
from hub.viewsets import AddItemLabelMixin
from messaging import views
from messaging.actions import DeleteMessageAction, PublishMessageAction, UnpublishMessageAction
from messaging.dashboard import MyMessagesPanel, RecentlyWithdrawnPanel
from messaging.models import Message, Topic
from messaging.models.workflow_names import log_data_in_reader_language, shown_name
from messaging.services.messages import message_submit


class MessageIndexView(SafeExportMixin, IndexView):
    """Wagtail's listing, with its CSV/XLSX download made safe to open (`hub.exports`)."""


class MessageViewSet(AddItemLabelMixin, SnippetViewSet):
    model = Message
    index_view_class = MessageIndexView
    icon = "openquote"
    menu_label = _("Messages")
    add_item_label = _("Add a message")
    add_view_class = views.MessageCreateView
    edit_view_class = views.MessageEditView
    unpublish_view_class = views.MessageUnpublishView
    delete_view_class = views.MessageDeleteView
    list_display = [
        "title",
        "topic",
        "owner",
        "version",
        "locale",
        YesNoColumn("live", label=_("Live")),
        YesNoColumn("emergency_unreviewed", label=_("Not reviewed")),
        "updated_at",
    ]
    list_filter = ["topic", "owner", "live", "locale", "is_public", "emergency_unreviewed"]
    # The editors' search runs in the database (`icontains` on these columns), not in the search index: the index
    # holds live rows only, so drafts could not be found there, and SQLite's full-text table has no column per
    # field (searching `key_message` there was an SQL error). It works the same on every database and engine.
    search_fields = ["title", "key_message"]
    search_backend_name = None
    list_export = ["title", "key_message", "topic", "owner", "version", "locale", "live", "updated_at"]
    ordering = ["-updated_at"]

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("emergency-publish/<int:pk>/", views.emergency_publish, name="emergency_publish"),
            path("emergency-review/<int:pk>/", views.emergency_review, name="emergency_review"),
        ]


class TopicViewSet(AddItemLabelMixin, SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    add_item_label = _("Add a topic")
    list_display = ["name", "slug", "locale"]


class MessagingViewSetGroup(SnippetViewSetGroup):
    items = (MessageViewSet, TopicViewSet)
    menu_icon = "openquote"
    menu_label = _("Messaging")
    menu_name = "messaging"
    menu_order = 150


register_snippet(MessagingViewSetGroup)


@hooks.register("register_actions")
def register_message_actions(registry: Any) -> None:
    registry.register(Message, PublishMessageAction)
    registry.register(Message, UnpublishMessageAction)
    registry.register(Message, DeleteMessageAction)


@hooks.register("register_log_actions")
def register_lifecycle_log_actions(actions: Any) -> None:
    actions.register_action("tawasul.release_held", _("Approved, release waiting"), _("Approved, release waiting"))
    actions.register_action("tawasul.emergency_publish", _("Emergency publish"), _("Published in an emergency"))
    actions.register_action(
        "tawasul.emergency_review", _("Emergency release reviewed"), _("Emergency release reviewed")
    )
    actions.register_action(
        "tawasul.release_before_translation",
        _("Released before translation"),
        _("Released the Arabic now, the translation to follow"),
    )
    actions.register_action(
        "tawasul.hold_for_translation",
        _("Update held for its translation"),
        _("Held the update until its translation is approved"),
    )


WORKFLOW_LOG_ACTIONS = ("start", "approve", "reject", "resume", "cancel")


@hooks.register("register_log_actions", order=1)
def workflow_log_in_reader_language(actions: Any) -> None:
    """The history's workflow entries ("'Message approval' started. Next step 'Editorial review'") name the workflow
    and its steps in the reader's language: Wagtail's own formatters, given the names for the entry's ids."""
    for name in WORKFLOW_LOG_ACTIONS:
        action = f"wagtail.workflow.{name}"
        formatter = actions.formatters.get(action)
        if formatter is None:
            continue

        class InReaderLanguage(type(formatter)):  # type: ignore[misc]
            def format_message(self, log_entry: Any) -> Any:
                entry = SimpleNamespace(data=log_data_in_reader_language(log_entry.data))
                return super().format_message(entry)

        actions.formatters[action] = InReaderLanguage()


class EmergencyPublishMenuItem(ActionMenuItem):
    name = "action-emergency-publish"
    label = _("Emergency publish…")
    icon_name = "warning"
    order = 60

    def is_shown(self, context: dict[str, Any]) -> bool:
        instance = context.get("instance")
        return (
            context.get("view") == "edit"
            and isinstance(instance, Message)
            and instance.is_source
            and views.user_may_publish(context["request"].user)
            and not context.get("locked_for_user")
        )

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse("wagtailsnippets_messaging_message:emergency_publish", args=(parent_context["instance"].pk,))


@hooks.register("register_snippet_action_menu_item")
def register_emergency_publish(model: Any) -> Any:
    return EmergencyPublishMenuItem() if model is Message else None


@hooks.register("construct_snippet_action_menu")
def without_direct_publish(menu_items: list[Any], request: HttpRequest, context: dict[str, Any]) -> None:
    """Messages have no direct "Publish": the approval workflow, or emergency publishing with a reason."""
    if context.get("model") is Message:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
    _submit_label_in_reader_language(menu_items, SnippetSubmitMenuItem)


@hooks.register("construct_page_action_menu")
def page_submit_label(menu_items: list[Any], request: HttpRequest, context: dict[str, Any]) -> None:
    _submit_label_in_reader_language(menu_items, PageSubmitMenuItem)


def _submit_label_in_reader_language(menu_items: list[Any], replacement: Any) -> None:
    """Wagtail's own "Submit to …" item, replaced by the same item naming the workflow in the reader's language."""
    original = replacement.__base__
    menu_items[:] = [replacement(order=item.order) if type(item) is original else item for item in menu_items]


def _submit_label(workflow_state: Any, workflow: Any) -> str | None:
    """Wagtail's "Submit to …" / "Resubmit to …" with the workflow's or task's name in the reader's language."""
    if workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
        return _("Resubmit to %(task_name)s") % {"task_name": shown_name(workflow_state.current_task_state.task.name)}
    if workflow:
        return _("Submit to %(workflow_name)s") % {"workflow_name": shown_name(workflow.name)}
    return None


class SnippetSubmitMenuItem(SnippetSubmitForModerationMenuItem):
    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        instance = parent_context.get("instance")
        workflow = instance.get_workflow() if instance else context["model"].get_default_workflow()
        label = _submit_label(instance.current_workflow_state if instance else None, workflow)
        if label:
            context["label"] = label
        return context


class PageSubmitMenuItem(PageSubmitForModerationMenuItem):
    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_page = page if page and page.pk else context.get("parent_page")
        label = _submit_label(page.current_workflow_state if page else None, workflow_page.get_workflow())
        if label:
            context["label"] = label
        return context


@hooks.register("before_edit_snippet", order=-1)
def translation_submitted_for_review(request: HttpRequest, instance: Any) -> HttpResponse | None:
    """wagtail-localize's translation editor has one button, "Publish in …". For a message it saves the translation
    as a draft and submits it to the approval workflow instead: a translation goes live only when two people other
    than its translator have approved it (`messaging.lifecycle`)."""
    if not isinstance(instance, Message):
        return None
    translation = Translation.objects.filter(
        source__object_id=instance.translation_key, target_locale_id=instance.locale_id, enabled=True
    ).first()
    if translation is None:
        return None
    if request.method != "POST" or request.POST.get("action") != "publish":
        return _editor_with_submit_button(request, translation, instance)
    try:
        translation.save_target(user=request.user, publish=False)
    except ValidationError:
        messages.error(request, _("The translation has errors; fix them before submitting it for review."))
        return redirect(request.get_full_path())
    message = Message.objects.get(pk=instance.pk)
    state = message.current_workflow_state
    try:
        if state is not None:  # a new translation is a new review, from the first step
            state.cancel(user=request.user)
            message = Message.objects.get(pk=instance.pk)
        message_submit(message=message, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(request.get_full_path())
    messages.success(
        request,
        _("The %(language)s translation of '%(title)s' was submitted for review.")
        % {"language": instance.locale.get_display_name(), "title": message},
    )
    return redirect(request.get_full_path())


def _editor_with_submit_button(request: HttpRequest, translation: Any, instance: Message) -> HttpResponse:
    """wagtail-localize shows its one button only to users who may publish; since it submits for review here,
    everyone who may edit the translation (the translator first) gets it. Its label comes from our JavaScript
    catalogue ("Submit for review: …", locale/*/LC_MESSAGES/djangojs.po)."""
    response = edit_translation.edit_translation(request, translation, instance)
    if request.method == "GET" and response.status_code == 200:
        response.content = response.content.replace(b"canPublish&quot;: false", b"canPublish&quot;: true", 1)
    return response


class MessageDeleteBulkAction(DeleteBulkAction):
    """Bulk delete of messages: each live one is withdrawn first (`DeleteMessageAction`), never a bare queryset
    delete that would leave institutions without a tombstone."""

    models = [Message]

    @classmethod
    def execute_action(cls, objects: Any, user: Any = None, **kwargs: Any) -> tuple[int, int]:
        for message in objects:
            DeleteMessageAction(message, user=user, reason=str(_("deleted in bulk"))).execute(
                skip_permission_checks=True
            )
        return len(objects), 0


hooks.register("register_bulk_action", MessageDeleteBulkAction, order=1)


@hooks.register("construct_homepage_panels")
def add_message_panels(request: HttpRequest, panels: list[Any]) -> None:
    panels.append(MyMessagesPanel(request.user))
    panels.append(RecentlyWithdrawnPanel())
