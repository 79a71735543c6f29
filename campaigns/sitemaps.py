"""`/sitemap.xml`: every live public page and public message in both languages, each with `hreflang`
alternates naming its translations (and itself, as the protocol asks)."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from messaging.selectors import public_messages


class _AlternatesSitemap(Sitemap):
    def alternate_paths(self, item: Any) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _urls(self, page: Any, protocol: str, domain: str) -> list[dict[str, Any]]:
        # Django builds `alternates` only for its own i18n (one URL per language under the same path); pages and
        # messages have a path of their own in each language, so the alternates are filled in here.
        urls = super()._urls(page, protocol, domain)  # type: ignore[misc]
        for info in urls:
            info["alternates"] = [
                {"lang_code": code, "location": f"{protocol}://{domain}{path}"}
                for code, path in self.alternate_paths(info["item"])
            ]
        return urls


class PageSitemap(_AlternatesSitemap):
    changefreq = "daily"

    def items(self) -> Any:
        return Page.objects.live().public().filter(depth__gt=1).select_related("locale").order_by("path")

    def location(self, item: Any) -> str:
        return item.get_url_parts()[2]

    def lastmod(self, item: Any) -> Any:
        return item.last_published_at

    def alternate_paths(self, item: Any) -> list[tuple[str, str]]:
        pages = Page.objects.live().public().filter(translation_key=item.translation_key).select_related("locale")
        return sorted((page.locale.language_code, page.get_url_parts()[2]) for page in pages)


class MessageSitemap(_AlternatesSitemap):
    changefreq = "daily"

    def items(self) -> Any:
        return public_messages().select_related("locale").order_by("pk")

    def location(self, item: Any) -> str:
        with translation.override(item.locale.language_code):
            return reverse("public-message", args=[item.translation_key])

    def lastmod(self, item: Any) -> Any:
        return item.last_published_at

    def alternate_paths(self, item: Any) -> list[tuple[str, str]]:
        rows = public_messages().filter(translation_key=item.translation_key).select_related("locale")
        return sorted((row.locale.language_code, self.location(row)) for row in rows)


SITEMAPS = {"pages": PageSitemap, "messages": MessageSitemap}
