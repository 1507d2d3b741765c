"""API versions in the path, with a header as the fallback, and versions that were retired.

A dialect whose prefix ends in its version (``/pawssource/v2``) may declare a
:class:`Versioning`: requests under the prefix's parent that name no version are served as the
current version when the version header names it (``Api-Version: 2``), and are refused in the
dialect's error shape when it names another or none; a retired version (``/pawssource/v1/...``)
answers 410 with ``Sunset`` (RFC 8594) and a ``Link`` to what replaces it. A versioned path
whose header disagrees with it is refused too. This sits in front of the routes, knowing no
dialect: each gives its own words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpaws.dialects.asgi import ASGI, Receive, Scope, Send, bare_call, send_reply
from openpaws.dialects.pipeline import Mounted
from openpaws.domain.errors import InvalidInput, OpenPawsError


class VersionRetired(OpenPawsError):
    code = "version_retired"
    status = 410


@dataclass(frozen=True)
class Retired:
    sunset: str  # an HTTP date, for the Sunset header
    link: str  # where to read about the move (a path or a URL)


@dataclass(frozen=True)
class Versioning:
    current: str  # the path segment of the version served ("v2")
    header: str  # the fallback header, e.g. "Api-Version"
    names: frozenset[str]  # header values that name the current version ("2", "v2", "2.0")
    retired: Mapping[str, Retired] = field(default_factory=dict)  # by path segment ("v1")

    def names_current(self, value: str) -> bool:
        return value.strip().lower() in self.names


@dataclass(frozen=True)
class _Versioned:
    mounted: Mounted
    versioning: Versioning
    root: str  # the prefix without its version: "/pawssource"


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for key, value in scope["headers"]:
        if key == wanted:
            return str(value.decode("latin-1"))
    return None


def wrap(app: ASGI, mounts: Sequence[tuple[Mounted, Versioning]]) -> ASGI:
    """``app`` behind the version rules of every versioned dialect."""
    versioned = [
        _Versioned(mounted, versioning, mounted.prefix.removesuffix("/" + versioning.current))
        for mounted, versioning in mounts
        if mounted.prefix.endswith("/" + versioning.current)
    ]
    if not versioned:
        return app

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for found in versioned:
                path: str = scope["path"]
                if path == found.root or path.startswith(found.root + "/"):
                    refused = _route(found, scope)
                    if refused is not None:
                        await send_reply(send, refused)
                        return
                    break
        await app(scope, receive, send)

    return serve


def _route(found: _Versioned, scope: Scope) -> Any:
    """None to go on (the scope's path rewritten to the current version where the header
    asks for it), or the refusal to send."""
    versioning, mounted = found.versioning, found.mounted
    rest = scope["path"][len(found.root) :]
    segment = rest.strip("/").split("/", 1)[0]
    asked = _header(scope, versioning.header)
    if segment == versioning.current:
        if asked is not None and not versioning.names_current(asked):
            message = f"The path asks for {segment}; the {versioning.header} header for {asked}."
            return _refuse(mounted, scope, InvalidInput.field("header", versioning.header, message))
        return None
    if segment in versioning.retired:
        retired = versioning.retired[segment]
        message = f"API {segment} was retired on {retired.sunset}; use {versioning.current}."
        reply = mounted.presenter.failure(bare_call(scope, mounted), VersionRetired(message))
        reply.headers |= {"Sunset": retired.sunset, "Link": f'<{retired.link}>; rel="sunset"'}
        return reply
    # A CORS preflight names the headers it will send, not their values: it is answered as
    # the current version would answer it.
    preflight = scope["method"] == "OPTIONS"
    if not preflight and (asked is None or not versioning.names_current(asked)):
        wanted = f"{found.root}/{versioning.current}/..."
        message = (
            f"Name the version in the path ({wanted}) or in the {versioning.header} header."
            if asked is None
            else f"API version {asked} is not served; this server serves {versioning.current}."
        )
        return _refuse(mounted, scope, InvalidInput.field("header", versioning.header, message))
    prefix = found.root + "/" + versioning.current
    scope["path"] = prefix + rest
    raw = scope.get("raw_path")
    root = found.root.encode()
    if raw:
        scope["raw_path"] = prefix.encode() + (raw[len(root) :] if raw.startswith(root) else raw)
    return None


def _refuse(mounted: Mounted, scope: Scope, error: OpenPawsError) -> Any:
    return mounted.presenter.failure(bare_call(scope, mounted), error)
