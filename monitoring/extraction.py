"""From fetched bytes to statements: feed entries with feedparser, article text with trafilatura."""

from __future__ import annotations

import hashlib
import re
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import trafilatura
from django.utils.translation import gettext as _

from monitoring.enums import SourceErrorKind
from monitoring.fetching import FetchError

MAX_ENTRIES = 50
MIN_ARTICLE_CHARS = 280  # a feed entry shorter than this is a teaser: the article page is read instead
MAX_TEXT_CHARS = 50_000
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Extracted:
    url: str
    title: str
    text: str
    published_at: datetime | None

    @property
    def language(self) -> str:
        return text_language(self.text)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(_SPACES.sub(" ", self.text).strip().encode()).hexdigest()


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    html: str
    published_at: datetime | None


def text_language(text: str) -> str:
    arabic = len(_ARABIC_LETTER.findall(text))
    return "ar" if arabic >= len(_LATIN_LETTER.findall(text)) else "en"


def feed_entries(*, content: bytes, url: str) -> list[FeedEntry]:
    """The newest entries of a feed that have a link. A document that is not a feed, or a broken one (feedparser's
    `bozo`) with no usable entry, is `FetchError(MALFORMED)`; a flawed feed is otherwise read for what it holds."""
    parsed: Any = feedparser.parse(content, sanitize_html=True, resolve_relative_uris=True)
    entries: list[FeedEntry] = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = entry.get("link") or ""
        if not link:
            continue
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else entry.get("summary", "")
        entries.append(
            FeedEntry(
                url=urljoin(url, link),
                title=str(entry.get("title", ""))[:500],
                html=str(html or ""),
                published_at=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
            )
        )
    if not entries and (parsed.bozo or not parsed.version):
        reason = str(parsed.get("bozo_exception", "")) or _("no feed entries")
        raise FetchError(SourceErrorKind.MALFORMED, (_("Not a readable feed: %(r)s") % {"r": reason})[:500], url)
    return entries


def page_extract(*, content: bytes | str, url: str, title: str = "", published_at: datetime | None = None) -> Extracted:
    """The article text of a page (boilerplate, navigation and comments dropped). Its date is the one given
    (the feed's), else the page's own, else unknown (the caller uses the time it was found)."""
    if isinstance(content, str) and "<html" not in content[:1000].lower():
        content = f"<html><body><div>{content}</div></body></html>"  # a feed's fragment, or plain text
    document = trafilatura.bare_extraction(
        content, url=url, include_comments=False, include_tables=False, with_metadata=True, fast=True
    )
    text = str(getattr(document, "text", "") or "") if document is not None else ""
    if not text.strip():
        text = trafilatura.html2txt(content) or ""
    found_date = getattr(document, "date", None)
    if published_at is None and found_date:
        published_at = _iso_date(str(found_date))
    found_title = title or (str(getattr(document, "title", "") or "") if document is not None else "")
    return Extracted(url=url, title=found_title[:500], text=text.strip()[:MAX_TEXT_CHARS], published_at=published_at)


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _iso_date(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
