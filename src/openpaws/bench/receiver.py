"""The webhook benchmark's receiver: an ASGI app served by granian on the load core.

``POST /fast/<n>`` answers 200 at once, ``/slow/<n>`` after 200 ms, ``/hang/<n>`` never (until
the sender gives up). ``GET /stats`` gives, per path, the requests received, the distinct
``webhook-id`` values among them, and the first and last arrival (monotonic seconds).
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import msgspec

SLOW_SECONDS = 0.2
HANG_SECONDS = 3600.0


class _Stats:
    def __init__(self) -> None:
        self.count: dict[str, int] = {}
        self.ids: dict[str, set[str]] = {}
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def add(self, path: str, message_id: str) -> None:
        now = time.monotonic()
        self.count[path] = self.count.get(path, 0) + 1
        self.ids.setdefault(path, set()).add(message_id)
        self.first.setdefault(path, now)
        self.last[path] = now

    def shown(self) -> bytes:
        return msgspec.json.encode(
            {
                path: {
                    "received": self.count[path],
                    "distinct": len(self.ids[path]),
                    "first": self.first[path],
                    "last": self.last[path],
                }
                for path in self.count
            }
        )


def app_factory() -> Any:
    stats = _Stats()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        if scope["method"] == "GET" and path == "/stats":
            await _answer(send, 200, stats.shown())
            return
        if scope["method"] == "POST" and path == "/reset":
            stats.__init__()  # type: ignore[misc]
            await _answer(send, 200, b"{}")
            return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        headers = dict(scope["headers"])
        stats.add(path, headers.get(b"webhook-id", b"").decode())
        if path.startswith("/slow/"):
            await asyncio.sleep(SLOW_SECONDS)
        elif path.startswith("/hang/"):
            await asyncio.sleep(HANG_SECONDS)
        await _answer(send, 200, b"ok")

    return app


async def _answer(send: Any, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    from openpaws.server import run

    run("openpaws.bench.receiver:app_factory", "127.0.0.1", int(sys.argv[1]))


if __name__ == "__main__":
    main()
