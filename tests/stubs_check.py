"""Check what the official binding really returns against the types in ``stubs/``.

Run by ``tests/test_stubs.py`` with the interpreter of a venv that has the
official binding (``python tests/stubs_check.py stubs/libvirt-stubs/__init__.pyi``;
with ``--mistakes program.py`` it checks instead that the planted mistakes of a
corpus program fail at run time, see `mistakes`):
it calls getters on ``test:///default`` and checks each value against the
return annotation the stub gives that method, and checks the arguments of the
event callbacks the test driver can trigger against the stub's callback type
for that event ID.  It prints one line per mismatch and exits 1 if there is
any.  Stubtest checks names and signatures; this checks the shapes of results
and callback arguments, which stubtest cannot.
"""

from __future__ import annotations

import ast
import gc
import importlib
import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: (object, method, arguments): calls the test driver answers.  Getters it
#: does not implement (job info, block job info, guest agent, DHCP leases...)
#: are absent: their shapes stay reviewed by hand only.
CALLS: list[tuple[str, str, tuple[Any, ...]]] = [
    ("dom", "info", ()), ("dom", "state", ()), ("dom", "UUID", ()), ("dom", "UUIDString", ()),
    ("dom", "autostart", ()), ("dom", "blkioParameters", ()), ("dom", "memoryParameters", ()),
    ("dom", "numaParameters", ()), ("dom", "schedulerType", ()),
    ("dom", "schedulerParameters", ()), ("dom", "vcpus", ()), ("dom", "vcpuPinInfo", ()),
    ("dom", "emulatorPinInfo", ()), ("dom", "ioThreadInfo", ()), ("dom", "controlInfo", ()),
    ("dom", "memoryStats", ()), ("dom", "perfEvents", ()), ("dom", "securityLabel", ()),
    ("dom", "diskErrors", ()), ("dom", "fsInfo", ()), ("dom", "guestVcpus", ()),
    ("dom", "messages", ()), ("dom", "snapshotListNames", ()), ("dom", "listAllSnapshots", ()),
    ("dom", "listAllCheckpoints", ()), ("dom", "hasCurrentSnapshot", ()),
    ("dom", "maxMemory", ()), ("dom", "maxVcpus", ()), ("dom", "OSType", ()),
    ("dom", "hostname", ()), ("dom", "getCPUStats", (True,)), ("dom", "getTime", ()),
    ("dom", "isActive", ()), ("dom", "blockStats", ("vda",)),
    ("dom", "interfaceStats", ("testnet0",)), ("dom", "interfaceParameters", ("testnet0",)),
    ("dom", "blockIoTune", ("vda",)), ("dom", "migrateGetMaxDowntime", ()),
    ("dom", "connect", ()), ("dom", "c_pointer", ()), ("dom", "XMLDesc", ()),
    ("dom", "interfaceAddresses", (0,)),
    # A domain with an IOThread and a snapshot, so the lists have elements.
    ("busy", "ioThreadInfo", ()), ("busy", "snapshotListNames", ()),
    ("busy", "listAllSnapshots", ()), ("busy", "snapshotCurrent", ()),
    ("snapshot", "getName", ()), ("snapshot", "getXMLDesc", ()), ("snapshot", "isCurrent", ()),
    ("snapshot", "hasMetadata", ()), ("snapshot", "numChildren", ()),
    ("snapshot", "listAllChildren", ()), ("snapshot", "listChildrenNames", ()),
    ("snapshot", "getDomain", ()), ("snapshot", "getConnect", ()), ("snapshot", "domain", ()),
    ("checkpoint", "getName", ()), ("checkpoint", "getXMLDesc", ()),
    ("checkpoint", "listAllChildren", ()), ("checkpoint", "getDomain", ()),
    ("checkpoint", "domain", ()), ("plain", "listAllCheckpoints", ()),
    ("conn", "getInfo", ()), ("conn", "getCPUMap", ()), ("conn", "getHostname", ()),
    ("conn", "getLibVersion", ()), ("conn", "getVersion", ()), ("conn", "getType", ()),
    ("conn", "getURI", ()), ("conn", "listDomainsID", ()), ("conn", "listDefinedDomains", ()),
    ("conn", "listNetworks", ()), ("conn", "listStoragePools", ()),
    ("conn", "listAllDomains", ()), ("conn", "listAllNetworks", ()),
    ("conn", "listAllStoragePools", ()), ("conn", "listAllDevices", ()),
    ("conn", "listAllInterfaces", ()), ("conn", "getCPUStats", (-1,)),
    ("conn", "getFreeMemory", ()), ("conn", "getSecurityModel", ()),
    ("conn", "getMaxVcpus", (None,)), ("conn", "isAlive", ()), ("conn", "listDevices", (None,)),
    ("conn", "listInterfaces", ()), ("conn", "getCellsFreeMemory", (0, 1)),
    ("conn", "getFreePages", ([4096], 0, 1)), ("conn", "getCPUModelNames", ("x86_64",)),
    ("conn", "getAllDomainStats", ()), ("conn", "numOfDomains", ()),
    ("conn", "virConnGetLastError", ()), ("conn", "__enter__", ()),
    ("pool", "info", ()), ("pool", "UUID", ()), ("pool", "autostart", ()),
    ("pool", "listVolumes", ()), ("pool", "listAllVolumes", ()), ("pool", "numOfVolumes", ()),
    ("vol", "info", ()), ("vol", "path", ()),
    ("net", "autostart", ()), ("net", "bridgeName", ()), ("net", "UUID", ()),
    ("root", "parent", ()), ("nodedev", "parent", ()), ("nodedev", "listCaps", ()),
    ("error", "get_error_code", ()), ("error", "get_error_message", ()),
    ("error", "get_str1", ()), ("error", "get_str2", ()), ("error", "get_int1", ()),
    ("own_error", "get_error_code", ()), ("own_error", "get_error_message", ()),
    ("own_error", "get_str3", ()), ("own_error", "get_int2", ()),
    ("libvirt", "getVersion", ()), ("libvirt", "virGetLastErrorMessage", ()),
    ("libvirt", "virGetLastErrorCode", ()),
]


