"""The address a request comes from, read the same way by the admin's lockout (django-axes), the API's throttles
and the API-key failure limit.

`TAWASUL_TRUSTED_PROXIES` says how many proxies of our own stand in front of the application, each appending the
address it received the request from to `X-Forwarded-For`. The client is the entry that many places from the
right; anything further left was written by the client and is not believed. With no trusted proxy (the embedded
default) it is `REMOTE_ADDR`, whatever the headers say. Behind a proxy left at 0 every user would share the
proxy's address, so production sets the number (docs/security.md).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def trusted_proxies() -> int:
    return int(getattr(settings, "TAWASUL_TRUSTED_PROXIES", 0) or 0)


def client_address(request: Any) -> str:
    meta = request.META
    remote = str(meta.get("REMOTE_ADDR") or "")
    proxies = trusted_proxies()
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote  # the request did not come through every proxy we expect: the sender is the last hop
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
