"""Structured JSON logs with the request id, and the access log of every request."""

from __future__ import annotations

import itertools
import logging
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import Counter, Gauge, Histogram

REQUEST_ID_HEADER = b"x-request-id"
# The route label of requests no route took (unknown paths): one label, not one per path.
UNROUTED = "(unrouted)"
_STANDARD = set(vars(logging.makeLogRecord({})))
access_log = logging.getLogger("openpaws.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return msgspec.json.encode(entry, enc_hook=str).decode()


def configure_logging(level: str) -> None:
    # Records carry no caller, thread or process fields (the JSON line never shows them);
    # skipping them is most of the cost of a log call.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.formatter.converter = time.gmtime  # type: ignore[union-attr]
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def request_id(scope: Scope) -> str:
    """The id the observer middleware gave this request."""
    return str(scope.get("state", {}).get("request_id") or uuid.uuid4().hex)


class _Metrics:
    """Request count, latency histogram and in-flight gauge per method, route and status.

    The labelled children are looked up once per (method, route, status) and kept, so a
    request costs three dictionary hits, not three label resolutions.
    """

    def __init__(self, prefix: str, app_name: str) -> None:
        labels = ["method", "path", "status_code", "app_name"]
        self.app_name = app_name
        self.count = _metric(Counter, f"{prefix}_requests_total", "Total requests", labels)
        self.errors = _metric(
            Counter, f"{prefix}_requests_error_total", "Total errors in requests", labels
        )
        self.time = _metric(
            Histogram, f"{prefix}_request_duration_seconds", "Request duration, in seconds", labels
        )
        self.in_progress = _metric(
            Gauge,
            f"{prefix}_requests_in_progress",
            "Total requests currently in progress",
            labels,
            multiprocess_mode="livesum",
        )
        self._ended: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        self._running: dict[str, Any] = {}

    def running(self, method: str) -> Any:
        """In-flight requests by method (their route is known only once routed)."""
        gauge = self._running.get(method)
        if gauge is None:
            gauge = self._running[method] = self.in_progress.labels(
                method, UNROUTED, 200, self.app_name
            )
        return gauge

    def ended(self, method: str, path: str, status: int, seconds: float) -> None:
        key = (method, path, status)
        found = self._ended.get(key)
        if found is None:
            values = (method, path, status, self.app_name)
            errors = self.errors.labels(*values) if status >= 500 else None
            count, histogram = self.count.labels(*values), self.time.labels(*values)
            found = self._ended[key] = (count, histogram, errors)
        count, histogram, errors = found
        count.inc()
        histogram.observe(seconds)
        if errors is not None:
            errors.inc()


_REGISTERED: dict[str, Any] = {}


def _metric(kind: Any, name: str, doc: str, labels: list[str], **kwargs: Any) -> Any:
    """One collector per name per process (apps built again in tests share it)."""
    if name not in _REGISTERED:
        _REGISTERED[name] = kind(name, doc, labelnames=labels, **kwargs)
    return _REGISTERED[name]


def observer(prefix: str = "openpaws", app_name: str = "openpaws") -> Callable[[ASGIApp], ASGIApp]:
    """Middleware giving each HTTP request an id (echoed as X-Request-Id), its Prometheus
    metrics per route template, and one access log line when it ends."""
    metrics = _Metrics(prefix, app_name)
    # Unique per process and cheap per request: a random process part and a counter.
    process_part = uuid.uuid4().hex[:12]
    numbers = itertools.count(1)

    def middleware(app: ASGIApp) -> ASGIApp:
        async def observe(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            rid = f"{process_part}{next(numbers):012x}"
            scope.setdefault("state", {})["request_id"] = rid
            method: str = scope["method"]  # type: ignore[typeddict-item]  # an HTTP scope
            started = time.perf_counter()
            status = 500
            header = (REQUEST_ID_HEADER, rid.encode())

            async def sending(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    headers = list(message.get("headers", ()))
                    if not any(name.lower() == REQUEST_ID_HEADER for name, _ in headers):
                        headers.append(header)
                    message["headers"] = headers
                await send(message)

            running = metrics.running(method)
            running.inc()
            try:
                await app(scope, receive, sending)
            finally:
                seconds = time.perf_counter() - started
                running.dec()
                # The route's template once routing found it (else the path was not routed).
                route: str = scope.get("path_template", UNROUTED)
                metrics.ended(method, route, status, seconds)
                if access_log.isEnabledFor(logging.INFO):
                    access_log.info(
                        "request",
                        extra={
                            "request_id": rid,
                            "method": method,
                            "path": scope["path"],
                            "status": status,
                            "duration_ms": round(seconds * 1000, 3),
                        },
                    )

        return observe

    return middleware
