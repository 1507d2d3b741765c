"""Structured JSON logs with the request id, and the access log of every request."""

from __future__ import annotations

import itertools
import logging
import sys
import threading
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

    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._stamp = ""

    def stamp(self, created: float) -> str:
        """UTC to the millisecond; the part to the second is formatted once a second."""
        second = int(created)
        if second != self._second:
            self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = second
        return f"{self._stamp}.{int((created - second) * 1000):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.stamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return msgspec.json.encode(entry, enc_hook=str).decode()


class BatchedStreamHandler(logging.StreamHandler):
    """Lines are written in batches: when ``BATCH_LINES`` wait, and by a flusher thread every
    ``FLUSH_SECONDS``, so a busy server makes one write for many lines instead of one per
    line. A line waits at most that long; :func:`logging.shutdown` writes what is left."""

    BATCH_LINES = 256
    FLUSH_SECONDS = 0.1

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._lines: list[str] = []
        self._stopped = threading.Event()
        flusher = threading.Thread(target=self._flush_now_and_then, daemon=True)
        flusher.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self.add_line(line)

    def add_line(self, line: str) -> None:
        """A formatted line, written with the next batch."""
        with self.lock:  # type: ignore[union-attr]
            self._lines.append(line)
            full = len(self._lines) >= self.BATCH_LINES
        if full:
            self.flush()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            lines, self._lines = self._lines, []
            if lines:
                self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()

    def close(self) -> None:
        self._stopped.set()
        self.flush()
        super().close()

    def _flush_now_and_then(self) -> None:
        while not self._stopped.wait(self.FLUSH_SECONDS):
            if self._lines:
                self.flush()


def configure_logging(level: str) -> None:
    # Records carry no caller, thread or process fields (the JSON line never shows them);
    # skipping them is most of the cost of a log call.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = BatchedStreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in root.handlers:
        if isinstance(old, BatchedStreamHandler):
            old.close()  # its flusher stops
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


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


class _AccessLine(msgspec.Struct, gc=False):
    """The access line, as the JSON formatter would write its record."""

    time: str
    level: str
    logger: str
    message: str
    request_id: str
    method: str
    path: str
    status: int
    duration_ms: float


_encode_line = msgspec.json.Encoder().encode


def _log_access(rid: str, method: str, path: str, status: int, seconds: float) -> None:
    """One access line. Where the process logs only through our batched JSON handler and
    nothing else listens to the access logger, the line is encoded in one step and handed
    to that handler (the record would be written identically, at several times the cost);
    otherwise it is logged as a record, so every handler sees it."""
    ms = round(seconds * 1000, 3)
    handler = _sole_handler()
    if handler is None:
        extra = {"request_id": rid, "method": method, "path": path, "status": status}
        access_log.info("request", extra={**extra, "duration_ms": ms})
        return
    formatter = handler.formatter
    assert isinstance(formatter, JsonFormatter)
    line = _AccessLine(
        formatter.stamp(time.time()),
        "info",
        access_log.name,
        "request",
        rid,
        method,
        path,
        status,
        ms,
    )
    handler.add_line(_encode_line(line).decode())


def _sole_handler() -> BatchedStreamHandler | None:
    root = logging.root
    if access_log.handlers or access_log.filters or not access_log.propagate or root.filters:
        return None
    handlers = root.handlers
    if len(handlers) != 1:
        return None
    handler = handlers[0]
    if type(handler) is not BatchedStreamHandler or handler.filters:
        return None
    if not isinstance(handler.formatter, JsonFormatter) or handler.level > logging.INFO:
        return None
    return handler


_REGISTERED: dict[str, Any] = {}
_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}
)


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
                    # Header names reach here lower-case (ASGI servers expect them so).
                    headers = list(message.get("headers", ()))
                    if not any(name == REQUEST_ID_HEADER for name, _ in headers):
                        headers.append(header)
                    message["headers"] = headers
                await send(message)

            # Metrics name only the methods HTTP defines: any other word a client sends would
            # be a new series each, kept until the process ends.
            label = method if method in _METHODS else "OTHER"
            running = metrics.running(label)
            running.inc()
            try:
                await app(scope, receive, sending)
            finally:
                seconds = time.perf_counter() - started
                running.dec()
                # The route's template once routing found it (else the path was not routed).
                route: str = scope.get("path_template", UNROUTED)
                metrics.ended(label, route, status, seconds)
                if access_log.isEnabledFor(logging.INFO):
                    _log_access(rid, method, scope["path"], status, seconds)

        return observe

    return middleware
