"""virt.compat's events against the official binding, on the test driver.

Differential (the ``oracle`` fixture): each scenario of
tests/compat_event_scenarios.py runs in a fresh process through the official
binding and through ``virt.compat``; the results (values with their types) and
what reached stderr must be the same.  Then
in-process tests of what only compat can be asked (objects lent to callbacks,
bad arguments).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from differential import run, run_both, same

import virt
import virt.compat as libvirt
import virt.compat._events as compat_events
import virt.events


def test_every_registration_kind_and_callback_shape(oracle: Any) -> None:
    result = same("registrations")
    assert result["complete"]
    kinds = {row[0] for row in result["seen"]}
    assert kinds == {"domain-lifecycle", "domain-metadata", "test-only", "network-lifecycle",
                     "pool-lifecycle", "pool-refresh", "device-lifecycle"}
    assert all(row[1] for row in result["seen"])  # conn is the registering virConnect
    assert {row[2] for row in result["seen"]} == {"virDomain", "virNetwork", "virStoragePool",
                                                  "virNodeDevice"}
    assert [row for row in result["seen"] if row[0] == "test-only"]  # the target filter
    assert result["kept"] == [True, "virDomain", "scenario-1"]
    assert result["left"] == {}


def test_every_event_id_registers(oracle: Any) -> None:
    """The IDs both bindings know register alike; the IDs only compat knows
    (added after the libvirt the official binding was built against) are
    refused by an older libvirt with its own error."""
    official, compat = run_both("every_event_id")
    common = official.result.keys() & compat.result.keys()
    assert len(common) >= 34 and official.result.keys() <= compat.result.keys()
    assert {name: compat.result[name] for name in common} == official.result
    assert all(official.result[name] == ["registered"] for name in common
               if not name.startswith("VIR_SECRET")), official.result  # no secrets here
    for name in compat.result.keys() - common:
        got = compat.result[name]
        assert got == ["registered"] or (got[0] == "libvirtError" and "eventID" in got[1]), got


def test_failures_and_an_exception_in_a_callback(oracle: Any) -> None:
    result = same("errors")
    assert result["unknown event ID"][1] == "virConnectDomainEventRegisterAny() failed"
    assert result["deregister unknown"][0] == "libvirtError"
    assert result["seen"] == [["failing", 0], ["working", 1], ["failing", 1]]


def test_registering_without_an_event_loop(oracle: Any) -> None:
    result = same("no_loop")
    assert result["domainEventRegisterAny"][0] == "libvirtError"
    assert "event timer" in result["domainEventRegisterAny"][1]


def test_legacy_domain_event_register(oracle: Any) -> None:
    result = same("legacy")
    assert result["both"] and result["one"] and result["again"] == ["KeyError"]
    assert [row[0] for row in result["seen"]] == ["first", "second"] * 2 + ["second"] * 2


def test_close_callback_registration(oracle: Any) -> None:
    assert same("close_callback")["register"] == ["int", 0]


def test_handles_and_timeouts_on_the_default_loop(oracle: Any) -> None:
    result = same("handles_and_timeouts")
    assert [row[0] for row in result["seen"]] == ["handle", "timer", "failing"]


def test_a_custom_loop_of_six_python_functions(oracle: Any) -> None:
    result = same("custom_loop")
    assert result["delivered"] and result["handle"]
    assert ["add_handle", "int", "int", True, "tuple", 3] in result["call shapes"]


def test_libvirtaio_delivers_promptly(oracle: Any) -> None:
    result = same("asyncio")
    assert result["prompt"] and result["idle"] and result["current"]
    assert result["busy while connected"]
    assert len(result["seen"]) == 4
    assert result["stream in the loop's thread"] and result["stream bytes"] > 1000


def test_compat_scenarios_alone_when_run_without_the_oracle() -> None:
    """The compat half of one scenario, so that a broken compat layer fails even
    the tiers that skip the oracle's tests."""
    result = run("compat", "registrations").result
    assert result["complete"] and result["kept"] == [True, "virDomain", "scenario-1"]


# -- in process: only compat ------------------------------------------------------------


