"""Who is calling: the client IP (forwarded headers only from trusted proxies)."""

import ipaddress
from collections.abc import Iterable, Sequence
from functools import cache

from starlette.datastructures import Headers

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _is_trusted(address: str, networks: Iterable[Network]) -> bool:
    ip = _parse(address)
    return ip is not None and any(ip in network for network in networks)


def client_ip(peer: str | None, headers: Headers, trusted_proxies: Sequence[str]) -> str:
    """The nearest address that is not a trusted proxy.

    With no trusted proxies (the default) X-Forwarded-For is ignored, so a client cannot
    reset its throttling counters by sending one.
    """
    address = peer or "unknown"
    if not trusted_proxies:
        return address
    networks = _networks(tuple(trusted_proxies))
    if not _is_trusted(address, networks):
        return address
    forwarded = [hop.strip() for hop in headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([hop for hop in forwarded if hop]):
        ip = _parse(hop)
        if ip is None:  # garbage in the header: believe no further
            return address
        if not _is_trusted(hop, networks):
            return str(ip)
        address = str(ip)
    return address


def peer_is_trusted(peer: str | None, trusted_proxies: Sequence[str]) -> bool:
    return (
        bool(peer)
        and bool(trusted_proxies)
        and _is_trusted(peer or "", _networks(tuple(trusted_proxies)))
    )
