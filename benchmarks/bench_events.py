"""Events delivered per second to a Python callback: virt and virt.compat against
the official binding.

    python benchmarks/bench_events.py [--events 20000] [--repeat 3]

Both bindings share the libvirt library and its default event loop, run by
one thread.  For each binding in turn: with the loop thread stopped, a burst
of domain define/undefine on the test driver queues lifecycle events; then
the loop starts and the time until the callback has seen every event is the
delivery cost (the test driver dispatches its queue from one timer).  The
rounds measure each binding once, in a rotating order; the table gives the
best rate, the ratio of bests, and the paired ratio (the median over rounds of
the ratio to the official binding in the same round).  A ratio above 1.0 means
virt delivers more events per second.

Two callbacks: one that only counts, and one that also reads the domain's
name and the event type, as a real handler does (``dom.name()``, ``event``
for the official binding and compat; ``event.domain.get_name()``,
``event.event`` for the core).  compat's callbacks have the official shape,
``cb(conn, dom, event, detail, opaque)``; the core's get one event object.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import _summary

import virt
import virt.compat
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
    compat = virt.compat.open("test:///default")
    last: list[Any] = [None]  # what the reading callbacks read

    def subscribe_virt(callback: Callable[..., None], named: bool) -> Callable[[], None]:
        if named:
            def handler(event: Any) -> None:
                last[0] = (event.domain.get_name(), event.event)
                callback()
        else:
            def handler(event: Any) -> None:
                callback()
        return ours.subscribe(virt.DomainLifecycle, handler).close

    def official_shape(conn: Any, callback: Callable[..., None],
                       named: bool) -> Callable[[], None]:
        if named:
            def handler(_conn: Any, dom: Any, event: int, _detail: int, _opaque: Any) -> None:
                last[0] = (dom.name(), event)
                callback()
        else:
            def handler(_conn: Any, dom: Any, event: int, _detail: int, _opaque: Any) -> None:
                callback()
        callback_id = conn.domainEventRegisterAny(
            None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, handler, None)
        return lambda: conn.domainEventDeregisterAny(callback_id)

    bindings: dict[str, Callable[[Callable[..., None], bool], Callable[[], None]]] = {
        "official": lambda callback, named: official_shape(theirs, callback, named),
        "virt": subscribe_virt,
        "virt.compat": lambda callback, named: official_shape(compat, callback, named),
    }
    # Each round measures every binding once, in a rotating order; the paired
    # ratio is the median over rounds of (binding / official in that round),
    # which a busy machine disturbs less than a ratio of bests.
    rates: dict[tuple[str, bool], list[float]] = {
        (name, named): [] for name in bindings for named in (False, True)}
    names = list(bindings)
    for round_number in range(args.repeat):
        order = names[round_number % len(names):] + names[:round_number % len(names)]
        for named in (False, True):
            for name in order:
                subscribe = functools.partial(bindings[name], named=named)  # type: ignore[call-arg]
                rates[name, named].append(measure(subscribe, theirs, args.events))
    print(f"{'binding':12} {'callback':>12} {'best events/s':>14} {'best ratio':>11} "
          f"{'paired ratio':>13}")
    pairs: dict[tuple[str, bool], float] = {}
    for (name, named), found in rates.items():
        official = rates["official", named]
        paired = statistics.median(ours / theirs for ours, theirs in zip(found, official))
        pairs[name, named] = paired
        print(f"{name:12} {'name + type' if named else 'count':>12} {max(found):14,.0f} "
              f"{max(found) / max(official):10.2f}x {paired:12.2f}x")
    for named in (False, True):
        _summary.record("events", "lifecycle events/s, callback "
                        + ("reads name + type" if named else "counts"),
                        virt=pairs["virt", named], compat=pairs["virt.compat", named],
                        target=">= 1.0")
    compat.close()
    theirs.close()
    ours.close()


if __name__ == "__main__":
    main()
