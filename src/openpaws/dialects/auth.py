"""The ways a dialect's requests carry a credential (each checked by the platform)."""

from __future__ import annotations

from openpaws.dialects.pipeline import Call
from openpaws.platform import api_keys, oauth
from openpaws.platform.principals import Principal


def bearer(call: Call) -> str:
    """The token of an ``Authorization: Bearer`` header, or ""."""
    scheme, _, token = call.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class BearerToken:
    """An OAuth access token of one of the dialect's clients (which hold the scopes of the
    dialect's client policy)."""

    def authenticate(self, call: Call, dialect: str) -> Principal:
        scopes = call.mounted.client_scopes
        return oauth.authenticate(call.reader, dialect, bearer(call), scopes)


class ApiKeyHeader:
    """An API key of the dialect in a header of its own (e.g. ``x-api-key``)."""

    def __init__(self, header: str) -> None:
        self.header = header.lower()

    def authenticate(self, call: Call, dialect: str) -> Principal:
        usage = call.mounted.runtime.key_usage
        return api_keys.authenticate(call.reader, dialect, call.headers.get(self.header), usage)
