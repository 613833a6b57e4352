"""Misuse gets clear Python exceptions, raised before C (issue 10's list, case by case).

`tests/test_fuzz.py` calls everything with adversarial arguments; this module
pins down each case the issue named, with the exception and the words a
caller should see.  Cases that need a process without an event loop run in
one of their own.
"""

from __future__ import annotations

import asyncio
import math
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import virt
import virt.aio
import virt.events
import virt.typedparams
from virt import stream as streams
from virt._event_base import DomainEvent

ROOT = Path(__file__).resolve().parent.parent

DOMAIN_XML = ("<domain type='test'><name>{}</name><memory>65536</memory>"
              "<os><type>hvm</type></os></domain>")


@pytest.fixture
def domain(conn: virt.Connection) -> Iterator[virt.Domain]:
    with conn.domain_lookup_by_name("test") as found:
        yield found


def run_python(code: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *options, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


# -- a method called on something else than its object ------------------------------------


def test_an_unbound_method_refuses_another_class_as_self(conn: virt.Connection) -> None:
    network = conn.network_lookup_by_name("default")
    with pytest.raises(TypeError, match="self must be a virt.Connection, not Network"):
        virt.Connection.get_hostname(network)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="self must be a virt.Domain, not NoneType"):
        virt.Domain.get_name(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="self must be a virt.Connection, not int"):
        virt.Connection.list_all_domains(3)  # type: ignore[arg-type]  # hand-written
    with pytest.raises(TypeError, match="self must be a virt.Stream"):
        virt.Stream.recv(network, 10)  # type: ignore[arg-type]


def test_an_unbound_method_on_a_closed_object_never_reaches_c(conn: virt.Connection) -> None:
    # libvirt reads through some NULL handles before checking them (this one
    # crashed the interpreter): a closed object's handle cannot be read at all.
    domain = conn.domain_lookup_by_name("test")
    domain.close()
    for call in (lambda: virt.Domain.get_launch_security_info(domain),
                 lambda: virt.Domain.fd_associate(domain, "x", []),
                 lambda: virt.Domain.get_name(domain)):
        with pytest.raises(virt.ClosedError):
            call()
    assert domain.closed and "closed" in repr(domain)
    domain.close()  # still harmless
    assert virt.ClosedError("x").code is virt.ErrorNumber.INVALID_ARG  # not code OK


# Handles are plain ints, which ctypes passes for any handle type: each path from
# a wrapper to C checks the wrapper's class itself (libvirt-admin, for one,
# crashes on an object of another kind).

#: Every core class with methods of its own.
CLASSES = ("Connection", "Domain", "DomainSnapshot", "DomainCheckpoint", "Network",
           "NetworkPort", "Interface", "StoragePool", "StorageVol", "NodeDevice", "Secret",
           "NWFilter", "NWFilterBinding", "Stream", "AdminConnection", "AdminServer",
           "AdminClient")


def _placeholders(function: Any) -> tuple[list[Any], dict[str, Any]]:
    """None for each required parameter of *function* after ``self``."""
    import inspect

    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in list(inspect.signature(function).parameters.values())[1:]:
        if param.default is param.empty:
            if param.kind == param.KEYWORD_ONLY:
                kwargs[param.name] = None
            elif param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
                args.append(None)
    return args, kwargs


def _public_functions(cls: type, skip: set[str]) -> list[tuple[str, Any]]:
    import inspect

    return [(name, inspect.getattr_static(cls, name)) for name in sorted(dir(cls))
            if not name.startswith("_") and name not in skip
            and inspect.isfunction(inspect.getattr_static(cls, name))]


