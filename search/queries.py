"""What a search request may ask for: one rule set for the API, the public page and the evaluation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from search.analysis import SUPPORTED_LANGUAGES

MAX_QUERY_LENGTH = 500
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_WORD = re.compile(r"[^\W_]")


class InvalidQuery(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SearchQuery:
    text: str
    language: str


def query_parse(text: str | None, language: str | None = None) -> SearchQuery:
    """A valid query, or `InvalidQuery` saying what to fix. Without a language, the script of the text decides."""
    text = (text or "").strip()
    if not text:
        raise InvalidQuery("q", _("Enter words to search for."))
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQuery("q", _("Search for at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH})
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        raise InvalidQuery("q", _("The search contains control characters; remove them and try again."))
    if not _WORD.search(text):
        raise InvalidQuery("q", _("The search has no letters or digits to look for."))
    if language:
        language = language.strip().lower()
        if language not in SUPPORTED_LANGUAGES:
            raise InvalidQuery("locale", _("Unknown locale %(locale)r: use “ar” or “en”.") % {"locale": language})
    return SearchQuery(text=text, language=language or ("ar" if _ARABIC.search(text) else "en"))
