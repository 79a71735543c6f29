"""ETags for list and detail reads: computed from one aggregate query, before any document is built."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count, Max, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from messaging.models import EventSequence


def etag_for(request: Request, rows: QuerySet[Any], *parts: Any) -> str:
    """Changes whenever a visible row changes, appears or disappears, or any event is written."""
    summary = rows.order_by().aggregate(latest=Max("updated_at"), count=Count("pk"))
    last_event = EventSequence.objects.filter(pk=1).values_list("last_position", flat=True).first() or 0
    raw = "|".join(str(p) for p in (request.get_full_path(), summary["latest"], summary["count"], last_event, *parts))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def page_etag_for(request: Request, rows: list[dict[str, Any]], *parts: Any) -> str:
    """The ETag of one page of a list, from the `pk`, `updated_at` and `version` of the rows on it: exact for
    what the page shows (a row changing, appearing or disappearing changes them), and read with the page itself
    instead of an aggregate over every visible row. Any event (a translation published, an audience changed)
    changes it too."""
    last_event = EventSequence.objects.filter(pk=1).values_list("last_position", flat=True).first() or 0
    page = ",".join(f"{row['pk']}:{row['updated_at'].isoformat()}:{row['version']}" for row in rows)
    raw = "|".join(str(p) for p in (request.get_full_path(), page, last_event, *parts))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> Response | None:
    candidates = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in candidates or f"W/{etag}" in candidates:
        response = Response(status=304)
        response["ETag"] = etag
        return response
    return None
