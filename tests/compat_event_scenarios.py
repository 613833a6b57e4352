"""Event and stream scenarios run the same way through the official binding and
through ``virt.compat``, each in a fresh process (libvirt allows one event loop
implementation per process, and registering none is a scenario too).

    python tests/compat_event_scenarios.py official|compat SCENARIO [URI]

The last line of stdout is the scenario's result as JSON; the differential
tests (tests/test_compat_events*.py, tests/test_compat_stream*.py) compare the
two results, and what each process printed to stderr.  A scenario records
values together with their type names, so that ``1`` and ``True`` or ``b''``
and ``''`` differ.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import importlib
import json
import os
import selectors
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

#: The modules under test, set by `main`: libvirt, libvirt_qemu, libvirtaio.
lv: Any = None
lv_qemu: Any = None
lv_aio: Any = None

DOMAIN_XML = ("<domain type='test'><name>{name}</name><memory>65536</memory>"
              "<os><type>hvm</type></os></domain>")


def typed(value: Any) -> Any:
    """*value* with the type of each part, for an exact comparison."""
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [typed(item) for item in value]]
    if isinstance(value, dict):
        return ["dict", {str(key): typed(item) for key, item in sorted(value.items())}]
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    return [type(value).__name__, value if isinstance(value, (int, float, str, type(None)))
            else repr(value)]


def error(exc: BaseException) -> list[Any]:
    """What a program can see of an exception: its class, text and libvirt error."""
    err = getattr(exc, "err", None)
    # compat raises the core's typed errors, which are libvirtErrors too
    name = "libvirtError" if isinstance(exc, lv.libvirtError) else type(exc).__name__
    return [name, str(exc), None if err is None else [err[0], err[1]]]


def outcome(call: Callable[[], Any]) -> Any:
    """``["returned", value]`` or, if *call* raises, `error` of the exception."""
    try:
        return ["returned", typed(call())]
    except Exception as exc:
        return error(exc)


def wait_for(predicate: Callable[[], bool], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def run_default_loop() -> None:
    """libvirt's default loop in a daemon thread, as programs for the official
    binding write it."""
    lv.virEventRegisterDefaultImpl()

    def run() -> None:
        while True:
            lv.virEventRunDefaultImpl()

    threading.Thread(target=run, daemon=True).start()


# -- events --------------------------------------------------------------------------


def scenario_registrations(uri: str) -> Any:
    """Every kind of registration the test driver serves, with and without a
    target object; the callbacks' arguments; a domain kept past its callback."""
    run_default_loop()
    conn = lv.open(uri)
    seen: list[Any] = []
    kept: list[Any] = []

    def record(kind: str) -> Callable[..., None]:
        def callback(c: Any, obj: Any, *args: Any) -> None:
            *details, opaque = args
            seen.append([kind, c is conn, type(obj).__name__, obj.name(), typed(details),
                         opaque])
            if kind == "domain-lifecycle" and not kept:
                kept.append(obj)
        return callback

    ids = [
        conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                    record("domain-lifecycle"), "lifecycle"),
        conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE,
                                    record("domain-metadata"), {"a": 1}),
        conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_REBOOT,
                                    record("domain-reboot"), None),
        conn.networkEventRegisterAny(None, lv.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                     record("network-lifecycle"), 1),
        conn.storagePoolEventRegisterAny(None, lv.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                         record("pool-lifecycle"), 2),
        conn.storagePoolEventRegisterAny(None, lv.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
                                         record("pool-refresh"), 3),
        conn.nodeDeviceEventRegisterAny(None, lv.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                                        record("device-lifecycle"), 4),
    ]
    test = conn.lookupByName("test")
    ids.append(conn.domainEventRegisterAny(test, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           record("test-only"), "filtered"))
    domain = conn.defineXML(DOMAIN_XML.format(name="scenario-1"))
    domain.create()
    domain.suspend()
    domain.resume()
    domain.setMetadata(lv.VIR_DOMAIN_METADATA_DESCRIPTION, "hello", None, None, 0)
    domain.destroy()
    domain.undefine()
    test.suspend()
    test.resume()
    network = conn.networkDefineXML("<network><name>scenario-net</name>"
                                    "<bridge name='virbr77'/></network>")
    network.create()
    network.destroy()
    network.undefine()
    pool = conn.storagePoolDefineXML("<pool type='dir'><name>scenario-pool</name><target>"
                                     "<path>/tmp/scenario-pool</path></target></pool>")
    pool.create()
    pool.refresh()
    pool.destroy()
    pool.undefine()
    device = conn.nodeDeviceCreateXML(
        "<device><parent>scsi_host1</parent><capability type='scsi_host'>"
        "<capability type='fc_host'><wwnn>2000000098765432</wwnn>"
        "<wwpn>1000000098765432</wwpn></capability></capability></device>", 0)
    device.destroy()
    complete = wait_for(lambda: sum(row[0] == "device-lifecycle" for row in seen) >= 2)
    time.sleep(0.2)  # anything unexpected arrives too
    for callback_id, kind in zip(ids, ["domain"] * 3 + ["network"] + ["storagePool"] * 2
                                 + ["nodeDevice", "domain"]):
        getattr(conn, kind + "EventDeregisterAny")(callback_id)
    keeper = kept[0]
    return {
        "complete": complete,
        "ids": typed(ids),
        "seen": seen,
        "kept": [isinstance(keeper, lv.virDomain), type(keeper).__name__, keeper.name()],
        "left": conn.__dict__.get("domainEventCallbackID"),
        "close": conn.close(),
    }


