"""The PawPlacer read and write routes, mounted under the dialect's prefix."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import msgspec
from litestar import Request, Router, get, patch, post
from litestar.exceptions import HTTPException
from litestar.params import RawBody
from sqlalchemy import Connection

from openpaws.config import Settings
from openpaws.dialects.answers import Answer, exception_handler, json_answer
from openpaws.dialects.contract import contract_route
from openpaws.dialects.pawplacer import bodies, mappers, params, problems, vocab, wire
from openpaws.domain import animal_changes, animals, org_settings, people
from openpaws.domain.errors import (
    FieldProblem,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    OpenPawsError,
)
from openpaws.observability import request_id
from openpaws.platform import api_keys, idempotency
from openpaws.platform.principals import Principal, Scope
from openpaws.platform.rate_limits import (
    DEFAULT_PER_HOUR,
    EndpointClass,
    RateLimited,
    RateLimiter,
    Verdict,
)
from openpaws.storage import org_settings as settings_store
from openpaws.storage.database import Database

OPENAPI_PATH = Path(__file__).with_name("openapi.yaml")
API_VERSION = "1.0.0"
# Public payloads may sit in shared caches, but only keyed by the API key that asked.
CACHE_CONTROL = "public, max-age=300"
VARY = "x-api-key"
MAX_BODY_BYTES = 1024 * 1024
EXPOSED_HEADERS = [
    "X-Request-Id",
    "X-Api-Version",
    "X-Generated-At",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Retry-After",
    "ETag",
    "Idempotency-Replay",
]
logger = logging.getLogger("openpaws.pawplacer")
_encode = msgspec.json.Encoder().encode

Req = Request[Any, Any, Any]


@dataclass
class Exchange:
    """One request's identity and rate-limit standing, for the headers of its answer."""

    endpoint_class: EndpointClass
    request_id: str
    verdict: Verdict | None = None

    def headers(self) -> dict[str, str]:
        verdict = self.verdict
        return {
            "X-Request-Id": self.request_id,
            "X-Api-Version": API_VERSION,
            "X-Generated-At": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "X-RateLimit-Limit": str(
                verdict.limit if verdict else DEFAULT_PER_HOUR[self.endpoint_class]
            ),
            "X-RateLimit-Remaining": str(verdict.remaining if verdict else -1),
            "X-RateLimit-Reset": str(verdict.reset_at if verdict else int(time.time())),
        }


def _json(status: int, content: bytes | None, headers: dict[str, str]) -> Answer:
    return json_answer(content or b"", status, headers)


def failure(exchange: Exchange, error: OpenPawsError) -> Answer:
    status, body = problems.error_body(error, exchange.request_id)
    headers = exchange.headers()
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.verdict.retry_after())
    return _json(status, _encode(body), headers)


def _etag(organization_id: int, content: bytes) -> str:
    digest = hashlib.sha256(str(organization_id).encode() + b"\0" + content).hexdigest()
    return f'"{digest[:32]}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _json_object(request: Req, body: bytes, route: str) -> dict[str, Any]:
    if not body.strip():
        raise problems.BadRequest(
            "Empty request body. To list pets, use GET /api/pets. POST creates new pets."
        )
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise problems.UnsupportedContentType(
            f"Unsupported Content-Type. Use application/json for {route}."
        )
    try:
        payload = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise problems.MalformedJson("Malformed JSON body") from None
    if not isinstance(payload, dict):
        raise InvalidInput.field("body", "body", "Expected a JSON object")
    return payload


