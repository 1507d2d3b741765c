"""The one input reader every dialect uses, for query parameters and for JSON bodies.

A :class:`Reader` reads one source (a query string or a JSON object) field by field and
collects a problem per bad field instead of stopping at the first, then raises them all at
once. A field is read by a parser: a function from the raw value to the canonical value that
raises :class:`Invalid` with a problem kind. Each dialect words the problems its own way
through a :class:`Messages` table, so the parsing exists once and the wording per dialect.

Every way of reading a value exists here once: integers, enumerations, flags, dates, moments,
texts, lists, UUIDs. Query strings are parsed once per request (the first value of a repeated
parameter counts); see :mod:`openpaws.dialects.pipeline`.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import unquote_plus

import msgspec

from openpaws.domain.errors import FieldProblem, InvalidInput
from openpaws.domain.moments import parse_date, parse_moment
from openpaws.domain.texts import BAD_CHARACTERS, clean

T = TypeVar("T")


class RequestInvalid(InvalidInput):
    """Problems named as the request names them (its parameters and fields), which a dialect
    shows as they are; problems of the use cases name canonical fields instead."""


class MalformedBody(InvalidInput):
    """A body that is not a document of its declared type (broken JSON, nested too deep)."""

    code = "malformed_body"


class Invalid(ValueError):
    """A value that does not fit: the problem ``kind`` and what the message may quote."""

    def __init__(self, kind: str, **details: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.details = details


@dataclass(frozen=True)
class Messages:
    """How a dialect words each kind of problem. Templates may quote ``{name}`` (the field),
    ``{value}`` (as sent) and the details of the problem (``{low}``, ``{high}``, ``{limit}``,
    ``{allowed}``, ``{noun}``)."""

    templates: Mapping[str, str] = field(default_factory=dict)

    def word(self, kind: str, name: str, details: Mapping[str, Any]) -> str:
        template = self.templates.get(kind) or DEFAULT_MESSAGES[kind]
        return template.format(name=name, **details)


DEFAULT_MESSAGES = {
    "missing": "Required",
    "required": "Required",
    "not_text": "Expected string",
    "too_long": "Must be at most {limit} characters",
    "not_boolean": "Expected boolean",
    "not_integer": "Expected a whole number",
    "out_of_range": "Must be between {low} and {high}",
    "not_one_of": "Expected one of: {allowed}",
    "not_list": "Expected array of strings",
    "too_many": "At most {limit} values",
    "not_in_list": "Invalid value(s) {wrong}; expected: {allowed}",
    "not_date": "Expected ISO-8601 date",
    "not_moment": "Expected ISO-8601 timestamp",
    "not_uuid": "Expected UUID",
    "not_object": "Expected object",
    "bad_characters": BAD_CHARACTERS,
    "not_one_line": "Must be one line",
    "not_number": "Expected a number",
    "unknown_field": "Unknown field",
    "not_found": "No such {noun}",
    "invalid_cursor": "Invalid cursor",
}

# -- the limits every request meets before anything reads it --------------------------------

MAX_QUERY_BYTES = 8_192  # the query string as sent
MAX_QUERY_PARAMETERS = 100
MAX_JSON_DEPTH = 32  # objects and arrays within one another
# Every text keeps the character rules of openpaws.domain.texts (``clean``).


def query_pairs(encoded: bytes, location: str = "query") -> list[tuple[str, str]]:
    """The (name, value) pairs of a query string or form body, percent-decoded as UTF-8, in
    order. Raises :class:`RequestInvalid` for a query string longer, or either with more
    parameters, than every API allows, for bytes that are not UTF-8, and for text that breaks
    the character rules; names the parameter where there is one to name."""
    if not encoded:
        return []
    if location == "query" and len(encoded) > MAX_QUERY_BYTES:
        raise RequestInvalid.field(
            location, location, f"The query string is longer than {MAX_QUERY_BYTES} bytes"
        )
    if encoded.count(b"&") >= MAX_QUERY_PARAMETERS:
        raise RequestInvalid.field(
            location, location, f"At most {MAX_QUERY_PARAMETERS} parameters are allowed"
        )
    try:
        text = encoded.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestInvalid.field(location, location, "Must be UTF-8") from None
    pairs = []
    for part in text.split("&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition("=")
        name = unquote_plus(raw_name, errors="replace")
        try:
            unquote_plus(raw_name, errors="strict")
            value = unquote_plus(raw_value, errors="strict")
        except UnicodeDecodeError:
            raise RequestInvalid.field(location, name, "Must be UTF-8") from None
        if not (clean(name) and clean(value)):
            message = BAD_CHARACTERS
            raise RequestInvalid.field(location, name if clean(name) else location, message)
        pairs.append((name, value))
    return pairs


def json_document(body: bytes) -> Any:
    """The JSON document of a body, every text in it keeping the character rules and no
    deeper than :data:`MAX_JSON_DEPTH`. Raises :class:`MalformedBody`, or
    :class:`RequestInvalid` naming the field whose text is wrong."""
    try:
        document = msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError):
        raise MalformedBody("Malformed JSON body") from None
    _check_document(document)
    return document


def _check_document(document: Any) -> None:
    """Walks the document without recursion: depth and the character rules of every text."""
    pending: list[tuple[Any, str, int]] = [(document, "", 0)]
    while pending:
        node, path, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise MalformedBody(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(node, str):
            if not clean(node):
                name = path or "body"
                raise RequestInvalid.field("body", name, BAD_CHARACTERS)
        elif isinstance(node, dict):
            for key, value in node.items():
                name = f"{path}.{key}" if path else key
                if not clean(key):
                    name = path or "body"
                    raise RequestInvalid.field("body", name, BAD_CHARACTERS)
                pending.append((value, name, depth + 1))
        elif isinstance(node, list):
            pending.extend((value, path, depth + 1) for value in node)


class Reader:
    """Reads one source of named values (``location`` is query, body, path or header)."""

    def __init__(self, values: Mapping[str, Any], location: str, messages: Messages) -> None:
        self.values = values
        self.location = location
        self.messages = messages
        self.problems: list[FieldProblem] = []

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def take(self, name: str, parse: Callable[[Any], T]) -> T | None:
        """``parse`` of the value of ``name`` (which must be present), or None with a problem
        recorded."""
        value = self.values[name]
        try:
            return parse(value)
        except Invalid as error:
            self.bad(name, error.kind, **{"value": value, **error.details})
            return None

    def words(self, name: str, parse: Callable[[str], T | None]) -> tuple[T, ...]:
        """A comma list: each word's parse, in order, without repeats; a problem per bad word.
        A parse may give None to skip a word silently."""
        value = self.values.get(name)
        if value is None or not value.strip():
            return ()
        found: list[T] = []
        for word in (w.strip() for w in value.split(",") if w.strip()):
            try:
                parsed = parse(word)
            except Invalid as error:
                self.bad(name, error.kind, **{"value": word, **error.details})
                continue
            if parsed is not None and parsed not in found:
                found.append(parsed)
        return tuple(found)

    def get(self, name: str, parse: Callable[[Any], T], default: T) -> T:
        """``parse`` of the value of ``name``, or ``default`` when it is absent or blank (or
        wrong, with a problem recorded)."""
        value = self.values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        parsed = self.take(name, parse)
        return default if parsed is None else parsed

    def bad(self, name: str, kind: str, **details: Any) -> None:
        message = self.messages.word(kind, name, details)
        self.problems.append(FieldProblem(self.location, name, message, kind))

    def has_problem(self, name: str) -> bool:
        return any(p.name == name for p in self.problems)

    def finish(self, message: str = "Validation failed") -> None:
        if self.problems:
            raise RequestInvalid(message, fields=tuple(self.problems))


# -- parsers of any value ------------------------------------------------------------------


def text(limit: int) -> Callable[[Any], str]:
    """A string of at most ``limit`` characters, stripped."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid("not_text")
        if len(value) > limit:
            raise Invalid("too_long", limit=limit)
        if not clean(value):
            raise Invalid("bad_characters")
        return value.strip()

    return parse


