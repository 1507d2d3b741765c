"""The ways a dialect's requests carry a credential (each checked by the platform), and the
challenge each answers a refusal with (``WWW-Authenticate``, RFC 9110 11.6.1)."""

from __future__ import annotations

from openpaws.dialects.pipeline import Call
from openpaws.domain.errors import InvalidClient, Unauthenticated
from openpaws.platform import api_keys, oauth
from openpaws.platform.principals import Principal


def bearer(call: Call) -> str:
    """The token of an ``Authorization: Bearer`` header, or ""."""
    scheme, _, token = call.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class BearerToken:
    """An OAuth access token of one of the dialect's clients (which hold the scopes of the
    dialect's client policy)."""

    headers = frozenset({"authorization"})

    def presented(self, call: Call) -> str:
        return bearer(call)

    def authenticate(self, call: Call, dialect: str) -> Principal:
        scopes = call.mounted.client_scopes
        return oauth.authenticate(call.reader, dialect, call.presented, scopes)

    def challenge(self, call: Call, error: Unauthenticated) -> str:
        realm = f'realm="{call.mounted.name}"'
        if isinstance(error, InvalidClient):  # the token endpoint: client credentials
            return f"Basic {realm}"
        if error.reason == "missing":  # RFC 6750 3.1: no error code when none was sent
            return f"Bearer {realm}"
        return f'Bearer {realm}, error="invalid_token"'


class ApiKeyHeader:
    """An API key of the dialect in a header of its own (e.g. ``x-api-key``)."""

    def __init__(self, header: str) -> None:
        self.header = header.lower()
        self.headers = frozenset({self.header})

    def presented(self, call: Call) -> str:
        return (call.headers.get(self.header) or "").strip()

    def authenticate(self, call: Call, dialect: str) -> Principal:
        usage = call.mounted.runtime.key_usage
        return api_keys.authenticate(call.reader, dialect, call.presented, usage)

    def challenge(self, call: Call, error: Unauthenticated) -> str:
        return f'ApiKey realm="{call.mounted.name}", header="{self.header}"'


class BearerApiKey:
    """An API key of the dialect sent as a bearer token (``Authorization: Bearer <key>``):
    there is no token exchange, the key is the token."""

    headers = frozenset({"authorization"})

    def presented(self, call: Call) -> str:
        return bearer(call)

    def authenticate(self, call: Call, dialect: str) -> Principal:
        usage = call.mounted.runtime.key_usage
        return api_keys.authenticate(call.reader, dialect, call.presented, usage)

    def challenge(self, call: Call, error: Unauthenticated) -> str:
        realm = f'realm="{call.mounted.name}"'
        if error.reason == "missing":  # RFC 6750 3.1: no error code when none was sent
            return f"Bearer {realm}"
        return f'Bearer {realm}, error="invalid_token"'