class PawPlacerAPI:
    """The dialect's handlers, bound to one database, its settings and the rate limiter."""

    def __init__(self, db: Database, settings: Settings, limiter: RateLimiter) -> None:
        self.db = db
        self.limiter = limiter
        self.prefix = settings.pawplacer_prefix.rstrip("/")
        self.pets = mappers.PetMemo()

    # -- the steps every request shares -------------------------------------------------

    def _principal(self, request: Req, scope: Scope) -> Principal:
        principal = api_keys.authenticate(self.db, request.headers.get("x-api-key"))
        principal.require(scope)
        return principal

    def _subject(self, principal: Principal, endpoint_class: EndpointClass) -> tuple[str, int]:
        """Who a request counts against (the key for writes, else the organization) and the
        hourly limit that applies."""
        with self.db.read() as reader:
            override = settings_store.rate_limit(
                reader, principal.organization_id, endpoint_class.value
            )
        per_hour = override or DEFAULT_PER_HOUR[endpoint_class]
        if endpoint_class is EndpointClass.WRITE:
            return f"key:{principal.api_key_id}", per_hour
        return f"org:{principal.organization_id}", per_hour

    def _count(self, exchange: Exchange, standing: tuple[str, int]) -> None:
        subject, per_hour = standing
        exchange.verdict = self.limiter.hit(exchange.endpoint_class, subject, per_hour)
        if not exchange.verdict.allowed:
            raise RateLimited("Rate limit exceeded", exchange.verdict, exchange.endpoint_class)

    def _guarded(self, exchange: Exchange, work: Callable[[], Answer]) -> Answer:
        try:
            return work()
        except OpenPawsError as error:
            return failure(exchange, error)
        except Exception:
            logger.exception("unexpected error", extra={"request_id": exchange.request_id})
            return failure(exchange, OpenPawsError("Something went wrong"))

    def read(
        self, request: Req, endpoint_class: EndpointClass, produce: Callable[[Principal], Any]
    ) -> Answer:
        exchange = Exchange(endpoint_class, request_id(request.scope))

        def work() -> Answer:
            principal = self._principal(request, Scope.PETS_READ)
            self._count(exchange, self._subject(principal, endpoint_class))
            content = _encode(produce(principal))
            etag = _etag(principal.organization_id, content)
            headers = exchange.headers() | {
                "ETag": etag,
                "Cache-Control": CACHE_CONTROL,
                "Vary": VARY,
            }
            if _matches(request.headers.get("if-none-match"), etag):
                return _json(304, None, headers)
            return _json(200, content, headers)

        return self._guarded(exchange, work)

    def write(
        self,
        request: Req,
        body: bytes,
        route: str,
        scope: Scope,
        status: int,
        parse: Callable[[dict[str, Any]], Any],
        perform: Callable[[Connection, Principal, Any], Any],
    ) -> Answer:
        """A write: replay, then quota, then validation, then one transaction holding the
        record, its event and its idempotency entry."""
        exchange = Exchange(EndpointClass.WRITE, request_id(request.scope))

        def work() -> Answer:
            principal = self._principal(request, scope)
            standing = self._subject(principal, EndpointClass.WRITE)
            exchange.verdict = self.limiter.peek(EndpointClass.WRITE, *standing)
            key = self._idempotency_key(request, principal, body)
            if key is not None and (replay := idempotency.stored_replay(self.db, key)):
                return self._replayed(exchange, replay)
            self._count(exchange, standing)
            parsed = parse(_json_object(request, body, route))
            try:
                with self.db.transaction() as conn:
                    content = _encode(perform(conn, principal, parsed)).decode()
                    if key is not None:
                        idempotency.settle(conn, key, status, content)
            except idempotency.AlreadyAnswered as answered:
                return self._replayed(exchange, answered.replay)
            headers = exchange.headers() | {"Cache-Control": "no-store"}
            return _json(status, content.encode(), headers)

        return self._guarded(exchange, work)

    def _idempotency_key(
        self, request: Req, principal: Principal, body: bytes
    ) -> idempotency.IdempotencyKey | None:
        value = request.headers.get("idempotency-key")
        if value is None:
            return None
        if not value.strip() or len(value) > idempotency.MAX_KEY_LENGTH:
            raise InvalidInput.field("header", "Idempotency-Key", "Must be 1 to 255 characters")
        path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        return idempotency.key_for(principal.api_key_id, value, request.method, path, body)

    def _replayed(self, exchange: Exchange, replay: idempotency.Replay) -> Answer:
        headers = exchange.headers() | {"Idempotency-Replay": "true", "Cache-Control": "no-store"}
        return _json(replay.status_code, replay.body.encode(), headers)

    # -- the endpoints ------------------------------------------------------------------

    def list_pets(self, request: Req) -> Answer:
        query = {k: str(request.query_params.get(k)) for k in request.query_params}

        def produce(principal: Principal) -> wire.PetList:
            filters, limit, offset = params.pet_search(self.db, principal.organization_id, query)
            items, total = animals.organization_page(
                self.db, principal.organization_id, filters, limit, offset
            )
            pets = [self.pets.pet(d) for d in items]
            return wire.PetList(pets, total, limit, offset, offset + len(pets) < total)

        return self.read(request, EndpointClass.LIST, produce)

    def get_pet(self, request: Req) -> Answer:
        pet_id = self._identifier(request)

        def produce(principal: Principal) -> wire.Pet:
            details = animal_changes.listed_details(self.db, principal.organization_id, pet_id)
            return mappers.pet(details)

        return self.read(request, EndpointClass.DETAIL, produce)

    def pet_custom_fields(self, request: Req) -> Answer:
        def produce(principal: Principal) -> wire.PetCustomFields:
            found = org_settings.field_definitions(self.db, principal.organization_id, "pet")
            return wire.PetCustomFields([mappers.custom_field(d) for d in found])

        return self.read(request, EndpointClass.CUSTOM_FIELDS, produce)

    def people_custom_fields(self, request: Req) -> Answer:
        kind = str(request.query_params.get("type") or "adopter").strip()

        def produce(principal: Principal) -> wire.PeopleCustomFields:
            if kind not in vocab.PERSON_TYPES:
                allowed = ", ".join(vocab.PERSON_TYPES)
                raise InvalidInput(
                    "Validation failed",
                    fields=(FieldProblem("query", "type", f"Expected one of: {allowed}"),),
                )
            found = org_settings.field_definitions(self.db, principal.organization_id, kind)
            return wire.PeopleCustomFields(kind, [mappers.custom_field(d) for d in found])

        return self.read(request, EndpointClass.CUSTOM_FIELDS, produce)

    def create_pet(self, request: Req, body: bytes) -> Answer:
        def perform(conn: Connection, principal: Principal, change: Any) -> wire.Pet:
            details = animal_changes.create_animal(self.db, conn, principal.organization_id, change)
            return mappers.pet(details)

        return self.write(
            request,
            body,
            "POST /api/pets",
            Scope.PETS_WRITE,
            201,
            lambda payload: bodies.pet_change(payload, creating=True),
            perform,
        )

    def update_pet(self, request: Req, body: bytes) -> Answer:
        identifier = self._identifier(request)

        def perform(conn: Connection, principal: Principal, change: Any) -> wire.Pet:
            details = animal_changes.update_animal(
                self.db, conn, principal.organization_id, identifier, change
            )
            return mappers.pet(details)

        return self.write(
            request,
            body,
            "PATCH /api/pets/{petIdentifier}",
            Scope.PETS_WRITE,
            200,
            lambda payload: bodies.pet_change(payload, creating=False),
            perform,
        )

    def _identifier(self, request: Req) -> str:
        """The pet identifier, percent-decoded once from the raw path (it may hold a '/')."""
        raw = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        return unquote(raw.split("/api/pets/", 1)[1])

    def create_person(self, request: Req, body: bytes) -> Answer:
        query_type = request.query_params.get("type")

        def perform(conn: Connection, principal: Principal, data: Any) -> wire.Person:
            person = people.create_person(self.db, conn, principal.organization_id, data)
            return mappers.person(person)

        return self.write(
            request,
            body,
            "POST /api/people",
            Scope.PEOPLE_WRITE,
            201,
            lambda payload: bodies.person_input(payload, query_type),
            perform,
        )


