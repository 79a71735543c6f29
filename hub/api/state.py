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

The cache must be shared by every process that serves the API or changes what it answers: Redis in production;
on the embedded default, where the default cache is local memory per process, the `api_state` cache (a file-based
cache in `var/`), so a key revoked from another process (a shell, a management command, a second server) is
refused at once. With Redis, each process also keeps the token in memory (`LocalCopy`), so a request reads no
cache at all: every invalidation is published on a channel that a thread of each process listens to, and the
copy is trusted only while that thread is subscribed, and for at most a second.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("tawasul")

CACHE_KEY = "tawasul:api:state"
STATE_CACHE_ALIAS = "api_state"
CHANNEL = "tawasul:api:state"
LONGEST = timedelta(minutes=10)  # without a scheduled instant, a new token now and then (bounds a lost invalidation)
LOCAL_MAX_AGE = 1.0  # seconds a process trusts its in-memory copy, even while subscribed


class LocalCopy:
    """This process's copy of the token, cleared by a listener thread on every published invalidation. Only
    with a Redis cache (`hub.cache.RedisCache`); elsewhere every read goes to the cache."""

    def __init__(self) -> None:
        self.token: str | None = None
        self.until = 0.0
        self.subscribed = False
        self.generation = 0
        self._pid: int | None = None
        self._lock = threading.Lock()

    def get(self) -> str | None:
        token = self.token
        if token is None or not self.subscribed or time.monotonic() >= self.until or self._pid != os.getpid():
            return None
        return token

    def mark(self) -> int | None:
        """Taken before the cache is read: `put` then keeps the value read only if no invalidation arrived
        meanwhile (and the listener was subscribed before the read)."""
        self._listen()
        return self.generation if self.subscribed else None

    def put(self, mark: int | None, token: str, expires_in: float) -> None:
        with self._lock:
            if mark is not None and mark == self.generation and self.subscribed:
                self.token, self.until = token, time.monotonic() + min(LOCAL_MAX_AGE, expires_in)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self.token = None

    def _listen(self) -> None:
        """Start this process's listener (again after a fork: threads do not survive one)."""
        if self._pid == os.getpid():
            return
        client = _redis_client()
        if client is None:
            return
        self._lock = threading.Lock()  # one inherited through a fork may be held by a thread that is gone
        self._pid, self.subscribed, self.token = os.getpid(), False, None
        threading.Thread(target=self._run, args=(client,), name="api-state-listener", daemon=True).start()

    def _run(self, client: Any) -> None:
        while True:
            try:
                pubsub = client.pubsub()
                pubsub.subscribe(CHANNEL)
                for message in pubsub.listen():
                    if message["type"] in ("subscribe", "message"):
                        self.clear()  # on subscribing: anything missed before is forgotten
                        self.subscribed = True
            except Exception:  # Redis went away: stop trusting the copy until subscribed again
                logger.warning("API state listener disconnected; retrying", exc_info=True)
            finally:
                self.subscribed = False
                self.clear()
            time.sleep(1)


local = LocalCopy()


def _redis_client() -> Any:
    from hub.cache import RedisCache

    backend = state_cache()
    return backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None


def state_cache() -> BaseCache:
    """The `api_state` cache where the settings name one (the embedded default), else the default cache."""
    return caches[STATE_CACHE_ALIAS if STATE_CACHE_ALIAS in settings.CACHES else "default"]


def api_state_token() -> str:
    """The current token, drawing a new one when there is none."""
    if (token := local.get()) is not None:
        return token
    mark = local.mark()
    stored = state_cache().get(CACHE_KEY)
    token, expires_at = stored if stored is not None else _draw()
    local.put(mark, token, expires_at - time.time())
    return str(token)


def request_api_state(request: Any) -> str:
    """The token the request was authenticated under (read before any of its queries), else the current one."""
    return getattr(request, "api_state", None) or api_state_token()


def api_state_changed(**_: Any) -> None:
    """Invalidate the token now and again once the current transaction commits: a reader that drew a new token
    in between, and read the data as it was before the commit, loses it then. Usable as a signal receiver."""
    _invalidate()
    transaction.on_commit(_invalidate)


def _invalidate() -> None:
    local.clear()
    try:
        state_cache().delete(CACHE_KEY)
        if (client := _redis_client()) is not None:
            client.publish(CHANNEL, b"changed")
    except Exception:  # never fail the write that changed something; the token still lapses within LONGEST
        logger.exception("Could not invalidate the API state token")


def _draw() -> tuple[str, float]:
    from messaging.models.messages import LIVE_ROWS, Message

    now = timezone.now()
    live = Message.objects.filter(LIVE_ROWS)  # the condition of the two partial indexes below
    instants = [
        instant
        for field in ("go_live_at", "expire_at")  # each the first entry of a partial index
        if (instant := live.filter(**{f"{field}__gt": now}).order_by(field).values_list(field, flat=True).first())
    ]
    until = min([*instants, now + LONGEST])
    seconds = int((until - now).total_seconds())  # rounded down: never outlives it
    token = secrets.token_hex(8)
    if seconds >= 1:  # closer than a second: not stored, every reader draws its own until the instant passes
        state_cache().set(CACHE_KEY, (token, until.timestamp()), timeout=seconds)
    return token, until.timestamp()


def api_state_receivers_connect() -> None:
    """Every write that can change an API answer or who may call invalidates the token."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale

    from campaigns.models import CampaignPage
    from institutions.models import Institution, InstitutionAPIKey
    from messaging.models import Message, MessageEvent, Topic

    # Images and documents: a message's media in the API name their files (a replaced file has new renditions).
    models = (MessageEvent, Message, Topic, CampaignPage, Institution, InstitutionAPIKey, Locale)
    for model in (*models, get_image_model(), get_document_model()):
        post_save.connect(api_state_changed, sender=model, dispatch_uid=f"api-state-save-{model._meta.label}")
        post_delete.connect(api_state_changed, sender=model, dispatch_uid=f"api-state-delete-{model._meta.label}")
    audience = Message._meta.get_field("audience").remote_field.through  # type: ignore[union-attr]
    m2m_changed.connect(api_state_changed, sender=audience, dispatch_uid="api-state-audience")
