"""``python -m openpaws.bench.serve_baseline floor|raw PORT``: a baseline on OpenPaws' server."""

from __future__ import annotations

import sys

from openpaws.server import run

if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind not in ("floor", "raw"):
        raise SystemExit("usage: serve_baseline floor|raw PORT")
    run(f"openpaws.bench.baselines:{kind}", "127.0.0.1", port)
