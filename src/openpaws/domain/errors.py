"""The one error type every layer raises; each dialect renders it in its own documented shape.

Errors speak canonical words: a missing record names its ``kind`` (``animal``,
``organization``, ...), a bad input names the canonical field (``organization_animal_id``,
``type``, ...). Each dialect's problems module renames them to its wire words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one input: where it came from, its name, and why."""

    location: str  # query, path, body, header
    name: str
    message: str
    # What kind of problem, where known: missing (absent), required (blank), not_date,
    # not_one_of, out_of_range, too_long, ... (the input reader's kinds); a dialect may name
    # each kind in its own words.
    kind: str = ""


class OpenPawsError(Exception):
    code = "internal_error"
    status = 500

    def __init__(self, message: str, *, fields: tuple[FieldProblem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class InvalidInput(OpenPawsError):
    code = "invalid_input"
    status = 400

    @classmethod
    def field(cls, location: str, name: str, message: str, *, kind: str = "") -> InvalidInput:
        return cls(message, fields=(FieldProblem(location, name, message, kind),))


class MissingInput(InvalidInput):
    code = "missing_input"


class NotFound(OpenPawsError):
    """A record that does not exist, or that the caller may not see (never told apart)."""

    code = "not_found"
    status = 404

    def __init__(self, message: str, *, kind: str = "resource") -> None:
        super().__init__(message)
        self.kind = kind  # canonical noun: animal, organization, animal_type, api_key, ...


class Conflict(OpenPawsError):
    code = "conflict"
    status = 409


class MethodNotAllowed(OpenPawsError):
    code = "method_not_allowed"
    status = 405


class Unauthenticated(OpenPawsError):
    """No credential, or one that is unknown, revoked or expired (``reason`` says which)."""

    code = "unauthenticated"
    status = 401

    def __init__(self, message: str, *, reason: str = "missing") -> None:
        super().__init__(message)
        self.reason = reason  # missing, unknown, revoked, expired


class InvalidClient(Unauthenticated):
    code = "invalid_client"


class PermissionDenied(OpenPawsError):
    code = "permission_denied"
    status = 403

    def __init__(self, message: str, *, scope: str | None = None) -> None:
        super().__init__(message)
        self.scope = scope  # the canonical scope that was lacking
