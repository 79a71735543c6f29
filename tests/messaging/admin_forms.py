"""Form data for the admin's message editor, as the browser posts it."""

from __future__ import annotations

from typing import Any

from wagtail.test.utils.form_data import nested_form_data, streamfield


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
