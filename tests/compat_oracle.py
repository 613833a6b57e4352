"""Helpers of the compat tests that compare with the official binding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import virt.compat as compat

ROOT = Path(__file__).resolve().parent.parent
FACTS = json.loads((ROOT / "tools" / "api" / "libvirt-python-12.8.0.json").read_text())
CLASSES = FACTS["modules"]["libvirt"]["classes"]

#: Methods whose results change between two calls (clocks, counters, addresses).
VOLATILE = {"info", "vcpus", "getCPUStats", "getTime", "c_pointer", "getAllDomainStats",
            "jobStats", "domainListGetStats", "getCPUMap", "blockStats", "blockStatsFlags",
            "interfaceStats", "memoryStats"}
#: Zero-argument methods not called: they change state, block, or need a callback.
NOT_CALLED = ("destroy", "undefine", "create", "shutdown", "reboot", "reset", "suspend",
              "resume", "delete", "abort", "free", "close", "managedSave", "save", "coreDump",
              "wipe", "detach", "build", "refresh", "stop", "update", "changeBegin",
              "changeCommit", "changeRollback", "start", "register", "deregister",
              "newStream", "migrate", "restore", "pMW", "pMSuspend", "inject", "fsFreeze",
              "fsThaw", "fSTrim", "rename", "backup", "blockJob", "agent", "openGraphics",
              "screenshot", "openConsole", "openChannel", "setKeepAlive", "eventAddCallback",
              "recvAll", "sendAll", "sparse", "set", "pin", "add", "del", "listen",
              "graphicsReload", "announce", "unregisterCloseCallback", "guestVcpus",
              "virConnGetLastError", "dettach", "reAttach", "finish", "recv", "send")


def shape(value: Any, volatile: bool = False) -> Any:
    """A comparable rendering: types everywhere, values unless *volatile*."""
    cls = type(value)
    if cls.__module__ == "libvirt" and cls.__name__.startswith("vir"):
        return f"<{cls.__name__}>"
    if isinstance(value, list):
        return ["list", *(shape(v, volatile) for v in value)]
    if isinstance(value, tuple):
        return ("tuple", *(shape(v, volatile) for v in value))
    if isinstance(value, dict):
        return {"dict": sorted((repr(shape(k)), repr(shape(v, volatile)))
                               for k, v in value.items())}
    return (cls.__name__, None if volatile and isinstance(value, int) else value)


def outcome(call: Any, volatile: bool = False) -> Any:
    """The shape of *call*'s result, or which kind of error it raised."""
    try:
        return ("ok", shape(call(), volatile))
    except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
        code = exc.get_error_code() if hasattr(exc, "get_error_code") else None
        kind = "libvirtError" if type(exc).__name__ == "libvirtError" or \
            isinstance(exc, compat.libvirtError) else type(exc).__name__
        return ("error", kind, code)


def getters() -> list[tuple[str, str]]:
    found = []
    for cls in ("virConnect", "virDomain", "virNetwork", "virStoragePool", "virInterface",
                "virNodeDevice"):
        for name, facts in sorted(CLASSES[cls]["methods"].items()):
            if name.startswith("_") or name.startswith(NOT_CALLED):
                continue
            if all("default" in p for p in facts["params"][1:]):
                found.append((cls, name))
    return found


#: Methods with required arguments not called: they change state shared by every
#: test:///default connection of the process, block, or need a callback (by name part).
CHANGES = (
    'destroy', 'undefine', 'create', 'shutdown', 'reboot', 'reset', 'suspend', 'resume', 'delete',
    'abort', 'free', 'close', 'managedSave', 'save', 'coreDump', 'wipe', 'detach', 'build',
    'refresh', 'stop', 'update', 'changeBegin', 'changeCommit', 'changeRollback', 'start',
    'register', 'deregister', 'newStream', 'migrate', 'restore', 'pMW', 'pMSuspend', 'inject',
    'fsFreeze', 'fsThaw', 'fSTrim', 'rename', 'backup', 'blockJob', 'agent', 'openGraphics',
    'screenshot', 'openConsole', 'openChannel', 'setKeepAlive', 'eventAddCallback', 'recvAll',
    'sendAll', 'sparse', 'add', 'del', 'listen', 'graphicsReload', 'announce', 'Event', 'virConn',
    'dettach', 'reAttach', 'finish', 'recv', 'send', 'define', 'attach', 'blockCommit',
    'blockCopy', 'blockPull', 'blockRebase', 'blockResize', 'sendKey', 'sendProcessSignal',
    'setAutostart', 'checkpointCreate', 'snapshotCreate', 'createXML', 'createLinux', 'Lookup',
    'lookup', 'storageVolCreate', 'createXMLFrom', 'upload', 'download', 'portCreate',
    'nwfilterBindingCreate', 'secretDefine', 'interfaceDefine', 'networkDefine', 'networkCreate',
    'storagePoolDefine', 'storagePoolCreate', 'nodeDeviceCreate', 'nodeDeviceDefine',
    'domainXMLFrom', 'domainXMLTo', 'qemu'
)

