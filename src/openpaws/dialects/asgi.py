"""Serving the pipeline over ASGI: Litestar route handlers, and the thin path beneath them.

Every route a dialect declares becomes a Litestar route handler under the dialect's prefix,
so Litestar routes, answers CORS preflights and unknown paths or methods. The same routes
also form a table the thin path (:class:`ThinPath`) matches first: a request for a declared
method and path that carries no ``Origin`` header is handed to the same pipeline and the same
handler without Litestar's routing, request object and exception layers. What it skips is
only what those requests do not need: CORS headers (every request with an ``Origin`` goes
through Litestar), and Litestar's parameter parsing (the pipeline reads the query string and
path itself, the same way on both entries).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from litestar import Request, Router, route
from litestar.exceptions import HTTPException, InternalServerException
from litestar.handlers import HTTPRouteHandler
from litestar.types import Method

from openpaws.dialects.answers import Answer, exception_handler
from openpaws.dialects.pipeline import (
    BadRequest,
    Call,
    Mounted,
    Reply,
    RequestTooLarge,
    Route,
    run,
)
from openpaws.domain.errors import MethodNotAllowed, NotFound, OpenPawsError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# ASGI, loosely typed: the thin path reads and writes plain messages.
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]
_PARAM = re.compile(r"\{(\w+)(?::(path))?\}")


@dataclass(frozen=True)
class Endpoint:
    """A declared route of a mounted dialect: where it answers and how it runs."""

    route: Route
    mounted: Mounted
    template: str  # the full path template, as metrics name the route: /x/{name}
    pattern: re.Pattern[str]
    inline: bool  # runs on the event loop (short in-process reads) rather than a thread

    def params(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        return None if found is None else found.groupdict()

    async def serve(self, call: Call) -> Reply:
        if self.inline:
            return run(self.route, call)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.mounted.runtime.threads, run, self.route, call)


def endpoints(mounted: Mounted, routes: Sequence[Route], trailing_slash: bool) -> list[Endpoint]:
    found = []
    for declared in routes:
        declared_path = mounted.prefix + declared.path
        inline = mounted.runtime.inline_reads and not declared.write
        pattern = _pattern(declared_path, trailing_slash)
        template = _PARAM.sub(lambda m: f"{{{m[1]}}}", declared_path)
        found.append(Endpoint(declared, mounted, template, pattern, inline))
    return found


def _pattern(template: str, trailing_slash: bool) -> re.Pattern[str]:
    """``{name}`` matches one path segment, ``{name:path}`` the rest of the path."""
    parts, last = [], 0
    for param in _PARAM.finditer(template):
        parts.append(re.escape(template[last : param.start()]))
        parts.append(f"(?P<{param[1]}>.+)" if param[2] else f"(?P<{param[1]}>[^/]+)")
        last = param.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts) + ("/?" if trailing_slash else ""))


def _litestar_path(template: str) -> str:
    return _PARAM.sub(lambda m: f"{{{m[1]}:{m[2] or 'str'}}}", template)


def litestar_router(
    mounted: Mounted, served: Sequence[Endpoint], trailing_slash: bool, max_body_bytes: int
) -> Router:
    """The dialect's routes as Litestar sees them, errors rendered by the dialect."""
    handlers = [_handler(endpoint, trailing_slash) for endpoint in served]

    def failure(request: Request[Any, Any, Any], error: Exception) -> Answer:
        return answer(
            mounted.presenter.failure(bare_call(request.scope, mounted), known_error(error))
        )

    return Router(
        path=mounted.prefix or "/",
        route_handlers=handlers,
        exception_handlers={Exception: exception_handler(failure)},
        request_max_body_size=max_body_bytes,
    )


def _handler(endpoint: Endpoint, trailing_slash: bool) -> HTTPRouteHandler:
    local = _litestar_path(endpoint.route.path)
    paths = [local, local.rstrip("/") + "/"] if trailing_slash else [local]
    wants_body = endpoint.route.method in BODY_METHODS

    async def handle(request: Request[Any, Any, Any]) -> Answer:
        scope = request.scope
        params = endpoint.params(scope["path"]) or {}
        try:
            body = await request.body() if wants_body else b""
        except InternalServerException:  # the body broke off (or its chunks were malformed)
            raise BadRequest("The request body could not be read whole.") from None
        call = Call(scope, body, endpoint.mounted, params)
        return answer(await endpoint.serve(call))

    name = f"{endpoint.mounted.name}:{endpoint.route.method}:{endpoint.route.path}"
    method = cast("Method", endpoint.route.method)
    limit = endpoint.route.max_body_bytes
    extra: dict[str, Any] = {} if limit is None else {"request_max_body_size": limit}
    # The reply sets its own status; the declared one only keeps Litestar from taking a
    # DELETE for a bodiless 204.
    extra["status_code"] = endpoint.route.status
    return route(paths, http_method=[method], name=name, **extra)(handle)


def bare_call(scope: Any, mounted: Mounted) -> Call:
    """A call for answering a request no route took (its body unread)."""
    return Call(scope, b"", mounted, {})


