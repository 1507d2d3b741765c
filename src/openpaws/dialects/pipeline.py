"""The one request pipeline every dialect's routes run through.

For each request: authenticate (the dialect's scheme), check the scope the route needs, replay
an idempotent answer, count the quota, run the use case (reads on a reader, writes in one
transaction that also keeps the idempotent answer), and render the answer or the error in the
dialect's shape. The pipeline knows no dialect; a dialect gives routes, an auth scheme and a
presenter (:class:`~openpaws.dialects.registry.Dialect`).

It is framework-free: a :class:`Call` is built from the ASGI scope and the body, and a
:class:`Reply` is what goes back. :mod:`openpaws.dialects.asgi` feeds it from Litestar's
route handlers and from the thin path beneath Litestar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote

import msgspec

from openpaws.dialects import inputs
from openpaws.dialects.addresses import Network, client_address
from openpaws.domain.errors import InvalidInput, OpenPawsError, Unauthenticated
from openpaws.domain.texts import BAD_CHARACTERS
from openpaws.platform import idempotency
from openpaws.platform.api_keys import Usage
from openpaws.platform.attempts import Attempts
from openpaws.platform.principals import CredentialKind, Principal, Scope
from openpaws.platform.quotas import Meter, Quota, Quotas, RateLimited, Verdict
from openpaws.platform.secret_keys import SecretBox, secret_box
from openpaws.storage.database import Database, Reader

if TYPE_CHECKING:
    from openpaws.config import Settings

logger = logging.getLogger("openpaws.pipeline")
_encode = msgspec.json.Encoder().encode


class RequestTooLarge(InvalidInput):
    code = "request_too_large"
    status = 413


class BadRequest(InvalidInput):
    """A request that cannot be read at all (the framework refused it, or its body is
    empty where one is needed)."""

    code = "bad_request"


@dataclass(frozen=True)
class Route:
    """One operation of a dialect: method, path under the dialect's prefix, and what it needs.

    A read's ``handler`` takes the :class:`Call` and returns what to encode as the body (a
    msgspec Struct, ``msgspec.Raw``), ``bytes`` already encoded, or a whole :class:`Reply`.
    A write's ``read`` reads the request into what the use case takes, before any
    transaction opens; its ``handler`` takes the call, the :class:`Transaction` to work in
    and what ``read`` gave, and returns the body to encode. Path parameters are written
    ``{name}`` (one segment) or ``{name:path}`` (the rest of the path).
    """

    method: str
    path: str
    handler: Callable[..., Any]
    scope: Scope | None = None  # None: no credential is asked for
    quota: str | None = None  # the name of one of the dialect's quotas
    write: bool = False
    read: Callable[[Call], Any] | None = None  # a write's request, read before its transaction
    status: int = 200
    idempotent: bool = False  # honours an Idempotency-Key header
    headers: Mapping[str, str] = field(default_factory=dict)  # added to every success
    # A route that checks a credential itself (a token endpoint): the credential presented,
    # from what ``read`` gave. Its requests are throttled as authentication is.
    authenticates: Callable[[Any], str] | None = None
    max_body_bytes: int | None = None  # a smaller body cap than the dialect's, for this route


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = "application/json"


class Call:
    """One request as the pipeline and a handler see it."""

    __slots__ = (
        "_client_ip",
        "_query",
        "_query_items",
        "body",
        "headers",
        "method",
        "mounted",
        "params",
        "path",
        "presented",
        "principal",
        "raw_path",
        "request_id",
        "route",
        "scope",
        "verdict",
    )

    def __init__(
        self, scope: Mapping[str, Any], body: bytes, mounted: Mounted, params: dict[str, str]
    ) -> None:
        self.scope = scope
        self.mounted = mounted
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        raw = scope.get("raw_path")
        self.raw_path: str = raw.decode("latin-1") if raw else self.path
        self.params = params
        self.body = body
        self.headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        self.request_id: str = scope.get("state", {}).get("request_id", "")
        self.route: Route | None = None
        self.principal: Principal | None = None
        self.verdict: Verdict | None = None
        self.presented = ""  # the credential presented, once authentication looked at it
        self._client_ip: str | None = None
        self._query_items: list[tuple[str, str]] | None = None
        self._query: dict[str, str] | None = None

    @property
    def query_items(self) -> list[tuple[str, str]]:
        """Every (name, value) of the query string, in order; parsed once."""
        if self._query_items is None:
            self._query_items = inputs.query_pairs(self.scope.get("query_string", b""))
        return self._query_items

    def form(self) -> dict[str, str]:
        """The body as form fields (a repeated field's last value), percent-decoded as the
        query string is."""
        return dict(inputs.query_pairs(self.body, "body"))

    def json(self) -> Any:
        """The body as a JSON document (:func:`inputs.json_document`)."""
        return inputs.json_document(self.body)

    def screen(self) -> None:
        """What every request must pass before anything else reads it: a query string within
        bounds and, in it, the path and the headers, no text breaking the character rules.
        Raises :class:`RequestInvalid` naming what is wrong."""
        if self.scope.get("query_string"):
            self.query_items  # noqa: B018 - parsed (and bounded) once, here
        if not inputs.clean(self.path):
            raise inputs.RequestInvalid.field("path", "path", BAD_CHARACTERS)
        for name, value in self.headers.items():
            if "\x00" in value:
                message = BAD_CHARACTERS
                raise inputs.RequestInvalid.field("header", name, message)
        if len(self.headers) < len(self.scope["headers"]):  # a header sent twice
            self._refuse_repeats()

    def _refuse_repeats(self) -> None:
        """A credential, idempotency key or content type sent twice is ambiguous (a proxy in
        front may read the first where we would read the last): refused."""
        auth = self.mounted.auth
        single = _SINGLE_HEADERS | (auth.headers if auth is not None else frozenset())
        seen: set[str] = set()
        for raw, _ in self.scope["headers"]:
            name = raw.decode("latin-1").lower()
            if name in single and name in seen:
                raise inputs.RequestInvalid.field("header", name, "Must be sent once")
            seen.add(name)

    @property
    def query(self) -> dict[str, str]:
        """Each query parameter's first value."""
        if self._query is None:
            self._query = _first_values(self.query_items)
        return self._query

    def raw_param(self, name: str, after: str) -> str:
        """The path parameter ``name`` as sent: the rest of the raw path after ``after``,
        percent-decoded once (so an encoded ``/`` in an identifier stays part of it). Where
        the raw path does not spell ``after`` (an encoded ``/`` within it), the parameter as
        routed."""
        _, found, rest = self.raw_path.partition(after)
        return unquote(rest) if found else self.params[name]

    @property
    def client_ip(self) -> str:
        """The client's address (:mod:`openpaws.dialects.addresses`)."""
        if self._client_ip is None:
            trusted = self.mounted.runtime.trusted_proxies
            self._client_ip = client_address(self.scope, trusted)
        return self._client_ip

    @property
    def reader(self) -> Reader:
        return self.mounted.runtime.db.reader()

    def require_principal(self) -> Principal:
        assert self.principal is not None, "the route asks for no credential"
        return self.principal


def _first_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in pairs:
        found.setdefault(name, value)
    return found


_SINGLE_HEADERS = frozenset({"authorization", "content-type", "idempotency-key"})


class AuthScheme(Protocol):
    """How a dialect's requests carry a credential, how it is checked, and how a refusal
    tells the client what to send (``WWW-Authenticate``)."""

    headers: frozenset[str]  # the request headers (lower case) that carry the credential

    def presented(self, call: Call) -> str: ...

    # Checks the credential ``presented`` gave (the pipeline keeps it in ``call.presented``).
    def authenticate(self, call: Call, dialect: str) -> Principal: ...

    def challenge(self, call: Call, error: Unauthenticated) -> str: ...


class Presenter(Protocol):
    """How a dialect shapes what goes back: successes, replays and errors."""

    def success(
        self, call: Call, status: int, body: bytes, headers: Mapping[str, str]
    ) -> Reply: ...

    def replay(self, call: Call, status: int, body: bytes) -> Reply: ...

    def failure(self, call: Call, error: OpenPawsError) -> Reply: ...


@dataclass
class Runtime:
    """What every mounted dialect shares: the database, the settings, the quota counters."""

    db: Database
    settings: Settings
    quotas: Quotas
    key_usage: Usage
    attempts: Attempts  # authentication throttling
    trusted_proxies: tuple[Network, ...]
    inline_reads: bool  # reads run on the event loop (SQLite without Redis)
    threads: ThreadPoolExecutor  # where everything else runs (OPENPAWS_DB_THREADS of them)
    _secret_box: SecretBox | None = field(default=None, init=False)

    def secret_box(self) -> SecretBox:
        """What seals recoverable secrets (made on first use: ``serve`` checks it can be made
        before it starts)."""
        if self._secret_box is None:
            self._secret_box = secret_box(self.settings.secret_key, self.db.url)
        return self._secret_box


@dataclass
class Mounted:
    """A dialect mounted at its prefix: what its routes run with."""

    name: str
    prefix: str
    runtime: Runtime
    auth: AuthScheme | None
    quotas: Mapping[str, Quota]
    max_body_bytes: int
    # For a dialect with OAuth clients: what its clients may do, and how long tokens last.
    client_scopes: frozenset[Scope] = frozenset()
    token_lifetime: int = 0
    presenter: Presenter = field(init=False)


def run(route: Route, call: Call) -> Reply:
    """The pipeline: every request of every dialect goes through here."""
    mounted = call.mounted
    presenter = mounted.presenter
    call.route = route
    try:
        call.screen()
        if route.scope is not None:
            call.principal = principal = _authenticate(call)
            principal.require(route.scope)
        meter = _meter(route, call)
        if meter is not None and route.idempotent and "idempotency-key" in call.headers:
            call.verdict = meter.standing()  # a replay shows it, spending no request
        key = _idempotency_key(route, call)
        if key is not None and (replay := idempotency.stored_replay(call.reader, key)):
            return presenter.replay(call, replay.status_code, replay.body.encode())
        if meter is not None:
            call.verdict = meter.hit()
        if route.write:
            if route.authenticates is not None:  # counted before its body is even read
                mounted.runtime.attempts.token_requested(mounted.name, call.client_ip)
            given = route.read(call) if route.read else None
            if route.authenticates is not None:
                _admit(call, route.authenticates(given), always=True)
            result = _write(route, call, key, given)
        else:
            result = route.handler(call)
        if isinstance(result, Reply):
            return result
        body = result if isinstance(result, bytes) else _encode(result)
        return presenter.success(call, route.status, body, route.headers)
    except idempotency.AlreadyAnswered as answered:
        return presenter.replay(call, answered.replay.status_code, answered.replay.body.encode())
    except RateLimited as refused:
        call.verdict = refused.verdict
        reply = presenter.failure(call, refused)
        reply.headers.setdefault("Retry-After", str(refused.verdict.retry_after()))
        return reply
    except Unauthenticated as refused:
        return _refused(call, refused)
    except OpenPawsError as error:
        return presenter.failure(call, error)
    except Exception:
        logger.exception("unexpected error", extra={"request_id": call.request_id})
        return presenter.failure(call, OpenPawsError("Something went wrong"))


def _authenticate(call: Call) -> Principal:
    """The caller, by the dialect's scheme, throttled (:mod:`openpaws.platform.attempts`)."""
    auth = call.mounted.auth
    assert auth is not None, f"{call.mounted.name} has no auth scheme"
    _admit(call, auth.presented(call))
    return auth.authenticate(call, call.mounted.name)


def _admit(call: Call, presented: str, *, always: bool = False) -> None:
    call.presented = presented
    attempts = call.mounted.runtime.attempts
    attempts.admit(call.mounted.name, presented, call.client_ip, always=always)


# Refusals that are no guess at a secret: nothing was sent, or a once-valid credential expired.
_NOT_GUESSES = frozenset({"missing", "expired"})


def _refused(call: Call, error: Unauthenticated) -> Reply:
    """A failed authentication: counted against the credential and the address (unless it is
    no guess), and answered with the dialect's challenge."""
    mounted = call.mounted
    if error.reason not in _NOT_GUESSES:
        try:
            mounted.runtime.attempts.failed(mounted.name, call.presented, call.client_ip)
        except Exception:  # the counters' store failing must not turn a 401 into a 500
            logger.exception(
                "counting a failed authentication", extra={"request_id": call.request_id}
            )
    reply = mounted.presenter.failure(call, error)
    if mounted.auth is not None:
        reply.headers.setdefault("WWW-Authenticate", mounted.auth.challenge(call, error))
    return reply


def _write(route: Route, call: Call, key: idempotency.IdempotencyKey | None, given: Any) -> bytes:
    """The use case in one transaction, with its idempotent answer kept in the same one."""
    with call.mounted.runtime.db.transaction() as tx:
        body = _encode(route.handler(call, tx, given))
        if key is not None:
            idempotency.settle(tx, key, route.status, body.decode())
    return body


def _meter(route: Route, call: Call) -> Meter | None:
    """The route's quota for this caller (the caller, and the client's address)."""
    if route.quota is None:
        return None
    mounted = call.mounted
    quota = mounted.quotas[route.quota]
    return mounted.runtime.quotas.meter(
        call.reader, mounted.name, quota, call.principal, call.client_ip
    )


def _idempotency_key(route: Route, call: Call) -> idempotency.IdempotencyKey | None:
    if not route.idempotent or call.principal is None:
        return None
    value = call.headers.get("idempotency-key")
    credential = call.principal.credential
    if value is None or credential.kind is not CredentialKind.API_KEY:
        return None
    query = call.scope.get("query_string", b"").decode("latin-1")
    target = f"{call.raw_path}?{query}" if query else call.raw_path
    return idempotency.key_for(credential.id, value, call.method, target, call.body)
