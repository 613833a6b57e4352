"""Events from a real session libvirtd and a QEMU guest, under the default loop.

(The same subscriptions under asyncio are covered on the test driver in
tests/test_events.py, in a process of their own.)
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import virt
import virt.events
from rig import SessionDaemon, guest_xml


def wait_for(predicate: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for events")


class Recorder:
    def __init__(self) -> None:
        self.items: list[Any] = []
        self.lock = threading.Lock()

    def __call__(self, item: Any) -> None:
        with self.lock:
            self.items.append(item)

    def __len__(self) -> int:
        return len(self.items)


@pytest.fixture(scope="module", autouse=True)
def loop() -> Iterator[None]:
    virt.events.start_default_loop()
    yield


@pytest.fixture
def conn(libvirtd: SessionDaemon) -> Iterator[virt.Connection]:
    connection = virt.connect(libvirtd.qemu_uri)
    yield connection
    connection.close()


def test_lifecycle_and_monitor_events_of_a_qemu_guest(conn: virt.Connection) -> None:
    lifecycle, monitor = Recorder(), Recorder()
    domain = conn.domain_define_xml(guest_xml(f"virt-ev-{uuid.uuid4().hex[:6]}"))
    try:
        with conn.subscribe(virt.DomainLifecycle, lifecycle, domain), \
                conn.subscribe(virt.QemuMonitorEvent, monitor, domain):
            domain.create()
            domain.suspend()
            domain.resume()
            domain.destroy()
            wait_for(lambda: any(e.event is virt.DomainEventType.STOPPED
                                 for e in lifecycle.items) and len(monitor) >= 2)
        events = [(e.event, e.detail) for e in lifecycle.items]
        # QEMU starts paused and is resumed: libvirt may report that RESUMED too.
        expected = [
            (virt.DomainEventType.STARTED, virt.DomainEventStartedDetailType.BOOTED),
            (virt.DomainEventType.SUSPENDED, virt.DomainEventSuspendedDetailType.PAUSED),
            (virt.DomainEventType.RESUMED, virt.DomainEventResumedDetailType.UNPAUSED),
            (virt.DomainEventType.STOPPED, virt.DomainEventStoppedDetailType.DESTROYED),
        ]
        remaining = iter(events)
        assert all(item in remaining for item in expected), events  # in this order
        names = [e.event for e in monitor.items]
        assert "STOP" in names and "RESUME" in names
        assert all(e.domain == domain and e.seconds > 0 for e in monitor.items)
    finally:
        if domain.is_active():
            domain.destroy()
        domain.undefine()


def test_secret_events(conn: virt.Connection) -> None:
    lifecycle, values = Recorder(), Recorder()
    with conn.subscribe(virt.SecretLifecycle, lifecycle), \
            conn.subscribe(virt.SecretValueChanged, values):
        secret = conn.secret_define_xml(
            "<secret ephemeral='no' private='no'><usage type='volume'>"
            "<volume>/var/lib/virt-test/events.img</volume></usage></secret>")
        secret.set_value(b"s3cret")
        secret.undefine()
        wait_for(lambda: len(lifecycle) >= 2 and len(values) >= 1)
    assert [e.event for e in lifecycle.items] == [virt.SecretEventLifecycleType.DEFINED,
                                                  virt.SecretEventLifecycleType.UNDEFINED]
    assert values.items[0].secret.get_usage_id() == "/var/lib/virt-test/events.img"


def test_connection_closed_when_the_daemon_stops() -> None:
    daemon = SessionDaemon()
    try:
        daemon.start()
        closed = Recorder()
        connection = virt.connect(daemon.qemu_uri)
        subscription = connection.subscribe(virt.ConnectionClosed, closed)
        daemon.stop()
        wait_for(lambda: len(closed) >= 1)
        assert closed.items[0].reason in (virt.ConnectCloseReason.EOF,
                                          virt.ConnectCloseReason.ERROR,
                                          virt.ConnectCloseReason.KEEPALIVE)
        with pytest.raises(virt.Error):
            connection.get_hostname()  # the connection is dead, and says so
        subscription.close()
        connection.close()
    finally:
        daemon.cleanup()


ASYNCIO_DAEMON = """
import asyncio, sys, uuid, virt, virt.aio
sys.path.insert(0, {tests!r})
from rig import guest_xml

async def main(uri):
    virt.aio.register()
    conn = virt.connect(uri)
    domain = conn.domain_define_xml(guest_xml("virt-aio-" + uuid.uuid4().hex[:6]))
    seen, qmp = [], []
    monitor = conn.subscribe(virt.QemuMonitorEvent, lambda e: qmp.append(e.event), domain)
    try:
        async with conn.events(virt.DomainLifecycle, domain) as stream:
            domain.create()
            domain.suspend()
            domain.resume()
            domain.destroy()
            async for event in stream:
                seen.append(event.event.name)
                if event.event is virt.DomainEventType.STOPPED:
                    break
    finally:
        monitor.close()
        if domain.is_active():
            domain.destroy()
        domain.undefine()
    print(" ".join(seen))
    print(" ".join(qmp))
    conn.close()

asyncio.run(main(sys.argv[1]))
"""


def test_daemon_events_under_asyncio(libvirtd: SessionDaemon) -> None:
    """A QEMU guest's lifecycle and QMP events through virt.aio, in a fresh process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    script = ASYNCIO_DAEMON.format(tests=str(tests))
    result = subprocess.run([sys.executable, "-c", script, libvirtd.qemu_uri],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(tests.parent)})
    assert result.returncode == 0, result.stderr
    lifecycle, qmp = result.stdout.splitlines()[-2:]
    names = lifecycle.split()
    assert names[-1] == "STOPPED" and "STARTED" in names and "SUSPENDED" in names
    assert names.index("STARTED") < names.index("SUSPENDED") < len(names) - 1
    assert "STOP" in qmp.split() and "RESUME" in qmp.split()


def test_device_added_and_removed_on_hot_plug(conn: virt.Connection) -> None:
    """A USB tablet plugged into and out of a running guest (QEMU completes a USB
    unplug without the guest's help)."""
    domain = conn.domain_define_xml(guest_xml(f"virt-plug-{uuid.uuid4().hex[:6]}"))
    added, removed = Recorder(), Recorder()
    device = "<input type='tablet' bus='usb'><alias name='ua-tablet1'/></input>"
    try:
        domain.create()
        with conn.subscribe(virt.DomainDeviceAdded, added, domain), \
                conn.subscribe(virt.DomainDeviceRemoved, removed, domain):
            domain.attach_device_flags(device, flags=virt.DomainDeviceModifyFlags.LIVE)
            wait_for(lambda: len(added) >= 1)
            domain.detach_device_flags(device, flags=virt.DomainDeviceModifyFlags.LIVE)
            wait_for(lambda: len(removed) >= 1)
        assert added.items[0].dev_alias == removed.items[0].dev_alias == "ua-tablet1"
        assert added.items[0].domain == domain
    finally:
        if domain.is_active():
            domain.destroy()
        domain.undefine()
