from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from messaging.models import Message, Topic


class MessageViewSet(SnippetViewSet):
    model = Message
    icon = "openquote"
    menu_label = _("Messages")
    list_display = ["title", "topic", "owner", "version", "locale", "live", "updated_at"]
    list_filter = ["topic", "owner", "live", "locale", "is_public"]
    search_fields = ["title", "key_message"]
    list_export = ["title", "key_message", "topic", "owner", "version", "locale", "live", "updated_at"]
    ordering = ["-updated_at"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug", "locale"]


class MessagingViewSetGroup(SnippetViewSetGroup):
    items = (MessageViewSet, TopicViewSet)
    menu_icon = "openquote"
    menu_label = _("Messaging")
    menu_name = "messaging"
    menu_order = 150


register_snippet(MessagingViewSetGroup)
