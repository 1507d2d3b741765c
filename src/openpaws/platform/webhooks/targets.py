"""Where webhooks may be posted: the target URL's form, and the addresses it may reach.

A target is refused when it is, or resolves to, an address inside the deployment's own network
or the machine itself: loopback, private, shared (carrier-grade NAT), link-local (the cloud
metadata address among them), multicast, unspecified or reserved, in IPv4 or IPv6, with IPv4
spelled in any form ``inet_aton`` accepts (decimal ``2130706433``, octal ``0177.0.0.1``, hex)
and IPv4 embedded in IPv6 (``::ffff:127.0.0.1``, NAT64, 6to4). The check runs when an endpoint
is registered (on the URL as written) and again on every connection, against the address the
connection is actually made to (so a name that later resolves elsewhere, DNS rebinding, gains
nothing). An operator may allow private targets (tests, on-premises receivers); the metadata,
multicast, unspecified and reserved classes stay refused even then.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from openpaws.domain.errors import InvalidInput

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses a connection to it may be made to.
Resolver = Callable[[str, int], Awaitable[list[str]]]

MAX_URL_LENGTH = 2048
_METADATA = (
    ipaddress.ip_network("169.254.169.254/32"),  # AWS, GCP, Azure, OpenStack
    ipaddress.ip_network("100.100.100.200/32"),  # Alibaba Cloud
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS over IPv6
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# What an operator may open for on-premises receivers; every other special range stays shut.
_PRIVATE = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: IP) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(ip: IP, *, allow_private: bool) -> str | None:
    """Why ``ip`` may not be a webhook target (``None``: it may)."""
    inner = _embedded_ipv4(ip)
    if inner is not None:
        return refusal(inner, allow_private=allow_private)
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if any(ip in network for network in _METADATA):
        return "a cloud metadata address"
    private = (
        ("a loopback address", ip.is_loopback),
        ("a link-local address", ip.is_link_local),
        ("a shared (carrier-grade NAT) address", ip in _SHARED),
        ("a private address", any(ip in network for network in _PRIVATE)),
    )
    for reason, applies in private:
        if applies:
            return None if allow_private else reason
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local
    if not ip.is_global or ip.is_reserved or site_local or ip.is_private:
        return "a reserved or special-purpose address"
    return None


def literal_address(host: str) -> IP | None:
    """The address ``host`` spells, in any form a resolver would take it (``None``: a name)."""
    bare = host.strip("[]").split("%", 1)[0].rstrip(".")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except OSError:
        return None


def _loopback_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def checked_url(url: str, *, allow_private: bool) -> str:
    """``url`` if it may be an endpoint's target; otherwise InvalidInput naming ``url``."""

    def refuse(message: str, kind: str = "not_url") -> InvalidInput:
        return InvalidInput.field("body", "url", message, kind=kind)

    if not isinstance(url, str) or not url.strip():
        raise refuse("Give the URL to post events to")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise refuse(f"Must be at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise refuse(f"Not a URL: {error}") from error
    if parts.scheme not in ("http", "https"):
        raise refuse("Must be an http or https URL")
    if parts.username is not None or parts.password is not None:
        raise refuse("Must not carry credentials (put them in the path or verify the signature)")
    host = parts.hostname
    if not host:
        raise refuse("Must name a host")
    if port == 0:
        raise refuse("Must not use port 0")
    if parts.fragment:
        raise refuse("Must not have a fragment")
    if _loopback_name(host) and not allow_private:
        raise refuse(
            f"{host} is this machine: webhooks are not posted to internal addresses",
            "internal_address",
        )
    ip = literal_address(host)
    if ip is not None and (reason := refusal(ip, allow_private=allow_private)):
        raise refuse(
            f"{host} is {reason}: webhooks are not posted to internal addresses",
            "internal_address",
        )
    ascii_host = _ascii(host)
    if ip is None and (
        not _HOST_NAME.fullmatch(ascii_host) or literal_address(ascii_host) is not None
    ):
        raise refuse(f"{host!r} is not a host name")
    try:
        URL(url)
    except (ValueError, TypeError) as error:
        raise refuse(f"Not a URL: {error}") from error
    return url


_HOST_NAME = re.compile(
    r"(?=.{1,253}\.?$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?"
)


def _ascii(host: str) -> str:
    """The host name in ASCII (an international name in its IDNA form; "" if it has none)."""
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host``."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class TargetRefused(OSError):
    """A connection the address policy does not allow."""


def literal_refusal(host: str, *, allow_private: bool) -> str | None:
    """Why a host that is an address (which no resolver sees) may not be connected to."""
    if _loopback_name(host) and not allow_private:
        return f"refused: {host} is this machine"
    ip = literal_address(host)
    if ip is not None and (reason := refusal(ip, allow_private=allow_private)):
        return f"refused: {host} is {reason}"
    return None


class GuardedResolver(AbstractResolver):
    """Resolves names for the sender's connections, and refuses every name with an address
    the policy does not allow: the connection is then made to an address checked here (the
    sender checks hosts that are addresses themselves, which need no resolving)."""

    def __init__(self, *, allow_private: bool, resolver: Resolver | None = None) -> None:
        self._allow_private = allow_private
        self._resolve = resolver or system_resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if (refused := literal_refusal(host, allow_private=self._allow_private)) is not None:
            raise TargetRefused(refused)
        addresses = await self._resolve(host, port)
        if not addresses:
            raise OSError(f"{host} does not resolve")
        for address in addresses:
            reason = refusal(ipaddress.ip_address(address), allow_private=self._allow_private)
            if reason is not None:
                raise TargetRefused(f"refused: {host} resolves to {address}, {reason}")
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address in addresses
        ]

    async def close(self) -> None:
        return None
