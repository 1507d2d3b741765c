"""The one error type every layer raises; each dialect renders it in its own documented shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one input: where it came from, its name, and why."""

    location: str  # query, path, body, header
    name: str
    message: str


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
    def field(cls, location: str, name: str, message: str) -> InvalidInput:
        return cls(message, fields=(FieldProblem(location, name, message),))


class MissingInput(InvalidInput):
    code = "missing_input"


class NotFound(OpenPawsError):
    code = "not_found"
    status = 404


class MethodNotAllowed(OpenPawsError):
    code = "method_not_allowed"
    status = 405


class Unauthenticated(OpenPawsError):
    code = "unauthenticated"
    status = 401


class InvalidClient(Unauthenticated):
    code = "invalid_client"


class PermissionDenied(OpenPawsError):
    code = "permission_denied"
    status = 403
