"""Throttling authentication, for every dialect: failed attempts per credential and per client
address, and token requests per client address.

A credential that has failed ``failures_per_credential`` times within five minutes is refused
(429, with the seconds to wait) before it is checked again, right secret or not, so that no
secret can be guessed through it; an address that has failed ``failures_per_address`` times
in a minute, or asked for ``tokens_per_address`` tokens in a minute, likewise. Counting is the
``limits`` library's, in the same storage as the quotas (in-process, or Redis for every
process). Credentials are counted under a hash, never as sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from openpaws.platform.quotas import RateLimited, Verdict, Window

QUOTA = "authentication"  # how a refusal names the quota it met


@dataclass(frozen=True)
class AttemptLimits:
    failures_per_credential: int = 10  # in five minutes
    failures_per_address: int = 60  # in a minute
    tokens_per_address: int = 60  # in a minute


class Attempts:
    def __init__(self, storage: Storage, limits: AttemptLimits) -> None:
        self.limits = limits
        # Sliding-window counters throughout: constant memory per subject, and their entries
        # expire, so a flood of made-up credentials leaves nothing behind.
        self._counter = SlidingWindowCounterRateLimiter(storage)
        self._per_credential = RateLimitItemPerMinute(limits.failures_per_credential, 5)
        self._per_address = RateLimitItemPerMinute(limits.failures_per_address)
        self._tokens = RateLimitItemPerMinute(limits.tokens_per_address)

    def admit(self, dialect: str, credential: str, address: str) -> None:
        """Before a credential is checked: refuse it if it, or the address, failed too often."""
        if credential:
            self._refuse_if_spent(self._per_credential, dialect, _hashed(credential))
        self._refuse_if_spent(self._per_address, f"{dialect}/ip", address)

    def failed(self, dialect: str, credential: str, address: str) -> None:
        """A credential was unknown, revoked or its secret wrong. (A missing credential or an
        expired one is no guess, and busy honest clients meet both: they are not counted.)"""
        if credential:
            self._counter.hit(self._per_credential, "auth", dialect, _hashed(credential))
        self._counter.hit(self._per_address, "auth", f"{dialect}/ip", address)

    def token_requested(self, dialect: str, address: str) -> None:
        """Count a token request of the address; refuse it beyond the limit."""
        if not self._counter.hit(self._tokens, "auth", f"{dialect}/token", address):
            self._refuse(self._tokens, f"{dialect}/token", address)

    def _refuse_if_spent(self, item: RateLimitItem, *key: str) -> None:
        if not self._counter.test(item, "auth", *key):
            self._refuse(item, *key)

    def _refuse(self, item: RateLimitItem, *key: str) -> None:
        stats = self._counter.get_window_stats(item, "auth", *key)
        verdict = Verdict(False, item.amount, 0, stats.reset_time, Window.MINUTE, QUOTA)
        raise RateLimited("Too many authentication attempts; try again later.", verdict)


def _hashed(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()[:32]
