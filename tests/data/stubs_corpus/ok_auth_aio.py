"""Legacy-style openAuth with a credential callback, and the asyncio event loop."""

import asyncio
from typing import Any, Optional

import libvirt
import libvirt_qemu
import libvirtaio


def request(credentials: list[list[Any]], opaque: str) -> int:
    for credential in credentials:
        if credential[0] == libvirt.VIR_CRED_AUTHNAME:
            credential[4] = opaque
        elif credential[0] == libvirt.VIR_CRED_PASSPHRASE:
            credential[4] = "secret"
    return 0


auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], request, "user"]
conn = libvirt.openAuth("test:///default", auth, 0)


def monitor(conn: libvirt.virConnect, dom: libvirt.virDomain, event: str, seconds: int,
            micros: int, details: Optional[str], opaque: None) -> None:
    print(event, seconds + micros / 1e6, details)


async def main() -> None:
    impl = libvirtaio.virEventRegisterAsyncIOImpl()
    assert libvirtaio.getCurrentImpl() is impl
    dom = conn.lookupByName("test")
    dom.shutdown()
    await impl.drain()
    print(impl.is_idle())


asyncio.run(main())
if conn.getType() == "QEMU":
    dom = conn.lookupByName("guest")
    print(libvirt_qemu.qemuMonitorCommand(dom, '{"execute": "query-status"}', 0))
    libvirt_qemu.qemuMonitorEventRegister(conn, None, None, monitor, None)