def scenario_every_event_id(uri: str) -> Any:
    """Each event ID of each kind registered once and deregistered (programs
    such as libvirt's event-test.py register them all)."""
    run_default_loop()
    conn = lv.open(uri)
    results: dict[str, Any] = {}
    for kind, prefix in [("domain", "VIR_DOMAIN_EVENT_ID_"), ("network", "VIR_NETWORK_EVENT_ID_"),
                         ("storagePool", "VIR_STORAGE_POOL_EVENT_ID_"),
                         ("nodeDevice", "VIR_NODE_DEVICE_EVENT_ID_"),
                         ("secret", "VIR_SECRET_EVENT_ID_")]:
        register = getattr(conn, kind + "EventRegisterAny")
        for name in sorted(n for n in dir(lv) if n.startswith(prefix) and not n.endswith("LAST")):
            got = outcome(functools.partial(register, None, getattr(lv, name), print, None))
            if got[0] == "returned":
                getattr(conn, kind + "EventDeregisterAny")(got[1][1])
                got = ["registered"]
            results[name] = got
    conn.close()
    return results


def scenario_errors(uri: str) -> Any:
    """Failing registrations and deregistrations, and an exception in a callback."""
    run_default_loop()
    conn = lv.open(uri)
    results: dict[str, Any] = {}
    for name, call in [
        ("unknown event ID", lambda: conn.domainEventRegisterAny(None, 1000, print, None)),
        ("deregister unknown", lambda: conn.domainEventDeregisterAny(4242)),
        ("network deregister unknown", lambda: conn.networkEventDeregisterAny(77)),
        ("secret events on the test driver",
         lambda: conn.secretEventRegisterAny(None, lv.VIR_SECRET_EVENT_ID_LIFECYCLE,
                                             print, None)),
    ]:
        results[name] = outcome(call)
    seen: list[Any] = []

    def failing(_conn: Any, dom: Any, event: int, detail: int, _opaque: Any) -> None:
        seen.append(["failing", event])
        raise ValueError(f"boom in the callback, event {event}")

    def working(_conn: Any, dom: Any, mtype: int, nsuri: Any, _opaque: Any) -> None:
        seen.append(["working", mtype])

    first = conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE, failing, None)
    second = conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, working,
                                         None)
    domain = conn.defineXML(DOMAIN_XML.format(name="scenario-errors"))
    domain.setMetadata(lv.VIR_DOMAIN_METADATA_TITLE, "title", None, None, 0)
    domain.undefine()
    results["delivered"] = wait_for(lambda: len(seen) >= 3)
    # Out of the dispatch: a callback deregistered while libvirt dispatches is
    # only marked, and deregistering it again would succeed.
    time.sleep(0.3)
    results["seen"] = seen
    conn.domainEventDeregisterAny(first)
    conn.domainEventDeregisterAny(second)
    results["twice"] = outcome(lambda: conn.domainEventDeregisterAny(second))
    conn.close()
    return results


def scenario_no_loop(uri: str) -> Any:
    """Registering without an event loop implementation."""
    conn = lv.open(uri)
    results: dict[str, Any] = {}
    for name, call in [
        ("domainEventRegisterAny",
         lambda: conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE, print,
                                             None)),
        ("virEventAddHandle",
         lambda: lv.virEventAddHandle(0, lv.VIR_EVENT_HANDLE_READABLE, print, None)),
        ("virEventAddTimeout", lambda: lv.virEventAddTimeout(10, print, None)),
        ("virEventRemoveHandle", lambda: lv.virEventRemoveHandle(1)),
        ("virEventRemoveTimeout", lambda: lv.virEventRemoveTimeout(1)),
    ]:
        try:
            results[name] = ["returned", typed(call())]  # type: ignore[no-untyped-call]
        except Exception as exc:
            results[name] = error(exc)
    conn.close()
    return results


def scenario_legacy(uri: str) -> Any:
    """The lifecycle-only registration of libvirt 0.5: several callbacks, one C one."""
    run_default_loop()
    conn = lv.open(uri)
    seen: list[Any] = []

    def first(c: Any, dom: Any, event: int, detail: int, opaque: Any) -> None:
        seen.append(["first", c is conn, type(dom).__name__, dom.name(), event, detail, opaque])

    def second(c: Any, dom: Any, event: int, detail: int, opaque: Any) -> None:
        seen.append(["second", c is conn, type(dom).__name__, dom.name(), event, detail,
                     opaque])

    results: dict[str, Any] = {}
    results["register"] = [typed(conn.domainEventRegister(first, "one")),
                           typed(conn.domainEventRegister(second, "two"))]
    conn.defineXML(DOMAIN_XML.format(name="legacy-1")).undefine()
    results["both"] = wait_for(lambda: len(seen) >= 4)
    results["deregister"] = typed(conn.domainEventDeregister(first))
    try:
        conn.domainEventDeregister(first)
        results["again"] = "returned"
    except Exception as exc:  # KeyError: it has no registration left
        results["again"] = [type(exc).__name__]
    conn.defineXML(DOMAIN_XML.format(name="legacy-2")).undefine()
    results["one"] = wait_for(lambda: len(seen) >= 6)
    conn.domainEventDeregister(second)
    conn.defineXML(DOMAIN_XML.format(name="legacy-3")).undefine()
    time.sleep(0.2)
    results["seen"] = seen
    conn.close()
    return results