def test_every_method_refuses_an_object_of_another_class_as_self(
        conn: virt.Connection) -> None:
    """Generated and hand-written methods alike, of every class (the admin API's
    included), called unbound on an object of another class: a TypeError
    naming self, before any argument is looked at."""
    network = conn.network_lookup_by_name("default")
    domain = conn.domain_lookup_by_name("test")
    inherited = set(dir(virt.LibvirtObject))  # close(), closed: any object's own
    checked, wrong = 0, []
    for name in CLASSES:
        cls = getattr(virt, name)
        other = domain if cls is virt.Network else network
        expected = f"self must be a virt.{name}, not {type(other).__name__}"
        for method, function in _public_functions(cls, inherited):
            args, kwargs = _placeholders(function)
            try:
                function(other, *args, **kwargs)
                wrong.append(f"{name}.{method}: no error")
            except TypeError as error:
                if str(error) != expected:
                    wrong.append(f"{name}.{method}: {error}")
            checked += 1
    assert not wrong, wrong
    assert checked > 450  # every generated method is among them


def test_a_generated_method_checks_self_before_anything_else(conn: virt.Connection) -> None:
    import inspect

    network = conn.network_lookup_by_name("default")
    with pytest.raises(TypeError, match="self must be a virt.Domain, not Network"):
        virt.Domain.get_info(network)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="self must be a virt.Domain, not Network"):
        virt.Domain.set_memory(network, "not even an int")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="self must be a virt.StoragePool, not int"):
        virt.StoragePool.get_name(network._as_parameter_)
    source = inspect.getsource(virt.Domain.get_name)
    assert "isinstance(self, _DomainMethods)" in source.split("raw.")[0]


def test_object_arguments_of_another_class_are_refused_by_name(conn: virt.Connection) -> None:
    network = conn.network_lookup_by_name("default")
    domain = conn.domain_lookup_by_name("test")
    pool = conn.storage_pool_lookup_by_name("default-pool")
    # generated methods
    with pytest.raises(TypeError, match="^clonevol must be a virt.StorageVol, not Network$"):
        pool.storage_vol_create_xml_from("<volume/>", network)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^dconn must be a virt.Connection, not Domain$"):
        domain.migrate(domain, 0, None, None, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^domain must be a virt.Domain, not Network$"):
        virt.qemu.monitor_command(network, "{}")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^conn must be a virt.Connection, not Domain$"):
        virt.qemu.attach(domain, 1)  # type: ignore[arg-type]
    # hand-written ones
    with pytest.raises(TypeError, match=r"^domains\[1\] must be a virt.Domain, not Network$"):
        conn.domain_list_get_stats([domain, network])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="^stream must be a virt.Stream, not Network$"):
        domain.screenshot_stream(network)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^domain must be a virt.Domain, not Network$"):
        virt.lxc.open_namespace(network)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^target must be a virt.Domain, not Network$"):
        conn.subscribe(virt.DomainLifecycle, print, network)
    # a subscription ends itself with its connection's handle
    with pytest.raises(TypeError, match="^connection must be a virt.Connection"):
        virt.events.Subscription(domain, virt.DomainLifecycle, 1, 1,
                                 "virConnectDomainEventDeregisterAny")
    with pytest.raises(TypeError, match="^connection must be a virt.AdminConnection"):
        virt.events.Subscription(conn, virt.ConnectionClosed, 0, 1,
                                 "virAdmConnectUnregisterCloseCallback")
    assert domain.get_name() == "test" and network.get_name() == "default"


#: Compat methods that never pass their object to C (they return its parent
#: or its address, or end nothing when nothing is registered).
COMPAT_WITHOUT_C = {"c_pointer", "connect", "domain", "getDomain", "getConnect", "network",
                    "domainEventDeregister"}


