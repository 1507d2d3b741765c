"""The worker's Prometheus metrics: attempts by result, deliveries by outcome, and the queue
(pending deliveries and the age of the oldest), read at each heartbeat."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

ATTEMPTS = Counter(
    "openpaws_webhook_attempts",
    "Webhook delivery attempts by result (delivered, failed, refused, gone)",
    ["result"],
)
DELIVERIES = Counter(
    "openpaws_webhook_deliveries",
    "Webhook deliveries finished, by outcome (delivered, failed)",
    ["outcome"],
)
DEPTH = Gauge("openpaws_webhook_queue_depth", "Webhook deliveries pending")
OLDEST = Gauge(
    "openpaws_webhook_oldest_pending_seconds",
    "Age of the oldest pending webhook delivery, in seconds (0 when none)",
)


def attempt(result: str) -> None:
    ATTEMPTS.labels(result).inc()


def finished(outcome: str) -> None:
    DELIVERIES.labels(outcome).inc()


def queue(depth: int, oldest_seconds: float | None) -> None:
    DEPTH.set(depth)
    OLDEST.set(oldest_seconds or 0.0)
