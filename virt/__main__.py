"""``python -m virt [URI]``: show what a libvirt connection sees.

Prints the libvirt library version, the host, and every domain with its state.
The default URI is ``test:///default``, libvirt's built-in test driver, which
needs no daemon.
"""

from __future__ import annotations

import argparse
import ctypes
import sys

from . import __version__, raw
from .errors import Error

STATES = {
    raw.VIR_DOMAIN_NOSTATE: "no state",
    raw.VIR_DOMAIN_RUNNING: "running",
    raw.VIR_DOMAIN_BLOCKED: "blocked",
    raw.VIR_DOMAIN_PAUSED: "paused",
    raw.VIR_DOMAIN_SHUTDOWN: "shutting down",
    raw.VIR_DOMAIN_SHUTOFF: "shut off",
    raw.VIR_DOMAIN_CRASHED: "crashed",
    raw.VIR_DOMAIN_PMSUSPENDED: "suspended (PM)",
}


def _last_error() -> str:
    error = raw.virGetLastError()
    return (error.contents.message or b"unknown error").decode() if error else "unknown error"


def _take_string(value: raw.OwnedString) -> str:
    """Decode a string libvirt handed over, and free it."""
    try:
        return (value.value or b"").decode("utf-8", "surrogateescape")
    finally:
        raw.free(value)


def show(uri: str) -> None:
    major, minor, micro = raw.library_version()
    print(f"virt {__version__} on libvirt {major}.{minor}.{micro}")
    conn = raw.virConnectOpenReadOnly(uri.encode())
    if not conn:
        raise SystemExit(f"cannot open {uri}: {_last_error()}")
    try:
        print(f"connection: {_take_string(raw.virConnectGetURI(conn))}")
        print(f"host:       {_take_string(raw.virConnectGetHostname(conn))}")
        node = raw.virNodeInfo()
        if raw.virNodeGetInfo(conn, ctypes.byref(node)) == 0:
            print(f"node:       {node.model.decode()}, {node.cpus} CPUs at {node.mhz} MHz, "
                  f"{node.memory // 1024} MiB")
        domains = ctypes.POINTER(raw.virDomainPtr)()
        count = raw.virConnectListAllDomains(conn, ctypes.byref(domains), 0)
        if count < 0:
            raise SystemExit(f"cannot list domains: {_last_error()}")
        print(f"domains:    {count}")
        try:
            for i in range(count):
                info = raw.virDomainInfo()
                raw.virDomainGetInfo(domains[i], ctypes.byref(info))
                name = (raw.virDomainGetName(domains[i]) or b"?").decode()
                state = STATES.get(info.state, f"state {info.state}")
                print(f"  {name:20} {state:12} {info.nrVirtCpu} vCPU  "
                      f"{info.memory // 1024} MiB")
        finally:
            for i in range(count):
                raw.virDomainFree(domains[i])
            raw.free(domains)
    finally:
        raw.virConnectClose(conn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m virt", description=__doc__)
    parser.add_argument("uri", nargs="?", default="test:///default",
                        help="libvirt connection URI (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        show(args.uri)
    except Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
