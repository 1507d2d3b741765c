"""PawPlacer's error bodies: {error, code, request_id[, hint, details, available_fields]}."""

from __future__ import annotations

from openpaws.dialects.pawplacer import wire
from openpaws.domain.animal_changes import PetNotFound
from openpaws.domain.custom_fields import UnknownCustomFields
from openpaws.domain.errors import (
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    OpenPawsError,
    PermissionDenied,
    Unauthenticated,
)
from openpaws.platform.idempotency import IdempotencyConflict
from openpaws.platform.rate_limits import EndpointClass, RateLimited


class MalformedJson(InvalidInput):
    code = "malformed_json"
    hint = "Ensure body is valid JSON and header is application/json"


class UnsupportedContentType(InvalidInput):
    code = "unsupported_content_type"
    hint = "Set header: Content-Type: application/json"


class BadRequest(InvalidInput):
    code = "bad_request"


def _validation_message(error: InvalidInput) -> str:
    if not error.fields:
        return error.message
    return "Validation failed: " + "; ".join(f"{f.name} - {f.message}" for f in error.fields)


def _rate_message(error: RateLimited) -> str:
    limit = error.verdict.limit
    if error.endpoint_class is EndpointClass.WRITE:
        return f"Rate limit exceeded. Maximum {limit} writes per hour for this key."
    return (
        f"Rate limit exceeded. Maximum {limit} requests per hour. "
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
    if isinstance(error, PetNotFound):
        return 404, wire.Error("Pet not found", "pet_not_found", request_id)
    if isinstance(error, NotFound):
        return 404, wire.Error("Not found", "not_found", request_id)
    if isinstance(error, MethodNotAllowed):
        return 405, wire.Error(error.message, "method_not_allowed", request_id)
    if isinstance(error, IdempotencyConflict):
        return 409, wire.Error(error.message, error.code, request_id)
    if isinstance(error, RateLimited):
        return 429, wire.Error(_rate_message(error), "rate_limited", request_id)
    if isinstance(error, MalformedJson | UnsupportedContentType | BadRequest):
        hint = getattr(error, "hint", None)
        return 400, wire.Error(error.message, error.code, request_id, hint=hint)
    if isinstance(error, InvalidInput):
        details = [wire.FieldError(f.name, f.message) for f in error.fields] or None
        available = error.available if isinstance(error, UnknownCustomFields) else None
        body = wire.Error(
            _validation_message(error),
            "validation_failed",
            request_id,
            details=details,
            available_fields=available,
        )
        return 400, body
    return 500, wire.Error("Something went wrong", "internal_error", request_id)
