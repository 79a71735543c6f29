"""Reading institutions' public pages politely and safely.

Every request, redirects included, goes through the webhooks' address guard (`webhooks.destinations`): the host
is resolved, every address checked, and the connection pinned to the checked address, so neither a redirect nor a
changed DNS answer can point the hub at a private, loopback or link-local address. Each host gets at most one
request per `TAWASUL_MONITORING_HOST_INTERVAL` seconds (rounded up to whole seconds) across all workers (a cache
key taken with `add`), its
robots.txt is honoured for our user agent, conditional headers are sent when validators are known, and a response
is cut off at `TAWASUL_MONITORING_MAX_BYTES` or when it takes longer than `TAWASUL_MONITORING_TIMEOUT` in all.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from monitoring.enums import SourceErrorKind
from webhooks.destinations import Destination, RefusedDestination, destination_resolve
from webhooks.transport import pinned_url, tls_context

USER_AGENT = "TawasulMonitor/1"
MAX_REDIRECTS = 5
ROBOTS_CACHE_SECONDS = 6 * 3600
ROBOTS_MAX_BYTES = 512 * 1024
HOST_WAIT_LIMIT = 60.0
_DISALLOW_ALL = "\x00disallow"


class FetchError(Exception):
    def __init__(self, kind: SourceErrorKind, detail: str, url: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.url = url


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def max_bytes() -> int:
    return int(getattr(settings, "TAWASUL_MONITORING_MAX_BYTES", 2 * 1024 * 1024))


def timeout_seconds() -> float:
    return float(getattr(settings, "TAWASUL_MONITORING_TIMEOUT", 20))


def host_interval() -> float:
    return float(getattr(settings, "TAWASUL_MONITORING_HOST_INTERVAL", 2))


def page_fetch(*, url: str, etag: str = "", last_modified: str = "") -> Fetched:
    """GET `url` after robots.txt allows it, following redirects through the guard. Raises `FetchError`."""
    conditional = {"if-none-match": etag} if etag else {}
    if last_modified:
        conditional["if-modified-since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        _guarded(url)  # refused before anything is asked of the host, robots.txt included
        if not robots_allow(url):
            raise FetchError(SourceErrorKind.ROBOTS, _("robots.txt disallows this address."), url)
        fetched, location = _get(url, headers=conditional)
        if location is None:
            return fetched
        url, conditional = urljoin(url, location), {}
    raise FetchError(SourceErrorKind.REDIRECTS, _("More than %(n)s redirects.") % {"n": MAX_REDIRECTS}, url)


def robots_allow(url: str) -> bool:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    key = f"tawasul:monitoring:robots:{origin}"
    rules = cache.get(key)
    if rules is None:
        rules = _robots_rules(origin)
        cache.set(key, rules, ROBOTS_CACHE_SECONDS)
    parser = RobotFileParser()
    parser.parse(["User-agent: *", "Disallow: /"] if rules == _DISALLOW_ALL else rules.splitlines())
    return parser.can_fetch(USER_AGENT, url)


def _robots_rules(origin: str) -> str:
    """RFC 9309: an unreachable robots.txt (server error) means disallow everything, a missing one (4xx) allows
    everything. A redirect is followed through the guard like any other request."""
    url = f"{origin}/robots.txt"
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            fetched, location = _get(url, headers={}, limit=ROBOTS_MAX_BYTES)
        except FetchError as error:
            if error.kind == SourceErrorKind.HTTP_STATUS and error.detail.startswith("4"):
                return ""
            return _DISALLOW_ALL
        if location is None:
            return fetched.content.decode("utf-8", errors="replace")
        url = urljoin(url, location)
    return _DISALLOW_ALL


def _guarded(url: str) -> Destination:
    try:
        return destination_resolve(url, allow_http=True)
    except RefusedDestination as error:
        raise FetchError(SourceErrorKind.REFUSED, str(error), url) from error


def _host_slot(destination: Destination) -> None:
    """Wait until this host may be asked again: one request per interval, across every worker."""
    interval = host_interval()
    if interval <= 0:
        return
    key = f"tawasul:monitoring:host:{destination.host}:{destination.port}"
    held = math.ceil(interval)  # Django's Redis cache keeps whole seconds (0 would not hold the key at all)
    waited = 0.0
    step = min(held / 4, 0.5)
    while not cache.add(key, 1, held):
        if waited >= HOST_WAIT_LIMIT:
            break
        time.sleep(step)
        waited += step


def _get(url: str, *, headers: dict[str, str], limit: int | None = None) -> tuple[Fetched, str | None]:
    """One request. Returns the response, and the redirect target if it is a redirect."""
    destination = _guarded(url)
    _host_slot(destination)
    default_port = 443 if destination.scheme == "https" else 80
    host_header = destination.host if destination.port == default_port else f"{destination.host}:{destination.port}"
    timeout = timeout_seconds()
    limit = limit or max_bytes()
    started = time.monotonic()
    try:
        with (
            httpx.Client(
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                verify=tls_context(),
                follow_redirects=False,
                trust_env=False,
            ) as client,
            client.stream(
                "GET",
                pinned_url(url, destination.address, destination.port),
                headers={**headers, "host": host_header, "user-agent": USER_AGENT, "accept-encoding": "identity"},
                extensions={"sni_hostname": destination.host},
            ) as response,
        ):
            if response.is_redirect and response.headers.get("location"):
                return _fetched(url, response, b""), response.headers["location"]
            if response.status_code == 304:
                return _fetched(url, response, b""), None
            if response.status_code >= 400:
                raise FetchError(SourceErrorKind.HTTP_STATUS, f"{response.status_code} {response.reason_phrase}", url)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(SourceErrorKind.TOO_LARGE, _too_large(limit), url)
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > limit:
                    raise FetchError(SourceErrorKind.TOO_LARGE, _too_large(limit), url)
                if time.monotonic() - started > timeout:
                    raise FetchError(SourceErrorKind.TIMEOUT, _too_slow(timeout), url)
            return _fetched(url, response, bytes(body)), None
    except httpx.TimeoutException as error:
        raise FetchError(SourceErrorKind.TIMEOUT, _too_slow(timeout), url) from error
    except httpx.HTTPError as error:
        raise FetchError(SourceErrorKind.NETWORK, f"{type(error).__name__}: {error}"[:500], url) from error


def _fetched(url: str, response: httpx.Response, content: bytes) -> Fetched:
    return Fetched(
        url=url,
        status=response.status_code,
        content=content,
        content_type=response.headers.get("content-type", ""),
        etag=response.headers.get("etag", "")[:255],
        last_modified=response.headers.get("last-modified", "")[:64],
    )


def _too_large(limit: int) -> str:
    return _("Larger than %(n)s bytes.") % {"n": limit}


def _too_slow(seconds: float) -> str:
    return _("No complete answer within %(n)s seconds.") % {"n": seconds}
