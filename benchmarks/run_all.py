"""Every benchmark in one run, and one table of their ratios (``make bench``).

    python benchmarks/run_all.py [--quick]

Runs each ``bench_*.py`` of this directory in turn, ``bench_core.py`` also
through a session daemon (their own tables are printed as they go), then the
summary: for each operation the ratio of virt
and of virt.compat against the official binding in the same run (below 1.0
is faster, or smaller; for rates, above 1.0 is better), against the ctypes
floor where a benchmark measures one, and the target that applies.
``--quick`` passes each benchmark its smaller settings (fewer rounds), for a
look rather than a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = {"bench_core.py": ["--repeat", "3"], "bench_memory.py": ["--repeat", "1"],
         "bench_fleet.py": ["--repeat", "2"],
         "bench_stream.py": ["--repeat", "3", "--size-mib", "256"]}


def cell(value: float | None) -> str:
    return f"{value:8.2f}" if value is not None else f"{'':8}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        summary = Path(scratch, "summary.jsonl")
        env = {**os.environ, "VIRT_BENCH_SUMMARY": str(summary)}
        runs = [(bench, []) for bench in sorted(HERE.glob("bench_*.py"))]
        runs.insert(1, (HERE / "bench_core.py", ["--daemon", "--domains", "200"]))
        for bench, options in runs:
            print(f"== {bench.name} {' '.join(options)}", flush=True)
            extra = QUICK.get(bench.name, []) if args.quick else []
            subprocess.run([sys.executable, str(bench), *options, *extra], check=True, env=env)
        rows = [json.loads(line) for line in summary.read_text().splitlines()] \
            if summary.exists() else []
    print()
    print(f"{'benchmark':16} {'operation':56} {'virt':>8} {'compat':>8} "
          f"{'v/floor':>8} {'c/floor':>8}  target")
    for row in rows:
        print(f"{row['benchmark']:16} {row['operation']:56} {cell(row['virt'])} "
              f"{cell(row['compat'])} {cell(row['floor'])} {cell(row['compat_floor'])}  "
              f"{row['target']}")


if __name__ == "__main__":
    main()
