"""Smoke tests through the raw layer: connections, domains, errors, a real guest."""

from __future__ import annotations

import ctypes

import virt.raw as raw
from rig import Guest, SessionDaemon, guest_xml


def open_connection(uri: str) -> raw.virConnectPtr:
    conn = raw.virConnectOpen(uri.encode())
    assert conn, raw.virGetLastErrorMessage()
    return conn


def test_open_list_lookup_close(node_uri: str) -> None:
    conn = open_connection(node_uri)
    try:
        domains = ctypes.POINTER(raw.virDomainPtr)()
        count = raw.virConnectListAllDomains(conn, ctypes.byref(domains), 0)
        assert count == 3
        names = sorted(raw.virDomainGetName(domains[i]) or b"" for i in range(count))
        assert names == [b"backup", b"db", b"web"]
        for i in range(count):
            assert raw.virDomainFree(domains[i]) == 0
        raw.free(domains)
        web = raw.virDomainLookupByName(conn, b"web")
        info = raw.virDomainInfo()
        assert raw.virDomainGetInfo(web, ctypes.byref(info)) == 0
        assert (info.state, info.nrVirtCpu, info.maxMem) == (raw.VIR_DOMAIN_RUNNING, 2, 524288)
        assert raw.virDomainFree(web) == 0
    finally:
        assert raw.virConnectClose(conn) == 0


def test_error_after_a_failing_call(test_uri: str) -> None:
    conn = open_connection(test_uri)
    try:
        raw.virResetLastError()
        assert not raw.virDomainLookupByName(conn, b"no-such-domain")
        error = raw.virGetLastError()
        assert error
        assert error.contents.code == raw.VIR_ERR_NO_DOMAIN
        assert error.contents.domain == raw.VIR_FROM_TEST
        assert b"Domain not found" in error.contents.message
        assert raw.virGetLastErrorCode() == raw.VIR_ERR_NO_DOMAIN
    finally:
        raw.virConnectClose(conn)


def test_daemon_test_driver(libvirtd: SessionDaemon) -> None:
    conn = open_connection(libvirtd.test_uri)
    try:
        assert raw.virConnectNumOfDomains(conn) == 1
        assert raw.virConnectGetType(conn) == b"TEST"
        uri = raw.virConnectGetURI(conn)
        assert uri.value is not None and uri.value.startswith(b"test+unix:///default")
        raw.free(uri)
    finally:
        raw.virConnectClose(conn)


def test_start_and_stop_a_qemu_guest(libvirtd: SessionDaemon) -> None:
    conn = open_connection(libvirtd.qemu_uri)
    name = "virt-raw-smoke"
    domain = raw.virDomainDefineXML(conn, guest_xml(name).encode())
    assert domain, raw.virGetLastErrorMessage()
    try:
        assert raw.virDomainCreate(domain) == 0, raw.virGetLastErrorMessage()
        state, reason = ctypes.c_int(), ctypes.c_int()
        assert raw.virDomainGetState(domain, ctypes.byref(state), ctypes.byref(reason), 0) == 0
        assert state.value == raw.VIR_DOMAIN_RUNNING
        assert raw.virDomainIsActive(domain) == 1
        assert raw.virDomainDestroy(domain) == 0
        assert raw.virDomainIsActive(domain) == 0
    finally:
        raw.virDomainDestroy(domain)
        raw.virDomainUndefine(domain)
        raw.virDomainFree(domain)
        raw.virConnectClose(conn)


def test_qemu_guest_fixture_is_visible(qemu_guest: Guest, libvirtd: SessionDaemon) -> None:
    conn = open_connection(libvirtd.qemu_uri)
    try:
        domain = raw.virDomainLookupByName(conn, qemu_guest.name.encode())
        assert domain and raw.virDomainIsActive(domain) == 1
        raw.virDomainFree(domain)
    finally:
        raw.virConnectClose(conn)
