"""Throttling authentication, for every dialect: failed attempts per credential and per client
address, and token requests per client address.

A credential that has failed ``failures_per_credential`` times within five minutes is refused
(429, with the seconds to wait) before it is checked again, right secret or not, so that no
secret can be guessed through it; an address that has failed ``failures_per_address`` times
in a minute, or asked for ``tokens_per_address`` tokens in a minute, likewise. Counting is the
``limits`` library's, in the same storage as the quotas (in-process, or Redis for every
process). Credentials are counted under a hash, never as sent.

On an ordinary request the counts are looked at only when this process has seen the address
fail within the last five minutes: a request from an address that never failed costs no trip
to the counters (Redis, with several processes), and an address that starts guessing is
watched from its first failure in each process. A token request (a client secret, which a
guesser might try from many addresses) is always looked at.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from openpaws.platform.quotas import RateLimited, Verdict, Window

QUOTA = "authentication"  # how a refusal names the quota it met
WATCH_SECONDS = 300  # how long an address that failed is looked at on every request
MAX_WATCHED = 100_000  # addresses remembered at once (beyond it, the oldest are forgotten)


@dataclass(frozen=True)
class AttemptLimits:
    failures_per_credential: int = 10  # in five minutes
    failures_per_address: int = 60  # in a minute
    tokens_per_address: int = 60  # in a minute


class Attempts:
    def __init__(self, storage: Storage, limits: AttemptLimits) -> None:
        # Sliding-window counters throughout: constant memory per subject, and their entries
        # expire, so a flood of made-up credentials leaves nothing behind.
        self._counter = SlidingWindowCounterRateLimiter(storage)
        self._per_credential = RateLimitItemPerMinute(limits.failures_per_credential, 5)
        self._per_address = RateLimitItemPerMinute(limits.failures_per_address)
        self._tokens = RateLimitItemPerMinute(limits.tokens_per_address)
        self._lock = threading.Lock()
        self._failed_at: dict[str, float] = {}  # address -> when it last failed here

    def _watched(self, address: str) -> bool:
        at = self._failed_at.get(address)
        return at is not None and time.monotonic() - at < WATCH_SECONDS

    def _watch(self, address: str) -> None:
        with self._lock:
            if len(self._failed_at) >= MAX_WATCHED:
                now = time.monotonic()
                self._failed_at = {
                    a: at for a, at in self._failed_at.items() if now - at < WATCH_SECONDS
                }
                if len(self._failed_at) >= MAX_WATCHED:
                    self._failed_at.clear()
            self._failed_at[address] = time.monotonic()

    def admit(self, dialect: str, credential: str, address: str, *, always: bool = False) -> None:
        """Before a credential is checked: refuse it if it, or the address, failed too often.
        Unless ``always``, only for an address this process saw fail lately."""
        if not always and not self._watched(address):
            return
        if credential:
            self._refuse_if_spent(self._per_credential, dialect, _hashed(credential))
        self._refuse_if_spent(self._per_address, f"{dialect}/ip", address)

    def failed(self, dialect: str, credential: str, address: str) -> None:
        """A credential was unknown, revoked or its secret wrong. (A missing credential or an
        expired one is no guess, and busy honest clients meet both: they are not counted.)"""
        self._watch(address)
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
