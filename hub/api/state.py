"""One token for "what the institution API may answer": it changes whenever something a reader could see or
the credentials that may read change, and lapses on its own when the next scheduled go-live or expiry falls due.

The API's ETags and its in-process cache of authenticated keys are derived from it, so a conditional request
whose copy is current, or a known key, costs one cache read and no SQL.

- Written changes (an outbox event, a message, topic, campaign page, institution or API key saved or deleted)
  delete the token at once and again when their transaction commits; the next reader draws a new one.
- Time makes messages appear or disappear without a write (`go_live_at`, `expire_at`): the token is stored
  with a timeout that ends at the next such instant, so it cannot outlive a change of visibility.
- A reader takes the token before it reads the database. A change committed after that read leaves the reader
  with a token that has already been deleted, so nothing stale is ever served under a current token.

The cache must be shared by every process that serves the API (Redis in production; the embedded run is a
single process).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

CACHE_KEY = "tawasul:api:state"
LONGEST = timedelta(hours=1)  # even without a scheduled instant, draw a new token now and then


def api_state_token() -> str:
    """The current token, drawing a new one when there is none."""
    token = cache.get(CACHE_KEY)
    if token is None:
        token = _draw()
    return str(token)


def request_api_state(request: Any) -> str:
    """The token the request was authenticated under (read before any of its queries), else the current one."""
    return getattr(request, "api_state", None) or api_state_token()


def api_state_changed(**_: Any) -> None:
    """Invalidate the token now and again once the current transaction commits: a reader that drew a new token
    in between, and read the data as it was before the commit, loses it then. Usable as a signal receiver."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def _draw() -> str:
    from messaging.models import Message

    now = timezone.now()
    live = Message.objects.filter(live=True, expired=False)
    instants = [
        instant
        for field in ("go_live_at", "expire_at")  # each the first entry of a partial index
        if (instant := live.filter(**{f"{field}__gt": now}).order_by(field).values_list(field, flat=True).first())
    ]
    seconds = int((min([*instants, now + LONGEST]) - now).total_seconds())  # rounded down: never outlives it
    token = secrets.token_hex(8)
    if seconds >= 1:  # closer than a second: not stored, every reader draws its own until the instant passes
        cache.set(CACHE_KEY, token, timeout=seconds)
    return token


def api_state_receivers_connect() -> None:
    """Every write that can change an API answer or who may call invalidates the token."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Locale

    from campaigns.models import CampaignPage
    from institutions.models import Institution, InstitutionAPIKey
    from messaging.models import Message, MessageEvent, Topic

    for model in (MessageEvent, Message, Topic, CampaignPage, Institution, InstitutionAPIKey, Locale):
        post_save.connect(api_state_changed, sender=model, dispatch_uid=f"api-state-save-{model._meta.label}")
        post_delete.connect(api_state_changed, sender=model, dispatch_uid=f"api-state-delete-{model._meta.label}")
    audience = Message._meta.get_field("audience").remote_field.through  # type: ignore[union-attr]
    m2m_changed.connect(api_state_changed, sender=audience, dispatch_uid="api-state-audience")
