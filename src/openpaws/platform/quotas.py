"""Request quotas: declared by each dialect per route, checked here for every dialect.

A quota names its window (second, minute or hour), its limit, an optional burst (a second
limit over any one second) and whom it counts: the API key, the organization (or person)
account, the application, or the client's address. Plans of a dialect may set other numbers,
and an operator may override them for one organization or one key. Counting is the ``limits``
library's sliding-window counter: in-process, or in Redis so that every process shares it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from limits import (
    RateLimitItem,
    RateLimitItemPerHour,
    RateLimitItemPerMinute,
    RateLimitItemPerSecond,
)
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from openpaws.domain.errors import InvalidInput, OpenPawsError
from openpaws.platform.principals import AccountKind, CredentialKind, Principal
from openpaws.storage import quota_overrides
from openpaws.storage.database import Reader, Transaction


class Window(StrEnum):
    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"


_ITEMS: dict[Window, type[RateLimitItem]] = {
    Window.SECOND: RateLimitItemPerSecond,
    Window.MINUTE: RateLimitItemPerMinute,
    Window.HOUR: RateLimitItemPerHour,
}


class Counted(StrEnum):
    """Whose requests a quota counts together."""

    KEY = "key"  # the API key
    ACCOUNT = "account"  # the organization or person behind the credential
    APPLICATION = "application"  # the OAuth client behind the access token
    CLIENT_IP = "client_ip"


# Quotas counted per credential: a key's or an application's own numbers apply to them.
CREDENTIAL_COUNTS = frozenset({Counted.KEY, Counted.APPLICATION})


@dataclass(frozen=True)
class Limit:
    per_window: int
    window: Window
    burst: int | None = None  # at most this many in any one second, on top


@dataclass(frozen=True)
class Quota:
    name: str
    limit: Limit
    counts: Counted
    plans: Mapping[str, Limit] = field(default_factory=dict)  # a plan's own numbers


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # Unix time when the window has room again
    window: Window
    quota: str

    @property
    def reset_second(self) -> int:
        """``reset_at`` as whole Unix seconds, rounded up."""
        return math.ceil(round(self.reset_at, 3))

    def retry_after(self) -> int:
        """Whole seconds to wait, at least one. The counter's reset time carries a few
        microseconds past its window's end; they do not make a second of their own."""
        return max(1, math.ceil(round(self.reset_at - time.time(), 3)))


class RateLimited(OpenPawsError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, verdict: Verdict) -> None:
        super().__init__(message)
        self.verdict = verdict


class Meter:
    """One quota of one subject: the numbers that apply to it (looked up once) and its
    counter, to read (:meth:`standing`) or to count a request on (:meth:`hit`)."""

    def __init__(
        self,
        limiter: SlidingWindowCounterRateLimiter,
        quota: str,
        limit: Limit,
        key: tuple[str, str],
    ) -> None:
        self._limiter = limiter
        self.quota = quota
        self.limit = limit
        self._item = _ITEMS[limit.window](limit.per_window)
        self._key = key  # (namespace, subject) in the limiter
        self._burst = None if limit.burst is None else RateLimitItemPerSecond(limit.burst)
        self._burst_key = (f"{key[0]}/burst", key[1])

    def hit(self) -> Verdict:
        """Count one request; raises :class:`RateLimited` when the quota is spent."""
        burst = self._burst
        if burst is not None and not self._limiter.test(burst, *self._burst_key):
            stats = self._limiter.get_window_stats(burst, *self._burst_key)
            refused = Verdict(False, burst.amount, 0, stats.reset_time, Window.SECOND, self.quota)
            raise RateLimited("Rate limit exceeded", refused)
        allowed = self._limiter.hit(self._item, *self._key)
        if allowed and burst is not None:
            self._limiter.hit(burst, *self._burst_key)
        verdict = self._verdict(allowed)
        if not allowed:
            raise RateLimited("Rate limit exceeded", verdict)
        return verdict

    def standing(self) -> Verdict:
        """The standing without counting a request."""
        verdict = self._verdict(True)
        return replace(verdict, allowed=verdict.remaining > 0)

    def _verdict(self, allowed: bool) -> Verdict:
        stats = self._limiter.get_window_stats(self._item, *self._key)
        return Verdict(
            allowed,
            self.limit.per_window,
            max(0, stats.remaining),
            stats.reset_time,
            self.limit.window,
            self.quota,
        )


class Quotas:
    """The counters of every dialect's quotas, with the overrides kept in the database."""

    def __init__(self, redis_url: str | None = None, namespace: str = "openpaws") -> None:
        storage: Storage = (
            RedisStorage(redis_url, key_prefix=namespace) if redis_url else MemoryStorage()
        )
        self.storage = storage
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    def limit_for(
        self, reader: Reader, dialect: str, quota: Quota, principal: Principal | None
    ) -> Limit:
        """The numbers that apply: a key's override, else its organization's, else its plan's,
        else the quota's own.

        A key's own numbers (its override, its plan) apply only to quotas that count keys: a
        quota that counts the whole account has one count and one limit for all its keys.
        """
        organization_id = key_id = plan = None
        if principal is not None:
            if principal.kind is AccountKind.ORGANIZATION:
                organization_id = principal.account_id
            if quota.counts in CREDENTIAL_COUNTS:
                plan = principal.plan
                if principal.credential.kind is CredentialKind.API_KEY:
                    key_id = principal.credential.id
        overrides = quota_overrides.find(reader, dialect, quota.name, organization_id, key_id)
        for override in sorted(overrides, key=lambda o: o.api_key_id is None):
            return Limit(override.per_period, Window(override.period), override.burst)
        return quota.plans.get(plan, quota.limit) if plan else quota.limit

    def meter(
        self,
        reader: Reader,
        dialect: str,
        quota: Quota,
        principal: Principal | None,
        client_ip: str,
    ) -> Meter:
        """The meter of ``quota`` for this caller (its numbers looked up now)."""
        limit = self.limit_for(reader, dialect, quota, principal)
        key = (f"{dialect}/{quota.name}", _subject(quota.counts, principal, client_ip))
        return Meter(self._limiter, quota.name, limit, key)

    def reset(self) -> None:
        self.storage.reset()

    def answers(self) -> bool:
        return bool(self.storage.check())


def _subject(counts: Counted, principal: Principal | None, client_ip: str) -> str:
    if counts is Counted.CLIENT_IP or principal is None:
        return f"ip:{client_ip}"
    if counts is Counted.ACCOUNT:
        return f"{principal.kind.value}:{principal.account_id}"
    return f"{principal.credential.kind.value}:{principal.credential.id}"


def set_override(
    tx: Transaction,
    *,
    dialect: str,
    quota: Quota,
    limit: Limit,
    organization_id: int | None = None,
    api_key_id: int | None = None,
) -> None:
    """Other numbers for one organization or one key (exactly one of them)."""
    if (organization_id is None) == (api_key_id is None):
        raise InvalidInput.field("body", "account", "Give an organization or a key")
    if limit.per_window < 1 or (limit.burst is not None and limit.burst < 1):
        raise InvalidInput.field("body", "limit", "Limits must be at least 1")
    quota_overrides.put(
        tx,
        dialect=dialect,
        quota=quota.name,
        organization_id=organization_id,
        api_key_id=api_key_id,
        period=limit.window.value,
        per_period=limit.per_window,
        burst=limit.burst,
    )
