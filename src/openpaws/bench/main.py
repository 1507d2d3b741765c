"""``openpaws bench``: every (backend, size) in turn, results kept and the page rewritten."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from openpaws.bench import datasets, report, runner


class BenchUnavailable(RuntimeError):
    pass


def _check_machine() -> None:
    if (os.cpu_count() or 1) < 2:
        raise BenchUnavailable("the bench pins the server and the load to two different cores")
    for tool in ("taskset", "wrk"):
        if shutil.which(tool) is None:
            raise BenchUnavailable(f"{tool} is not installed (make bench installs wrk)")


def command_line(sizes: list[int], backends: list[str], seconds: int) -> str:
    return (
        f"openpaws bench --sizes {','.join(map(str, sizes))} "
        f"--backends {','.join(backends)} --seconds {seconds}"
    )


def run(
    *,
    sizes: list[int],
    backends: list[str],
    seconds: int,
    workdir: str,
    postgres_url: str,
    redis_url: str,
    results: str,
    page: str,
    say: runner.Say,
) -> None:
    _check_machine()
    chosen = []
    for name in backends:
        if name == "sqlite":
            chosen.append(datasets.Backend("sqlite"))
        elif name == "postgres":
            chosen.append(datasets.Backend("postgres", postgres_url, redis_url))
        else:
            raise BenchUnavailable(f"unknown backend {name}: sqlite or postgres")
    plan = runner.Plan(sizes, chosen, Path(workdir), seconds, max(1, seconds // 2))
    results_path, page_path = Path(results), Path(page)
    if any(b.name == "postgres" for b in chosen):
        runner.pin_services(runner.LOAD_CORE)
    try:
        for backend in chosen:
            for size in sizes:
                measured = runner.measure(plan, backend, size, say)
                runs = report.save_runs(results_path, report.load_runs(results_path), [measured])
                plots = report.plot(runs, page_path.parent / "bench")
                section = report.markdown(
                    runs, command_line(sizes, backends, seconds), plots, page_path.parent
                )
                report.write(page_path, section)
                say(f"results written to {page_path}")
    finally:
        if any(b.name == "postgres" for b in chosen):
            runner.pin_services("0-1")