#: An argument for each parameter name, for calling methods that need some.
ARGS: dict[str, Any] = {
    'path': 'vda', 'disk': 'vda', 'device': 'vda', 'flags': 0, 'type': 'kvm', 'cpumap': (True,),
    'xml': '<x/>', 'xmlDesc': '<x/>', 'params': {}, 'nparams': 0, 'stats': 0, 'cellNum': -1,
    'cpuNum': -1, 'startCell': 0, 'maxCells': 2, 'maxcells': 2, 'pages': [4], 'cellCount': 1,
    'name': 'test', 'arch': 'x86_64', 'emulatorbin': None, 'machine': None, 'virttype': None,
    'xmlCPUs': [], 'offset': 0, 'size': 8, 'mem': 0, 'start': 0, 'timeout': 1, 'seconds': 0,
    'source': 0, 'group': None, 'uri': None, 'key': 'k', 'uri_in': None, 'mac': None, 'macaddr':
    None, 'memory': 1024, 'nvcpus': 1, 'vcpu': 0, 'iothread': 1, 'iothread_id': 1, 'duri': 'x',
    'keycodes': [1], 'holdtime': 0, 'codeset': 0, 'doms': [], 'metadata': None, 'kind': 0,
    'type_': 0, 'dev': 'vda', 'dev_name': None, 'capability': 'net', 'driverName': None,
    'hypervisor': None, 'bandwidth': 0, 'base': None, 'top': None, 'bytes': 0, 'total': True,
    'minCPU': 0, 'file': '/tmp/x', 'user': 'root', 'keys': None, 'nkeys': 0, 'password': 'x',
    'leases': 0, 'callbackID': 1, 'duration': 0, 'target': 0, 'interval': 0, 'count': 0, 'value':
    b'', 'usageType': 0, 'usageID': 'x', 'uuid':
    b'\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'uuidstr':
    '6695eb01-f6a4-8304-79aa-97f2502e193f', 'id': 1, 'freq': 0, 'mountpoints': [], 'info': 0,
    'cmd': 'x', 'capacity': 0, 'section': 0, 'command': 0, 'parentIndex': -1, 'dxml': None,
    'dname': None, 'miguri': None, 'dconnuri': None, 'seconds_': 0, 'events': 0, 'cpu': 0,
    'signum': 0, 'pid_value': 0, 'emulator': None, 'srcSpec': None, 'cap': None, 'files': [],
    'iothread_val': 1, 'threshold': 0, 'state': 0, 'action': 0, 'period': 0, 'vcpumap': '0',
    'xmlCPU': '<cpu/>', 'snap': None
}


def callers() -> list[tuple[str, str]]:
    """(class, method) of the methods with required arguments that can be called
    on the objects of ``_objects`` without changing anything."""
    found = []
    for cls in ("virConnect", "virDomain", "virNetwork", "virStoragePool", "virInterface",
                "virNodeDevice"):
        for name, facts in sorted(CLASSES[cls]["methods"].items()):
            if name.startswith("_") or any(part in name for part in CHANGES):
                continue
            if not all("default" in p for p in facts["params"][1:]):
                found.append((cls, name))
    return found


def arguments(cls: str, method: str) -> list[Any]:
    """Arguments for *method* from `ARGS`, by parameter name."""
    params = CLASSES[cls]["methods"][method]["params"][1:]
    return [ARGS[p["name"]] if "default" not in p else ARGS.get(p["name"], p["default"])
            for p in params]

