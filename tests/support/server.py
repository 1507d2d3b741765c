"""A real OpenPaws server process on a free loopback port, for tests that need one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.setup import TEST_SECRET_KEY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(
    database_url: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start `openpaws serve`, wait until it answers, yield (base URL, process), stop it."""
    port = free_port()
    command = [sys.executable, "-m", "openpaws", "serve", "--port", str(port), *args]
    process = subprocess.Popen(
        command,
        env={
            **os.environ,
            "OPENPAWS_DATABASE_URL": database_url,
            # Every instance over one PostgreSQL seals webhook secrets with the same key.
            "OPENPAWS_SECRET_KEY": TEST_SECRET_KEY,
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stdout:
            process.stdout.close()
