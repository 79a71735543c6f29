"""With the Redis cache, each process keeps the API state token in memory and drops it as soon as any other
process publishes a change (hub.api.state.LocalCopy)."""

from __future__ import annotations

import time

import pytest
import redis
from django.core.cache import cache, caches

from hub.api.state import CACHE_KEY, CHANNEL, api_state_token, local
from hub.cache import RedisCache
from tests.integration.conftest import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _until(condition, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.005)
    return None


def test_a_change_published_by_another_process_reaches_this_one_at_once(redis_url):
    if not isinstance(caches["default"], RedisCache):
        unavailable("the Redis cache (REDIS_URL unset when settings were loaded)")
    token = api_state_token()
    # The listener subscribes in the background; from then on the token is served from memory.
    assert _until(lambda: api_state_token() == token and local.get() == token, 5) is not None
    assert cache.get(CACHE_KEY)[0] == token

    other = redis.Redis.from_url(redis_url)  # another process's connection: delete, then publish
    other.delete(cache.make_and_validate_key(CACHE_KEY))
    other.publish(CHANNEL, b"changed")
    # Well inside the copy's own one-second age limit: it is the message that cleared it.
    cleared = _until(lambda: local.get() is None, 0.5)
    assert cleared is not None, "the in-memory token outlived a published change"
    assert api_state_token() != token


def test_the_copy_is_refused_after_a_local_change_without_waiting_for_the_message(redis_url):
    if not isinstance(caches["default"], RedisCache):
        unavailable("the Redis cache (REDIS_URL unset when settings were loaded)")
    token = api_state_token()
    assert _until(lambda: api_state_token() == token and local.get() == token, 5) is not None
    from hub.api.state import api_state_changed

    api_state_changed()
    assert local.get() is None and api_state_token() != token