def scenario_close_callback(uri: str) -> Any:
    """registerCloseCallback and unregisterCloseCallback (the connection stays up)."""
    run_default_loop()
    conn = lv.open(uri)
    results: dict[str, Any] = {
        "register": typed(conn.registerCloseCallback(lambda *args: None, None)),
        "unregister": typed(conn.unregisterCloseCallback()),
    }
    results["again"] = outcome(conn.unregisterCloseCallback)
    conn.close()
    return results


def scenario_handles_and_timeouts(uri: str) -> Any:
    """virEventAddHandle/AddTimeout and friends on the default loop, run by hand."""
    lv.virEventRegisterDefaultImpl()
    read_end, write_end = os.pipe()
    seen: list[Any] = []

    def on_ready(watch: int, fd: int, events: int, opaque: Any) -> None:
        seen.append(["handle", typed(watch), fd == read_end, events, opaque])
        os.read(fd, 1)

    def on_timer(timer: int, opaque: Any) -> None:
        seen.append(["timer", typed(timer), opaque])

    watch = lv.virEventAddHandle(read_end, lv.VIR_EVENT_HANDLE_READABLE, on_ready, "fd")
    os.write(write_end, b"x")
    while not seen:
        lv.virEventRunDefaultImpl()
    results: dict[str, Any] = {"watch": typed(watch)}
    results["update"] = typed(lv.virEventUpdateHandle(watch, 0))
    results["remove"] = typed(lv.virEventRemoveHandle(watch))
    timer = lv.virEventAddTimeout(0, on_timer, ["t"])
    while len(seen) < 2:
        lv.virEventRunDefaultImpl()
    results["timer"] = typed(timer)
    results["update timer"] = typed(lv.virEventUpdateTimeout(timer, -1))
    results["remove timer"] = typed(lv.virEventRemoveTimeout(timer))

    def failing(timer: int, opaque: Any) -> None:
        seen.append(["failing", opaque])
        raise KeyError("boom in a timer")

    timer = lv.virEventAddTimeout(0, failing, "f")
    while len(seen) < 3:
        lv.virEventRunDefaultImpl()
    lv.virEventRemoveTimeout(timer)
    results["seen"] = seen
    return results


class PollLoop:
    """An event loop implementation in Python (a selector), the way programs
    hand one to ``virEventRegisterImpl``."""

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.handles: dict[int, list[Any]] = {}
        self.timers: dict[int, list[Any]] = {}
        self.next_id = 1
        self.lock = threading.RLock()
        self.calls: list[Any] = []
        self.freed: list[Any] = []
        self.wake_read, self.wake_write = os.pipe()
        self.selector.register(self.wake_read, selectors.EVENT_READ)

    def wake(self) -> None:
        os.write(self.wake_write, b"w")

    def _new_id(self) -> int:
        with self.lock:
            self.next_id += 1
            return self.next_id - 1

    def add_handle(self, fd: int, events: int, cb: Any, opaque: Any) -> int:
        self.calls.append(["add_handle", type(fd).__name__, type(events).__name__,
                           callable(cb), type(opaque).__name__, len(opaque)])
        watch = self._new_id()
        with self.lock:
            self.handles[watch] = [fd, events, cb, opaque]
        self.wake()
        return watch

    def update_handle(self, watch: int, events: int) -> None:
        self.calls.append(["update_handle", type(watch).__name__, type(events).__name__])
        with self.lock:
            if watch in self.handles:
                self.handles[watch][1] = events
        self.wake()

    def remove_handle(self, watch: int) -> int:
        self.calls.append(["remove_handle", type(watch).__name__])
        with self.lock:
            entry = self.handles.pop(watch, None)
        if entry is None:
            return -1
        self.freed.append(entry[3])
        self.wake()
        return 0

    def add_timeout(self, timeout: int, cb: Any, opaque: Any) -> int:
        self.calls.append(["add_timeout", type(timeout).__name__, callable(cb),
                           type(opaque).__name__, len(opaque)])
        timer = self._new_id()
        with self.lock:
            self.timers[timer] = [timeout, cb, opaque, time.monotonic()]
        self.wake()
        return timer

    def update_timeout(self, timer: int, timeout: int) -> None:
        self.calls.append(["update_timeout", type(timer).__name__, type(timeout).__name__])
        with self.lock:
            if timer in self.timers:
                self.timers[timer][0] = timeout
                self.timers[timer][3] = time.monotonic()
        self.wake()

    def remove_timeout(self, timer: int) -> int:
        self.calls.append(["remove_timeout", type(timer).__name__])
        with self.lock:
            entry = self.timers.pop(timer, None)
        if entry is None:
            return -1
        self.freed.append(entry[2])
        self.wake()
        return 0

    def run_once(self) -> None:
        with self.lock:
            handles = dict(self.handles)
            timers = dict(self.timers)
            freed, self.freed = self.freed, []
        for opaque in freed:
            lv.virEventInvokeFreeCallback(opaque)
        selector = selectors.DefaultSelector()
        selector.register(self.wake_read, selectors.EVENT_READ)
        by_fd: dict[int, list[int]] = {}
        for watch, (fd, events, _cb, _opaque) in handles.items():
            mask = (selectors.EVENT_READ if events & lv.VIR_EVENT_HANDLE_READABLE else 0) | \
                   (selectors.EVENT_WRITE if events & lv.VIR_EVENT_HANDLE_WRITABLE else 0)
            if mask and fd not in by_fd:
                selector.register(fd, mask)
            by_fd.setdefault(fd, []).append(watch)
        now = time.monotonic()
        due = [now + t[0] / 1000 - (now - t[3]) for t in timers.values() if t[0] >= 0]
        wait = max(0.0, min(due) - now) if due else 0.5
        for key, mask in selector.select(min(wait, 0.5)):
            if key.fd == self.wake_read:
                os.read(self.wake_read, 4096)
                continue
            events = (lv.VIR_EVENT_HANDLE_READABLE if mask & selectors.EVENT_READ else 0) | \
                     (lv.VIR_EVENT_HANDLE_WRITABLE if mask & selectors.EVENT_WRITE else 0)
            for watch in by_fd.get(key.fd, []):
                entry = handles[watch]
                if entry[1] & events:
                    entry[2](watch, key.fd, entry[1] & events, entry[3])
        selector.close()
        now = time.monotonic()
        for timer, entry in timers.items():
            if entry[0] >= 0 and now - entry[3] >= entry[0] / 1000:
                entry[3] = now
                entry[1](timer, entry[2])


