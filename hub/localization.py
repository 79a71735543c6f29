"""Creating and syncing translations through wagtail-localize, for pages and snippets alike.

The same path an editor takes in the translation editor: a TranslationSource extracted from the Arabic
source, one StringTranslation per segment, then `save_target`, which publishes through the model's own
publish action (so versions, revisions and events stay true).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


class MissingStringError(ValueError):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"No translation given for {len(missing)} segment(s), e.g. {missing[0][:80]!r}")


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def _lookup(strings: Mapping[str, str], data: str) -> str | None:
    return strings.get(data) or strings.get(_unescape(data))


@transaction.atomic
def translation_sync(
    instance: Any, *, language_code: str, strings: Mapping[str, str], user: Any = None, publish: bool = True
) -> Any:
    """Create or update the `language_code` translation of `instance` from `strings` (source text → translation).

    Strings without Arabic letters (slugs, URLs, numbers) are kept as they are. Raises `MissingStringError`
    before the translation is touched if an Arabic segment has no translation.
    """
    locale = Locale.objects.get(language_code=language_code)
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    missing = [
        s.string.data for s in segments if ARABIC_LETTER.search(s.string.data) and not _lookup(strings, s.string.data)
    ]
    if missing:
        raise MissingStringError(missing)
    for segment in segments:
        text = _lookup(strings, segment.string.data) or segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale, defaults={"enabled": True})
    translation.save_target(user=user, publish=publish)
    return instance.get_translation(locale)