def test_compat_methods_refuse_an_object_of_another_class_as_self() -> None:
    """virt.compat's methods, generated (through the core's) and hand-written:
    an object of another class as self never reaches C."""
    import virt.compat as libvirt
    import virt.compat.qemu as libvirt_qemu

    conn = libvirt.open("test:///default")
    dom, net = conn.lookupByName("test"), conn.networkLookupByName("default")
    inherited = set(dir(virt.LibvirtObject)) | COMPAT_WITHOUT_C
    refused, wrong = 0, []
    for name in ("virConnect", "virDomain", "virNetwork", "virStoragePool", "virStorageVol",
                 "virInterface", "virNodeDevice", "virSecret", "virNWFilter",
                 "virNWFilterBinding", "virNetworkPort", "virDomainSnapshot",
                 "virDomainCheckpoint", "virStream"):
        cls = getattr(libvirt, name)
        other = dom if name == "virNetwork" else net
        for method, function in _public_functions(cls, inherited):
            args, kwargs = _placeholders(function)
            try:
                function(other, *args, **kwargs)
                wrong.append(f"{name}.{method}: no error")
            except TypeError as error:
                message = str(error)
                if message.startswith("self must be a "):
                    if not message.endswith(f", not {type(other).__name__}"):
                        wrong.append(f"{name}.{method}: {message}")
                    refused += 1
                elif " must be " not in message and "not supported" not in message:
                    # (else an argument, None here, was refused first: no C call either)
                    wrong.append(f"{name}.{method}: {message}")
    assert not wrong, wrong
    assert refused > 400
    # Those that check an argument first, with plausible ones.
    stream = conn.newStream()
    unchecked: Any = libvirt  # what mypy would refuse, as a program may still do
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: unchecked.virConnect.getAllDomainStats(dom), "self must be a virConnect"),
        (lambda: unchecked.virConnect.domainEventDeregisterAny(dom, 1),
         "self must be a virConnect"),
        (lambda: unchecked.virConnect.domainEventRegisterAny(dom, None, 0, print, None),
         "self must be a virConnect"),
        (lambda: unchecked.virDomain.info(net), "self must be a virDomain, not virNetwork"),
        (lambda: unchecked.virDomain.name(net), "self must be a virt.Domain, not virNetwork"),
        (lambda: unchecked.virDomain.openConsole(net, None, stream), "self must be a virDomain"),
        (lambda: unchecked.virDomain.openChannel(net, None, stream), "self must be a virDomain"),
        (lambda: unchecked.virStream.recvAll(net, print, None), "self must be a virStream"),
        (lambda: libvirt_qemu.qemuMonitorEventRegister(dom, None, None, print, None),
         "conn must be a virConnect, not virDomain"),
        (lambda: libvirt_qemu.qemuMonitorEventDeregister(dom, 1), "conn must be a virConnect"),
        # object arguments
        (lambda: conn.domainListGetStats([net]), r"doms\[\] must be a virt.Domain"),
        (lambda: dom.openConsole(None, net), "st must be a virt.Stream"),
        (lambda: conn.domainEventRegisterAny(net, 0, print, None), "must be a virt.Domain"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError, match=message):
            call()
    assert dom.name() == "test" and net.name() == "default"
    stream.abort()
    conn.close()


# -- arguments of the wrong kind ------------------------------------------------------------