class Stub:
    """The return annotations and type aliases of one stub module."""

    def __init__(self, path: Path) -> None:
        tree = ast.parse(path.read_text())
        self.aliases: dict[str, ast.expr] = {}
        self.returns: dict[tuple[str, str], ast.expr] = {}
        #: (class, register method, event ID) -> the callback's parameter types
        self.callbacks: dict[tuple[str, str, int], list[ast.expr]] = {}
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                    and node.value is not None:
                self.aliases[node.target.id] = node.value
            elif isinstance(node, ast.FunctionDef) and node.returns is not None:
                self.returns.setdefault(("libvirt", node.name), node.returns)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.returns is not None:
                        self.returns.setdefault((node.name, item.name), item.returns)
                        self._callback(node.name, item)

    def _callback(self, cls: str, function: ast.FunctionDef) -> None:
        """Record the callback type of an ``eventID: Literal[n]`` overload."""
        args = {a.arg: a.annotation for a in function.args.args}
        event, cb = args.get("eventID"), args.get("cb")
        if not (isinstance(event, ast.Subscript) and isinstance(event.slice, ast.Constant)
                and isinstance(event.slice.value, int) and isinstance(cb, ast.Subscript)
                and isinstance(cb.slice, ast.Tuple) and isinstance(cb.slice.elts[0], ast.List)):
            return
        self.callbacks[(cls, function.name, event.slice.value)] = cb.slice.elts[0].elts

    def check(self, value: object, annotation: ast.expr, module: Any) -> bool:
        """Whether *value* is of the type *annotation* spells."""
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return (self.check(value, annotation.left, module)
                    or self.check(value, annotation.right, module))
        if isinstance(annotation, ast.Constant) and annotation.value is None:
            return value is None
        if isinstance(annotation, ast.Name):
            name = annotation.id
            if name in self.aliases:
                return self.check(value, self.aliases[name], module)
            if name in ("Any", "object", "_T"):
                return True
            if name == "None":
                return value is None
            if name == "int":
                return isinstance(value, int) and not isinstance(value, bool)
            builtin = {"str": str, "bytes": bytes, "bool": bool, "float": float}.get(name)
            cls = builtin or getattr(module, name)
            return isinstance(value, cls)
        if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name):
            origin = annotation.value.id
            args = (list(annotation.slice.elts) if isinstance(annotation.slice, ast.Tuple)
                    else [annotation.slice])
            if origin == "list":
                return isinstance(value, list) and all(
                    self.check(item, args[0], module) for item in value)
            if origin in ("dict", "Mapping"):
                return isinstance(value, dict) and all(
                    self.check(k, args[0], module) and self.check(v, args[1], module)
                    for k, v in value.items())
            if origin == "tuple":
                if not isinstance(value, tuple):
                    return False
                if len(args) == 2 and isinstance(args[1], ast.Constant) \
                        and args[1].value is Ellipsis:
                    return all(self.check(item, args[0], module) for item in value)
                return len(value) == len(args) and all(
                    self.check(item, arg, module) for item, arg in zip(value, args))
        raise ValueError(f"cannot check against {ast.unparse(annotation)}")