def _route_error(request: Req, error: Exception) -> Answer:
    """Errors raised before a handler runs (unknown path, method, oversized body)."""
    exchange = Exchange(EndpointClass.LIST, request_id(request.scope))
    status = error.status_code if isinstance(error, HTTPException) else 500
    if status == 404:
        return failure(exchange, NotFound("Not found"))
    if status == 405:
        return failure(exchange, MethodNotAllowed("Method not allowed"))
    if status == 413:
        return failure(exchange, problems.BadRequest("Request body too large (at most 1 MiB)."))
    if status < 500:
        return failure(exchange, problems.BadRequest(str(getattr(error, "detail", error))))
    logger.exception("unexpected error", exc_info=error)
    return failure(exchange, OpenPawsError("Something went wrong"))


def build_router(
    db: Database, settings: Settings, limiter: RateLimiter, *, inline_reads: bool = False
) -> Router:
    """The dialect's routes; with ``inline_reads`` GET handlers run on the event loop."""
    api = PawPlacerAPI(db, settings, limiter)
    in_thread = not inline_reads

    @get("/api/pets", sync_to_thread=in_thread)
    def list_pets(request: Req) -> Answer:
        return api.list_pets(request)

    @get("/api/pets/custom-fields", sync_to_thread=in_thread)
    def pet_custom_fields(request: Req) -> Answer:
        return api.pet_custom_fields(request)

    # One path pattern for a pet: a custom_id may hold "/", so it is read from the raw path.
    @get("/api/pets/{pet_path:path}", sync_to_thread=in_thread)
    def get_pet(request: Req) -> Answer:
        return api.get_pet(request)

    @post("/api/pets", sync_to_thread=True, status_code=201)
    def create_pet(request: Req, body: RawBody) -> Answer:
        return api.create_pet(request, body)

    @patch("/api/pets/{pet_path:path}", sync_to_thread=True)
    def update_pet(request: Req, body: RawBody) -> Answer:
        return api.update_pet(request, body)

    @post("/api/people", sync_to_thread=True, status_code=201)
    def create_person(request: Req, body: RawBody) -> Answer:
        return api.create_person(request, body)

    @get("/api/people/custom-fields", sync_to_thread=in_thread)
    def people_custom_fields(request: Req) -> Answer:
        return api.people_custom_fields(request)

    return Router(
        path=api.prefix,
        route_handlers=[
            list_pets,
            pet_custom_fields,
            get_pet,
            create_pet,
            update_pet,
            create_person,
            people_custom_fields,
            contract_route(OPENAPI_PATH),
        ],
        exception_handlers={Exception: exception_handler(_route_error)},
        request_max_body_size=MAX_BODY_BYTES,
    )
