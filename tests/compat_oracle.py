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
