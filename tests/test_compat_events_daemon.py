"""virt.compat's events against the official binding, through the session
daemon: a QEMU guest's lifecycle and QMP events (``libvirt_qemu``), secret
events, and the close callback when the daemon goes away.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from differential import dir_pool, same

import virt
import virt.compat as libvirt
import virt.events
from rig import QEMU, Guest, SessionDaemon, guest_xml, require, vnc_port


def test_qemu_guest_lifecycle_and_monitor_events(libvirtd: SessionDaemon, oracle: Any) -> None:
    from pathlib import Path

    require(Path(QEMU).exists(), f"{QEMU} is missing: install qemu-system-x86")
    xml = guest_xml(f"compat-ev-{uuid.uuid4().hex[:6]}")
    result = same("qemu_guest", libvirtd.qemu_uri, {"SCENARIO_GUEST_XML": xml})
    assert result["complete"]
    events = [row[3] for row in result["lifecycle"]]
    order = [libvirt.VIR_DOMAIN_EVENT_STARTED, libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
             libvirt.VIR_DOMAIN_EVENT_STOPPED]
    assert [event for event in events if event in order] == order, events
    assert all(row[:3] == [True, "virDomain", True] for row in result["lifecycle"])
    others = {row[0]: row for row in result["others"]}
    assert others["added"][1:] == [True, "virDomain", ["list", [["str", "ua-tablet1"],
                                                                ["str", "a"]]]]
    assert others["removed"][3] == ["list", [["str", "ua-tablet1"], ["str", "r"]]]
    tunable = others["tunable"][3][1][0]  # the params: a dict, as typed parameters come
    assert tunable[0] == "dict" and "cputune.vcpupin0" in tunable[1], tunable
    # "STOP" reached both registrations: the one for STOP and the one for all
    assert sorted(row[6] for row in result["stop events"]) == ["all", "stop"]
    # details: the event's JSON data, None for events without any
    assert set(result["monitor shapes"]) <= {'[true, "virDomain", "int", "int", "str"]',
                                             '[true, "virDomain", "int", "int", "NoneType"]'}
    assert result["again"][0] == "libvirtError"


@pytest.fixture(scope="module")
def pool(libvirtd: SessionDaemon) -> Iterator[str]:
    with dir_pool(libvirtd, "compat-events") as name:
        yield name


def test_qemu_guest_and_a_download_under_libvirtaio(libvirtd: SessionDaemon, pool: str,
                                                    oracle: Any) -> None:
    from pathlib import Path

    require(Path(QEMU).exists(), f"{QEMU} is missing: install qemu-system-x86")
    xml = guest_xml(f"compat-aio-{uuid.uuid4().hex[:6]}")
    result = same("qemu_guest_asyncio", libvirtd.qemu_uri,
                  {"SCENARIO_GUEST_XML": xml, "SCENARIO_POOL": pool})
    events = [row[2] for row in result["lifecycle"]]
    assert libvirt.VIR_DOMAIN_EVENT_SUSPENDED in events and events[-1] == \
        libvirt.VIR_DOMAIN_EVENT_STOPPED
    assert all(row[:2] == [True, "virDomain"] and row[4] == "aio" for row in result["lifecycle"])
    assert result["qmp"] == ["RESUME", "STOP"]
    assert result["downloaded"] and result["bytes"] == 1 << 20 and result["zeros"]


def test_graphics_events_of_a_vnc_client(libvirtd: SessionDaemon, qemu_guest: Guest,
                                         oracle: Any) -> None:
    host, port = vnc_port(libvirtd, qemu_guest)
    result = same("graphics_events", libvirtd.qemu_uri,
                  {"SCENARIO_DOMAIN": qemu_guest.name, "SCENARIO_VNC": f"{host}:{port}"})
    assert result["complete"]
    phases = [row[2] for row in result["seen"]]
    assert phases[0] == libvirt.VIR_DOMAIN_EVENT_GRAPHICS_CONNECT
    assert phases[-1] == libvirt.VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT
    first = result["seen"][0]
    assert first[:2] == [True, "virDomain"] and first[-1] == "vnc"
    assert first[3][0] == "dict" and set(first[3][1]) == {"family", "node", "service"}
    assert first[6][0] == "list"  # the subject: (type, name) pairs


def test_block_job_and_tray_events(libvirtd: SessionDaemon, qemu_guest: Guest,
                                   oracle: Any) -> None:
    """(``qemu_guest`` for its checks of QEMU; the scenario runs guests of its own.)"""
    import shutil

    require(shutil.which("qemu-img") is not None, "qemu-img is missing: install qemu-utils")
    devices = ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
               "<source file='@TOP@'/><target dev='vda' bus='virtio'/></disk>"
               "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
               "<target dev='hdc' bus='ide'/><readonly/></disk>")
    xml = guest_xml(f"compat-job-{uuid.uuid4().hex[:6]}", extra_devices=devices)
    result = same("block_job_and_tray", libvirtd.qemu_uri,
                  {"SCENARIO_GUEST_XML": xml, "SCENARIO_DIR": str(libvirtd.images_dir),
                   "SCENARIO_OWNER": f"{libvirtd.uid}:{libvirtd.gid}"})
    assert result["pulled"] and result["tray"]
    events = {row[0]: row for row in result["seen"]}
    pull, completed = libvirt.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, libvirt.VIR_DOMAIN_BLOCK_JOB_COMPLETED
    assert events["job2"][1:] == [True, "virDomain", ["list", [
        ["str", "vda"], ["int", pull], ["int", completed], ["str", "job2"]]]]
    assert events["job"][3][1][0] == ["str", str(libvirtd.images_dir / "top-TAG.qcow2")]
    trays = [row[3][1][:2] for row in result["seen"] if row[0] == "tray"]
    assert trays == [[["str", "ide0-1-0"], ["int", libvirt.VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN]],
                     [["str", "ide0-1-0"], ["int", libvirt.VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE]]]


def test_secret_events(libvirtd: SessionDaemon, oracle: Any) -> None:
    result = same("secret_events", libvirtd.qemu_uri)
    assert result["complete"]
    kinds = [row[0] for row in result["seen"]]
    assert kinds[:3] == ["lifecycle", "value", "lifecycle"]
    assert all(row[1:4] == [True, "virSecret", "/var/lib/virt-test/scenario.img"]
               for row in result["seen"])


@pytest.fixture
def loop() -> Iterator[None]:
    virt.events.start_default_loop()
    yield


def test_close_callback_when_the_daemon_stops(loop: None, oracle: Any) -> None:
    """Both bindings in this process, on one libvirt loop: each connection's
    close callback reports the same reason."""
    daemon = SessionDaemon()
    try:
        daemon.start()
        seen: dict[str, list[Any]] = {"official": [], "compat": []}
        done = threading.Event()
        connections = {"official": oracle.open(daemon.qemu_uri),
                       "compat": libvirt.open(daemon.qemu_uri)}

        def callback(conn: Any, reason: int, opaque: str) -> None:
            seen[opaque].append([conn is connections[opaque], type(reason).__name__, reason])
            if seen["official"] and seen["compat"]:
                done.set()

        for name, conn in connections.items():
            assert conn.registerCloseCallback(callback, name) == 0
        daemon.stop()
        assert done.wait(30), seen
        time.sleep(0.2)
        assert seen["compat"] == seen["official"]
        assert seen["compat"][0][0] and seen["compat"][0][2] in (
            libvirt.VIR_CONNECT_CLOSE_REASON_EOF, libvirt.VIR_CONNECT_CLOSE_REASON_ERROR,
            libvirt.VIR_CONNECT_CLOSE_REASON_KEEPALIVE)
        outcomes: dict[str, list[Any]] = {}
        for name, conn in connections.items():
            try:
                conn.unregisterCloseCallback()
                outcomes[name] = ["returned"]
            except oracle.libvirtError as error:  # the socket is closed
                outcomes[name] = ["failed", str(error), error.get_error_code()]
            except libvirt.libvirtError as error:
                outcomes[name] = ["failed", str(error), error.get_error_code()]
            conn.close()
        assert outcomes["compat"] == outcomes["official"]
    finally:
        daemon.cleanup()


def test_monitor_events_on_a_core_connection(libvirtd: SessionDaemon, qemu_guest: Guest,
                                             loop: None) -> None:
    """A program migrating to the core may hand ``libvirt_qemu`` a core
    connection: callbacks get that connection, and compat domains."""
    import virt.compat.qemu as libvirt_qemu

    core = virt.connect(libvirtd.qemu_uri)
    got: list[Any] = []
    callback_id = libvirt_qemu.qemuMonitorEventRegister(
        core, None, "STOP",
        lambda c, dom, event, seconds, micros, details, opaque: got.append(
            [c is core, type(dom).__name__, dom.name(), event, opaque]), "op")
    other = libvirt_qemu.qemuMonitorEventRegister(core, None, "RESUME", print, None)
    domain = core.domain_lookup_by_name(qemu_guest.name)
    domain.suspend()
    try:
        deadline = time.monotonic() + 20
        while not got:
            assert time.monotonic() < deadline, "no STOP event"
            time.sleep(0.02)
    finally:
        domain.resume()
    libvirt_qemu.qemuMonitorEventDeregister(core, callback_id)
    with pytest.raises(libvirt.libvirtError):
        libvirt_qemu.qemuMonitorEventDeregister(core, callback_id)
    core.close()  # ends the other registration, quietly
    assert got[0] == [True, "virDomain", qemu_guest.name, "STOP", "op"]
    assert other != callback_id
