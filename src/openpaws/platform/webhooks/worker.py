"""The webhook worker: claims due deliveries, posts them, records what came of each attempt.

Runs inside ``openpaws serve`` (each server process) and as ``openpaws worker``; any number
may share one database. A claim holds a delivery for one attempt (storage/webhooks.py
``claim``): no two workers post the same attempt, and one that dies leaves its deliveries due
again once the hold passes (at least once, never lost). Attempts run concurrently, many in
flight, each endpoint capped so one slow or hanging receiver cannot take every slot; every
attempt has one deadline for all of it (connect, send, answer, reading a capped excerpt).
Redirects are not followed, and every connection goes through the address guard
(targets.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import random
import secrets
import signal
import socket
import ssl
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp

from openpaws.domain.webhooks import FAILING_LIMIT, DeliveryStatus, retry_at
from openpaws.platform.secret_keys import SecretBox
from openpaws.platform.webhooks import metrics, signing, targets
from openpaws.platform.webhooks.styles import Rendered, WebhookStyle
from openpaws.storage import webhooks as store
from openpaws.storage.database import Database

logger = logging.getLogger("openpaws.webhooks")
T = TypeVar("T")

USER_AGENT = "OpenPaws-Webhooks/1.0"
PENDING, DELIVERED, FAILED = (s.value for s in DeliveryStatus)
# A claim holds a delivery this long past the attempt's own deadline.
HOLD_MARGIN = timedelta(seconds=15)
# Workers not heard from for this long are forgotten.
FORGET_AFTER = timedelta(hours=1)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WorkerSettings:
    timeout_seconds: float = 15.0
    allow_private: bool = False
    max_in_flight: int = 512  # attempts under way at once, in all
    per_endpoint: int = 128  # ... and to any one endpoint
    batch: int = 64  # deliveries taken per claim
    poll_seconds: float = 0.25  # how often an idle worker looks for due deliveries
    heartbeat_seconds: float = 5.0
    read_cap_bytes: int = 64 * 1024  # of an answer, at most; the rest is never read
    excerpt_chars: int = 1000  # of an answer, kept in the log


@dataclass(frozen=True, slots=True)
class _Ready:
    """A claimed delivery with what to send (or why it cannot be sent)."""

    claimed: store.Claimed
    rendered: Rendered | None
    message_id: str
    problem: str | None = None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(
        self,
        db: Database,
        box: SecretBox,
        styles: Mapping[str, WebhookStyle],
        settings: WorkerSettings,
        *,
        threads: Executor | None = None,
        clock: Callable[[], datetime] = utc_now,
        resolver: targets.Resolver | None = None,
        rng: random.Random | None = None,
        name: str | None = None,
    ) -> None:
        self.db = db
        self.box = box
        self.styles = dict(styles)
        self.settings = settings
        self.clock = clock
        self.name = name or worker_name()
        self.rng = rng or random.Random()
        self._own_threads = threads is None
        self._threads = threads or ThreadPoolExecutor(4, thread_name_prefix="webhooks")
        self._sender = _Sender(settings, resolver)
        self._busy: Counter[int] = Counter()  # attempts under way, per endpoint
        self._tasks: set[asyncio.Task[None]] = set()
        self._outcomes: list[store.Outcome] = []
        self._have_outcomes = asyncio.Event()
        self._slot_freed = asyncio.Event()
        self._secrets: dict[str, bytes] = {}
        self.delivered = 0
        self.failed_attempts = 0
        self.started = clock()

    # -- running ----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; then let attempts under way finish and record them."""
        background = [
            asyncio.create_task(self._record_now_and_then()),
            asyncio.create_task(self._beat_now_and_then()),
        ]
        try:
            while not stop.is_set():
                try:
                    due = await self._in_thread(lambda: store.next_due(self.db.reader()))
                    claimed = 0
                    if due is not None and due <= self.clock():
                        claimed = await self._claim_and_start()
                except Exception:
                    logger.exception("webhook claim failed")
                    due, claimed = None, 0
                if claimed < self.settings.batch:
                    await self._idle(stop, due)
        finally:
            if self._tasks:
                await asyncio.wait(set(self._tasks))
            for task in background:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self._flush_all()
            with contextlib.suppress(Exception):
                await self._in_thread(self._forget)
            await self.close()

    async def step(self) -> list[store.Outcome]:
        """Attempt every delivery due now, wait for them all and record them (for tests and
        one-off runs); return what came of them."""
        before = len(self._outcomes)
        while await self._claim_and_start():
            pass
        if self._tasks:
            await asyncio.wait(set(self._tasks))
        done = self._outcomes[before:]
        await self._flush_all()
        return done

    async def close(self) -> None:
        await self._sender.aclose()
        if self._own_threads and isinstance(self._threads, ThreadPoolExecutor):
            self._threads.shutdown(wait=False)

    async def _idle(self, stop: asyncio.Event, due: datetime | None) -> None:
        """Wait for work: the poll interval, less when the next delivery falls due sooner, or
        until a slot frees. (A delivery already due that the claim left is one this worker
        cannot take now: its endpoint's slots are full, or the endpoint is disabled; it waits
        for a freed slot or the next poll, so an idle worker never spins, and it claims (a
        write) only when something is due.)"""
        wait = self.settings.poll_seconds
        now = self.clock()
        if due is not None and due > now:
            wait = min(wait, (due - now).total_seconds())
        self._slot_freed.clear()
        waiters = [
            asyncio.ensure_future(stop.wait()),
            asyncio.ensure_future(self._slot_freed.wait()),
        ]
        try:
            await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _in_thread(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, work)

    # -- claiming -------------------------------------------------------------------------

    async def _claim_and_start(self) -> int:
        free = self.settings.max_in_flight - len(self._tasks)
        if free <= 0:
            return 0
        busy = sorted(e for e, n in self._busy.items() if n >= self.settings.per_endpoint)
        limit = min(free, self.settings.batch)
        ready = await self._in_thread(lambda: self._claim(limit, busy))
        for item in ready:
            self._busy[item.claimed.endpoint_id] += 1
            task = asyncio.create_task(self._attempt(item))
            self._tasks.add(task)
            task.add_done_callback(self._finished)
        return len(ready)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slot_freed.set()
        if not task.cancelled() and task.exception() is not None:
            logger.error("webhook attempt failed", exc_info=task.exception())

    def _claim(self, limit: int, busy: list[int]) -> list[_Ready]:
        now = self.clock()
        hold = now + timedelta(seconds=self.settings.timeout_seconds) + HOLD_MARGIN
        with self.db.transaction() as tx:
            claimed = store.claim(
                tx,
                now=now,
                hold_until=hold,
                token=secrets.token_hex(8),
                limit=limit,
                skip_endpoints=busy,
            )
        rendered: dict[tuple[int, str], Rendered | str] = {}
        return [self._ready(c, rendered) for c in claimed]

    def _ready(self, c: store.Claimed, rendered: dict[tuple[int, str], Rendered | str]) -> _Ready:
        """What to send: the bytes first sent, or the event rendered now (once per dialect)."""
        style = self.styles.get(c.dialect)
        if style is None:
            return _Ready(c, None, "", f"no dialect {c.dialect} renders webhooks here")
        message_id = style.message_id(c.event)
        key = (c.event.id, c.dialect)
        if key not in rendered:
            try:
                rendered[key] = style.render(self.db.reader(), c.event)
            except Exception as error:
                logger.exception("rendering event %s for %s failed", c.event.uuid, c.dialect)
                rendered[key] = f"could not render the event: {type(error).__name__}"
        made = rendered[key]
        if isinstance(made, str):
            return _Ready(c, None, message_id, made)
        if c.body is not None:  # a retry or a resend: the very bytes sent before
            made = Rendered(made.name, c.body.encode())
        return _Ready(c, made, message_id)

    # -- attempting -----------------------------------------------------------------------

    def _secret(self, sealed: str) -> bytes:
        found = self._secrets.get(sealed)
        if found is None:
            if len(self._secrets) > 10_000:
                self._secrets.clear()
            found = self._secrets[sealed] = self.box.open(sealed)
        return found

    def _signed_headers(self, item: _Ready, body: bytes, now: datetime) -> dict[str, str]:
        c = item.claimed
        current = self._secret(c.secret_sealed)
        signing_secrets = [current]
        if c.previous_secret_sealed and c.previous_secret_until and c.previous_secret_until > now:
            signing_secrets.append(self._secret(c.previous_secret_sealed))
        style = self.styles[c.dialect]
        return {
            **signing.headers(item.message_id, int(now.timestamp()), body, signing_secrets),
            **style.signature_headers(current, body),
            "content-type": "application/json",
            "user-agent": USER_AGENT,
        }

    async def _attempt(self, item: _Ready) -> None:
        c = item.claimed
        started = self.clock()
        began = time.perf_counter()
        code: int | None = None
        excerpt: str | None = None
        retry_after: str | None = None
        error = item.problem
        try:
            if item.rendered is not None:
                body = item.rendered.body
                headers = self._signed_headers(item, body, started)
                code, excerpt, retry_after, error = await self._post(c.url, body, headers)
        finally:
            self._busy[c.endpoint_id] -= 1
            if self._busy[c.endpoint_id] <= 0:
                del self._busy[c.endpoint_id]
        latency_ms = int((time.perf_counter() - began) * 1000)
        self._outcomes.append(
            self._judge(item, started, latency_ms, code, excerpt, retry_after, error)
        )
        self._have_outcomes.set()

    async def _post(
        self, url: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int | None, str | None, str | None, str | None]:
        """(status code, answer excerpt, Retry-After, error) of one post."""
        allow_private = self.settings.allow_private
        host = urlsplit(url).hostname or ""
        if (refused := targets.literal_refusal(host, allow_private=allow_private)) is not None:
            return None, None, None, refused
        timeout = self.settings.timeout_seconds
        try:
            async with (
                asyncio.timeout(timeout),
                self._sender.session().post(
                    url, data=body, headers=headers, allow_redirects=False
                ) as response,
            ):
                answer = await response.content.read(self.settings.read_cap_bytes)
                return (
                    response.status,
                    self._excerpt(answer),
                    response.headers.get("Retry-After"),
                    None,
                )
        except TimeoutError:
            return None, None, None, f"no answer within {timeout:g} s"
        except aiohttp.ClientConnectorError as failure:
            if isinstance(failure.os_error, targets.TargetRefused):
                return None, None, None, str(failure.os_error)[:300]
            return None, None, None, f"could not connect: {failure.os_error}"[:300]
        except (aiohttp.ClientError, ValueError) as failure:
            return None, None, None, f"{type(failure).__name__}: {failure}"[:300]

    def _excerpt(self, answer: bytes) -> str:
        chars = self.settings.excerpt_chars
        return answer[: chars * 4].decode("utf-8", "replace")[:chars]

    def _judge(
        self,
        item: _Ready,
        started: datetime,
        latency_ms: int,
        code: int | None,
        excerpt: str | None,
        retry_after: str | None,
        error: str | None,
    ) -> store.Outcome:
        c = item.claimed
        finished = self.clock()
        disable_reason = None
        next_at = None
        if code is not None and 200 <= code < 300:
            status, result = DELIVERED, "delivered"
            self.delivered += 1
        elif code == 410:
            status, result = FAILED, "gone"
            disable_reason = "the endpoint answered 410 Gone"
        else:
            wait = _retry_after(retry_after) if code in (429, 503) else None
            next_at = retry_at(
                c.attempt, finished, last_attempt=c.last_attempt, retry_after=wait, rng=self.rng
            )
            status = PENDING if next_at is not None else FAILED
            result = "refused" if error and error.startswith("refused:") else "failed"
        if status != DELIVERED:
            self.failed_attempts += 1
            if error is None and code is not None:
                error = f"answered {code}" + (
                    " (redirects are not followed)" if 300 <= code < 400 else ""
                )
        metrics.attempt(result)
        if status != PENDING:
            metrics.finished(status)
        return store.Outcome(
            delivery_id=c.id,
            claim=c.claim,
            endpoint_id=c.endpoint_id,
            attempt=c.attempt,
            started_at=started,
            latency_ms=latency_ms,
            status_code=code,
            error=error,
            excerpt=excerpt,
            status=status,
            next_attempt_at=next_at,
            body=None
            if item.rendered is None or c.body is not None
            else item.rendered.body.decode(),
            event_name=None if item.rendered is None else item.rendered.name,
            worker=self.name,
            disable_reason=disable_reason,
        )

    # -- recording ------------------------------------------------------------------------

    async def _record_now_and_then(self) -> None:
        while True:
            await self._have_outcomes.wait()
            await asyncio.sleep(0.01)  # gather what finishes meanwhile into one transaction
            try:
                await self._flush_all()
            except Exception:
                logger.exception("recording webhook attempts failed; trying again")
                await asyncio.sleep(1)

    async def _flush_all(self) -> None:
        while self._outcomes:
            batch, self._outcomes = self._outcomes, []
            self._have_outcomes.clear()
            try:
                await self._in_thread(functools.partial(self._record, batch))
            except Exception:
                self._outcomes[:0] = batch
                self._have_outcomes.set()
                raise

    def _record(self, batch: list[store.Outcome]) -> None:
        now = self.clock()
        with self.db.transaction() as tx:
            disabled = store.record(tx, batch, now, now - FAILING_LIMIT)
        for endpoint_id in disabled:
            logger.warning("webhook endpoint %s disabled", endpoint_id)

    # -- heartbeats and gauges ------------------------------------------------------------

    async def _beat_now_and_then(self) -> None:
        while True:
            try:
                await self._in_thread(self.beat)
            except Exception:
                logger.exception("webhook worker heartbeat failed")
            await asyncio.sleep(self.settings.heartbeat_seconds)

    def beat(self) -> None:
        """Say this worker is alive (with its counts), forget long-silent ones, and read the
        queue's depth and age into the gauges."""
        now = self.clock()
        with self.db.transaction() as tx:
            store.heartbeat(tx, self.name, self.started, now, self.delivered, self.failed_attempts)
            store.forget_silent_workers(tx, now - FORGET_AFTER)
        depth, oldest = store.queue(self.db.reader())
        metrics.queue(depth, None if oldest is None else (now - oldest).total_seconds())

    def _forget(self) -> None:
        with self.db.transaction() as tx:
            store.forget_worker(tx, self.name)


class _Sender:
    """One aiohttp session for every attempt of the worker: its connections are kept alive
    per target and made only to addresses the guard resolved and checked."""

    def __init__(self, settings: WorkerSettings, resolver: targets.Resolver | None) -> None:
        self._settings = settings
        self._resolver = resolver
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        """The session, made in the running event loop on first use."""
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._settings.max_in_flight,
                resolver=targets.GuardedResolver(
                    allow_private=self._settings.allow_private, resolver=self._resolver
                ),
                use_dns_cache=False,  # every new connection is resolved and checked again
                ssl=ssl.create_default_context(),
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=self._settings.timeout_seconds),
                trust_env=False,
            )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _retry_after(value: str | None) -> timedelta | None:
    """A Retry-After of seconds (the HTTP-date form is read too)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(timedelta(0), when - utc_now())


def run_forever(worker: Worker) -> Any:
    """Run ``worker`` in its own event loop until interrupted (``openpaws worker``)."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await worker.run(stop)

    asyncio.run(main())
