"""Keeping the search index in line with the database, off the request path."""

from __future__ import annotations

import logging
from typing import Any

from wagtail.search.backends import get_search_backends

logger = logging.getLogger("tawasul")


def message_reindex(*, message_id: int) -> None:
    from messaging.models import Message

    message = Message.objects.filter(pk=message_id).first()
    for backend in get_search_backends():
        if message is None:
            continue
        if message.live:
            backend.add(message)
        else:
            backend.delete(message)


def event_index(event: Any) -> None:
    if event.message_id:
        message_reindex(message_id=event.message_id)
