"""Form data for the admin's message editor, as the browser posts it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource


def talking_points(*points: str) -> dict[str, Any]:
    data: dict[str, Any] = {"count": len(points)}
    for index, point in enumerate(points):
        data[str(index)] = {"value": point, "deleted": "", "order": index, "id": f"tp{index}"}
    return data


def message_form(*, topic: int, owner: int, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "رسالة من المحرر",
        "key_message": "رسائل حكومية متسقة عبر توجه موحد",
        "change_note": "",
        "topic": topic,
        "owner": owner,
        "audience_all": "on",
        "pillar": "الركيزة الأولى",
        **fields,
    }
    body = streamfield([("pillar", {"title": values.pop("pillar"), "talking_points": talking_points("نقطة حوار")})])
    values.setdefault("media", streamfield([]))  # the editor always posts the (perhaps empty) media stream
    data = nested_form_data({**values, "body": body})
    return {key: value for key, value in data.items() if value is not None and value is not False}


def strings_typed(message: Any, translator: Any, text: Callable[[str], str]) -> None:
    """The translator's typing in wagtail-localize's editor: a translation of every segment of the message's
    translation source (what the editor's string fields save), `text(arabic)` for each, by the translator."""
    extract = TranslationSource.objects.get(object_id=message.translation_key)
    english = Locale.objects.get(language_code="en")
    for segment in StringSegment.objects.filter(source=extract).select_related("string", "context"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=english,
            context=segment.context,
            defaults={"data": text(segment.string.data), "last_translated_by": translator},
        )
