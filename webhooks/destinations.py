"""Where a webhook may be sent: public addresses only, checked when an endpoint is saved and again at send time.

Checking the name once is not enough (DNS can answer differently later), so the sender resolves the host,
checks every address and then connects to the address it checked (see `webhooks.transport`).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(ValueError):
    pass


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    address: str


def private_urls_allowed() -> bool:
    return bool(getattr(settings, "TAWASUL_WEBHOOKS_ALLOW_PRIVATE_URLS", False))


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052's well-known prefix: the last 32 bits are the IPv4 host
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d (RFC 4291)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when it embeds one a network may route to: IPv4-mapped
    (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64 or address in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_public(address: IPAddress) -> bool:
    """Whether the address is globally reachable; an IPv6 address embedding an IPv4 one is judged by that IPv4
    address, which is where a translator or relay would deliver it (`64:ff9b::7f00:1` is 127.0.0.1)."""
    if isinstance(address, ipaddress.IPv6Address) and (ipv4 := embedded_ipv4(address)) is not None:
        address = ipv4
    return address.is_global and not address.is_multicast


def destination_resolve(url: str, *, allow_http: bool = False) -> Destination:
    """The address to connect to for `url`, or `RefusedDestination` saying why not. Plain http is refused
    unless `allow_http` (reading public pages sends nothing secret) or private addresses are allowed."""
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. a bracketed host that is no IPv6 address
        raise RefusedDestination(_("The URL is malformed.")) from error
    allow_private = private_urls_allowed()
    if parts.scheme not in ("https", "http") or (parts.scheme == "http" and not (allow_private or allow_http)):
        raise RefusedDestination(_("Webhook URLs must use https."))
    if not parts.hostname:
        raise RefusedDestination(_("The URL has no host."))
    if parts.username or parts.password:
        raise RefusedDestination(_("Webhook URLs must not carry credentials."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise RefusedDestination(_("The URL has an invalid port.")) from error
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as error:  # UnicodeError is a ValueError; so is a NUL in the name
        raise RefusedDestination(_("The host could not be resolved.")) from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise RefusedDestination(_("The host could not be resolved."))
    if not allow_private and not all(address_is_public(a) for a in addresses):
        raise RefusedDestination(_("The host resolves to a loopback, private or link-local address."))
    return Destination(scheme=parts.scheme, host=parts.hostname, port=port, address=str(addresses[0]))


def validate_webhook_url(url: str) -> None:
    try:
        destination_resolve(url)
    except RefusedDestination as error:
        raise ValidationError(str(error), code="refused_destination") from error
