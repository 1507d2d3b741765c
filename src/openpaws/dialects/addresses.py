"""Whose request it is: the client's address, as the socket peer or, behind a trusted proxy,
as the proxy says.

The address is the socket peer unless ``OPENPAWS_TRUSTED_PROXIES`` names the peer (addresses
or networks, comma-separated): then it is the rightmost address of ``X-Forwarded-For`` (every
line of it, in order) that is not itself a trusted proxy. A forwarded address from anyone
else is never believed, so no client can pick the address its requests are counted under.
IPv4 addresses written as IPv6 (``::ffff:10.0.0.1``, as a dual-stack listener reports them)
are read as IPv4. An IPv6 client is counted by its /64, the block one subscriber holds, so
that one subscriber cannot spread its requests over 2^64 addresses.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_FORWARDED = b"x-forwarded-for"


def networks(spelled: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies, from their spellings (``10.0.0.1``, ``10.0.0.0/8``, ``::1``).
    A network with host bits set (``10.0.0.1/8``, a likely typo) is refused."""
    return tuple(ipaddress.ip_network(s.strip()) for s in spelled if s.strip())


def _parsed(spelled: str) -> Address | None:
    try:
        found = ipaddress.ip_address(spelled.strip())
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


@functools.lru_cache(maxsize=65_536)
def _subject(spelled: str) -> str | None:
    """Whom an address counts as (its /64 for IPv6), or None for no address. Cached: parsing
    an address costs several microseconds, and every request asks for its peer's."""
    found = _parsed(spelled)
    if found is None:
        return None
    if isinstance(found, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((found, 64), strict=False))
    return str(found)


@functools.lru_cache(maxsize=65_536)
def _trusted(spelled: str, trusted: tuple[Network, ...]) -> bool:
    found = _parsed(spelled)
    return found is not None and any(found in network for network in trusted)


def client_address(scope: Mapping[str, Any], trusted: tuple[Network, ...]) -> str:
    client = scope.get("client")
    peer: str = client[0] if client else ""
    if not trusted or not _trusted(peer, trusted):
        return _subject(peer) or peer
    lines = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == _FORWARDED]
    hops = [hop.strip() for line in lines for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _subject(hop) is None:
            return _subject(peer) or peer  # a proxy that forwards garbage: count the proxy
        if not _trusted(hop, trusted):
            return _subject(hop) or hop
    return _subject(peer) or peer
