"""JSON rendering with orjson: several times faster than the standard library on message documents, and able
to embed JSON already encoded (`orjson.Fragment`)."""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class ORJSONRenderer(JSONRenderer):
    """Compact UTF-8 JSON, like DRF's renderer with its default settings. What orjson cannot encode natively
    (lazy translations, decimals), and dates (for DRF's exact format), go through DRF's encoder."""

    _fallback = JSONEncoder().default

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=self._fallback, option=orjson.OPT_PASSTHROUGH_DATETIME)
