"""PawPlacer's answers: the headers every response carries, cacheable reads, and the error
body {error, code, request_id[, hint, details, available_fields]}."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from datetime import UTC, datetime

import msgspec

from openpaws.dialects.inputs import MalformedBody, RequestInvalid
from openpaws.dialects.pawplacer import vocab, wire
from openpaws.dialects.pipeline import BadRequest, Call, Reply, RequestTooLarge
from openpaws.domain.custom_fields import UnknownCustomFields
from openpaws.domain.errors import (
    FieldProblem,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    OpenPawsError,
    PermissionDenied,
    Unauthenticated,
)
from openpaws.platform import attempts
from openpaws.platform.idempotency import IdempotencyConflict
from openpaws.platform.quotas import Quota, RateLimited

API_VERSION = "1.0.0"
# Public payloads may sit in shared caches, but only keyed by the API key that asked.
CACHE_CONTROL = "public, max-age=300"
VARY = "x-api-key"
_encode = msgspec.json.Encoder().encode


class UnsupportedContentType(InvalidInput):
    code = "unsupported_content_type"
    hint = "Set header: Content-Type: application/json"


def _validation_message(error: InvalidInput) -> str:
    if not error.fields:
        return error.message
    return "Validation failed: " + "; ".join(f"{f.name} - {f.message}" for f in error.fields)


def _wire_name(name: str) -> str:
    """PawPlacer's name for a canonical field (``custom_field_data.x`` stays as it is)."""
    return vocab.FIELD_NAMES.get(name, name)


def _rate_message(error: RateLimited, counts_key: bool) -> str:
    if error.verdict.quota == attempts.QUOTA:  # the platform's, not one of PawPlacer's
        return error.message
    limit, window = error.verdict.limit, error.verdict.window.value
    if counts_key:
        return f"Rate limit exceeded. Maximum {limit} writes per {window} for this key."
    return (
        f"Rate limit exceeded. Maximum {limit} requests per {window}. "
        "Cache responses to avoid throttling."
    )


def error_body(error: OpenPawsError, request_id: str) -> tuple[int, wire.Error]:
    """The status and body PawPlacer documents for ``error``."""
    if isinstance(error, Unauthenticated):
        return 401, wire.Error("API key required", "api_key_required", request_id)
    if isinstance(error, PermissionDenied):
        message = (
            "This API key does not have write access. Use a write-enabled key for this operation."
        )
        return 403, wire.Error(message, "insufficient_scope", request_id)
    if isinstance(error, NotFound) and error.kind == "animal":
        return 404, wire.Error("Pet not found", "pet_not_found", request_id)
    if isinstance(error, NotFound):
        return 404, wire.Error("Not found", "not_found", request_id)
    if isinstance(error, MethodNotAllowed):
        return 405, wire.Error("Method not allowed", "method_not_allowed", request_id)
    if isinstance(error, IdempotencyConflict):
        return 409, wire.Error(error.message, error.code, request_id)
    if isinstance(error, RateLimited):
        message = _rate_message(error, error.verdict.quota == vocab.WRITE_QUOTA)
        return 429, wire.Error(message, "rate_limited", request_id)
    if isinstance(error, RequestTooLarge):
        message = "Request body too large (at most 1 MiB)."
        return 413, wire.Error(message, "request_too_large", request_id)
    if isinstance(error, MalformedBody):
        hint = "Ensure body is valid JSON and header is application/json"
        return 400, wire.Error(error.message, "malformed_json", request_id, hint=hint)
    if isinstance(error, UnsupportedContentType | BadRequest):
        found: str | None = getattr(error, "hint", None)
        return 400, wire.Error(error.message, error.code, request_id, hint=found)
    if isinstance(error, InvalidInput):
        renamed = (
            error
            if isinstance(error, RequestInvalid)
            else InvalidInput(
                error.message,
                fields=tuple(
                    FieldProblem(f.location, _wire_name(f.name), f.message) for f in error.fields
                ),
            )
        )
        details = [wire.FieldError(f.name, f.message) for f in renamed.fields] or None
        available = error.available if isinstance(error, UnknownCustomFields) else None
        body = wire.Error(
            _validation_message(renamed),
            "validation_failed",
            request_id,
            details=details,
            available_fields=available,
        )
        return 400, body
    return 500, wire.Error("Something went wrong", "internal_error", request_id)


def _etag(organization_id: int, content: bytes) -> str:
    digest = hashlib.sha256(str(organization_id).encode() + b"\0" + content).hexdigest()
    return f'"{digest[:32]}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags


class Presenter:
    def __init__(self, quotas: Mapping[str, Quota]) -> None:
        self.quotas = quotas

    def headers(self, call: Call) -> dict[str, str]:
        """What every PawPlacer response carries: its id, the API version, when it was made
        and the caller's standing against the route's quota."""
        verdict = call.verdict
        if verdict is not None:
            limit, remaining, reset = verdict.limit, verdict.remaining, verdict.reset_second
        else:
            route = call.route
            quota = self.quotas[route.quota if route and route.quota else vocab.LIST_QUOTA]
            limit, remaining, reset = quota.limit.per_window, -1, int(time.time())
        return {
            "X-Request-Id": call.request_id,
            "X-Api-Version": API_VERSION,
            "X-Generated-At": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
        }

    def success(self, call: Call, status: int, body: bytes, headers: Mapping[str, str]) -> Reply:
        found = self.headers(call) | dict(headers)
        if call.method != "GET":
            found["Cache-Control"] = "no-store"
            return Reply(status, body, found)
        principal = call.require_principal()
        etag = _etag(principal.account_id, body)
        found |= {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": VARY}
        if _matches(call.headers.get("if-none-match"), etag):
            return Reply(304, b"", found)
        return Reply(status, body, found)

    def replay(self, call: Call, status: int, body: bytes) -> Reply:
        headers = self.headers(call) | {"Idempotency-Replay": "true", "Cache-Control": "no-store"}
        return Reply(status, body, headers)

    def failure(self, call: Call, error: OpenPawsError) -> Reply:
        status, body = error_body(error, call.request_id)
        return Reply(status, _encode(body), self.headers(call))
