"""The head of every public page: description, canonical URL, OpenGraph and Twitter card tags in the page's
language, Atom feed links, and schema.org structured data (JSON-LD)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.models import CampaignPage
from messaging.models import Message

register = template.Library()
OG_LOCALES = {"ar": "ar_AR", "en": "en_GB"}
DESCRIPTION_LENGTH = 160


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


def _describe(text: str) -> str:
    return Truncator(" ".join(strip_tags(text or "").split())).chars(DESCRIPTION_LENGTH)


def _json_ld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - JSON with every markup character escaped


def _publisher() -> dict[str, str]:
    return {"@type": "GovernmentOrganization", "name": _("Government Communication Centre")}


@register.inclusion_tag("campaigns/includes/head_meta.html", takes_context=True)
def public_head(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:  # error pages rendered without a request
        return {}
    language = _language()
    canonical = request.build_absolute_uri(request.path)
    page = context.get("page")
    message = context.get("message")
    head: dict[str, Any] = {
        "canonical": canonical,
        "language": language,
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [code for lang, code in OG_LOCALES.items() if lang != language],
        "site_name": _("Tawasul"),
        "og_type": "website",
        "image": None,
        "image_alt": "",
        "feeds": [{"title": _("All public messages"), "url": reverse("feeds:site")}],
    }
    data: dict[str, Any] = {"@context": "https://schema.org", "inLanguage": language, "url": canonical}
    if isinstance(message, Message):
        head.update(title=message.title, description=_describe(message.key_message), og_type="article")
        head["feeds"].append(
            {
                "title": _("Messages on %(topic)s") % {"topic": message.topic.name},
                "url": reverse("feeds:topic", args=[message.topic.translation_key]),
            }
        )
        data.update(
            {
                "@type": "Article",
                "headline": message.title,
                "description": message.key_message,
                "datePublished": message.first_published_at,
                "dateModified": message.last_published_at,
                "about": message.topic.name,
                "publisher": _publisher(),
            }
        )
        if (shown := message.first_image()) is not None:
            head["image"] = request.build_absolute_uri(shown.value["image"].get_rendition("fill-1200x630").url)
            head["image_alt"] = shown.value["alt_text"]
            data["image"] = head["image"]
    elif page is not None:
        specific = getattr(page, "specific", page)
        summary = getattr(specific, "summary", "") or getattr(specific, "intro", "")
        head.update(title=page.seo_title or page.title, description=_describe(page.search_description or summary))
        data.update({"@type": "WebPage", "name": page.title, "description": head["description"]})
        if isinstance(specific, CampaignPage):
            head["og_type"] = "article"
            head["feeds"].append(
                {
                    "title": _("Messages of %(campaign)s") % {"campaign": page.title},
                    "url": reverse("feeds:campaign", args=[page.translation_key]),
                }
            )
            if specific.hero_image is not None:
                rendition = specific.hero_image.get_rendition("fill-1200x630")
                head["image"] = request.build_absolute_uri(rendition.url)
                head["image_alt"] = specific.hero_alt_text
                data["primaryImageOfPage"] = head["image"]
            data.update(
                {
                    "@type": "WebPage",
                    "datePublished": page.first_published_at,
                    "dateModified": page.last_published_at,
                    "publisher": _publisher(),
                }
            )
        elif page.depth <= 2:
            data.update({"@type": "WebSite", "name": _("Tawasul"), "publisher": _publisher()})
    else:
        head.update(title=context.get("head_title", _("Tawasul")), description=context.get("head_description", ""))
        data.update({"@type": "WebPage", "name": head["title"]})
    head["structured_data"] = _json_ld(data)
    return head
