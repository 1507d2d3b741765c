"""Paws Source's answers: the seed's error envelope ``{"error": {"code", "message",
"details": [{"field", "issue", "message"}]}}`` for every failure, and the rate-limit headers
on every answer.

Missing fields and bodies that cannot be read are 400 ``invalid_request``; values that are
present but wrong are 422 ``validation_failed`` (docs/pawssource.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from openpaws.dialects.inputs import MalformedBody, RequestInvalid
from openpaws.dialects.pawssource import vocab, wire
from openpaws.dialects.pipeline import BadRequest, Call, Reply, RequestTooLarge
from openpaws.dialects.versions import VersionRetired
from openpaws.domain.errors import (
    FieldProblem,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    OpenPawsError,
    PermissionDenied,
    Unauthenticated,
)
from openpaws.platform.idempotency import IdempotencyConflict
from openpaws.platform.quotas import Quota, RateLimited

_encode = msgspec.json.Encoder().encode
INVALID = "The request contains invalid parameters."
UNAUTHORIZED = {
    "missing": "Missing API key. Send Authorization: Bearer <your key>.",
    "unknown": "Invalid API key.",
    "revoked": "This API key has been revoked.",
    "expired": "This API key has expired.",
}
NOUNS = {
    "animal": "Pet",
    "product": "Product",
    "order": "Order",
    "shipping_address": "Shipping address",
    "payment_method": "Payment method",
    "appointment": "Appointment",
    "provider": "Provider",
    "medical_record": "Medical record",
    "tag": "Tag",
    "webhook_endpoint": "Webhook endpoint",
    "webhook_delivery": "Webhook delivery",
}


def _detail(problem: FieldProblem, renamed: bool) -> wire.Detail:
    name = problem.name if renamed else vocab.FIELD_NAMES.get(problem.name, problem.name)
    issue = vocab.ISSUES.get(problem.kind, "invalid")
    return wire.Detail(name, issue, problem.message)


def _invalid(error: InvalidInput) -> tuple[int, wire.ErrorInfo]:
    details = [_detail(p, isinstance(error, RequestInvalid)) for p in error.fields]
    if isinstance(error, MalformedBody):
        return 400, wire.ErrorInfo("invalid_request", "The request body is not valid JSON.", [])
    if isinstance(error, BadRequest):
        return 400, wire.ErrorInfo("invalid_request", error.message, details)
    unreadable = any(p.location in ("header", "path") for p in error.fields)
    if unreadable or any(p.kind == "missing" for p in error.fields):
        message = "The request is missing required fields or cannot be read."
        return 400, wire.ErrorInfo("invalid_request", message, details)
    return 422, wire.ErrorInfo("validation_failed", INVALID, details)


def error_info(error: OpenPawsError) -> tuple[int, wire.ErrorInfo]:
    if isinstance(error, Unauthenticated):
        message = UNAUTHORIZED.get(error.reason, UNAUTHORIZED["unknown"])
        return 401, wire.ErrorInfo("unauthorized", message, [])
    if isinstance(error, PermissionDenied):
        return 403, wire.ErrorInfo("forbidden", error.message, [])
    if isinstance(error, NotFound):
        noun = NOUNS.get(error.kind, "Resource")
        return 404, wire.ErrorInfo("not_found", f"{noun} does not exist.", [])
    if isinstance(error, VersionRetired):
        return 410, wire.ErrorInfo("version_sunset", error.message, [])
    if isinstance(error, MethodNotAllowed):
        return 405, wire.ErrorInfo("method_not_allowed", "Method not allowed.", [])
    if isinstance(error, IdempotencyConflict):
        return 409, wire.ErrorInfo("idempotency_conflict", error.message, [])
    if isinstance(error, RequestTooLarge):
        return 413, wire.ErrorInfo("request_too_large", "The request body is too large.", [])
    if isinstance(error, RateLimited):
        return 429, wire.ErrorInfo("rate_limit_exceeded", "Rate limit exceeded.", [])
    if isinstance(error, InvalidInput):
        return _invalid(error)
    return 500, wire.ErrorInfo("internal_error", "Something went wrong on our end.", [])


class Presenter:
    def __init__(self, quotas: Mapping[str, Quota]) -> None:
        self.quotas = quotas

    def headers(self, call: Call) -> dict[str, str]:
        found = {"X-Request-Id": call.request_id, "Cache-Control": "no-store"}
        verdict = call.verdict
        if verdict is not None and verdict.quota in self.quotas:
            found |= {
                "X-RateLimit-Limit": str(verdict.limit),
                "X-RateLimit-Remaining": str(verdict.remaining),
                "X-RateLimit-Reset": str(verdict.reset_second),
            }
        return found

    def success(self, call: Call, status: int, body: bytes, headers: Mapping[str, str]) -> Reply:
        return Reply(status, body, self.headers(call) | dict(headers))

    def replay(self, call: Call, status: int, body: bytes) -> Reply:
        return Reply(status, body, self.headers(call) | {"Idempotency-Replay": "true"})

    def failure(self, call: Call, error: OpenPawsError) -> Reply:
        status, info = error_info(error)
        headers = self.headers(call)
        if isinstance(error, RateLimited):
            headers["Retry-After"] = str(error.verdict.retry_after())
        return Reply(status, _encode(wire.Error(info)), headers)
