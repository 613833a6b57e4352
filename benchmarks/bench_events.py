"""Events delivered per second to a Python callback: virt against the official binding.

    python benchmarks/bench_events.py [--events 20000] [--repeat 3]

Both bindings share the libvirt library and its default event loop, run by
one thread.  For each binding in turn: with the loop thread stopped, a burst
of domain define/undefine on the test driver queues lifecycle events; then
the loop starts and the time until the callback has seen every event is the
delivery cost (the test driver dispatches its queue from one timer).  The
best of ``--repeat`` rounds counts; a ratio above 1.0 means virt delivers
more events per second.
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from typing import Any

import virt
import virt.events

try:
    import libvirt
except ImportError as exc:  # pragma: no cover
    raise SystemExit("the official binding is needed: pip install libvirt-python") from exc

XML = ("<domain type='test'><name>bench-ev-{i}</name><memory>65536</memory>"
       "<os><type>hvm</type></os></domain>")


def burst(conn: Any, count: int) -> None:
    """Queue *count* lifecycle events (define + undefine = 2 each)."""
    for i in range(count // 2):
        conn.defineXML(XML.format(i=i)).undefine()


def measure(subscribe: Callable[[Callable[..., None]], Callable[[], None]], producer: Any,
            count: int) -> float:
    seen = [0]
    done = threading.Event()

    def callback(*_args: Any) -> None:
        seen[0] += 1
        if seen[0] >= count:
            done.set()

    unsubscribe = subscribe(callback)
    try:
        virt.events.stop_default_loop()
        burst(producer, count)
        start = time.perf_counter()
        virt.events.start_default_loop()
        if not done.wait(120):
            raise RuntimeError(f"only {seen[0]} of {count} events arrived")
        return count / (time.perf_counter() - start)
    finally:
        unsubscribe()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    libvirt.registerErrorHandler(lambda *_: None, None)
    virt.events.start_default_loop()
    ours = virt.connect("test:///default")
    theirs = libvirt.open("test:///default")

    def subscribe_virt(callback: Callable[..., None]) -> Callable[[], None]:
        return ours.subscribe(virt.DomainLifecycle, callback).close

    def subscribe_official(callback: Callable[..., None]) -> Callable[[], None]:
        callback_id = theirs.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            lambda conn, dom, event, detail, opaque: callback(), None)
        return lambda: theirs.domainEventDeregisterAny(callback_id)

    rates = {"virt": 0.0, "official": 0.0}
    for _ in range(args.repeat):
        rates["virt"] = max(rates["virt"], measure(subscribe_virt, theirs, args.events))
        rates["official"] = max(rates["official"],
                                measure(subscribe_official, theirs, args.events))
    print(f"{'binding':10} {'events/s':>12}")
    for name, rate in rates.items():
        print(f"{name:10} {rate:12,.0f}")
    print(f"ratio virt/official: {rates['virt'] / rates['official']:.2f}")
    theirs.close()
    ours.close()


if __name__ == "__main__":
    main()
