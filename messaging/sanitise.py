"""Input sanitisation: message text is stored as plain text, rich text keeps only what the editor can produce.

Both are enforced where data is stored (block `get_prep_value`) as well as in form validation, so text that
arrives through the admin, a service, a translation import or a script is cleaned the same way.
"""

from __future__ import annotations

import html
from typing import Any

import nh3
from wagtail import blocks

# Enough rounds to unwrap text that was entity-escaped several times; each round only ever removes markup.
_MAX_ROUNDS = 5

# What the Draftail features of the public site's rich text produce (bold, italic, link, lists, h2/h3),
# plus Wagtail's internal link and embed references, which `expand_db_html` rewrites on output.
RICH_TEXT_TAGS = {"p", "br", "b", "i", "strong", "em", "a", "ol", "ul", "li", "h2", "h3", "embed"}
RICH_TEXT_ATTRIBUTES = {"a": {"href", "linktype", "id"}, "embed": {"embedtype", "url", "alt", "format", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def plain_text(value: str) -> str:
    """The text of `value` with every tag removed and `<script>`/`<style>` dropped with their content.

    Entities are decoded, so the result is text (the templates and JSON encode it on output), and the cleaning is
    repeated until stable, so `&lt;script&gt;` cannot turn into a tag once decoded.
    """
    for _ in range(_MAX_ROUNDS):
        cleaned = html.unescape(nh3.clean(value, tags=set(), attributes={}, strip_comments=True))
        if cleaned == value:
            break
        value = cleaned
    return value


def rich_text(value: str) -> str:
    """Rich text restricted to the editor's elements; no scripts, event attributes or `javascript:` URLs."""
    return nh3.clean(
        value,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def safe_url(value: str) -> str:
    """`value` if it is an http(s) URL, else the empty string."""
    scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
    return value if scheme in {"http", "https"} else ""


def _plain(value: Any) -> Any:
    return plain_text(value) if isinstance(value, str) else value


class PlainCharBlock(blocks.CharBlock):
    """A CharBlock whose value is stored as plain text. Migrations see a plain CharBlock."""

    def clean(self, value: Any) -> Any:
        return super().clean(_plain(value))

    def get_prep_value(self, value: Any) -> Any:
        return _plain(super().get_prep_value(value))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("wagtail.blocks.CharBlock", self._constructor_args[0], self._constructor_args[1])


class PlainTextBlock(blocks.TextBlock):
    """A TextBlock whose value is stored as plain text. Migrations see a plain TextBlock."""

    def clean(self, value: Any) -> Any:
        return super().clean(_plain(value))

    def get_prep_value(self, value: Any) -> Any:
        return _plain(super().get_prep_value(value))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("wagtail.blocks.TextBlock", self._constructor_args[0], self._constructor_args[1])


class SafeURLBlock(blocks.URLBlock):
    """A URLBlock that stores only http(s) URLs, whatever path the value took. Migrations see a URLBlock."""

    def get_prep_value(self, value: Any) -> Any:
        prepared = super().get_prep_value(value)
        return safe_url(prepared) if isinstance(prepared, str) else prepared

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("wagtail.blocks.URLBlock", self._constructor_args[0], self._constructor_args[1])


class SanitisedRichTextBlock(blocks.RichTextBlock):
    """A RichTextBlock cleaned on save and on load, so HTML stored by any path renders without scripts."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(rich_text(value) if isinstance(value, str) else value)

    def get_prep_value(self, value: Any) -> Any:
        prepared = super().get_prep_value(value)
        return rich_text(prepared) if isinstance(prepared, str) else prepared

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("wagtail.blocks.RichTextBlock", self._constructor_args[0], self._constructor_args[1])