def known_error(error: Exception) -> OpenPawsError:
    """What Litestar raised before a route ran, as an error a dialect can render."""
    if isinstance(error, OpenPawsError):
        return error
    status = error.status_code if isinstance(error, HTTPException) else 500
    if status == 404:
        return NotFound("The requested resource was not found.")
    if status == 405:
        return MethodNotAllowed("The method is not allowed here.")
    if status == 413:
        return RequestTooLarge("The request body is too large.")
    if status < 500:
        return BadRequest(str(getattr(error, "detail", error)))
    return OpenPawsError("Something went wrong")


def answer(reply: Reply) -> Answer:
    return Answer(
        body=reply.body,
        status_code=reply.status,
        media_type=reply.media_type,
        headers=reply.headers,
    )


class ThinPath:
    """Matches declared routes before Litestar does, and serves them through the pipeline.

    It matches as Litestar's router does: a trailing slash does not count, and a path that is
    a static route of some method is never taken by a parameter of another route (any other
    method there is Litestar's 405).
    """

    def __init__(self, served: Sequence[Endpoint]) -> None:
        self._static: dict[tuple[str, str], Endpoint] = {}
        self._static_paths: set[str] = set()
        self._dynamic: list[Endpoint] = []
        for endpoint in served:
            if "{" in endpoint.route.path:
                self._dynamic.append(endpoint)
            else:
                self._static[(endpoint.route.method, endpoint.template)] = endpoint
                self._static_paths.add(endpoint.template)

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]] | None:
        path = _untrailed(path)
        if path in self._static_paths:
            found = self._static.get((method, path))
            return None if found is None else (found, {})
        for endpoint in self._dynamic:
            if endpoint.route.method == method and (params := endpoint.params(path)) is not None:
                return endpoint, params
        return None

    def allowed(self, path: str) -> tuple[Mounted, list[str]] | None:
        """The dialect serving ``path`` and every method it answers there (``OPTIONS``
        included), or None for a path no route declares."""
        path = _untrailed(path)
        if path in self._static_paths:
            found = [e for (_, p), e in self._static.items() if p == path]
        else:
            found = [e for e in self._dynamic if e.params(path) is not None]
        if not found:
            return None
        return found[0].mounted, sorted({e.route.method for e in found} | {"OPTIONS"})

    def wrap(self, app: Any) -> ASGI:
        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and not _has_origin(scope):
                method, path = scope["method"], scope["path"]
                found = self.match(method, path)
                if found is not None:
                    endpoint, params = found
                    scope["path_template"] = endpoint.template
                    await _serve(endpoint, params, scope, receive, send)
                    return
                if (allowed := self.allowed(path)) is not None:
                    await send_reply(send, _other_method(scope, *allowed))
                    return
            await app(scope, receive, send)

        return serve


def _untrailed(path: str) -> str:
    return path.rstrip("/") if len(path) > 1 else path


def _other_method(scope: Scope, mounted: Mounted, methods: list[str]) -> Reply:
    """A declared path asked with a method it does not serve: ``OPTIONS`` lists the methods,
    any other is a 405 in the dialect's shape; both carry ``Allow``."""
    allow = ", ".join(methods)
    if scope["method"] == "OPTIONS":
        return Reply(204, b"", {"Allow": allow}, media_type=None)
    reply = mounted.presenter.failure(
        bare_call(scope, mounted), MethodNotAllowed("The method is not allowed here.")
    )
    reply.headers["Allow"] = allow
    return reply


def _has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])


async def _serve(
    endpoint: Endpoint, params: dict[str, str], scope: Scope, receive: Receive, send: Send
) -> None:
    mounted = endpoint.mounted
    body: bytes | None = b""
    if endpoint.route.method in BODY_METHODS:
        limit = endpoint.route.max_body_bytes or mounted.max_body_bytes
        try:
            body = None if _declared_length(scope) > limit else await _read_body(receive, limit)
        except _ClientGone:
            # Gone, or its chunks were malformed (the server reports both alike): answer in
            # case it still listens; nothing was done.
            failure = BadRequest("The request body could not be read whole.")
            with contextlib.suppress(Exception):
                await send_reply(
                    send, mounted.presenter.failure(bare_call(scope, mounted), failure)
                )
            return
    if body is None:
        reply = mounted.presenter.failure(
            bare_call(scope, mounted), RequestTooLarge("The request body is too large.")
        )
    else:
        reply = await endpoint.serve(Call(scope, body, mounted, params))
    await send_reply(send, reply)


def _declared_length(scope: Scope) -> int:
    """The Content-Length the client declared (0 without one): a body declared too large is
    refused before a byte of it is read (and before any ``100 Continue``)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() and len(value) < 19 else 0
    return 0


class _ClientGone(Exception):
    """The client went away before its request was read whole."""


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None once it grows past ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise _ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


# Answers that carry no content, and so no Content-Type or Content-Length (RFC 9110 8.6).
_NO_CONTENT = frozenset({204, 304})


async def send_reply(send: Send, reply: Reply) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers.items()]
    if reply.status not in _NO_CONTENT:
        if reply.media_type is not None:
            headers.append((b"content-type", reply.media_type.encode("latin-1")))
        headers.append((b"content-length", str(len(reply.body)).encode()))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