def scenario_custom_loop(uri: str) -> Any:
    """virEventRegisterImpl with six Python functions; events through that loop."""
    loop = PollLoop()
    results: dict[str, Any] = {"register": typed(lv.virEventRegisterImpl(
        loop.add_handle, loop.update_handle, loop.remove_handle, loop.add_timeout,
        loop.update_timeout, loop.remove_timeout))}
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            loop.run_once()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    conn = lv.open(uri)
    seen: list[Any] = []
    callback_id = conn.domainEventRegisterAny(
        None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        lambda c, dom, event, detail, opaque: seen.append([dom.name(), event, detail, opaque]),
        "custom")
    conn.defineXML(DOMAIN_XML.format(name="custom-loop")).undefine()
    results["delivered"] = wait_for(lambda: len(seen) >= 2)
    read_end, write_end = os.pipe()
    ready: list[Any] = []
    def on_ready(watch: int, fd: int, events: int, opaque: Any) -> None:
        ready.append([fd == read_end, events, opaque])
        os.read(fd, 1)

    watch = lv.virEventAddHandle(read_end, lv.VIR_EVENT_HANDLE_READABLE, on_ready, "pipe")
    os.write(write_end, b"x")
    results["handle"] = wait_for(lambda: bool(ready))
    lv.virEventRemoveHandle(watch)
    conn.domainEventDeregisterAny(callback_id)
    conn.close()
    time.sleep(0.3)
    stop.set()
    loop.wake()
    thread.join(5)
    results["seen"] = seen
    results["ready"] = ready
    kinds = sorted({json.dumps(call) for call in loop.calls})
    results["call shapes"] = [json.loads(kind) for kind in kinds]
    return results


def scenario_asyncio(uri: str) -> Any:
    """libvirtaio: events through an asyncio loop, promptly; then idle."""

    async def main() -> Any:
        impl = lv_aio.virEventRegisterAsyncIOImpl()
        results: dict[str, Any] = {
            "impl": type(impl).__name__,
            "current": lv_aio.getCurrentImpl() is impl,
        }
        conn = lv.open(uri)
        queue: asyncio.Queue[Any] = asyncio.Queue()

        def callback(c: Any, dom: Any, event: int, detail: int, opaque: Any) -> None:
            queue.put_nowait([c is conn, type(dom).__name__, dom.name(), event, detail, opaque,
                              time.monotonic()])

        callback_id = conn.domainEventRegisterAny(None, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                  callback, "aio")
        seen = []
        delays = []
        for name in ("aio-1", "aio-2"):
            start = time.monotonic()
            conn.defineXML(DOMAIN_XML.format(name=name)).undefine()
            for _ in range(2):
                row = await asyncio.wait_for(queue.get(), 10)
                delays.append(row.pop() - start)
                seen.append(row)
        results["seen"] = seen
        results["prompt"] = max(delays) < 1.0
        results["busy while connected"] = not impl.is_idle()
        # a non-blocking stream, its callback run by the asyncio loop
        stream = conn.newStream(lv.VIR_STREAM_NONBLOCK)
        conn.lookupByName("test").screenshot(stream, 0, 0)
        received = bytearray()
        finished: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def on_readable(st: Any, events: int, opaque: Any) -> None:
            while True:
                got = st.recv(4096)
                if got == -2:
                    return
                if not got:
                    st.eventRemoveCallback()
                    if not finished.done():
                        finished.set_result(threading.current_thread() is threading.main_thread())
                    return
                received.extend(got)

        stream.eventAddCallback(lv.VIR_STREAM_EVENT_READABLE, on_readable, None)
        results["stream in the loop's thread"] = await asyncio.wait_for(finished, 10)
        results["stream bytes"] = len(received)
        stream.finish()
        conn.domainEventDeregisterAny(callback_id)
        conn.close()
        await asyncio.sleep(0.1)
        await impl.drain()
        results["idle"] = impl.is_idle()
        return results

    return asyncio.run(main())


# -- QEMU monitor events (the session daemon) -------------------------------------------