def objects(libvirt: Any) -> dict[str, tuple[str, object]]:
    """The objects the calls are made on, with their stub class."""
    conn = libvirt.open("test:///default")
    pool = conn.storagePoolLookupByName("default-pool")
    vol = pool.createXML("<volume><name>check</name><capacity>1024</capacity></volume>", 0)
    devices = {dev.name(): dev for dev in conn.listAllDevices()}
    try:
        conn.lookupByName("no-such-domain")
    except libvirt.libvirtError as exc:
        error = exc
    busy = conn.lookupByName("test")
    busy.addIOThread(1, libvirt.VIR_DOMAIN_AFFECT_LIVE)
    snapshot = busy.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>", 0)
    # A checkpoint needs a running domain with a disk and without snapshots.
    plain = conn.createXML("<domain type='test'><name>plain</name><memory>65536</memory>"
                           "<os><type>hvm</type></os><devices><disk type='file'>"
                           "<source file='/plain.img'/><target dev='vda'/></disk>"
                           "</devices></domain>", 0)
    checkpoint = plain.checkpointCreateXML("<domaincheckpoint><name>c1</name>"
                                           "</domaincheckpoint>", 0)
    return {
        "busy": ("virDomain", busy), "snapshot": ("virDomainSnapshot", snapshot),
        "plain": ("virDomain", plain), "checkpoint": ("virDomainCheckpoint", checkpoint),
        "conn": ("virConnect", conn), "dom": ("virDomain", conn.lookupByName("test")),
        "pool": ("virStoragePool", pool), "vol": ("virStorageVol", vol),
        "net": ("virNetwork", conn.networkLookupByName("default")),
        "root": ("virNodeDevice", devices["computer"]),
        "nodedev": ("virNodeDevice", devices["scsi_host1"]),
        "error": ("libvirtError", error),
        "own_error": ("libvirtError", libvirt.libvirtError("a program's own error")),
        "libvirt": ("libvirt", libvirt),
    }


#: How to make a fresh object of each class on its own test:///default
#: connection (each connection has its own copy of the driver's state, so a
#: method that stops, deletes or undefines touches nothing the next call sees).
FACTORIES: dict[str, str] = {
    "virConnect": "conn",
    "virDomain": "conn.lookupByName('test')",
    "virNetwork": "conn.networkLookupByName('default')",
    "virStoragePool": "conn.storagePoolLookupByName('default-pool')",
    "virStorageVol": "conn.storagePoolLookupByName('default-pool').createXML("
                     "'<volume><name>v</name><capacity>1024</capacity></volume>', 0)",
    "virNodeDevice": "conn.nodeDeviceLookupByName('scsi_host1')",
    "virInterface": "conn.interfaceLookupByName('eth1')",
    "virDomainSnapshot": "conn.lookupByName('test').snapshotCreateXML("
                         "'<domainsnapshot><name>s</name></domainsnapshot>', 0)",
    "virStream": "conn.newStream(0)",
}


def sweep(libvirt: Any, stub: Stub) -> tuple[int, int, list[str]]:
    """Call every method that needs no argument on a fresh object of its class.

    Returns how many were called, how many the test driver answered, and a
    line per result whose type is not the stub's.
    """
    called = answered = 0
    mismatches = []
    for cls, factory in FACTORIES.items():
        for (owner, method), annotation in sorted(stub.returns.items(), key=str):
            if owner != cls or method.startswith("_"):
                continue
            function = getattr(getattr(libvirt, cls), method)
            parameters = list(inspect.signature(function).parameters.values())[1:]
            if any(p.default is inspect.Parameter.empty for p in parameters):
                continue
            conn = libvirt.open("test:///default")
            obj = eval(factory, {"conn": conn})  # one of the expressions above
            called += 1
            try:
                value = getattr(obj, method)()
            except (libvirt.libvirtError, TypeError):
                # Not implemented by the test driver, or (setTime) a default the
                # binding itself rejects.
                continue
            finally:
                # The last reference to the driver gone, the next open starts afresh.
                del obj
                gc.collect()
                if method != "close" or cls != "virConnect":
                    conn.close()
            answered += 1
            if not stub.check(value, annotation, libvirt):
                mismatches.append(f"{cls}.{method}() returned {value!r:.120}, "
                                  f"not {ast.unparse(annotation)}")
            del value
    return called, answered, mismatches


