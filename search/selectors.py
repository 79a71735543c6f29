"""Search reads. The engine only proposes candidates; what a caller sees is always re-filtered through the
visibility selectors, so a stale index can never show a withdrawn, expired or restricted message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from messaging.api.documents import with_document_relations
from messaging.models import Message
from messaging.selectors import public_messages, visible_messages_for
from search.analysis import analyse_query
from search.queries import SearchQuery

CANDIDATES = 100  # one engine page (modelsearch scrolls beyond 100)
DEFAULT_LIMIT = 20


class SearchUnavailable(RuntimeError):
    """The engine did not answer (down, timed out): the caller should say so, not show an empty result."""


@dataclass(frozen=True)
class Hit:
    row: Any
    score: float
    rank: int


def message_search(*, institution: Any, query: SearchQuery, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """Messages in the query's language visible to an institution, best first."""
    return _ranked(Message, visible_messages_for(institution), query, limit, with_document_relations)


def public_message_search(*, query: SearchQuery, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    return _ranked(Message, public_messages(), query, limit, lambda rows: rows.select_related("locale", "topic"))


def public_campaign_search(*, query: SearchQuery, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    from campaigns.models import CampaignPage

    return _ranked(CampaignPage, CampaignPage.objects.live().public(), query, limit, lambda rows: rows)


def _ranked(model: Any, visible: QuerySet[Any], query: SearchQuery, limit: int, load: Any) -> list[Hit]:
    locale = Locale.objects.filter(language_code=query.language).first()
    if locale is None or not analyse_query(query.text, query.language):
        return []
    candidates = model.objects.filter(locale_id=locale.pk)
    if model is Message:
        candidates = candidates.filter(live=True)
    found = get_search_backend().search(query.text, candidates, operator="or").annotate_score("_score")[:CANDIDATES]
    try:
        scores = {hit.pk: _score(hit) for hit in found}
    except Exception as error:
        if _missing_index(error):
            return []  # nothing indexed yet
        raise SearchUnavailable(str(error)) from error
    allowed = {row.pk: row for row in load(visible.filter(pk__in=list(scores)))}
    ordered = [pk for pk in scores if pk in allowed][:limit]
    return [Hit(row=allowed[pk], score=scores[pk], rank=i) for i, pk in enumerate(ordered, start=1)]


def _score(hit: Any) -> float:
    # SQLite FTS5's bm25() is negative (more negative is better); present every engine's score as higher-is-better.
    value = float(getattr(hit, "_score", 0.0) or 0.0)
    return -value if value < 0 else value


def _missing_index(error: Exception) -> bool:
    status = getattr(error, "status_code", None) or getattr(getattr(error, "meta", None), "status", None)
    return status == 404
