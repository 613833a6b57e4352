"""Instructions per delivered event (callgrind): virt and virt.compat against
the official binding.

    python benchmarks/events_instructions.py [--events 2000] [--case virt:name ...]

Wall-clock rates (``bench_events.py``) move with the load of a shared
machine; instruction counts do not.  Each case runs in its own interpreter
under ``valgrind --tool=callgrind``, which counts only inside iterations of
libvirt's default loop (``virEventGLibRunOnce``, what
``virEventRunDefaultImpl`` runs in the libvirt builds of these machines): a
burst of domain define/undefine on the test driver queues lifecycle events
with no loop running, then the main thread runs the default loop until the
callback has seen every one of them.  The count divided by the number of
events is the delivery cost of one event, from libvirt's dispatch to the
callback's return and the release of what it was given.  The callbacks are
``bench_events.py``'s: one that counts, one that also reads the domain's name
and the event type.

Needs valgrind; ``--child`` runs one case without it (what valgrind runs).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

CASES = ("official:count", "virt:count", "compat:count",
         "official:name", "virt:name", "compat:name")

XML = ("<domain type='test'><name>bench-ir-{i}</name><memory>65536</memory>"
       "<os><type>hvm</type></os></domain>")


def child(case: str, count: int) -> None:
    """Deliver *count* lifecycle events to the callback of *case*."""
    import libvirt

    import virt
    import virt.compat
    import virt.events

    binding, kind = case.split(":")
    named = kind == "name"
    virt.events.register_default_impl()
    libvirt.registerErrorHandler(lambda *_: None, None)
    seen = [0]
    last: list[Any] = [None]
    close: Callable[[], object]
    if binding == "virt":
        conn: Any = virt.connect("test:///default")
        if named:
            def handler(event: Any) -> None:
                last[0] = (event.domain.get_name(), event.event)
                seen[0] += 1
        else:
            def handler(event: Any) -> None:
                seen[0] += 1
        close = conn.subscribe(virt.DomainLifecycle, handler).close
    else:
        module: Any = libvirt if binding == "official" else virt.compat
        conn = module.open("test:///default")
        if named:
            def official(_conn: Any, dom: Any, event: int, _detail: int, _opaque: Any) -> None:
                last[0] = (dom.name(), event)
                seen[0] += 1
        else:
            def official(_conn: Any, dom: Any, event: int, _detail: int, _opaque: Any) -> None:
                seen[0] += 1
        callback_id = conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, official, None)
        close = lambda: conn.domainEventDeregisterAny(callback_id)  # noqa: E731
    producer = virt.connect("test:///default")
    for i in range(count // 2):
        domain = producer.domain_define_xml(XML.format(i=i))
        domain.undefine()
        domain.close()
    while seen[0] < count:
        virt.events.run_default_impl_once()
    close()
    producer.close()
    conn.close()


def measure(case: str, count: int) -> float:
    """Instructions per event of *case*, counted by callgrind."""
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "--toggle-collect=virEventGLibRunOnce", sys.executable, __file__,
                        "--child", case, "--events", str(count)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as stream:
            text = stream.read()
    found = re.search(r"^summary:\s+(\d+)", text, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no summary in callgrind's output for {case}")
    return int(found.group(1)) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--case", action="append", choices=CASES)
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.events)
        return
    cases = args.case or list(CASES)
    counts = {case: measure(case, args.events) for case in cases}
    print(f"{'case':16} {'instructions/event':>19} {'ratio to official':>18}")
    for case, value in counts.items():
        official = counts.get("official:" + case.split(":")[1])
        ratio = f"{value / official:17.2f}x" if official else ""
        print(f"{case:16} {value:19,.0f} {ratio}")


if __name__ == "__main__":
    main()
