"""Petfinder's answers: RFC 9457 problem documents for errors, token lifetime on successes."""

from __future__ import annotations

import time
from collections.abc import Mapping

import msgspec

from openpaws.dialects.petfinder import wire
from openpaws.dialects.pipeline import Call, Reply, RequestTooLarge
from openpaws.domain.errors import (
    InvalidClient,
    InvalidInput,
    MethodNotAllowed,
    MissingInput,
    NotFound,
    OpenPawsError,
    PermissionDenied,
    Unauthenticated,
)
from openpaws.platform.quotas import RateLimited

TYPE_BASE = "https://www.petfinder.com/developers/v2/docs/errors/"
MEDIA_TYPE = "application/problem+json"
TOKEN_HEADER = "X-Token-Expires-In"

# (error class, status, Petfinder error code, title); the first matching class wins.
_KINDS: tuple[tuple[type[OpenPawsError], int, str, str], ...] = (
    (InvalidClient, 401, "ERR-401", "invalid_client"),
    (Unauthenticated, 401, "ERR-401", "Unauthorized"),
    (PermissionDenied, 403, "ERR-403", "Access Forbidden"),
    (NotFound, 404, "ERR-404", "Not Found"),
    (MethodNotAllowed, 405, "ERR-405", "Method Not Allowed"),
    (RequestTooLarge, 413, "ERR-413", "Payload Too Large"),
    (RateLimited, 429, "ERR-429", "Too Many Requests"),
    (MissingInput, 400, "ERR-00001", "Missing Parameters"),
    (InvalidInput, 400, "ERR-00002", "Invalid Request"),
)
_UNEXPECTED = (500, "ERR-500", "Internal Server Error")
# Errors of the token endpoint titled with their OAuth error code.
_OAUTH_TITLES = {"unsupported_grant_type"}


def problem(error: OpenPawsError) -> tuple[int, wire.Problem]:
    status, code, title = next(
        ((status, code, title) for cls, status, code, title in _KINDS if isinstance(error, cls)),
        _UNEXPECTED,
    )
    if error.code in _OAUTH_TITLES:
        title = error.code
    detail = error.message if status < 500 else "The request ran into an unexpected error."
    invalid = None
    if isinstance(error, InvalidInput):
        invalid = [wire.InvalidParam(f.location, f.name, f.message) for f in error.fields]
    body = wire.Problem(
        type=f"{TYPE_BASE}{code}/",
        status=status,
        title=title,
        detail=detail,
        invalid_params=invalid,
    )
    return status, body


class Presenter:
    def success(self, call: Call, status: int, body: bytes, headers: Mapping[str, str]) -> Reply:
        found = dict(headers)
        principal = call.principal
        if principal is not None and principal.credential.expires_at is not None:
            found[TOKEN_HEADER] = str(principal.credential.expires_at - int(time.time()))
        return Reply(status, body, found)

    def replay(self, call: Call, status: int, body: bytes) -> Reply:
        return self.success(call, status, body, {})

    def failure(self, call: Call, error: OpenPawsError) -> Reply:
        status, body = problem(error)
        return Reply(status, msgspec.json.encode(body), media_type=MEDIA_TYPE)
