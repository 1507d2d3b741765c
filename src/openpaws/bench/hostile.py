"""How fast a hostile query string is refused, and how little it delays everyone else.

``python -m openpaws.bench.hostile BASE_URL PAWPLACER_KEY`` sends a 48 KB query string of
12,000 parameters to a running server (with and without a credential, through the thin path
and through Litestar), 20 times each, and then three such requests at once beside a
``/healthz``, 10 times; it prints the medians and maxima. Not part of ``make test``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

import httpx

QUERY = "&".join(f"p={i % 10}" for i in range(12_000))


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    await client.get(path, headers=headers)
    return (time.perf_counter() - started) * 1000


async def measure(base: str, key: str) -> list[str]:
    lines = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for label, path, headers in [
            ("PawPlacer, no key", f"/pawplacer/api/pets?{QUERY}", {}),
            ("PawPlacer, key", f"/pawplacer/api/pets?{QUERY}", {"x-api-key": key}),
            (
                "PawPlacer, key, through Litestar (Origin)",
                f"/pawplacer/api/pets?{QUERY}",
                {"x-api-key": key, "Origin": "https://x.example"},
            ),
            ("Petfinder, no token", f"/petfinder/v2/animals?{QUERY}", {}),
        ]:
            status = (await client.get(path, headers=headers)).status_code
            times = [await _timed(client, path, headers) for _ in range(20)]
            lines.append(
                f"{label}: {status} in {statistics.median(times):.1f} ms "
                f"(median of 20; max {max(times):.1f} ms)"
            )
        alone = [await _timed(client, "/healthz", {}) for _ in range(20)]
        beside: list[float] = []
        for _ in range(10):
            hostile = [_timed(client, f"/pawplacer/api/pets?{QUERY}", {}) for _ in range(3)]
            *_, health = await asyncio.gather(*hostile, _timed(client, "/healthz", {}))
            beside.append(health)
        lines.append(
            f"/healthz: {statistics.median(alone):.1f} ms alone, "
            f"{statistics.median(beside):.1f} ms beside three such requests "
            f"(median of 10; max {max(beside):.1f} ms)"
        )
    return lines


if __name__ == "__main__":
    for line in asyncio.run(measure(sys.argv[1], sys.argv[2])):
        print(line)