@pytest.fixture(scope="module")
def loop() -> Iterator[None]:
    virt.events.start_default_loop()
    yield
    virt.events.stop_default_loop()


@pytest.fixture
def compat_conn(loop: None) -> Iterator[Any]:
    connection = libvirt.open("test:///default")
    yield connection
    connection.close()


XML = ("<domain type='test'><name>{}</name><memory>65536</memory>"
       "<os><type>hvm</type></os></domain>")


def wait_for(predicate: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for events"
        time.sleep(0.01)


@pytest.mark.parametrize("lazy", [True, False], ids=["lent", "owned"])
def test_objects_given_to_callbacks(compat_conn: Any, lazy: bool,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept objects stay usable, closing one in the callback is harmless, and
    objects nobody keeps are released; with and without lending (PyPy's path)."""
    monkeypatch.setattr(virt.events, "LENDING", lazy and virt.events.LENDING)
    kept: list[Any] = []
    closed: list[Any] = []
    names: list[str] = []
    lock = threading.Lock()

    def callback(conn: Any, dom: Any, event: int, detail: int, opaque: Any) -> None:
        with lock:
            names.append(dom.name())
            if event == libvirt.VIR_DOMAIN_EVENT_DEFINED:
                kept.append(dom)
            elif event == libvirt.VIR_DOMAIN_EVENT_STARTED:
                dom.close()  # on a lent object: must not free libvirt's reference
                closed.append(dom)

    callback_id = compat_conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     callback, None)
    try:
        for i in range(20):
            domain = compat_conn.defineXML(XML.format(f"lent-{i}"))
            domain.create()
            domain.destroy()
            domain.undefine()
        wait_for(lambda: len(names) >= 80)
    finally:
        compat_conn.domainEventDeregisterAny(callback_id)
    assert names.count("lent-7") == 4
    assert all(type(dom) is libvirt.virDomain for dom in kept)
    assert [dom.name() for dom in kept] == [f"lent-{i}" for i in range(20)]
    assert all(dom.UUIDString() for dom in kept)
    assert all(dom.closed for dom in closed)
    with pytest.raises(libvirt.libvirtError, match="invalid domain pointer"):
        closed[0].name()  # a closed compat object: libvirt's error, as the official one
    gc.collect()


def test_an_object_kept_by_another_thread(compat_conn: Any) -> None:
    handed: list[Any] = []
    ready = threading.Event()

    def callback(conn: Any, dom: Any, event: int, detail: int, opaque: Any) -> None:
        handed.append(dom)
        ready.set()

    callback_id = compat_conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                     callback, None)
    try:
        compat_conn.defineXML(XML.format("handed")).undefine()
        assert ready.wait(10)
        wait_for(lambda: len(handed) >= 2)
    finally:
        compat_conn.domainEventDeregisterAny(callback_id)
    results: list[str] = []
    thread = threading.Thread(target=lambda: results.append(handed[0].name()))
    thread.start()
    thread.join()
    assert results == ["handed"]


def test_bad_arguments_name_the_parameter(compat_conn: Any) -> None:
    with pytest.raises(TypeError, match="cb must be callable"):
        compat_conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, 42, None)
    network = compat_conn.networkLookupByName("default")
    with pytest.raises(TypeError, match="dom must be"):
        compat_conn.domainEventRegisterAny(network, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                           print, None)
    with pytest.raises(TypeError, match="net must be"):
        compat_conn.networkEventRegisterAny(compat_conn.lookupByName("test"),
                                            libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, print, None)
    with pytest.raises(OverflowError, match="callbackID"):
        compat_conn.domainEventDeregisterAny(2**40)
    with pytest.raises(TypeError, match="addHandle must be callable"):
        functions: list[Any] = [None, print, abs, abs, print, abs]
        libvirt.virEventRegisterImpl(*functions)
    with pytest.raises(TypeError, match="opaque"):
        libvirt.virEventInvokeFreeCallback("not what libvirt passed")


