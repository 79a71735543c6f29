"""Public pages outside Wagtail's page tree: one public message, in the language of the URL."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from campaigns.selectors import public_message


def current_language() -> str:
    return (get_language() or "ar").split("-")[0]


def message_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    message = public_message(key=key, language_code=current_language())
    if message is None:
        raise Http404
    translations = [
        other
        for code in ("ar", "en")
        if code != current_language() and (other := public_message(key=key, language_code=code))
    ]
    return render(
        request,
        "campaigns/message_detail.html",
        {
            "message": message,
            "pillars": message.blocks_of("pillar"),
            "documents": [b for b in message.media if b.block_type == "document" and b.value["document"] is not None],
            "translations": translations,
        },
    )