def scenario_qemu_guest(uri: str) -> Any:
    """A QEMU guest's lifecycle and QMP events, with the default loop."""
    run_default_loop()
    conn = lv.open(uri)
    xml = os.environ["SCENARIO_GUEST_XML"]
    domain = conn.defineXML(xml)
    lifecycle: list[Any] = []
    monitor: list[Any] = []

    def on_lifecycle(c: Any, dom: Any, event: int, detail: int, opaque: Any) -> None:
        lifecycle.append([c is conn, type(dom).__name__, dom.name() == domain.name(), event,
                          detail, opaque])

    def on_monitor(c: Any, dom: Any, event: str, seconds: int, micros: int, details: Any,
                   opaque: Any) -> None:
        if dom.name() != domain.name():
            return  # another test's guest
        monitor.append([c is conn, type(dom).__name__, event, type(seconds).__name__,
                        type(micros).__name__, type(details).__name__, opaque])

    others: list[Any] = []

    def record(kind: str) -> Callable[..., None]:
        def callback(c: Any, dom: Any, *args: Any) -> None:
            others.append([kind, c is conn, type(dom).__name__, typed(list(args))])
        return callback

    ids = [conn.domainEventRegisterAny(domain, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle,
                                       "life"),
           conn.domainEventRegisterAny(domain, lv.VIR_DOMAIN_EVENT_ID_TUNABLE,
                                       record("tunable"), "t"),
           conn.domainEventRegisterAny(domain, lv.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                       record("added"), "a"),
           conn.domainEventRegisterAny(domain, lv.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                       record("removed"), "r")]
    tablet = "<input type='tablet' bus='usb'><alias name='ua-tablet1'/></input>"
    monitor_ids = [lv_qemu.qemuMonitorEventRegister(conn, domain, "STOP", on_monitor, "stop"),
                   # (for every domain: libvirt-python registers one C callback for
                   # all registrations, and libvirt refuses it twice for one domain)
                   lv_qemu.qemuMonitorEventRegister(conn, None, None, on_monitor, "all", 0)]
    try:
        domain.create()
        domain.suspend()
        domain.resume()
        # a tunable event (vCPU pinning needs no cgroups), a device plugged in and out
        domain.pinVcpu(0, tuple(True for _ in range(conn.getInfo()[2])))
        domain.attachDeviceFlags(tablet, lv.VIR_DOMAIN_AFFECT_LIVE)
        wait_for(lambda: any(row[0] == "added" for row in others), 20)
        domain.detachDeviceFlags(tablet, lv.VIR_DOMAIN_AFFECT_LIVE)
        wait_for(lambda: any(row[0] == "removed" for row in others), 20)
        domain.destroy()
        complete = wait_for(lambda: any(row[3] == lv.VIR_DOMAIN_EVENT_STOPPED
                                        for row in lifecycle), 30)
        time.sleep(0.5)
    finally:
        if domain.isActive():
            domain.destroy()
        domain.undefine()
    complete = wait_for(lambda: any(row[3] == lv.VIR_DOMAIN_EVENT_UNDEFINED
                                    for row in lifecycle)) and complete
    for callback_id in ids:
        conn.domainEventDeregisterAny(callback_id)
    for callback_id in monitor_ids:
        lv_qemu.qemuMonitorEventDeregister(conn, callback_id)
    again = outcome(lambda: lv_qemu.qemuMonitorEventDeregister(conn, monitor_ids[0]))
    conn.close()
    stops = [row for row in monitor if row[2] == "STOP"]
    return {
        "complete": complete,
        "lifecycle": lifecycle,
        "others": others,
        "stop events": stops,
        "monitor opaques": sorted({row[6] for row in monitor}),
        "monitor shapes": sorted({json.dumps(row[:2] + row[3:6]) for row in monitor}),
        "again": again,
    }


def scenario_qemu_guest_asyncio(uri: str) -> Any:
    """A QEMU guest's lifecycle and QMP events through libvirtaio, and a
    non-blocking download of a volume driven by the asyncio loop."""

    async def main() -> Any:
        lv_aio.virEventRegisterAsyncIOImpl()
        conn = lv.open(uri)
        domain = conn.defineXML(os.environ["SCENARIO_GUEST_XML"])
        queue: asyncio.Queue[Any] = asyncio.Queue()
        qmp: list[str] = []
        callback_id = conn.domainEventRegisterAny(
            domain, lv.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            lambda c, dom, event, detail, opaque: queue.put_nowait(
                [c is conn, type(dom).__name__, event, detail, opaque]), "aio")
        monitor_id = lv_qemu.qemuMonitorEventRegister(
            conn, domain, None, lambda c, dom, event, *rest: qmp.append(event), None)
        lifecycle: list[Any] = []
        try:
            domain.create()
            domain.suspend()
            domain.resume()
            domain.destroy()
            while not lifecycle or lifecycle[-1][2] != lv.VIR_DOMAIN_EVENT_STOPPED:
                lifecycle.append(await asyncio.wait_for(queue.get(), 30))
        finally:
            if domain.isActive():
                domain.destroy()
            domain.undefine()
        conn.domainEventDeregisterAny(callback_id)
        lv_qemu.qemuMonitorEventDeregister(conn, monitor_id)
        results: dict[str, Any] = {"lifecycle": lifecycle,
                                   "qmp": sorted({"STOP", "RESUME"} & set(qmp))}
        # a non-blocking download, read when the loop says the stream is readable
        pool = conn.storagePoolLookupByName(os.environ["SCENARIO_POOL"])
        volume = pool.createXML(f"<volume><name>aio-{os.getpid()}.raw</name>"
                                "<capacity>1048576</capacity><target><format type='raw'/>"
                                "</target></volume>", 0)
        try:
            stream = conn.newStream(lv.VIR_STREAM_NONBLOCK)
            volume.download(stream, 0, 0, 0)
            received = bytearray()
            done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            would_block = [0]

            def on_readable(st: Any, events: int, opaque: Any) -> None:
                while True:
                    got = st.recv(65536)
                    if got == -2:
                        would_block[0] += 1
                        return
                    if not got:
                        st.eventRemoveCallback()
                        if not done.done():
                            done.set_result(True)
                        return
                    received.extend(got)

            stream.eventAddCallback(lv.VIR_STREAM_EVENT_READABLE, on_readable, None)
            results["downloaded"] = await asyncio.wait_for(done, 30)
            results["bytes"] = len(received)
            results["zeros"] = received == bytes(len(received))
            results["finish"] = typed(stream.finish())
        finally:
            volume.delete(0)
        conn.close()
        return results

    return asyncio.run(main())


