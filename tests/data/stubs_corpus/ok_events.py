"""Legacy-style events: lifecycle, reboot, graphics and network callbacks, a close callback."""

import threading
import time
from typing import Any

import libvirt


def lifecycle(conn: libvirt.virConnect, dom: libvirt.virDomain, event: int, detail: int,
              opaque: list[int]) -> None:
    opaque.append(event)
    if event == libvirt.VIR_DOMAIN_EVENT_STOPPED:
        print(dom.name(), "stopped", detail)


def reboot(conn: libvirt.virConnect, dom: libvirt.virDomain, opaque: object) -> None:
    print(dom.name(), "rebooted")


def graphics(conn: libvirt.virConnect, dom: libvirt.virDomain, phase: int,
             local: dict[str, Any], remote: dict[str, Any], scheme: str,
             subject: list[tuple[str, str]], opaque: None) -> None:
    print(phase, local["node"], remote.get("service"), scheme, subject)


def tray(conn: libvirt.virConnect, dom: libvirt.virDomain, alias: str, reason: int,
         opaque: None) -> int:
    return 0


def network(conn: libvirt.virConnect, net: libvirt.virNetwork, event: int, detail: int,
            opaque: str) -> None:
    print(net.name(), event, detail, opaque)


def closed(conn: libvirt.virConnect, reason: int, opaque: None) -> None:
    print("closed", reason)


def run_loop() -> None:
    while True:
        libvirt.virEventRunDefaultImpl()


libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=run_loop, daemon=True).start()
conn = libvirt.open("test:///default")
seen: list[int] = []
ids = [
    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, seen),
    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, reboot, 42),
    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_GRAPHICS, graphics, None),
    conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_TRAY_CHANGE, tray, None),
]
net_id = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE, network,
                                      "net")
conn.registerCloseCallback(closed, None)
conn.lookupByName("test").destroy()
time.sleep(0.5)
for callback_id in ids:
    conn.domainEventDeregisterAny(callback_id)
conn.networkEventDeregisterAny(net_id)
conn.unregisterCloseCallback()
print(seen)