def test_two_registrations_of_one_event_id(compat_conn: Any) -> None:
    """A documented difference: the official binding registers one C callback
    for every registration of an event ID, so libvirt refuses a second one on a
    connection ("event callback already tracked"); compat registers a callback
    each, and libvirt accepts both."""
    seen: list[str] = []
    ids = [compat_conn.domainEventRegisterAny(
        None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        lambda c, d, e, t, o: seen.append(o), tag) for tag in ("one", "two")]
    try:
        compat_conn.defineXML(XML.format("twice")).undefine()
        wait_for(lambda: len(seen) >= 4)
    finally:
        for callback_id in ids:
            compat_conn.domainEventDeregisterAny(callback_id)
    assert sorted(seen) == ["one", "one", "two", "two"]


def test_subscriptions_end_with_their_connection(loop: None) -> None:
    """libvirt releases the callbacks of a closed connection (no leak), and a
    closed connection refuses registrations."""
    before = set(compat_events._live)
    conn = libvirt.open("test:///default")
    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, print, None)
    conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, print, None)
    conn.domainEventRegister(print, None)
    conn.registerCloseCallback(print, None)
    mine = set(compat_events._live) - before
    assert len(mine) == 3 and len(compat_events._closers) == 1
    conn.close()
    wait_for(lambda: not mine & set(compat_events._live))
    assert not compat_events._closers
    with pytest.raises(libvirt.libvirtError):
        conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, print, None)


def call_handler(conn: Any, c_type_name: str, *args: Any) -> list[Any]:
    """Run the handler compat builds for C callback type *c_type_name* on C
    arguments made here (events the test driver cannot produce); what the
    user's callback received."""
    received: list[Any] = []
    c_type = getattr(virt.raw, c_type_name)
    handler = compat_events._handler(conn, libvirt.virDomain, c_type,
                                     lambda *values: received.append(values), "opaque")
    domain = conn.lookupByName("test")
    handler(None, domain._as_parameter_, *args, None)
    return list(received[0])


def test_graphics_addresses_are_dicts_and_the_subject_a_list(compat_conn: Any) -> None:
    import ctypes

    raw = virt.raw
    local = raw.virDomainEventGraphicsAddress(libvirt.VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4,
                                              b"127.0.0.1", b"5900")
    remote = raw.virDomainEventGraphicsAddress(libvirt.VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV6,
                                               b"::1", b"40000")
    identities = (raw.virDomainEventGraphicsSubjectIdentity * 2)(
        raw.virDomainEventGraphicsSubjectIdentity(b"x509dname", b"CN=client"),
        raw.virDomainEventGraphicsSubjectIdentity(b"saslUsername", b"b\xc3\xb6b"))
    subject = raw.virDomainEventGraphicsSubject(2, identities)
    conn, dom, *details = call_handler(
        compat_conn, "virConnectDomainEventGraphicsCallback",
        libvirt.VIR_DOMAIN_EVENT_GRAPHICS_CONNECT, ctypes.pointer(local), ctypes.pointer(remote),
        b"vnc", ctypes.pointer(subject))
    assert conn is compat_conn and type(dom) is libvirt.virDomain
    assert details == [libvirt.VIR_DOMAIN_EVENT_GRAPHICS_CONNECT,
                       {"family": 0, "node": "127.0.0.1", "service": "5900"},
                       {"family": 1, "node": "::1", "service": "40000"},
                       "vnc", [("x509dname", "CN=client"), ("saslUsername", "böb")], "opaque"]


def test_typed_parameters_of_an_event_are_a_dict(compat_conn: Any) -> None:
    params = virt.typedparams.TypedParamList()
    params.add_string("cputune.vcpupin0", "0-3")
    params.add_ullong("cputune.quota", 2**40)
    *_, tunables, opaque = call_handler(compat_conn, "virConnectDomainEventTunableCallback",
                                        params.params, params.nparams)
    assert tunables == {"cputune.vcpupin0": "0-3", "cputune.quota": 2**40}
    assert opaque == "opaque"


def test_strings_of_an_event_may_be_null(compat_conn: Any) -> None:
    values = call_handler(compat_conn, "virConnectDomainEventDiskChangeCallback",
                          None, b"/new.iso", b"ide0-0-0",
                          libvirt.VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START)
    assert values[2:] == [None, "/new.iso", "ide0-0-0",
                          libvirt.VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START, "opaque"]
