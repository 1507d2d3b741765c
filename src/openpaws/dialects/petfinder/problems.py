"""Rendering errors as Petfinder's RFC 9457 problem documents."""

from __future__ import annotations

import msgspec
from litestar import Response

from openpaws.dialects.petfinder import wire
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

TYPE_BASE = "https://www.petfinder.com/developers/v2/docs/errors/"
MEDIA_TYPE = "application/problem+json"

# (error class, Petfinder error code, title); the first matching class wins.
_KINDS: tuple[tuple[type[OpenPawsError], str, str], ...] = (
    (InvalidClient, "ERR-401", "invalid_client"),
    (Unauthenticated, "ERR-401", "Unauthorized"),
    (PermissionDenied, "ERR-403", "Access Forbidden"),
    (NotFound, "ERR-404", "Not Found"),
    (MethodNotAllowed, "ERR-405", "Method Not Allowed"),
    (MissingInput, "ERR-00001", "Missing Parameters"),
    (InvalidInput, "ERR-00002", "Invalid Request"),
)
_OAUTH_TITLES = {"unsupported_grant_type"}


def problem(error: OpenPawsError) -> wire.Problem:
    code, title = next(
        ((code, title) for cls, code, title in _KINDS if isinstance(error, cls)),
        ("ERR-500", "Internal Server Error"),
    )
    if error.code in _OAUTH_TITLES:
        title = error.code
    invalid = None
    if isinstance(error, InvalidInput):
        invalid = [wire.InvalidParam(f.location, f.name, f.message) for f in error.fields]
    return wire.Problem(
        type=f"{TYPE_BASE}{code}/",
        status=error.status,
        title=title,
        detail=error.message,
        invalid_params=invalid,
    )


def problem_response(error: OpenPawsError) -> Response[bytes]:
    return Response(
        content=msgspec.json.encode(problem(error)),
        status_code=error.status,
        media_type=MEDIA_TYPE,
    )


def unexpected() -> OpenPawsError:
    return OpenPawsError("The request ran into an unexpected error.")
