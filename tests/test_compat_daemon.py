"""virt.compat against libvirt-python through a real session libvirtd and QEMU guest.

The same operations through the official binding and through compat, on
connections to the same daemon: the QEMU driver with a running TCG guest, and
the daemon's test driver (``test+unix://``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import virt
import virt.compat as compat
import virt.compat.qemu as compat_qemu
from compat_oracle import VOLATILE, getters, outcome
from rig import Guest, SessionDaemon, guest_xml

#: Getters whose value on a running QEMU guest changes by the call.
LIVE = VOLATILE | {"memoryStats", "controlInfo", "jobInfo", "jobStats", "blockStats",
                   "getCPUStats", "info", "vcpus", "getTime", "memoryParameters"}


@pytest.fixture
def both(libvirtd: SessionDaemon, qemu_guest: Guest, oracle: Any
         ) -> Iterator[tuple[Any, Any, Any, Any]]:
    official = oracle.open(libvirtd.qemu_uri)
    ours = compat.open(libvirtd.qemu_uri)
    yield (official, official.lookupByName(qemu_guest.name), ours,
           ours.lookupByName(qemu_guest.name))
    official.close()
    ours.close()


@pytest.mark.parametrize("method", [m for c, m in getters() if c == "virDomain"])
def test_guest_getter_matches_the_oracle(both: Any, method: str) -> None:
    _, official, _, ours = both
    live = method in LIVE
    assert outcome(getattr(ours, method), live) == outcome(getattr(official, method), live)


@pytest.mark.parametrize("method", [m for c, m in getters() if c == "virConnect"])
def test_qemu_connection_getter_matches_the_oracle(both: Any, method: str) -> None:
    official, _, ours, _ = both
    live = method in LIVE | {"getFreeMemory", "getCellsFreeMemory", "getMemoryStats",
                             "getSysinfo", "listAllDomains", "listDomainsID", "numOfDomains",
                             "listDefinedDomains", "numOfDefinedDomains",
                             "getAllDomainStats"}
    if method in ("listAllDomains", "getAllDomainStats"):
        return  # other test modules' guests come and go; compared by shape below
    assert outcome(getattr(ours, method), live) == outcome(getattr(official, method), live)


def test_guest_shapes(both: Any) -> None:
    _, official, _, ours = both
    for method in ("info", "state", "vcpus", "memoryStats", "controlInfo", "jobInfo"):
        got, expected = getattr(ours, method)(), getattr(official, method)()
        assert type(got) is type(expected), method
        if isinstance(expected, dict):
            assert sorted(got) == sorted(expected), method
        elif isinstance(expected, (list, tuple)):
            assert len(got) == len(expected), method
    for total in (True, False):  # without a CPU accounting cgroup both fail alike
        assert outcome(lambda t=total: ours.getCPUStats(t), True) == \
            outcome(lambda t=total: official.getCPUStats(t), True)


def test_domain_stats_through_the_daemon(both: Any) -> None:
    official_conn, official, ours_conn, ours = both
    got = ours_conn.domainListGetStats([ours], 0, 0)
    expected = official_conn.domainListGetStats([official], 0, 0)
    assert [type(r) for r in got] == [tuple] and isinstance(got[0][0], compat.virDomain)
    assert sorted(got[0][1]) == sorted(expected[0][1])
    assert all("." in key for key in got[0][1])


def test_qemu_monitor_command(both: Any, oracle: Any) -> None:
    import importlib

    libvirt_qemu: Any = importlib.import_module("libvirt_qemu")
    _, official, _, ours = both
    command = json.dumps({"execute": "query-status"})
    got = json.loads(compat_qemu.qemuMonitorCommand(ours, command, 0))
    expected = json.loads(libvirt_qemu.qemuMonitorCommand(official, command, 0))
    assert got["return"] == expected["return"] and got["return"]["status"] == "running"
    reply, files = compat_qemu.qemuMonitorCommandWithFiles(ours, command)
    expected_reply, expected_files = libvirt_qemu.qemuMonitorCommandWithFiles(official, command)
    assert json.loads(reply)["return"] == json.loads(expected_reply)["return"]
    assert files == expected_files == []


def test_lifecycle_through_compat(libvirtd: SessionDaemon, oracle: Any) -> None:
    conn = compat.open(libvirtd.qemu_uri)
    watcher = oracle.open(libvirtd.qemu_uri)
    name = f"virt-compat-{uuid.uuid4().hex[:8]}"
    dom = conn.defineXML(guest_xml(name))
    try:
        assert isinstance(dom, compat.virDomain) and dom.ID() == -1
        assert dom.create() == 0
        seen = watcher.lookupByName(name)
        assert dom.ID() == seen.ID() > 0
        assert dom.suspend() == 0 and seen.state() == dom.state() == [
            compat.VIR_DOMAIN_PAUSED, compat.VIR_DOMAIN_PAUSED_USER]
        assert dom.resume() == 0 and seen.info()[0] == compat.VIR_DOMAIN_RUNNING
        assert dom.destroy() == 0 and seen.state() == dom.state()
        assert dom.get_state()[0] is virt.DomainState.SHUTOFF  # the core, on the same object
    finally:
        if dom.isActive():
            dom.destroy()
        dom.undefine()
        watcher.close()
        conn.close()
    with pytest.raises(compat.libvirtError) as caught:
        compat.open(libvirtd.qemu_uri).lookupByName(name)
    assert caught.value.get_error_code() == compat.VIR_ERR_NO_DOMAIN


def test_test_driver_through_the_daemon(libvirtd: SessionDaemon, oracle: Any) -> None:
    official = oracle.open(libvirtd.test_uri)
    ours = compat.open(libvirtd.test_uri)
    try:
        for method in ("getURI", "getType", "listDefinedDomains", "listNetworks", "getInfo",
                       "isAlive", "isSecure", "isEncrypted"):
            assert getattr(ours, method)() == getattr(official, method)(), method
        expected = official.lookupByName("test")
        got = ours.lookupByName("test")
        assert got.UUID() == expected.UUID() and got.state() == expected.state()
        for module, conn in ((oracle, official), (compat, ours)):
            with pytest.raises(module.libvirtError):
                conn.lookupByName("no-such-domain")
    finally:
        official.close()
        ours.close()