def one_line(limit: int) -> Callable[[Any], str]:
    """A string of one line: no line feed or carriage return."""
    read = text(limit)

    def parse(value: Any) -> str:
        found = read(value)
        if "\n" in found or "\r" in found:
            raise Invalid("not_one_line")
        return found

    return parse


def required_text(limit: int, *, line: bool = False) -> Callable[[Any], str]:
    """A string that is not blank once stripped (of one line, with ``line``)."""
    read = one_line(limit) if line else text(limit)

    def parse(value: Any) -> str:
        found = read(value)
        if not found:
            raise Invalid("required")
        return found

    return parse


def optional_text(limit: int, *, line: bool = False) -> Callable[[Any], str | None]:
    """A string that ``null`` (or an empty string) clears (of one line, with ``line``)."""
    read = one_line(limit) if line else text(limit)
    return lambda value: None if value is None else (read(value) or None)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("not_boolean")
    return value


def choice(table: Mapping[str, T]) -> Callable[[Any], T]:
    """One of the words of ``table`` (exactly as written), mapped to its value."""
    allowed = ", ".join(table)

    def parse(value: Any) -> T:
        if not isinstance(value, str) or value not in table:
            raise Invalid("not_one_of", allowed=allowed)
        return table[value]

    return parse


def text_list(limit: int, item_limit: int) -> Callable[[Any], list[str]]:
    """A list of at most ``limit`` strings of at most ``item_limit`` characters each; blank
    ones dropped, the rest stripped."""
    item = text(item_limit)

    def parse(value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Invalid("not_list")
        if len(value) > limit:
            raise Invalid("too_many", limit=limit)
        return [found for found in map(item, value) if found]

    return parse


def choice_list(allowed: tuple[str, ...], limit: int) -> Callable[[Any], list[str]]:
    """A list of words from ``allowed``, without repeats, in the order sent."""
    read = text_list(limit, max(map(len, allowed)))

    def parse(value: Any) -> list[str]:
        values = read(value)
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise Invalid("not_in_list", wrong=", ".join(wrong), allowed=", ".join(allowed))
        return list(dict.fromkeys(values))

    return parse


def whole_number(low: int, high: int, *, clamp: bool = False) -> Callable[[Any], int]:
    """An integer (or a string of ASCII digits) between ``low`` and ``high``; with ``clamp``,
    one above ``high`` counts as ``high``."""

    def parse(value: Any) -> int:
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            digits = value.strip().lstrip("0")
            # Beyond the digits of ``high`` the number is too large whatever it is.
            value = int(digits or "0") if len(digits) <= len(str(high)) else high + 1
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("not_integer")
        if value > high and clamp:
            return high
        if not low <= value <= high:
            raise Invalid("out_of_range", low=low, high=high)
        return value

    return parse


def number(low: float, high: float) -> Callable[[Any], float]:
    """A JSON number (not a boolean, not a string) between ``low`` and ``high``."""

    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid("not_number")
        if not low <= value <= high:  # NaN and infinities are not JSON: never here
            raise Invalid("out_of_range", low=low, high=high)
        return float(value)

    return parse


def calendar_date(value: Any) -> str:
    """An ISO-8601 date; a date-time gives its date."""
    if not isinstance(value, str):
        raise Invalid("not_date")
    try:
        return parse_date(value)
    except ValueError:
        raise Invalid("not_date") from None


def moment(value: Any) -> datetime:
    """An ISO-8601 date-time (``Z`` allowed); without an offset it is taken as UTC."""
    if not isinstance(value, str):
        raise Invalid("not_moment")
    try:
        return parse_moment(value)
    except ValueError:
        raise Invalid("not_moment") from None


def uuid(value: Any) -> str:
    try:
        return str(uuid_module.UUID(str(value)))
    except ValueError:
        raise Invalid("not_uuid") from None


def json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("not_object")
    return value


# -- parsers of query words ----------------------------------------------------------------

FLAG_WORDS = {"true": True, "1": True, "false": False, "0": False}


def flag(value: str) -> bool:
    """true, false, 1 or 0, in any case."""
    found = FLAG_WORDS.get(value.strip().lower())
    if found is None:
        raise Invalid("not_boolean")
    return found


def integer(low: int, high: int) -> Callable[[str], int]:
    """A query integer (optionally signed) between ``low`` and ``high``."""

    def parse(value: str) -> int:
        digits = value.strip()
        unsigned = digits[1:] if digits[:1] in ("-", "+") else digits
        if not (unsigned.isascii() and unsigned.isdigit()):
            raise Invalid("not_integer")
        # Beyond the digits of the bounds the number is out of range whatever it is.
        if len(unsigned.lstrip("0")) > max(len(str(abs(low))), len(str(abs(high)))):
            raise Invalid("out_of_range", low=low, high=high)
        number = int(digits[: len(digits) - len(unsigned)] + (unsigned.lstrip("0") or "0"))
        if not low <= number <= high:
            raise Invalid("out_of_range", low=low, high=high)
        return number

    return parse


def word_in(table: Mapping[str, T], noun: str) -> Callable[[str], T]:
    """One word of ``table`` in any case."""
    allowed = ", ".join(sorted(table))

    def parse(value: str) -> T:
        found = table.get(value.strip().lower())
        if found is None:
            raise Invalid("not_one_of", allowed=allowed, noun=noun)
        return found

    return parse
