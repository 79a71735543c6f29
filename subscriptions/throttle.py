"""Rate limits for the subscribe form, counted in the shared cache (nothing is stored in the database): per
client address, and per e-mail address (by digest) so nobody can flood one inbox with confirmations."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _spend(key: str, limit: int, window: int) -> bool:
    if cache.add(key, 1, window):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        return cache.add(key, 1, window)


def subscribe_allowed(*, client: str, email: str) -> bool:
    per_client, client_window = settings.TAWASUL_SUBSCRIBE_RATE_PER_CLIENT
    per_address, address_window = settings.TAWASUL_SUBSCRIBE_RATE_PER_ADDRESS
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    client_ok = _spend(f"tawasul:subscribe:client:{client}", per_client, client_window)
    return client_ok and _spend(f"tawasul:subscribe:address:{address}", per_address, address_window)
