"""A corpus of hostile requests, replayed against every route of every served dialect.

Each served dialect joins by providing ``tests/<dialect>/hostile.py`` with a :class:`Target`:
how to get a credential that may call every route, a valid body for each route that takes one
(which the corpus then spoils field by field), valid path parameters, and where its contract
keeps the error shape. The corpus itself knows no dialect: it reads the routes from the
registry and the query parameters from the dialect's contract.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy import inspect, text

from openpaws.storage.database import Database
from tests.support.contract import Contract

# Values for a query parameter or a path segment, as sent on the wire (already encoded).
HOSTILE_WORDS: dict[str, str] = {
    "unicode digit": "%C2%B2",
    "arabic-indic digits": "%D9%A3%D9%A4",
    "thousands of digits": "9" * 5000,
    "thousands of leading zeros": "0" * 5000 + "5",
    "negative": "-1",
    "exponent": "1e400",
    "underscored number": "1_000",
    "moment past the end": "9999-12-31T23:59:59-10:00",
    "moment before the start": "0001-01-01T00:00:00%2B10:00",
    "nul byte": "ab%00c",
    "lone surrogate": "%ED%A0%80",
    "not utf-8": "%FF%FE",
    "very long": "x" * 10_001,
    "control characters": "%01%02%1B",
    "list markers": "%5B%5D",
    "commas only": ",,,",
    "percent": "%25",
}

# Values for a JSON field: each replaces one field of a valid body in turn.
HOSTILE_VALUES: dict[str, Any] = {
    "very long text": "x" * 10_001,
    "nul byte": "ab\x00c",
    "huge integer": 10**400,
    "huge float": 1e308,
    "negative": -1,
    "empty object": {},
    "nested list": [[["deep"]]],
    "list of long texts": ["y" * 10_001],
    "list with nul": ["a\x00b"],
    "list of numbers": [1, 2, 3],
    "unicode digits": "\u00b2\u0663",
}

# Bodies that are broken as documents, whatever the route.
RAW_BODIES: dict[str, tuple[str, bytes]] = {
    "truncated json": ("application/json", b'{"name": '),
    "not utf-8": ("application/json", b'{"name": "\xff\xfe"}'),
    "lone surrogate escape": ("application/json", b'{"name": "\\ud800"}'),
    "nested 1000 deep": ("application/json", b"[" * 1000 + b"]" * 1000),
    "objects nested 1000 deep": ("application/json", b'{"a":' * 1000 + b"1" + b"}" * 1000),
    "json array": ("application/json", b"[1, 2, 3]"),
    "json scalar": ("application/json", b"42"),
    "xml": ("application/xml", b"<pet><name>x</name></pet>"),
    "form": ("application/x-www-form-urlencoded", b"name=x&name=y"),
    "no content type": ("", b'{"name": "x"}'),
    "empty": ("application/json", b""),
    "ten megabytes": ("application/json", b'{"name": "' + b"x" * 10_000_000 + b'"}'),
}

# Headers that are legal on the wire but hostile in size or content.
HOSTILE_HEADERS: dict[str, dict[str, str | bytes]] = {
    "over-long bearer": {"Authorization": "Bearer " + "a" * 8000},
    "over-long api key": {"X-Api-Key": "k" * 8000},
    "over-long idempotency key": {"Idempotency-Key": "i" * 5000},
    "basic garbage": {"Authorization": "Basic %%%%"},
    "basic with nul": {"Authorization": "Basic " + base64.b64encode(b"a\x00b:secret").decode()},
    "latin-1 bytes": {"Authorization": b"Bearer caf\xe9", "X-Api-Key": b"opk_\xff\xfe"},
}

_PARAM = re.compile(r"\{(\w+)(?::path)?\}")


@dataclass(frozen=True)
class Given:
    """What a dialect's tests set up in a database for the corpus to spoil."""

    headers: dict[str, str]  # a credential allowed on every route
    # A valid body for each operation that takes one, by "METHOD /path" (the contract's path).
    bodies: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    # Valid path parameters of each path (the contract's), by name: existing records.
    path_params: Mapping[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """What the corpus needs of one dialect, given by the dialect's tests."""

    given: Callable[[Database], Given]
    # The error shape: its media type, and a JSON pointer to its schema in the contract.
    error_media_type: str
    error_schema: str


@dataclass(frozen=True)
class Operation:
    """One operation of the contract: method and path under the dialect's prefix."""

    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def writes(self) -> bool:
        return self.method in {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Probe:
    """One hostile request."""

    operation: Operation
    what: str
    url: str
    headers: dict[str, str | bytes] = field(default_factory=dict)
    content: bytes | None = None

    def __str__(self) -> str:
        return f"{self.operation.key} [{self.what}]"


def operations(contract: Contract) -> list[Operation]:
    """Every operation the contract documents (every route the dialect serves)."""
    found = []
    for path, item in contract.document["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                found.append(Operation(method.upper(), path))
    return found


def query_names(contract: Contract, operation: Operation) -> list[str]:
    """The query parameters the contract documents for the operation."""
    path_item = contract.document["paths"][operation.path]
    declared = [*path_item.get("parameters", [])]
    declared += path_item[operation.method.lower()].get("parameters", [])
    names = []
    for parameter in declared:
        resolved = contract.resolve(parameter)
        if resolved.get("in") == "query":
            names.append(resolved["name"])
    return names


def body_fields(contract: Contract, operation: Operation) -> list[str]:
    """The fields the contract documents for the operation's JSON body."""
    path_item = contract.document["paths"][operation.path]
    body = contract.resolve(path_item[operation.method.lower()].get("requestBody", {}))
    schema = body.get("content", {}).get("application/json", {}).get("schema")
    found: list[str] = []
    pending = [schema] if schema else []
    while pending:
        node = contract.resolve(pending.pop())
        found += [name for name in node.get("properties", {}) if name not in found]
        pending += node.get("allOf", []) + node.get("anyOf", []) + node.get("oneOf", [])
    return found


def probes(prefix: str, operation: Operation, contract: Contract, given: Given) -> Iterator[Probe]:
    """Every hostile request the corpus makes of one operation."""
    params = given.path_params.get(operation.path, {})
    quoted = {name: quote(value, safe="") for name, value in params.items()}
    base = prefix + _fill(operation.path, quoted)
    body = given.bodies.get(operation.key)
    json_headers = {"Content-Type": "application/json"}
    valid = encode(body) if body is not None else None

    def probe(what: str, url: str, headers: dict[str, str | bytes] | None = None) -> Probe:
        if valid is None:
            return Probe(operation, what, url, headers or {})
        return Probe(operation, what, url, {**json_headers, **(headers or {})}, valid)

    for name in _PARAM.findall(operation.path):
        for what, word in HOSTILE_WORDS.items():
            yield probe(
                f"path {name}: {what}", prefix + _fill(operation.path, {**quoted, name: word})
            )
    for name in query_names(contract, operation):
        for what, word in HOSTILE_WORDS.items():
            yield probe(f"query {name}: {what}", f"{base}?{name}={word}")
        yield probe(f"query {name}: repeated", f"{base}?{name}=1&{name}=x&{name}=")
    many = "&".join(f"p={i % 10}" for i in range(12_000))  # 48 KB
    yield probe("query: 12,000 parameters", f"{base}?{many}")
    for what, headers in HOSTILE_HEADERS.items():
        yield probe(f"header: {what}", base, headers)
    if body is None:
        return
    for what, (media_type, content) in RAW_BODIES.items():
        headers = {"Content-Type": media_type} if media_type else {}
        yield Probe(operation, f"body: {what}", base, headers, content)
    for name in dict.fromkeys([*body, *body_fields(contract, operation)]):
        for what, value in HOSTILE_VALUES.items():
            spoiled = encode({**body, name: value})
            yield Probe(operation, f"field {name}: {what}", base, json_headers, spoiled)


def encode(document: Any) -> bytes:
    """JSON as a hostile client may write it: integers of any size, NULs escaped."""
    return json.dumps(document, ensure_ascii=True).encode()


def _fill(path: str, values: Mapping[str, str]) -> str:
    return _PARAM.sub(lambda match: values[match[1]], path)


# Written in the background, not by a request: upkeep notes when each key was last used, at
# most a minute late (a corpus that runs longer than a minute meets it).
BACKGROUND = {"api_keys": {"last_used_at"}}


def digest(db: Database) -> str:
    """A fingerprint of every row of every table, to tell that nothing changed."""
    found = hashlib.sha256()
    with db.engine.connect() as connection:
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            skipped = BACKGROUND.get(table, set())
            columns = ", ".join(
                f'"{c["name"]}"' for c in inspector.get_columns(table) if c["name"] not in skipped
            )
            rows = connection.execute(text(f'SELECT {columns} FROM "{table}"')).all()
            found.update(table.encode())
            for row in sorted(repr(tuple(row)) for row in rows):
                found.update(row.encode())
    return found.hexdigest()
