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


def _subject(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_address(scope: Mapping[str, Any], trusted: tuple[Network, ...]) -> str:
    client = scope.get("client")
    peer_spelled: str = client[0] if client else ""
    peer = _parsed(peer_spelled)
    if peer is None:
        return peer_spelled
    if not trusted or not any(peer in network for network in trusted):
        return _subject(peer)
    lines = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == _FORWARDED]
    hops = [hop for line in lines for hop in line.split(",") if hop.strip()]
    for spelled in reversed(hops):
        hop = _parsed(spelled)
        if hop is None:
            return _subject(peer)  # a proxy that forwards garbage: count the proxy
        if not any(hop in network for network in trusted):
            return _subject(hop)
    return _subject(peer)
