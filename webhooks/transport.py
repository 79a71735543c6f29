"""One HTTP POST to a webhook endpoint: resolved and checked at send time, pinned to the checked address,
short timeouts, no redirects, no proxies from the environment."""

from __future__ import annotations

import ipaddress
import ssl
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import certifi
import httpx
from django.conf import settings

from webhooks.destinations import RefusedDestination, destination_resolve

USER_AGENT = "Tawasul-Webhooks/1"
ERROR_LENGTH = 500


@dataclass(frozen=True)
class PostOutcome:
    status_code: int | None
    latency_ms: int
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@cache
def tls_context() -> ssl.SSLContext:
    """Built once per process: loading the CA bundle costs more than a request to a nearby receiver."""
    return ssl.create_default_context(cafile=certifi.where())


def timeout_seconds() -> float:
    return float(getattr(settings, "TAWASUL_WEBHOOKS_TIMEOUT", 10))


def pinned_url(url: str, address: str, port: int) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if isinstance(ipaddress.ip_address(address), ipaddress.IPv6Address) else address
    return urlunsplit((parts.scheme, f"{host}:{port}", parts.path or "/", parts.query, ""))


def webhook_post(*, url: str, body: str, headers: dict[str, str]) -> PostOutcome:
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        destination = destination_resolve(url)
    except RefusedDestination as error:
        return PostOutcome(status_code=None, latency_ms=elapsed(), error=str(error)[:ERROR_LENGTH])
    default_port = 443 if destination.scheme == "https" else 80
    host_header = destination.host if destination.port == default_port else f"{destination.host}:{destination.port}"
    timeout = timeout_seconds()
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=tls_context(),
            follow_redirects=False,
            trust_env=False,
        ) as client:
            response = client.post(
                pinned_url(url, destination.address, destination.port),
                content=body.encode(),
                headers={**headers, "host": host_header, "user-agent": USER_AGENT},
                extensions={"sni_hostname": destination.host},
            )
    except httpx.HTTPError as error:
        return PostOutcome(
            status_code=None, latency_ms=elapsed(), error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        )
    error_text = "" if response.is_success else response.text[:200]
    return PostOutcome(status_code=response.status_code, latency_ms=elapsed(), error=error_text)