def test_typed_parameter_helpers_name_what_they_expected() -> None:
    with pytest.raises(TypeError, match="mapping must be a mapping"):
        virt.SchedulerParameters.from_mapping([("cpu_shares", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="mapping must be a mapping"):
        virt.typedparams.numbered(None, "user.")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="prefix must be str"):
        virt.typedparams.numbered({}, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cls must be a parameter set class"):
        virt.typedparams.pack_params({}, cls=int)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="params must be SchedulerParameters"):
        virt.typedparams.pack_params(None, virt.SchedulerParameters,  # type: ignore[arg-type]
                                     "params")


def test_sequences_are_checked_by_name(conn: virt.Connection, domain: virt.Domain) -> None:
    cases: list[tuple[Any, str]] = [
        (lambda: conn.baseline_cpu(None), "xml_cpus"),  # type: ignore[arg-type]
        (lambda: domain.authorized_ssh_keys_set("root", None), "keys"),  # type: ignore[arg-type]
        (lambda: domain.fs_freeze(None), "mountpoints"),  # type: ignore[arg-type]
        (lambda: domain.fs_thaw(None), "mountpoints"),  # type: ignore[arg-type]
        (lambda: conn.domain_list_get_stats(None), "domains"),  # type: ignore[arg-type]
        (lambda: conn.domain_list_get_stats([None]), r"domains\[0\]"),  # type: ignore[list-item]
        (lambda: conn.node_alloc_pages(None, [1], 0, 1), "page_sizes"),  # type: ignore[arg-type]
        (lambda: domain.send_key(0, 10, None), "keycodes"),  # type: ignore[arg-type]
        (lambda: conn.domain_lookup_by_uuid("not-a-uuid"), "uuid"),
        (lambda: domain.open_console(stream_flags=None), "stream_flags"),  # type: ignore[arg-type]
        (lambda: virt.error_class(None), "code"),  # type: ignore[arg-type]
    ]
    for call, name in cases:
        with pytest.raises((TypeError, ValueError), match=name):
            call()


def test_sizes_are_bounded_before_anything_is_allocated(conn: virt.Connection,
                                                       domain: virt.Domain) -> None:
    began = time.monotonic()
    with pytest.raises(ValueError, match="cell_count"):
        conn.node_get_free_pages([4], 0, 2**31)  # was a 16 GiB buffer
    with pytest.raises(ValueError, match="cell_count"):
        conn.node_alloc_pages([4], [1], 0, 2**31)
    with pytest.raises(ValueError, match="size"):
        domain.block_peek("vda", 0, 2**31)
    with pytest.raises(ValueError, match="size"):
        domain.memory_peek(0, 2**31, flags=virt.DomainMemoryFlags.VIRTUAL)
    # asking for more cells than a host can have asks for what libvirt handles
    assert len(conn.node_get_cells_free_memory(0, 2**31 - 1)) <= virt.connection.MAX_CELLS
    with conn.new_stream() as stream:  # no transfer: libvirt refuses, nothing huge first
        with pytest.raises(virt.Error):
            stream.recv(2**40)
        with pytest.raises(virt.Error):
            stream.recv_flags(2**40)
    assert streams.RECV_MAX == 1 << 24
    assert time.monotonic() - began < 5


# -- callbacks, loops and iterators are checked when they are handed over ------------------


def test_event_loop_functions_check_their_arguments_at_once(default_loop: None) -> None:
    with pytest.raises(TypeError, match="callback must be callable"):
        virt.events.add_timeout(10, object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callback must be callable"):
        virt.events.add_handle(0, virt.EventHandleType.READABLE, None)  # type: ignore[arg-type]
    for remove, name in ((virt.events.remove_timeout, "timer"),
                         (virt.events.remove_handle, "watch")):
        with pytest.raises(ValueError, match=f"{name}=987654 is not a {name}") as caught:
            remove(987654)
        assert isinstance(caught.value, virt.Error) and caught.value.code != 0


def test_subscribing_to_a_base_event_class_is_a_type_error(conn: virt.Connection,
                                                          default_loop: None) -> None:
    for base in (virt.Event, DomainEvent):
        with pytest.raises(TypeError, match="one kind of event"):
            conn.subscribe(base, print)

    async def inside_asyncio() -> None:  # was "coroutine raised StopIteration"
        with pytest.raises(TypeError, match="one kind of event"):
            conn.subscribe(virt.Event, print)

    asyncio.run(inside_asyncio())


def test_asyncio_register_refuses_what_is_not_a_loop() -> None:
    with pytest.raises(TypeError, match="loop must be an asyncio event loop"):
        virt.aio.register(object())  # type: ignore[arg-type]
    loop = asyncio.new_event_loop()
    loop.close()
    with pytest.raises(ValueError, match="closed"):
        virt.aio.register(loop)
    with pytest.raises(RuntimeError, match="running asyncio loop"):
        virt.aio.register()


def test_an_event_iterator_checks_and_subscribes_when_made(conn: virt.Connection,
                                                          default_loop: None) -> None:
    with pytest.raises(TypeError, match="target"):
        conn.events(virt.DomainLifecycle, target=object())
    with pytest.raises(TypeError, match="maxsize"):
        conn.events(virt.DomainLifecycle, maxsize=math.nan)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="maxsize"):
        conn.events(virt.DomainLifecycle, maxsize=0)
    iterator = conn.events(virt.DomainLifecycle)  # outside any asyncio loop
    conn.domain_define_xml(DOMAIN_XML.format("misuse-early")).undefine()

    async def first_two() -> list[str]:
        return [(await iterator.__anext__()).event.name for _ in range(2)]

    # the events made before the first iteration were kept
    assert asyncio.run(asyncio.wait_for(first_two(), 10)) == ["DEFINED", "UNDEFINED"]
    # reused in another asyncio.run: only the new events, nothing stale
    conn.domain_define_xml(DOMAIN_XML.format("misuse-later")).undefine()
    assert asyncio.run(asyncio.wait_for(first_two(), 10)) == ["DEFINED", "UNDEFINED"]

    async def end() -> None:
        await iterator.aclose()
        with pytest.raises(StopAsyncIteration):
            await iterator.__anext__()

    asyncio.run(end())


# -- errors that say what to do --------------------------------------------------------------


def test_without_an_event_loop_errors_say_what_to_call() -> None:
    result = run_python("""
        import virt, virt.events as ev
        conn = virt.connect("test:///default")
        for call in (lambda: conn.subscribe(virt.DomainLifecycle, print),
                     lambda: ev.add_timeout(10, print),
                     lambda: ev.add_handle(0, 1, print),
                     lambda: ev.remove_timeout(1)):
            try:
                call()
            except RuntimeError as error:
                assert "virt.events.start_default_loop()" in str(error), error
                assert "virt.aio.register()" in str(error), error
            else:
                raise AssertionError("no error")
        print("ok")
    """)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# -- interpreter shutdown ------------------------------------------------------------------


def test_objects_collected_at_interpreter_shutdown_report_nothing() -> None:
    """At shutdown, module globals turn to None before the last objects are
    collected; finalizers must not depend on them.  Simulated first (what a
    late collection sees), then for real, with every kind of object alive."""
    result = run_python("""
        import builtins, gc, virt, virt.events
        import virt._objects, virt.stream

        conn = virt.connect("test:///default")
        objects = [conn, conn.domain_lookup_by_name("test"), conn.new_stream(),
                   conn.network_lookup_by_name("default"),
                   conn.storage_pool_lookup_by_name("default-pool"),
                   conn.interface_lookup_by_name("eth1"),
                   conn.node_device_lookup_by_name("computer")]
        virt.events.start_default_loop()
        objects.append(conn.subscribe(virt.DomainLifecycle, print))
        objects.append(conn.events(virt.DomainLifecycle))
        builtins._kept_until_the_end = [virt.connect("test:///default")]
        builtins._kept_until_the_end.append(
            builtins._kept_until_the_end[0].domain_lookup_by_name("test"))

        # what a collection late in shutdown finds: virt's globals cleared
        victims = [virt.connect("test:///default") for _ in range(2)]
        victims.append(victims[0].new_stream())
        victims.append(victims[0].storage_pool_lookup_by_name("default-pool"))
        saved = virt._objects._generation, virt._objects.raw, virt.stream._objects
        virt._objects._generation = virt._objects.raw = virt.stream._objects = None
        del victims
        gc.collect()
        virt._objects._generation, virt._objects.raw, virt.stream._objects = saved

        class Cycle:
            pass
        cycle = Cycle()
        cycle.me, cycle.objects = cycle, objects
        del objects, cycle, conn
        print("ok")
    """, "-X", "dev")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr
