"""A message's images and documents as the API presents them: each image with its text alternative and its
renditions, each document with its download address, content type and size.

Rows carry their media as the stored JSON text (`media_json`); the images and documents of a whole page of rows
are read at once (one query for the images with their renditions, one for the documents), and a row without
media costs no query. Addresses are absolute (`TAWASUL_PUBLIC_BASE_URL`): institutions re-publish them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

import orjson
from django.conf import settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

Row = dict[str, Any]

# The renditions every image is offered in (name: Wagtail filter spec).
IMAGE_RENDITIONS = {"large": "max-1200x1200", "thumbnail": "fill-400x300"}


def media_blocks(raw: Any) -> list[dict[str, Any]]:
    """The stored blocks of a media StreamField: JSON text (perhaps a JSON string inside JSON) or a list."""
    if raw in (None, "", "[]"):
        return []
    while isinstance(raw, (str, bytes)):
        raw = orjson.loads(raw)
    return [block for block in raw or [] if isinstance(block, dict) and isinstance(block.get("value"), dict)]


def absolute(url: str) -> str:
    return urljoin(settings.TAWASUL_PUBLIC_BASE_URL.rstrip("/") + "/", url)


def _rendition(rendition: Any) -> dict[str, Any]:
    return {"url": absolute(rendition.url), "width": rendition.width, "height": rendition.height}


def media_resolved(rows: Iterable[Row]) -> None:
    """Replaces each row's stored blocks (`media_json`: JSON text, or a list) by `media`, the API's list."""
    rows = list(rows)
    blocks = {id(row): media_blocks(row.pop("media_json", None)) for row in rows}
    image_ids = {b["value"].get("image") for found in blocks.values() for b in found if b.get("type") == "image"}
    document_ids = {
        b["value"].get("document") for found in blocks.values() for b in found if b.get("type") == "document"
    }
    images = (
        {
            image.pk: image
            for image in get_image_model()
            .objects.filter(pk__in=[pk for pk in image_ids if isinstance(pk, int)])
            .prefetch_renditions(*IMAGE_RENDITIONS.values())
        }
        if image_ids
        else {}
    )
    documents = (
        {
            document.pk: document
            for document in get_document_model().objects.filter(
                pk__in=[pk for pk in document_ids if isinstance(pk, int)]
            )
        }
        if document_ids
        else {}
    )
    for row in rows:
        row["media"] = [item for block in blocks[id(row)] if (item := _item(block, images, documents)) is not None]


def _item(block: dict[str, Any], images: dict[int, Any], documents: dict[int, Any]) -> dict[str, Any] | None:
    value = block["value"]
    if block.get("type") == "image" and (image := images.get(value.get("image"))) is not None:
        renditions = image.get_renditions(*IMAGE_RENDITIONS.values())
        return {
            "type": "image",
            "id": block.get("id", ""),
            "alt": value.get("alt_text", ""),
            "caption": value.get("caption", ""),
            "width": image.width,
            "height": image.height,
            "renditions": {name: _rendition(renditions[spec]) for name, spec in IMAGE_RENDITIONS.items()},
        }
    if block.get("type") == "document" and (document := documents.get(value.get("document"))) is not None:
        return {
            "type": "document",
            "id": block.get("id", ""),
            "title": value.get("title", ""),
            "url": absolute(document.url),
            "filename": document.filename,
            "content_type": document.content_type,
            "size": document.file_size,
        }
    return None  # an image or document deleted since: the message shows the rest
