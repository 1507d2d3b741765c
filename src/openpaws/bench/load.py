"""Load from wrk, pinned to its own core, with inputs spread by Lua scripts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import msgspec

LOAD_CORE = "1"

# GET one of the paths at random on each request (headers come from wrk's -H options).
SPREAD_LUA = """\
local paths = %(paths)s
local count = #paths
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(%(seed)d + (thread_number or 0))
end

function request()
  return wrk.format(nil, paths[math.random(count)])
end
"""

# POST /pawplacer/api/pets with a fresh Idempotency-Key and a distinct body on every request.
# done() reports how many were sent: those in flight when wrk stops may still be written.
CREATE_PET_LUA = """\
counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local sent = 0
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("counter")
  end
  io.write(string.format("Requests sent: %d\\n", sent))
end

function init(args)
  math.randomseed(os.time() + (thread_number or 0))
  prefix = string.format("wrk-%d-%d", thread_number or 0, math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local key = prefix .. "-" .. counter
  local body = string.format(
    '{"name":"Bench %s","species":"dog","age_category":"young","sex":"male","size":"medium",' ..
    '"status":"Available","health":"good","show_public":true,"breed":["Labrador Retriever"],' ..
    '"adoption_fee":%d}', key, counter % 500)
  local headers = {["Content-Type"] = "application/json", ["Idempotency-Key"] = key}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  return wrk.format("POST", nil, headers, body)
end
"""


class LoadFailed(RuntimeError):
    pass


class Measure(msgspec.Struct):
    """One wrk run: completed requests, throughput and latency percentiles."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    sent: int | None = None  # requests written to the wire, where the script counts them


def spread_script(paths: list[str], path: Path, seed: int = 2026) -> Path:
    listed = "{\n" + ",\n".join(f"  {_lua_string(p)}" for p in paths) + "\n}"
    path.write_text(SPREAD_LUA % {"paths": listed, "seed": seed})
    return path


def create_pet_script(path: Path) -> Path:
    path.write_text(CREATE_PET_LUA)
    return path


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse(output: str) -> Measure:
    """Read wrk's --latency report; any non-2xx answer or socket error fails the run."""
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise LoadFailed(f"{m.group(1)} answers were not 2xx:\n{output}")
    if m := re.search(r"Socket errors: (.*)", output):
        raise LoadFailed(f"socket errors ({m.group(1)}):\n{output}")
    requests = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    if not (requests and rps and p50 and p99):
        raise LoadFailed(f"could not read wrk's report:\n{output}")
    sent = re.search(r"Requests sent: (\d+)", output)
    return Measure(
        int(requests.group(1)),
        float(rps.group(1)),
        _millis(p50.group(1)),
        _millis(p99.group(1)),
        int(sent.group(1)) if sent else None,
    )


def run_counting(
    url: str, script: Path, connections: int, seconds: int, headers: dict[str, str]
) -> tuple[Measure, dict[str, int]]:
    """As :func:`run`, for a script that counts its answers itself (some may be 4xx): the
    measure, and the script's counts (sent, created, refused, other)."""
    output = _wrk(url, script, connections, seconds, headers)
    counts = {
        name: int(m.group(1)) if (m := re.search(rf"{label}: (\d+)", output)) else 0
        for name, label in (
            ("sent", "Requests sent"),
            ("created", "Orders created"),
            ("refused", "Orders refused"),
            ("other", "Other answers"),
        )
    }
    cleaned = re.sub(r"\s*Non-2xx or 3xx responses: \d+", "", output)
    return parse(cleaned), counts


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise LoadFailed("wrk is not installed (make bench installs it from the system packages)")
    return found


def run(url: str, script: Path, connections: int, seconds: int, headers: dict[str, str]) -> Measure:
    """wrk with one thread, pinned to the load core, against ``url`` with ``script``."""
    return parse(_wrk(url, script, connections, seconds, headers))


def _wrk(url: str, script: Path, connections: int, seconds: int, headers: dict[str, str]) -> str:
    command = ["taskset", "-c", LOAD_CORE, wrk_binary(), "-t1", f"-c{connections}"]
    command += [f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LoadFailed(f"wrk failed: {done.stderr or done.stdout}")
    return done.stdout
