"""Who is calling: the client IP (forwarded headers only from trusted proxies)."""

import ipaddress
from collections.abc import Iterable, Sequence
from functools import cache

from starlette.datastructures import Headers

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


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
        if not _is_trusted(hop, networks):
            return hop
        address = hop
    return address


def peer_is_trusted(peer: str | None, trusted_proxies: Sequence[str]) -> bool:
    return (
        bool(peer)
        and bool(trusted_proxies)
        and _is_trusted(peer or "", _networks(tuple(trusted_proxies)))
    )
