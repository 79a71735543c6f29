"""The message house as the API presents it: plain data from the stored StreamField JSON, without instantiating
StreamField blocks (this runs on the API's hot path and on every save). Pure: no models, no queries."""

from __future__ import annotations

from typing import Any

import orjson


def _block(raw: dict[str, Any]) -> dict[str, Any]:
    """Typed blocks from stored JSON, without instantiating StreamField blocks (this is the hot path)."""
    if raw["type"] != "pillar":
        return {"type": raw["type"], "id": raw.get("id", ""), "value": raw["value"]}
    points = raw["value"].get("talking_points", [])
    return {
        "type": "pillar",
        "id": raw.get("id", ""),
        "value": {
            "title": raw["value"].get("title", ""),
            "talking_points": [point["value"] if isinstance(point, dict) else point for point in points],
        },
    }


def api_body_json(raw: Any) -> str:
    """The message house as the API presents it, as JSON text (what `Message.api_body` stores)."""
    return orjson.dumps(blocks(raw)).decode()


def blocks(raw: Any) -> list[Any]:
    while isinstance(raw, str):  # JSON text, or a StreamField stored as a JSON string inside JSON
        raw = orjson.loads(raw)
    return [_block(block) for block in raw]
