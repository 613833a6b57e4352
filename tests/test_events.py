"""Events under libvirt's default loop (in a thread), on the test driver.

The asyncio loop cannot share a process with the default loop (libvirt takes
one implementation per process): `test_asyncio_loop` runs its cases in a
fresh interpreter.
"""

from __future__ import annotations

import gc
import os
import queue
import subprocess
import sys
import textwrap
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

import virt
import virt.events
from virt import events as ev

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_XML = ("<domain type='test'><name>{name}</name><memory>65536</memory>"
              "<os><type>hvm</type></os></domain>")

T = TypeVar("T")

pytestmark = pytest.mark.usefixtures("default_loop")


def wait_for(predicate: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting for events")


class Recorder(list[T]):
    """A callback that keeps what it gets, safe to read from the test thread."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def __call__(self, item: T) -> None:
        with self.lock:
            self.append(item)


def test_domain_lifecycle_events(conn: virt.Connection) -> None:
    seen: Recorder[virt.DomainLifecycle] = Recorder()
    with conn.subscribe(virt.DomainLifecycle, seen):
        domain = conn.domain_define_xml(DOMAIN_XML.format(name="events-life"))
        domain.create()
        domain.suspend()
        domain.resume()
        domain.destroy()
        domain.undefine()
        wait_for(lambda: len(seen) >= 6)
    E, S = virt.DomainEventType, virt.DomainEventStoppedDetailType
    assert [(e.event, e.detail) for e in seen] == [
        (E.DEFINED, virt.DomainEventDefinedDetailType.ADDED),
        (E.STARTED, virt.DomainEventStartedDetailType.BOOTED),
        (E.SUSPENDED, virt.DomainEventSuspendedDetailType.PAUSED),
        (E.RESUMED, virt.DomainEventResumedDetailType.UNPAUSED),
        (E.STOPPED, S.DESTROYED),
        (E.UNDEFINED, virt.DomainEventUndefinedDetailType.REMOVED),
    ]
    assert all(e.domain.get_name() == "events-life" for e in seen[:5])
    assert isinstance(seen[4].detail, virt.DomainEventStoppedDetailType)


def test_events_of_one_target_only(conn: virt.Connection) -> None:
    watched = conn.domain_define_xml(DOMAIN_XML.format(name="events-watched"))
    other = conn.domain_define_xml(DOMAIN_XML.format(name="events-other"))
    seen: Recorder[virt.DomainLifecycle] = Recorder()
    try:
        with conn.subscribe(virt.DomainLifecycle, seen, watched):
            other.create()
            watched.create()
            wait_for(lambda: len(seen) >= 1)
            time.sleep(0.2)
        assert [e.domain for e in seen] == [watched]
    finally:
        for domain in (watched, other):
            domain.destroy()
            domain.undefine()


def test_network_and_pool_events(conn: virt.Connection) -> None:
    networks: Recorder[virt.NetworkLifecycle] = Recorder()
    pools: Recorder[virt.StoragePoolLifecycle] = Recorder()
    refreshes: Recorder[virt.StoragePoolRefresh] = Recorder()
    with conn.subscribe(virt.NetworkLifecycle, networks), \
            conn.subscribe(virt.StoragePoolLifecycle, pools), \
            conn.subscribe(virt.StoragePoolRefresh, refreshes):
        network = conn.network_define_xml(
            "<network><name>events-net</name><bridge name='evbr0'/></network>")
        network.create()
        network.destroy()
        network.undefine()
        pool = conn.storage_pool_define_xml(
            "<pool type='dir'><name>events-pool</name><target><path>/events</path></target>"
            "</pool>")
        pool.create()
        pool.refresh()
        pool.destroy()
        pool.undefine()
        wait_for(lambda: len(networks) >= 4 and len(pools) >= 4 and len(refreshes) >= 1)
    assert [e.event for e in networks] == [
        virt.NetworkEventLifecycleType.DEFINED, virt.NetworkEventLifecycleType.STARTED,
        virt.NetworkEventLifecycleType.STOPPED, virt.NetworkEventLifecycleType.UNDEFINED]
    assert networks[0].network.get_name() == "events-net"
    assert virt.StoragePoolEventLifecycleType.STARTED in [e.event for e in pools]
    assert refreshes[0].pool.get_name() == "events-pool"


def test_an_exception_in_a_callback_is_reported_and_the_loop_goes_on(
        conn: virt.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda args: reported.append(args.exc_value))
    seen: Recorder[virt.DomainLifecycle] = Recorder()

    def broken(event: virt.DomainLifecycle) -> None:
        raise RuntimeError(f"broken on {event.event.name}")

    with conn.subscribe(virt.DomainLifecycle, broken), \
            conn.subscribe(virt.DomainLifecycle, seen):
        domain = conn.domain_define_xml(DOMAIN_XML.format(name="events-broken"))
        domain.undefine()
        wait_for(lambda: len(seen) >= 2 and len(reported) >= 2)
    assert all(isinstance(error, RuntimeError) for error in reported)


@pytest.mark.parametrize("lending", [True, False], ids=["lent", "owned"])
def test_what_a_callback_keeps_stays_valid(conn: virt.Connection, lending: bool,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever part of an event a callback keeps (the event, its domain, its
    ``__dict__``) stays usable after it returns, closing the domain in the
    callback is harmless, the domain equals its looked-up twin, and what
    nobody keeps is released at once; with lending (CPython) and without
    (PyPy's path, also what CPython does without lending)."""
    monkeypatch.setattr(ev, "LENDING", lending and ev.LENDING)
    monkeypatch.setattr(sys, "unraisablehook", lambda args: None)
    keeps = [0]
    keep_lent = ev.keep_lent

    def counting_keep(obj: Any) -> None:
        keeps[0] += 1
        keep_lent(obj)

    monkeypatch.setattr(ev, "keep_lent", counting_keep)
    kept_events: list[virt.DomainLifecycle] = []
    kept_domains: list[virt.Domain] = []
    kept_fields: list[dict[str, Any]] = []
    closed: list[virt.Domain] = []
    equal: list[bool] = []
    released: list[Any] = []
    count = [0]
    made: dict[str, virt.Domain] = {}
    E = virt.DomainEventType

    def callback(event: virt.DomainLifecycle) -> None:
        count[0] += 1
        name = event.domain.get_name()
        if event.event is E.DEFINED:
            kept_events.append(event)
        elif event.event is E.STARTED:
            kept_domains.append(event.domain)
        elif event.event is E.SUSPENDED:
            event.domain.close()  # must not free the reference libvirt lent
            closed.append(event.domain)
        elif event.event is E.RESUMED:
            equal.append(event.domain == made[name] and made[name] == event.domain)
            released.append(weakref.ref(event.domain))
        elif event.event is E.STOPPED:
            kept_fields.append(vars(event))
        elif event.event is E.UNDEFINED:
            kept_events.append(event)
            raise RuntimeError("kept, then failed")  # what it kept stays valid

    with conn.subscribe(virt.DomainLifecycle, callback):
        for i in range(10):
            domain = conn.domain_define_xml(DOMAIN_XML.format(name=f"events-kept-{i}"))
            made[domain.get_name()] = domain
            domain.create()
            domain.suspend()
            domain.resume()
            domain.destroy()
            domain.undefine()
        wait_for(lambda: count[0] >= 60)
    names = [f"events-kept-{i}" for i in range(10)]
    assert [e.domain.get_name() for e in kept_events[::2]] == names  # DEFINED
    assert all(type(e.domain) is virt.Domain for e in kept_events)
    assert [d.get_name() for d in kept_domains] == names
    assert all(type(d) is virt.Domain for d in kept_domains)
    assert all(d.get_uuid() for d in kept_domains)
    assert [f["domain"].get_name() for f in kept_fields] == names
    assert equal == [True] * 10
    assert all(d.closed for d in closed)
    with pytest.raises(virt.ClosedError):
        closed[0].get_name()
    gc.collect()
    # With lending, an event nobody keeps leaves nothing behind (and, owned,
    # reference counting frees it as soon): no domain outlives its callback.
    assert [ref() for ref in released] == [None] * 10
    # Lent, only what was kept took a reference (closed included): the
    # reference counts this interpreter shows were read right.
    assert keeps[0] == (50 if lending and ev.LENDING else 0)


def test_a_domain_handed_to_another_thread(conn: virt.Connection) -> None:
    handed: queue.Queue[virt.Domain] = queue.Queue()
    names: list[str] = []

    def worker() -> None:
        domain = handed.get(timeout=10)
        time.sleep(0.05)  # well after the callback returned
        names.append(domain.get_name())

    thread = threading.Thread(target=worker)
    thread.start()
    with conn.subscribe(virt.DomainLifecycle, lambda event: handed.put(event.domain)):
        conn.domain_define_xml(DOMAIN_XML.format(name="events-handed")).undefine()
        thread.join(10)
    assert names == ["events-handed"]


def test_thousands_of_subscriptions_do_not_leak(conn: virt.Connection) -> None:
    baseline = len(ev._live)
    for _ in range(3000):
        conn.subscribe(virt.DomainLifecycle, lambda event: None).close()
    # libvirt releases each callback through its free callback, in the loop.
    wait_for(lambda: len(ev._live) <= baseline)
    gc.collect()
    assert len(ev._live) == baseline


def test_closing_the_connection_with_live_subscriptions() -> None:
    connection = virt.connect("test:///default")
    baseline = len(ev._live)
    subscription = connection.subscribe(virt.DomainLifecycle, lambda event: None)
    connection.close()
    subscription.close()  # harmless: libvirt already dropped it
    assert not subscription.active
    wait_for(lambda: len(ev._live) <= baseline)


def test_a_callback_may_close_its_own_subscription(conn: virt.Connection) -> None:
    seen: Recorder[virt.DomainLifecycle] = Recorder()
    holder: list[virt.Subscription[virt.DomainLifecycle]] = []

    def once(event: virt.DomainLifecycle) -> None:
        seen(event)
        holder[0].close()

    holder.append(conn.subscribe(virt.DomainLifecycle, once))
    domain = conn.domain_define_xml(DOMAIN_XML.format(name="events-once"))
    domain.undefine()
    wait_for(lambda: len(seen) >= 1)
    time.sleep(0.2)
    assert len(seen) == 1 and not holder[0].active


def test_legacy_lifecycle_registration(conn: virt.Connection) -> None:
    seen: Recorder[virt.DomainLifecycle] = Recorder()
    subscription = conn.domain_event_register(seen)
    domain = conn.domain_define_xml(DOMAIN_XML.format(name="events-legacy"))
    domain.undefine()
    wait_for(lambda: len(seen) >= 2)
    subscription.close()
    assert seen[0].event is virt.DomainEventType.DEFINED


def test_bad_subscriptions_are_refused(conn: virt.Connection) -> None:
    with pytest.raises(TypeError):
        conn.subscribe(virt.DomainState, print)  # type: ignore[type-var]
    with pytest.raises(TypeError):
        conn.subscribe(virt.DomainLifecycle, "print")  # type: ignore[arg-type]
    network = conn.network_lookup_by_name("default")
    with pytest.raises(TypeError):
        conn.subscribe(virt.DomainLifecycle, print, network)


def test_custom_loop_functions() -> None:
    fired: list[int] = []
    timer = virt.events.add_timeout(10, fired.append)
    wait_for(lambda: len(fired) >= 2)
    virt.events.update_timeout(timer, -1)
    virt.events.remove_timeout(timer)
    assert fired[0] == timer
    read_fd, write_fd = os.pipe()
    ready: list[tuple[int, int, virt.EventHandleType]] = []
    try:
        watch = virt.events.add_handle(read_fd, virt.EventHandleType.READABLE,
                                       lambda *args: ready.append(args))
        os.write(write_fd, b"x")
        wait_for(lambda: bool(ready))
        assert ready[0][:2] == (watch, read_fd)
        assert ready[0][2] & virt.EventHandleType.READABLE
        virt.events.update_handle(watch, 0)
        virt.events.remove_handle(watch)
    finally:
        os.close(read_fd)
        os.close(write_fd)
    with pytest.raises(virt.Error):
        virt.events.remove_timeout(987654)


def test_asyncio_cannot_join_the_default_loop() -> None:
    import asyncio

    import virt.aio

    async def attempt() -> None:
        virt.aio.register()

    with pytest.raises(RuntimeError, match="default event loop"):
        asyncio.run(attempt())


ASYNCIO_CASES = """
import asyncio, gc, sys, virt, virt.aio, virt.events as ev

XML = "<domain type='test'><name>{}</name><memory>65536</memory><os><type>hvm</type></os></domain>"

async def lifecycle():
    virt.aio.register()
    conn = virt.connect("test:///default")
    seen = []
    async with conn.events(virt.DomainLifecycle) as stream:
        async def produce():
            await asyncio.sleep(0.05)
            d = conn.domain_define_xml(XML.format("aio-life"))
            d.create(); d.suspend(); d.resume(); d.destroy(); d.undefine()
        task = asyncio.ensure_future(produce())
        async for event in stream:
            seen.append((event.event.name, event.detail.name))
            if event.event is virt.DomainEventType.UNDEFINED:
                break
        await task
    assert seen == [("DEFINED", "ADDED"), ("STARTED", "BOOTED"), ("SUSPENDED", "PAUSED"),
                    ("RESUMED", "UNPAUSED"), ("STOPPED", "DESTROYED"),
                    ("UNDEFINED", "REMOVED")], seen
    # a callback subscription works under asyncio too, and frees its callbacks
    got = []
    base = len(ev._live)
    for _ in range(500):
        conn.subscribe(virt.DomainLifecycle, got.append).close()
    for _ in range(100):
        await asyncio.sleep(0.01)
        if len(ev._live) <= base:
            break
    assert len(ev._live) <= base, (len(ev._live), base)
    with conn.subscribe(virt.NetworkLifecycle, got.append):
        n = conn.network_define_xml(
            "<network><name>aio-net</name><bridge name='aiobr0'/></network>")
        n.undefine()
        for _ in range(200):
            await asyncio.sleep(0.01)
            if len(got) >= 2:
                break
    assert [e.event.name for e in got] == ["DEFINED", "UNDEFINED"], got
    conn.close()

async def back_pressure():
    virt.aio.register()
    conn = virt.connect("test:///default")
    stream = conn.events(virt.DomainLifecycle, maxsize=2)
    first = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0.05)
    for i in range(5):
        conn.domain_define_xml(XML.format(f"aio-bp-{i}")).undefine()
    event = await first
    for _ in range(100):
        await asyncio.sleep(0.01)
        if stream.dropped >= 7:
            break
    kept = []
    while stream._items:
        kept.append(stream._items.popleft())
    # 10 events: one taken, at most 2 kept, the rest dropped, none lost unaccounted.
    assert len(kept) <= 2 and 1 + len(kept) + stream.dropped == 10, (kept, stream.dropped)
    assert kept[-1].event is virt.DomainEventType.UNDEFINED  # the newest survive
    await stream.aclose()
    conn.close()

async def custom_timer():
    virt.aio.register()
    fired = []
    timer = ev.add_timeout(5, fired.append)
    for _ in range(100):
        await asyncio.sleep(0.01)
        if len(fired) >= 3:
            break
    ev.remove_timeout(timer)
    assert len(fired) >= 3

asyncio.run(lifecycle())
asyncio.run(back_pressure())   # a second loop: libvirt's watches move to it
asyncio.run(custom_timer())
try:
    ev.start_default_loop()
except RuntimeError as error:
    print("refused:", error)
print("ok")
"""


def test_asyncio_loop() -> None:
    """Every case under virt.aio, in a process of its own (see the module docstring)."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(ASYNCIO_CASES)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "ok"
    assert lines[-2].startswith("refused: virt.aio is this process's event loop")


MISMATCH = """
import virt

def on_network(event: virt.NetworkLifecycle) -> None: ...

conn = virt.connect("test:///default")
conn.subscribe(virt.DomainLifecycle, on_network)
"""


def test_mypy_rejects_a_callback_for_another_event(tmp_path: Path) -> None:
    import importlib.util

    from rig import require

    require(importlib.util.find_spec("mypy") is not None, "mypy is missing: pip install mypy")
    snippet = tmp_path / "mismatch.py"
    snippet.write_text(MISMATCH)
    good = tmp_path / "match.py"
    good.write_text(MISMATCH.replace("conn.subscribe(virt.DomainLifecycle",
                                     "conn.subscribe(virt.NetworkLifecycle"))
    mypy: list[str] = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    env: dict[str, Any] = {**os.environ, "MYPYPATH": str(ROOT)}
    bad = subprocess.run([*mypy, str(snippet)], capture_output=True, text=True, env=env,
                         timeout=300, cwd=ROOT)
    assert bad.returncode == 1, bad.stdout
    assert 'Argument 2 to "subscribe" of "Connection" has incompatible type' in bad.stdout
    fine = subprocess.run([*mypy, str(good)], capture_output=True, text=True, env=env,
                          timeout=300, cwd=ROOT)
    assert fine.returncode == 0, fine.stdout


def test_every_event_id_has_a_dataclass() -> None:
    import dataclasses
    import json

    from virt._generated.events import EVENT_CLASSES

    facts = json.loads((ROOT / "tools" / "api" / "libvirt-12.8.0.json").read_text())
    by_register = {"virDomainEventID": "virConnectDomainEventRegisterAny",
                   "virNetworkEventID": "virConnectNetworkEventRegisterAny",
                   "virStoragePoolEventID": "virConnectStoragePoolEventRegisterAny",
                   "virNodeDeviceEventID": "virConnectNodeDeviceEventRegisterAny",
                   "virSecretEventID": "virConnectSecretEventRegisterAny"}
    count = 0
    for name, enum in facts["enums"].items():
        if enum["type"] in by_register and not name.endswith("_LAST"):
            matches = [cls for cls in EVENT_CLASSES if cls._event_id == enum["value"]
                       and cls._register_name == by_register[enum["type"]]]
            assert len(matches) == 1, name
            assert dataclasses.is_dataclass(matches[0]) and name in str(matches[0].__doc__)
            assert getattr(virt, matches[0].__name__) is matches[0]
            count += 1
    assert count == 30 + 2 + 2 + 2 + 2
    assert virt.QemuMonitorEvent in EVENT_CLASSES
    # The plain table registrations look classes up in (virt.compat's) agrees.
    from virt._generated.events import EVENT_NAMES

    assert EVENT_NAMES == {(cls._register_name, cls._event_id): cls.__name__
                           for cls in EVENT_CLASSES}
    assert dataclasses.is_dataclass(virt.ConnectionClosed)
