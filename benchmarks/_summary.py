"""The rows every benchmark reports for `make bench`'s summary table.

A benchmark calls `record` for each operation it measures; when the
``VIRT_BENCH_SUMMARY`` environment variable names a file (``run_all.py`` sets
it), the row is appended there as a line of JSON, and ``run_all.py`` prints
all rows in one table.  Run alone, a benchmark prints only its own table.
"""

from __future__ import annotations

import json
import os


def record(benchmark: str, operation: str, *, virt: float | None = None,
           compat: float | None = None, floor: float | None = None,
           compat_floor: float | None = None, target: str = "") -> None:
    """One row: ratios against the official binding (*virt*, *compat*) and
    against the ctypes floor (*floor*, *compat_floor*), and the target that
    applies (``"<= 1.0"``, ``">= 1.0"``, ``"<= 1.15 x floor"``, …)."""
    path = os.environ.get("VIRT_BENCH_SUMMARY")
    if not path:
        return
    row = {"benchmark": benchmark, "operation": operation, "virt": virt, "compat": compat,
           "floor": floor, "compat_floor": compat_floor, "target": target}
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(json.dumps(row) + "\n")
