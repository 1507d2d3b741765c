"""The access log: one JSON line per request, written the same way by either path."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from openpaws import observability
from openpaws.observability import BatchedStreamHandler, JsonFormatter, observer


async def _hello(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def _request(path: str) -> list[tuple[bytes, bytes]]:
    """Run one GET through the observer; the response headers."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": []}
    asyncio.run(observer()(_hello)(scope, receive, send))  # type: ignore[arg-type]
    return list(sent[0]["headers"])


@contextmanager
def only_ours() -> Iterator[tuple[io.StringIO, BatchedStreamHandler]]:
    """The root logger writing JSON lines to a string through our handler alone, as
    configure_logging sets it up (pytest's own capture handlers set aside meanwhile)."""
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    try:
        yield stream, handler
    finally:
        handler.close()
        root.handlers[:] = saved
        root.setLevel(level)


def _lines(stream: io.StringIO, handler: BatchedStreamHandler) -> list[dict[str, Any]]:
    handler.flush()
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_direct_line_is_the_record_line() -> None:
    """Written directly (our handler is the only one), the access line has exactly the keys
    and values the formatter writes for the same record."""
    with only_ours() as (stream, handler):
        assert observability._sole_handler() is handler
        headers = _request("/direct")
        (direct,) = _lines(stream, handler)
        rid = dict(headers)[b"x-request-id"].decode()
        extra = {"request_id": rid, "method": "GET", "path": "/direct", "status": 201}
        observability.access_log.info("request", extra={**extra, "duration_ms": 0.5})
        _, from_record = _lines(stream, handler)
    assert list(direct) == list(from_record)
    assert {k: direct[k] for k in extra} == extra
    assert direct["logger"] == "openpaws.access" and direct["message"] == "request"
    assert direct["level"] == "info" and direct["time"].endswith("Z")


def test_another_listener_gets_a_record(caplog: pytest.LogCaptureFixture) -> None:
    """With another handler listening, the line goes through logging as a record."""
    with only_ours() as (stream, handler):
        logging.getLogger().addHandler(caplog.handler)
        assert observability._sole_handler() is None
        with caplog.at_level(logging.INFO, logger="openpaws.access"):
            _request("/recorded")
        lines = _lines(stream, handler)
    assert [r.path for r in caplog.records] == ["/recorded"]  # type: ignore[attr-defined]
    assert [line["path"] for line in lines] == ["/recorded"]


def test_lines_are_written_in_batches_and_on_flush() -> None:
    stream = io.StringIO()
    handler = BatchedStreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    try:
        for n in range(3):
            handler.add_line(f'{{"n": {n}}}')
        handler.flush()
        assert [json.loads(line)["n"] for line in stream.getvalue().splitlines()] == [0, 1, 2]
    finally:
        handler.close()
