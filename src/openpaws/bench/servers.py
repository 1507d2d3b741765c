"""Server processes under test: pinned to the server core, watched for their peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

SERVER_CORE = "0"


class ServerFailed(RuntimeError):
    pass


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += _children(current)
    return tree


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """``argv`` pinned to the server core; ready once ``probe`` answers on ``port``."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], port: int, log: Path
    ) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, *self.argv],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ServerFailed(f"{self.name} exited; see {self.log}")
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # it answers (the baselines know no /healthz)
            except OSError:
                time.sleep(0.2)
        raise ServerFailed(f"{self.name} did not answer within 60 s; see {self.log}")

    def peak_rss(self) -> tuple[float, float]:
        """(largest process, all processes) peak resident memory in MB."""
        assert self.process is not None
        peaks = [peak_rss_mb(pid) for pid in process_tree(self.process.pid)]
        return max(peaks), sum(peaks)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def openpaws_argv(port: int) -> list[str]:
    return [str(Path(sys.executable).parent / "openpaws"), "serve", "--port", str(port)]


def baseline_argv(kind: str, port: int) -> list[str]:
    return [sys.executable, "-m", "openpaws.bench.serve_baseline", kind, str(port)]
