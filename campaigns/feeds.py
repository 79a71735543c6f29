"""Atom feeds (RFC 4287) of public messages and campaign pages: site-wide, per campaign and per topic, in the
language of the URL. Arabic feeds say so with `xml:lang="ar"` on the feed and every entry, and each entry's
HTML summary is wrapped in an element with `dir="rtl"`, so readers lay it out right-to-left."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from campaigns.models import CampaignPage
from campaigns.selectors import public_campaign, public_campaigns, public_message_list, public_topic
from campaigns.views import current_language
from messaging.models import Message

FEED_LIMIT = 50
ENTRY_NAMESPACE = uuid.UUID("0f6c1a8e-3f7e-4c1e-9d4b-6a52c8f1e2a7")


class LanguageAtomFeed(Atom1Feed):
    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        return {"xml:lang": self.feed["language"]} if self.feed["language"] else {}


class PublicFeed(Feed):
    """One instance serves every request (it is built in the URLconf), so nothing per request is kept on it: the
    request travels in the feed object. The feed's language is the active one, from the URL's prefix."""

    feed_type = LanguageAtomFeed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"language": current_language(), "kind": "site", "target": None, "request": request}

    def title(self, obj: dict[str, Any]) -> str:
        if obj["target"] is None:
            return _("Tawasul: public government messages")
        return _("Tawasul: %(name)s") % {"name": getattr(obj["target"], "title", None) or obj["target"].name}

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("Unified government messages, published by the Government Communication Centre.")

    def link(self, obj: dict[str, Any]) -> str:
        if isinstance(obj["target"], CampaignPage):
            return obj["target"].get_url(obj["request"]) or "/"
        return f"/{obj['language']}/"

    def feed_guid(self, obj: dict[str, Any]) -> str:
        return obj["request"].build_absolute_uri(obj["request"].path)

    def author_name(self, obj: dict[str, Any]) -> str:
        return _("Government Communication Centre")

    def items(self, obj: dict[str, Any]) -> list[Any]:
        target_key = obj["target"].translation_key if obj["target"] is not None else None
        messages: list[Any] = public_message_list(
            language_code=obj["language"],
            campaign_key=target_key if obj["kind"] == "campaign" else None,
            topic_key=target_key if obj["kind"] == "topic" else None,
            limit=FEED_LIMIT,
        )
        if obj["kind"] == "site":
            messages += list(public_campaigns(language_code=obj["language"])[:FEED_LIMIT])
        elif obj["kind"] == "campaign":
            messages.append(obj["target"])
        messages.sort(key=lambda item: item.last_published_at or item.first_published_at, reverse=True)
        return messages[:FEED_LIMIT]

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        text = item.key_message if isinstance(item, Message) else item.summary
        direction = "rtl" if get_language_bidi() else "ltr"
        return format_html('<div dir="{}" lang="{}"><p>{}</p></div>', direction, item.locale.language_code, text)

    def item_link(self, item: Any) -> str:
        if isinstance(item, Message):
            return reverse("public-message", args=[item.translation_key])
        return item.get_url() or "/"

    def item_guid(self, item: Any) -> str:
        kind = "message" if isinstance(item, Message) else "page"
        return uuid.uuid5(ENTRY_NAMESPACE, f"{kind}:{item.translation_key}:{item.locale.language_code}").urn

    def item_guid_is_permalink(self, item: Any) -> bool:
        return False

    def item_pubdate(self, item: Any) -> Any:
        return item.first_published_at

    def item_updateddate(self, item: Any) -> Any:
        return item.last_published_at

    def item_categories(self, item: Any) -> list[str]:
        return [item.topic.name] if isinstance(item, Message) else []


class _TargetFeed(PublicFeed):
    kind = ""

    def target(self, *, key: uuid.UUID, language_code: str) -> Any:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        target = self.target(key=kwargs["key"], language_code=current_language())
        if target is None:
            raise Http404
        return {"language": current_language(), "kind": self.kind, "target": target, "request": request}


class CampaignFeed(_TargetFeed):
    kind = "campaign"

    def target(self, *, key: uuid.UUID, language_code: str) -> Any:
        return public_campaign(key=key, language_code=language_code)


class TopicFeed(_TargetFeed):
    kind = "topic"

    def target(self, *, key: uuid.UUID, language_code: str) -> Any:
        return public_topic(key=key, language_code=language_code)