def scenario_graphics_events(uri: str) -> Any:
    """A VNC client connecting to the running guest and leaving: graphics
    events, with their addresses and subject."""
    import socket

    run_default_loop()
    conn = lv.open(uri)
    domain = conn.lookupByName(os.environ["SCENARIO_DOMAIN"])
    seen: list[Any] = []

    def on_graphics(c: Any, dom: Any, phase: int, local: Any, remote: Any, scheme: str,
                    subject: Any, opaque: Any) -> None:
        remote = dict(remote)
        remote["service"] = "<ephemeral>" if remote.get("service") else remote.get("service")
        seen.append([c is conn, type(dom).__name__, phase, typed(local), typed(remote),
                     typed(scheme), typed(subject), opaque])

    callback_id = conn.domainEventRegisterAny(domain, lv.VIR_DOMAIN_EVENT_ID_GRAPHICS,
                                              on_graphics, "vnc")
    host, port = os.environ["SCENARIO_VNC"].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as client:
        client.recv(12)  # the server's version banner
    complete = wait_for(lambda: any(row[2] == lv.VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT
                                    for row in seen), 20)
    time.sleep(0.2)
    conn.domainEventDeregisterAny(callback_id)
    conn.close()
    return {"complete": complete, "seen": seen}


def scenario_block_job_and_tray(uri: str) -> Any:
    """A transient guest with a qcow2 overlay and a CD-ROM drive: block-pull
    events (both block-job IDs) and the tray opening and closing as the CD
    changes."""
    import subprocess

    run_default_loop()
    directory = os.environ["SCENARIO_DIR"]
    uid, gid = (int(part) for part in os.environ["SCENARIO_OWNER"].split(":"))
    tag = f"{os.getpid()}"
    base, top, iso = (os.path.join(directory, f"{name}-{tag}.{ext}")
                      for name, ext in (("base", "qcow2"), ("top", "qcow2"), ("cd", "iso")))
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", base, "1M"], check=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", base, top],
                   check=True)
    with open(iso, "wb") as file:
        file.write(bytes(2048 * 16))
    for path in (base, top, iso):
        os.chown(path, uid, gid)
    conn = lv.open(uri)
    xml = os.environ["SCENARIO_GUEST_XML"].replace("@TOP@", top)
    domain = conn.createXML(xml, 0)
    seen: list[Any] = []

    def record(kind: str) -> Callable[..., None]:
        def callback(c: Any, dom: Any, *args: Any) -> None:
            values = [value.replace(tag, "TAG") if isinstance(value, str) else value
                      for value in args]
            seen.append([kind, c is conn, type(dom).__name__, typed(values)])
        return callback

    ids = [conn.domainEventRegisterAny(domain, event_id, record(kind), kind)
           for kind, event_id in (("job", lv.VIR_DOMAIN_EVENT_ID_BLOCK_JOB),
                                  ("job2", lv.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2),
                                  ("tray", lv.VIR_DOMAIN_EVENT_ID_TRAY_CHANGE))]
    try:
        results: dict[str, Any] = {"pull": typed(domain.blockPull("vda", 0, 0))}
        results["pulled"] = wait_for(lambda: any(row[0] == "job2" for row in seen), 30)
        # QEMU refuses new media in a drive the firmware is still probing
        # ("Tray of the device is not open"): let it settle.
        time.sleep(2)
        cdrom = (f"<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
                 f"<source file='{iso}'/><target dev='hdc' bus='ide'/><readonly/></disk>")
        results["change"] = typed(domain.updateDeviceFlags(cdrom, lv.VIR_DOMAIN_AFFECT_LIVE))
        results["tray"] = wait_for(lambda: sum(row[0] == "tray" for row in seen) >= 2, 30)
        time.sleep(0.3)
    finally:
        for callback_id in ids:
            conn.domainEventDeregisterAny(callback_id)
        domain.destroy()
        conn.close()
        for path in (base, top, iso):
            os.unlink(path)
    results["seen"] = seen
    return results


