"""Whose request it is: the client's address, as the socket peer or, behind a trusted proxy,
as the proxy says.

The address is the socket peer unless ``OPENPAWS_TRUSTED_PROXIES`` names the peer (addresses
or networks, comma-separated): then it is the rightmost address of ``X-Forwarded-For`` that is
not itself a trusted proxy. A forwarded address from anyone else is never believed, so no
client can pick the address its requests are counted under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(spelled: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies, from their spellings (``10.0.0.1``, ``10.0.0.0/8``, ``::1``)."""
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spelled if s.strip())


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(found in network for network in trusted)


def client_address(
    scope: Mapping[str, Any], headers: Mapping[str, str], trusted: tuple[Network, ...]
) -> str:
    client = scope.get("client")
    peer: str = client[0] if client else ""
    if not trusted or not _trusted(peer, trusted):
        return peer
    forwarded = [a.strip() for a in headers.get("x-forwarded-for", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, trusted):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer  # a proxy that forwards garbage: count the proxy
    return peer