def events(libvirt: Any, stub: Stub) -> tuple[int, list[str]]:
    """Register for the events the test driver emits, cause them, and check
    every callback's arguments against the stub's callback type for that ID."""
    import threading
    import time

    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                     daemon=True).start()
    conn = libvirt.open("test:///default")
    received: list[tuple[str, tuple[object, ...]]] = []

    def recorder(key: str) -> Callable[..., None]:
        return lambda *args: received.append((key, args))

    registrations = [
        ("domainEventRegisterAny", libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE),
        ("networkEventRegisterAny", libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE),
        ("storagePoolEventRegisterAny", libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE),
        ("storagePoolEventRegisterAny", libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH),
    ]
    for method, event in registrations:
        getattr(conn, method)(None, event, recorder(f"{method}:{event}"), "opaque")
    dom = conn.lookupByName("test")
    dom.suspend()
    dom.resume()
    dom.destroy()
    net = conn.networkLookupByName("default")
    net.destroy()
    net.create()
    pool = conn.storagePoolLookupByName("default-pool")
    pool.refresh(0)
    pool.destroy()
    pool.create(0)
    deadline = time.monotonic() + 5
    while len({key for key, _ in received}) < len(registrations) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    mismatches = []
    seen = {key for key, _ in received}
    for method, event in registrations:
        if f"{method}:{event}" not in seen:
            mismatches.append(f"virConnect.{method} ID {event}: no event arrived")
    for key, args in received:
        method, event = key.split(":")
        types = stub.callbacks[("virConnect", method, int(event))]
        if len(types) != len(args) or not all(
                stub.check(value, annotation, libvirt) for value, annotation in zip(args, types)):
            mismatches.append(f"virConnect.{method} ID {event}: callback got {args!r:.160}, "
                              f"not ({', '.join(ast.unparse(t) for t in types)})")
    return len(received), mismatches


def errors(libvirt: Any, stub: Stub) -> list[str]:
    """What registerErrorHandler's function receives, and libvirtError.err."""
    received: list[tuple[object, object]] = []
    libvirt.registerErrorHandler(lambda ctx, err: received.append((ctx, err)), "ctx")
    try:
        libvirt.open("test:///default").lookupByName("no-such-domain")
    except libvirt.libvirtError as exc:
        err = exc.err
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    raw_error = stub.aliases["_RawError"]
    mismatches = []
    if not received or not all(ctx == "ctx" and stub.check(value, raw_error, libvirt)
                               for ctx, value in received):
        mismatches.append(f"registerErrorHandler's function got {received!r:.160}")
    if not stub.check(err, raw_error, libvirt):
        mismatches.append(f"libvirtError.err is {err!r:.160}")
    return mismatches


def main(argv: list[str]) -> int:
    # The official binding, looked at as plain objects: what it returns is the question.
    libvirt: Any = importlib.import_module("libvirt")
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    stub = Stub(Path(argv[1]))
    # First, while no other connection keeps the test driver's state alive.
    called, answered, mismatches = sweep(libvirt, stub)
    targets = objects(libvirt)
    failures = raised = 0
    for target, method, args in CALLS:
        cls, obj = targets[target]
        annotation = stub.returns[(cls, method)]
        function: Callable[..., object] = getattr(obj, method)
        try:
            value = function(*args)
        except (libvirt.libvirtError, TypeError) as exc:
            # The official binding answers each of these on the test driver;
            # virt.compat raises where it returns None for a failure.
            print(f"{cls}.{method}{args!r} raised {type(exc).__name__}: {exc}")
            raised += 1
            continue
        if not stub.check(value, annotation, libvirt):
            failures += 1
            print(f"{cls}.{method}{args!r} returned {value!r:.120}, "
                  f"not {ast.unparse(annotation)}")
    count, event_mismatches = events(libvirt, stub)
    mismatches += event_mismatches + errors(libvirt, stub)
    print(f"{count} event callbacks checked")
    for line in mismatches:
        print(line)
    failures += len(mismatches)
    print(f"{called} methods without arguments called, {answered} answered by the test driver")
    print(f"{len(CALLS) - raised} of {len(CALLS)} listed calls answered")
    print(f"{len(CALLS) - raised + answered} calls checked, {failures} mismatches")
    return 1 if failures else 0


def mistakes(path: Path) -> int:
    """Run a corpus program with planted mistakes one statement at a time: every
    line marked MISTAKE must fail at run time, every other line must not."""
    libvirt: Any = importlib.import_module("libvirt")
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    namespace: dict[str, Any] = {"__name__": "__corpus__"}
    wrong = 0
    lines = path.read_text().splitlines()
    for statement in ast.parse(path.read_text()).body:
        marked = re.search(r"#\s*MISTAKE", lines[statement.lineno - 1]) is not None
        code = compile(ast.Module([statement], []), str(path), "exec")
        try:
            exec(code, namespace)  # the corpus program, a statement at a time
        except (TypeError, SystemError, AttributeError, libvirt.libvirtError) as exc:
            if not marked:
                wrong += 1
                print(f"line {statement.lineno} failed: {type(exc).__name__}: {exc}")
            continue
        if marked:
            wrong += 1
            print(f"line {statement.lineno} is marked MISTAKE but ran")
    print(f"{wrong} lines behave otherwise than marked")
    return 1 if wrong else 0


if __name__ == "__main__":
    if sys.argv[1] == "--mistakes":
        sys.exit(mistakes(Path(sys.argv[2])))
    sys.exit(main(sys.argv))