def scenario_secret_events(uri: str) -> Any:
    """Secret lifecycle and value-changed events (the daemon's secret driver)."""
    run_default_loop()
    conn = lv.open(uri)
    seen: list[Any] = []

    def record(kind: str) -> Callable[..., None]:
        def callback(c: Any, secret: Any, *args: Any) -> None:
            seen.append([kind, c is conn, type(secret).__name__, secret.usageID(),
                         typed(list(args))])
        return callback

    ids = [conn.secretEventRegisterAny(None, lv.VIR_SECRET_EVENT_ID_LIFECYCLE,
                                       record("lifecycle"), "l"),
           conn.secretEventRegisterAny(None, lv.VIR_SECRET_EVENT_ID_VALUE_CHANGED,
                                       record("value"), "v")]
    secret = conn.secretDefineXML(
        "<secret ephemeral='no' private='no'><usage type='volume'>"
        "<volume>/var/lib/virt-test/scenario.img</volume></usage></secret>")
    secret.setValue(b"s3cret")
    secret.undefine()
    complete = wait_for(lambda: len(seen) >= 3)
    time.sleep(0.2)
    for callback_id in ids:
        conn.secretEventDeregisterAny(callback_id)
    conn.close()
    return {"complete": complete, "seen": seen}


# -- streams ---------------------------------------------------------------------------


def _drain(stream: Any) -> bytes:
    data = b""
    while True:
        got = stream.recv(64 * 1024)
        if got in (b"", -2):
            return data if got == b"" else data + b"<would block>"
        data += got


def scenario_stream_screenshot(uri: str) -> Any:
    """The test driver's screenshot through newStream, recv, recvAll, finish."""
    run_default_loop()
    conn = lv.open(uri)
    domain = conn.lookupByName("test")
    results: dict[str, Any] = {}
    stream = conn.newStream(0)
    results["stream"] = [type(stream).__name__, isinstance(stream, lv.virStream),
                         stream.connect() is conn]
    results["mime"] = typed(domain.screenshot(stream, 0, 0))
    data = _drain(stream)
    results["data"] = [len(data), hashlib.sha256(data).hexdigest()]
    results["after the end"] = typed(stream.recv(10))
    results["finish"] = typed(stream.finish())
    pieces: list[Any] = []
    stream = conn.newStream()
    domain.screenshot(stream, 0)
    results["recvAll"] = typed(stream.recvAll(
        lambda st, buf, opaque: pieces.append([st is stream, type(buf).__name__, len(buf),
                                               opaque]), "sink"))
    results["pieces"] = [sum(p[2] for p in pieces), sorted({json.dumps(p[:2] + p[3:])
                                                            for p in pieces})]
    stream.finish()
    for name, handler in [("raising", lambda st, buf, opaque: 1 / 0),
                          ("negative", lambda st, buf, opaque: -1)]:
        stream = conn.newStream(0)
        domain.screenshot(stream, 0, 0)
        try:
            stream.recvAll(handler, None)
            results[name] = "returned"
        except Exception as exc:
            results[name] = [type(exc).__name__, str(exc)]
    stream = conn.newStream(0)
    results["send without transfer"] = outcome(lambda: stream.send(b"data"))
    stream = conn.newStream(0)
    domain.screenshot(stream, 0, 0)
    results["abort"] = typed(stream.abort())
    conn.close()
    return results


def scenario_stream_nonblocking(uri: str) -> Any:
    """A non-blocking screenshot stream: recv's -2, eventAddCallback, update, remove."""
    run_default_loop()
    conn = lv.open(uri)
    domain = conn.lookupByName("test")
    stream = conn.newStream(lv.VIR_STREAM_NONBLOCK)
    domain.screenshot(stream, 0, 0)
    received = bytearray()
    done = threading.Event()
    calls: list[Any] = []

    def on_event(st: Any, events: int, opaque: Any) -> None:
        calls.append([st is stream, type(events).__name__, opaque])
        while True:
            got = st.recv(4096)
            if got == -2:
                return
            if got == b"":
                st.eventRemoveCallback()
                done.set()
                return
            received.extend(got)

    results: dict[str, Any] = {
        "add": typed(stream.eventAddCallback(lv.VIR_STREAM_EVENT_READABLE, on_event, "nb")),
    }
    results["done"] = done.wait(10)
    results["received"] = len(received)
    results["callback shapes"] = sorted({json.dumps(call) for call in calls})
    results["finish"] = typed(stream.finish())
    stream = conn.newStream(lv.VIR_STREAM_NONBLOCK)
    domain.screenshot(stream, 0, 0)
    try:
        stream.recvAll(lambda *args: None, None)
        results["recvAll on non-blocking"] = "returned"
    except Exception as exc:
        results["recvAll on non-blocking"] = [type(exc).__name__,
                                              isinstance(exc, lv.libvirtError)]
    stream.abort()
    conn.close()
    return results


