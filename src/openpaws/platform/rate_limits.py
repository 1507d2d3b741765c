"""Hourly request limits on a rolling window, counted in-process or in Redis.

Built on the ``limits`` library's sliding-window counter: constant memory per subject however
high a limit is raised, and shared by every server process when Redis holds the counters.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import StrEnum

from limits import RateLimitItemPerHour
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from openpaws.domain.errors import OpenPawsError


class EndpointClass(StrEnum):
    LIST = "list"
    DETAIL = "detail"
    CUSTOM_FIELDS = "custom_fields"
    WRITE = "write"


DEFAULT_PER_HOUR = {
    EndpointClass.LIST: 100,
    EndpointClass.DETAIL: 400,
    EndpointClass.CUSTOM_FIELDS: 15,
    EndpointClass.WRITE: 10,
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # Unix seconds when the window has room again

    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - time.time()))


class RateLimiter:
    def __init__(self, redis_url: str | None = None, namespace: str = "openpaws") -> None:
        storage: Storage = (
            RedisStorage(redis_url, key_prefix=namespace) if redis_url else MemoryStorage()
        )
        self.storage = storage
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    def hit(self, endpoint_class: EndpointClass, subject: str, per_hour: int) -> Verdict:
        """Count one request of ``subject`` (an organization or a key) against its limit."""
        item = RateLimitItemPerHour(per_hour)
        allowed = self._limiter.hit(item, endpoint_class.value, subject)
        stats = self._limiter.get_window_stats(item, endpoint_class.value, subject)
        return Verdict(allowed, per_hour, max(0, stats.remaining), math.ceil(stats.reset_time))

    def peek(self, endpoint_class: EndpointClass, subject: str, per_hour: int) -> Verdict:
        """The subject's standing without counting a request."""
        item = RateLimitItemPerHour(per_hour)
        stats = self._limiter.get_window_stats(item, endpoint_class.value, subject)
        remaining = max(0, stats.remaining)
        return Verdict(remaining > 0, per_hour, remaining, math.ceil(stats.reset_time))

    def reset(self) -> None:
        self.storage.reset()


class RateLimited(OpenPawsError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, verdict: Verdict, endpoint_class: EndpointClass) -> None:
        super().__init__(message)
        self.verdict = verdict
        self.endpoint_class = endpoint_class
