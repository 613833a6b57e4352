"""Start-up cost of virt against the official binding (libvirt-python), same run.

    python benchmarks/bench_startup.py [--rounds 40]

Two cases, each a fresh interpreter: ``import`` alone, and ``import`` +
``connect("test:///default")`` + ``list_all_domains()``; for virt and for
virt.compat (``open`` + ``listAllDomains()``, as a program written for the
official binding does).  The scripts run interleaved in a shuffled order
every round, so a disturbance (the machine is shared) hits both bindings
alike; each figure is the minimum (the least disturbed run) and the median
over the rounds, of the wall-clock time and of the child's CPU time (which
other processes on a busy machine disturb least).
The ratio is virt's time over the official binding's: below 1.0, virt starts
faster.  An empty interpreter (``python -c pass``) is timed too, so the cost
of each import can be read net of the interpreter's own start-up.

The children run in a plain virtual environment of the same Python
(``build/venv-startup``, made on first use, without pip) in which virt and
the official binding are linked into site-packages: what a user's venv
imports at start-up and nothing more, and each binding found where it would
be installed.  The development venv would not do: the
``.pth`` file of virt's editable install imports ``pathlib``, ``re``,
``enum``, ``urllib`` … in every interpreter, the empty one too, and hides that
part of each binding's import.  Byte-code caches are used as an installed
package would use them (the ``PYTHONDONTWRITEBYTECODE`` of the calling shell
is dropped; one warm-up round writes them).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import _summary

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "empty": "pass",
    "import virt": "import virt",
    "import libvirt": "import libvirt",
    "import virt.compat": "import virt.compat",
    "virt: connect + list": (
        "import virt\n"
        "with virt.connect('test:///default') as c:\n"
        "    c.list_all_domains()\n"),
    "libvirt: connect + list": (
        "import libvirt\n"
        "c = libvirt.open('test:///default')\n"
        "c.listAllDomains()\n"
        "c.close()\n"),
    "compat: connect + list": (
        "import virt.compat as libvirt\n"
        "c = libvirt.open('test:///default')\n"
        "c.listAllDomains()\n"
        "c.close()\n"),
}

#: label: (case of virt, case of the official binding), compared by a ratio
PAIRS = {
    "import": ("import virt", "import libvirt"),
    "import + connect + list": ("virt: connect + list", "libvirt: connect + list"),
    "compat import": ("import virt.compat", "import libvirt"),
    "compat import + connect + list": ("compat: connect + list", "libvirt: connect + list"),
}


def stock_interpreter() -> str:
    """The Python of ``build/venv-startup``: a plain venv of this Python in
    which virt and the official binding are installed as links to the files
    this interpreter imports (so they are found where a user's venv has them:
    in site-packages, after the standard library)."""
    venv = ROOT / "build" / "venv-startup"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = subprocess.run([str(python), "-c", purelib], check=True, capture_output=True,
                          text=True).stdout.strip()
    spec = importlib.util.find_spec("libvirt")
    if spec is None or spec.origin is None:  # pragma: no cover - the benchmark needs it
        raise SystemExit("the official binding is needed: pip install libvirt-python")
    official = Path(spec.origin).parent
    for target in [ROOT / "virt", Path(spec.origin), *official.glob("libvirtmod*")]:
        link = Path(site) / target.name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    return str(python)


def run(code: str, env: dict[str, str], python: str) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one fresh interpreter running *code*.

    The CPU time (user + system, of the child alone) is what a busy machine
    disturbs least: other processes delay the child but do not add to it.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([python, "-c", code], env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def report(title: str, times: dict[str, list[float]]) -> None:
    empty = min(times["empty"])
    print(f"{title + ' (ms)':38} {'min':>7} {'median':>7} {'min net':>8}")
    for name, values in times.items():
        best = min(values)
        print(f"  {name:36} {best * 1e3:7.1f} {statistics.median(values) * 1e3:7.1f} "
              f"{(best - empty) * 1e3:8.1f}")
    for label, (mine, theirs) in PAIRS.items():
        ratio = min(times[mine]) / min(times[theirs])
        median = statistics.median(times[mine]) / statistics.median(times[theirs])
        net = (min(times[mine]) - empty) / (min(times[theirs]) - empty)
        print(f"  {'ratio ' + label:36} {ratio:7.2f} {median:7.2f} {net:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    python = stock_interpreter()
    for code in CASES.values():  # warm-up: byte-code caches, page cache
        run(code, env, python)
    wall: dict[str, list[float]] = {name: [] for name in CASES}
    cpu: dict[str, list[float]] = {name: [] for name in CASES}
    order = list(CASES)
    for _ in range(args.rounds):
        random.shuffle(order)
        for name in order:
            elapsed, used = run(CASES[name], env, python)
            wall[name].append(elapsed)
            cpu[name].append(used)
    print(f"{args.rounds} rounds, fresh interpreters of a plain venv ({sys.implementation.name} "
          f"{sys.version.split()[0]}); ratios are virt / official; net = minus the empty "
          "interpreter")
    report("wall-clock", wall)
    report("CPU time", cpu)
    for label, virt_pair, compat_pair in (
            ("import, fresh interpreter (min)", PAIRS["import"], PAIRS["compat import"]),
            ("import + connect + list (min)", PAIRS["import + connect + list"],
             PAIRS["compat import + connect + list"])):
        _summary.record("startup", label,
                        virt=min(wall[virt_pair[0]]) / min(wall[virt_pair[1]]),
                        compat=min(wall[compat_pair[0]]) / min(wall[compat_pair[1]]),
                        target="<= 1.0")


if __name__ == "__main__":
    main()