def scenario_stream_volume(uri: str) -> Any:
    """A volume of the daemon's storage uploaded and downloaded with sendAll and
    recvAll, then sparsely with sparseSendAll and sparseRecvAll."""
    conn = lv.open(uri)
    pool = conn.storagePoolLookupByName(os.environ["SCENARIO_POOL"])
    name = f"scenario-{os.getpid()}.raw"
    size = 4 * 1024 * 1024
    volume = pool.createXML(f"<volume><name>{name}</name><capacity>{size}</capacity>"
                            f"<allocation>0</allocation><target><format type='raw'/>"
                            f"</target></volume>", 0)
    payload = bytes(range(256)) * 4096  # 1 MiB of data
    results: dict[str, Any] = {}
    try:
        stream = conn.newStream(0)
        results["upload"] = typed(volume.upload(stream, 0, len(payload), 0))
        offsets = [0]

        def source(st: Any, nbytes: int, opaque: Any) -> bytes:
            chunk = payload[offsets[0]:offsets[0] + nbytes]
            offsets[0] += len(chunk)
            return chunk

        results["sendAll"] = typed(stream.sendAll(source, None))
        results["finish"] = typed(stream.finish())
        stream = conn.newStream(0)
        results["download"] = typed(volume.download(stream, 0, len(payload), 0))
        chunks: list[bytes] = []
        stream.recvAll(lambda st, buf, opaque: chunks.append(buf), None)
        stream.finish()
        results["round trip"] = b"".join(chunks) == payload
        # sparse: 1 MiB hole, 64 KiB of data, hole to the end
        sections = [(False, 1024 * 1024), (True, 65536), (False, size - 1024 * 1024 - 65536)]
        position = [0, 0]  # section, offset in it
        calls: list[Any] = []

        def hole_handler(st: Any, opaque: Any) -> list[Any]:
            if position[0] >= len(sections):
                return [False, 0]
            in_data, length = sections[position[0]]
            return [in_data, length - position[1]]

        def skip_handler(st: Any, length: int, opaque: Any) -> int:
            calls.append(["skip", length])
            position[1] += length
            if position[1] >= sections[position[0]][1]:
                position[0] += 1
                position[1] = 0
            return 0

        def data_handler(st: Any, nbytes: int, opaque: Any) -> bytes:
            calls.append(["data", nbytes])
            if position[0] >= len(sections):
                return b""
            length = min(nbytes, sections[position[0]][1] - position[1])
            position[1] += length
            if position[1] >= sections[position[0]][1]:
                position[0] += 1
                position[1] = 0
            return b"\x07" * length

        stream = conn.newStream(0)
        volume.upload(stream, 0, size, lv.VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)
        results["sparseSendAll"] = typed(stream.sparseSendAll(data_handler, hole_handler,
                                                              skip_handler, None))
        stream.finish()
        results["sparse calls"] = calls
        received: list[Any] = []
        stream = conn.newStream(0)
        volume.download(stream, 0, size, lv.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM)
        results["sparseRecvAll"] = typed(stream.sparseRecvAll(
            lambda st, buf, opaque: received.append(["data", len(buf), set(buf) == {7}]),
            lambda st, length, opaque: received.append(["hole", length]), None))
        stream.finish()
        merged: list[Any] = []
        for item in received:  # the chunking of data is the daemon's: merge runs
            if merged and merged[-1][0] == item[0]:
                merged[-1][1] += item[1]
            else:
                merged.append(list(item))
        results["sparse received"] = merged
    finally:
        volume.delete(0)
    conn.close()
    return results


def scenario_qemu_screenshot(uri: str) -> Any:
    """The QEMU guest's screen through newStream, screenshot and recv."""
    conn = lv.open(uri)
    domain = conn.lookupByName(os.environ["SCENARIO_DOMAIN"])
    stream = conn.newStream(0)
    mime = domain.screenshot(stream, 0, 0)
    data = _drain(stream)
    results: dict[str, Any] = {"mime": typed(mime), "header": typed(data[:2]),
                               "size": len(data) > 1000, "finish": typed(stream.finish())}
    stream = conn.newStream(0)
    results["screen 5"] = outcome(lambda: domain.screenshot(stream, 5, 0))  # one head
    conn.close()
    return results


def scenario_console(uri: str) -> Any:
    """The echo guest's serial console (it echoes each byte case-flipped):
    blocking openConsole, send, recv; a second client refused; abort."""
    conn = lv.open(uri)
    domain = conn.lookupByName(os.environ["SCENARIO_DOMAIN"])
    stream = conn.newStream(0)
    results: dict[str, Any] = {"open": typed(domain.openConsole(None, stream, 0))}
    results["send"] = typed(stream.send(b"ping\x01"))
    received = bytearray()

    def reader() -> None:
        while b"PING!" not in received:
            got = stream.recv(1024)
            if not isinstance(got, bytes) or not got:
                return
            received.extend(got)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(30)
    results["echoed"] = b"PING!" in received
    other = conn.newStream(0)
    results["second client"] = outcome(lambda: domain.openConsole(None, other, 0))
    results["abort"] = typed(stream.abort())
    forced = conn.newStream(0)
    results["after abort"] = typed(domain.openConsole(None, forced, lv.VIR_DOMAIN_CONSOLE_FORCE))
    results["abort again"] = typed(forced.abort())
    conn.close()
    return results


SCENARIOS = {name[len("scenario_"):]: function for name, function in globals().items()
             if name.startswith("scenario_")}


def main() -> None:
    global lv, lv_qemu, lv_aio
    which, name = sys.argv[1], sys.argv[2]
    uri = sys.argv[3] if len(sys.argv) > 3 else "test:///default"
    if which == "official":
        lv = importlib.import_module("libvirt")
        lv_qemu = importlib.import_module("libvirt_qemu")
        lv_aio = importlib.import_module("libvirtaio")
    else:
        lv = importlib.import_module("virt.compat")
        try:
            lv_qemu = importlib.import_module("virt.compat.qemu")
        except ImportError:  # before virt.compat.qemu re-exports them
            lv_qemu = importlib.import_module("virt.compat._events")
        lv_aio = importlib.import_module("virt.compat.aio")
    result = SCENARIOS[name](uri)
    sys.stdout.flush()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
