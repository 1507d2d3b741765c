"""Results kept across runs, the bars checked against them, and docs/performance.md written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from openpaws.bench.inputs import Fragment
from openpaws.bench.runner import Row, Run

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
REQUESTS = {
    1: "`GET /petfinder/v2/animals?type=dog&page=N`",
    2: "`GET /petfinder/v2/animals?location=ZIP&distance=50&sort=distance`",
    3: "`GET /petfinder/v2/animals?name=FRAGMENT`",
    4: "`GET /petfinder/v2/animals/{id}`",
    5: "`GET /pawplacer/api/pets?search=FRAGMENT`",
    6: "`POST /pawplacer/api/pets`",
    7: "`GET /pawssource/v2/pets?limit=20&cursor=C`",
    8: "`GET /pawssource/v2/products?keyword=FRAGMENT`",
    9: "`POST /pawssource/v2/orders` (1,000 products)",
    10: "`POST /pawssource/v2/orders` (10 products that run out)",
}
HUNDRED_THOUSAND = 100_000
MILLION = 1_000_000
SMALLEST = 10_000


def load_runs(path: Path) -> list[Run]:
    if not path.exists():
        return []
    return msgspec.json.decode(path.read_bytes(), type=list[Run])


def save_runs(path: Path, old: list[Run], new: list[Run]) -> list[Run]:
    """Keep the newest run of each (backend, size)."""
    kept = {(r.backend, r.size): r for r in [*old, *new]}
    runs = sorted(kept.values(), key=lambda r: (r.backend != "sqlite", r.backend, r.size))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msgspec.json.format(msgspec.json.encode(runs)))
    return runs


@dataclass(frozen=True)
class Bar:
    text: str
    measured: str
    met: bool | None  # None: not measured


def _row(run: Run | None, number: int) -> Row | None:
    if run is None:
        return None
    return next((r for r in run.rows if r.request == number), None)


def _find(runs: Iterable[Run], backend: str, size: int) -> Run | None:
    return next((r for r in runs if r.backend == backend and r.size == size), None)


def bars(runs: list[Run]) -> list[Bar]:
    big = _find(runs, "sqlite", MILLION)
    small = _find(runs, "sqlite", SMALLEST)
    found: list[Bar] = []

    def add(text: str, measured: str | None, met: bool) -> None:
        found.append(Bar(text, measured or "not measured", met if measured else None))

    r1 = _row(big, 1)
    if r1 and r1.raw:
        add(
            "request 1 at 1,000,000: >= 0.8 x raw and >= 1,500 req/s",
            f"{r1.openpaws.rps:,.0f} req/s = {r1.openpaws.rps / r1.raw.rps:.2f} x raw "
            f"({r1.raw.rps:,.0f})",
            r1.openpaws.rps >= 0.8 * r1.raw.rps and r1.openpaws.rps >= 1500,
        )
    else:
        add("request 1 at 1,000,000: >= 0.8 x raw and >= 1,500 req/s", None, False)
    for run in [r for r in runs if r.backend == "sqlite"]:
        r4 = _row(run, 4)
        if r4 and r4.raw:
            ratio = r4.openpaws.rps / r4.raw.rps
            add(
                f"request 4 at {run.size:,}: >= 0.8 x raw",
                f"{r4.openpaws.rps:,.0f} req/s = {ratio:.2f} x raw ({r4.raw.rps:,.0f})",
                ratio >= 0.8,
            )
    for number in (2, 3, 5):
        row = _row(big, number)
        add(
            f"request {number} at 1,000,000: >= 500 req/s, p99 <= 100 ms",
            f"{row.openpaws.rps:,.0f} req/s, p99 {row.openpaws.p99_ms:.1f} ms" if row else None,
            bool(row and row.openpaws.rps >= 500 and row.openpaws.p99_ms <= 100),
        )
    for number in range(1, 6):
        at_big, at_small = _row(big, number), _row(small, number)
        measured = None
        met = False
        if at_big and at_small:
            ratio = at_big.openpaws_single.p50_ms / at_small.openpaws_single.p50_ms
            measured = (
                f"{at_big.openpaws_single.p50_ms:.2f} ms vs {at_small.openpaws_single.p50_ms:.2f}"
                f" ms = {ratio:.2f} x"
            )
            met = ratio <= 1.3
        add(f"request {number}: p50 at 1 connection, 1,000,000 <= 1.3 x 10,000", measured, met)
    for run in [r for r in runs if r.backend == "sqlite"]:
        w = _row(run, 6)
        if w and run.raw_commits_per_s:
            ratio = w.openpaws.rps / run.raw_commits_per_s
            add(
                f"request 6 at {run.size:,}: >= 500 writes/s and >= 0.5 x raw commits",
                f"{w.openpaws.rps:,.0f}/s = {ratio:.2f} x raw ({run.raw_commits_per_s:,.0f}/s)",
                w.openpaws.rps >= 500 and ratio >= 0.5,
            )
    add(
        "peak resident memory at 1,000,000 <= 200 MB",
        f"{big.peak_rss_mb:.0f} MB (with granian's supervisor {big.peak_rss_all_mb:.0f} MB)"
        if big
        else None,
        bool(big and big.peak_rss_mb <= 200),
    )
    found += _paws_source_bars(runs)
    for pg in [r for r in runs if r.backend == "postgres"]:
        lite = _find(runs, "sqlite", pg.size)
        if lite is None:
            continue
        worst = min(
            (p.openpaws.rps / lr.openpaws.rps, p.request)
            for p in pg.rows
            if (lr := _row(lite, p.request)) is not None
        )
        add(
            f"PostgreSQL + Redis at {pg.size:,}: every request >= 1/1.5 of SQLite",
            f"lowest ratio {worst[0]:.2f} (request {worst[1]})",
            worst[0] >= 1 / 1.5,
        )
    return found


def _paws_source_bars(runs: list[Run]) -> list[Bar]:
    """Requests 7-10 (the Paws Source issue's bars)."""
    found: list[Bar] = []

    def add(text: str, measured: str | None, met: bool) -> None:
        found.append(Bar(text, measured or "not measured", met if measured else None))

    for run in runs:
        walk, first = _row(run, 7), _row(run, 1)
        if walk and first and run.size >= HUNDRED_THOUSAND:
            add(
                f"request 7 at {run.size:,} ({run.backend}): >= request 1's throughput",
                f"{walk.openpaws.rps:,.0f} vs {first.openpaws.rps:,.0f} req/s",
                walk.openpaws.rps >= first.openpaws.rps,
            )
        search = _row(run, 8)
        if search:
            add(
                f"request 8 at {run.size:,} ({run.backend}), {run.products:,} products: "
                ">= 500 req/s",
                f"{search.openpaws.rps:,.0f} req/s, p99 {search.openpaws.p99_ms:.1f} ms",
                search.openpaws.rps >= 500,
            )
        orders = _row(run, 9)
        if orders and run.backend == "sqlite":
            add(
                f"request 9 at {run.size:,} (SQLite, synchronous=FULL): >= 300 orders/s",
                f"{orders.openpaws.rps:,.0f} orders/s",
                orders.openpaws.rps >= 300,
            )
        hot = run.hot_orders
        if hot is not None:
            add(
                f"request 10 at {run.size:,} ({run.backend}): stock runs out, no 5xx, "
                "orders and stock exact",
                f"{hot.created:,} made, {hot.refused:,} refused for stock, {hot.stock_left} left",
                hot.refused > 0 and hot.stock_left == 0,
            )
    big = _find(runs, "sqlite", MILLION)
    mid = _find(runs, "sqlite", HUNDRED_THOUSAND)
    at_big, at_mid = _row(big, 7), _row(mid, 7)
    measured = None
    met = False
    if at_big and at_mid:
        ratio = at_big.openpaws_single.p50_ms / at_mid.openpaws_single.p50_ms
        measured = (
            f"{at_big.openpaws_single.p50_ms:.2f} ms vs {at_mid.openpaws_single.p50_ms:.2f} ms"
            f" = {ratio:.2f} x"
        )
        met = ratio <= 1.3
    add("request 7: p50 at 1 connection, 1,000,000 <= 1.3 x 100,000", measured, met)
    return found


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _ratio(ours: float, other: Row | None, pick: str) -> str:
    base = getattr(other, pick) if other else None
    if base is None:
        return "-"
    return f"{base.rps:,.0f} ({ours / base.rps:.2f})"


def table(run: Run) -> list[str]:
    lines = [
        f"**{run.backend}, {run.size:,} animals** ({run.measured_at}; peak memory "
        f"{run.peak_rss_mb:.0f} MB serving process, {run.peak_rss_all_mb:.0f} MB with "
        "granian's supervisor)",
        "",
        "| request | req/s | p50 ms | p99 ms | p50 ms @1 conn | floor req/s (OpenPaws/floor) "
        "| raw req/s (OpenPaws/raw) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in run.rows:
        o = row.openpaws
        lines.append(
            f"| {row.request}. {REQUESTS[row.request]} | {o.rps:,.0f} | {_ms(o.p50_ms)} | "
            f"{_ms(o.p99_ms)} | {_ms(row.openpaws_single.p50_ms)} | "
            f"{_ratio(o.rps, row, 'floor')} | {_ratio(o.rps, row, 'raw')} |"
        )
    writes = f"Writes: {run.writes_answered:,} answered 201, {run.rows_added:,} rows added"
    if run.writes_sent is not None:
        writes += f" of {run.writes_sent:,} sent (the rest were in flight when wrk stopped)"
    if run.raw_commits_per_s:
        writes += f"; raw sqlite3 commit loop of the same rows: {run.raw_commits_per_s:,.0f}/s"
    found = [*lines, "", writes + "."]
    if run.orders and run.hot_orders:
        spread, hot = run.orders, run.hot_orders
        found.append(
            f"Orders (request 9): {spread.created:,} made of {spread.sent:,} sent, "
            f"{spread.rows_added:,} written, {spread.units_taken:,} units taken. Hot products "
            f"(request 10): {hot.created:,} made and {hot.refused:,} refused for stock of "
            f"{hot.sent:,} sent, {hot.rows_added:,} written = {hot.units_taken:,} units "
            f"taken, {hot.stock_left} left."
        )
    return [*found, ""]


def plot(runs: list[Run], folder: Path) -> list[Path]:
    """One PNG per request: p50 and p99 at 32 connections against data size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for number, label in REQUESTS.items():
        fig, ax = plt.subplots(figsize=(6, 3.6))
        for backend in sorted({r.backend for r in runs}):
            points = sorted(
                (r.size, row) for r in runs if r.backend == backend if (row := _row(r, number))
            )
            sizes = [s for s, _ in points]
            ax.plot(sizes, [r.openpaws.p50_ms for _, r in points], "o-", label=f"{backend} p50")
            ax.plot(sizes, [r.openpaws.p99_ms for _, r in points], "s--", label=f"{backend} p99")
        ax.set_xscale("log")
        ax.set_xlabel("animals")
        ax.set_ylabel("latency at 32 connections (ms)")
        ax.set_title(f"{number}. {label.strip('`')}", fontsize=9)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        path = folder / f"request-{number}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        made.append(path)
    return made


def _fragments(run: Run) -> list[str]:
    def listed(fragments: list[Fragment], population: int) -> str:
        return ", ".join(f"{f.text} {f.matches}" for f in fragments) + f" (of {population:,})"

    return [
        f"Inputs at {run.size:,} ({run.backend}): pages 1-50; {run.zip_codes} ZIP codes of "
        f"listing organizations; {run.ids:,} ids drawn uniformly from the {run.listed:,} listed "
        "animals; request 3's fragments with the animals each matches: "
        f"{listed(run.names, run.listed)}; request 5's, over the "
        f"{run.anchor_pets:,} listed pets of the bench organization: "
        f"{listed(run.searches, run.anchor_pets)}; request 7 walks the {run.pet_pages:,} pages "
        "of that organization's pets; request 8's fragments over "
        f"{listed(run.product_searches, run.products)}.",
        "",
    ]


def markdown(runs: list[Run], command: str, plots: list[Path], docs: Path) -> str:
    lines = [START, "", "## Results", "", f"Reproduce: `{command}`", "", "### The bars", ""]
    lines += ["| bar | measured | met |", "|---|---|---|"]
    for bar in bars(runs):
        met = "-" if bar.met is None else ("yes" if bar.met else "**no**")
        lines.append(f"| {bar.text} | {bar.measured} | {met} |")
    lines += ["", "### Every figure", ""]
    for run in runs:
        lines += table(run)
    lines += ["### Latency against data size", ""]
    lines += [f"![request {p.stem}]({p.relative_to(docs).as_posix()})" for p in plots]
    lines += ["", "### Inputs", ""]
    for run in runs:
        lines += _fragments(run)
    return "\n".join([*lines, END, ""])


def write(page: Path, section: str, start: str = START, end: str = END) -> None:
    """Replace the generated section of ``page`` (from ``start`` to ``end``), keeping the
    hand-written text around it."""
    text = page.read_text() if page.exists() else "# Performance\n\n"
    if start in text and end in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    page.write_text(text)
