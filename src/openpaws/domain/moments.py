"""Reading ISO-8601 dates and date-times: the one place they are parsed."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_date(text: str) -> str:
    """An ISO-8601 date as ``YYYY-MM-DD``; a date-time gives its date. Raises ValueError."""
    if len(text) <= 10:
        return date.fromisoformat(text).isoformat()
    return parse_moment(text).date().isoformat()


def parse_moment(text: str) -> datetime:
    """An ISO-8601 date-time (``Z`` allowed); without an offset it is taken as UTC. Raises
    ValueError."""
    found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if found.tzinfo is None:
        return found.replace(tzinfo=UTC)
    try:
        found.astimezone(UTC)  # its UTC value must be a representable moment too
    except OverflowError:
        raise ValueError(f"{text!r} has no representable UTC moment") from None
    return found
