"""Planted mistakes: callbacks of the wrong shape (each marked MISTAKE)."""

import libvirt
from libvirt import VIR_NETWORK_EVENT_ID_LIFECYCLE as NET_LIFECYCLE


def lifecycle(conn: libvirt.virConnect, dom: libvirt.virDomain, event: int, detail: int,
              opaque: None) -> None:
    pass


def generic(conn: libvirt.virConnect, dom: libvirt.virDomain, opaque: None) -> None:
    pass


def io_error(conn: libvirt.virConnect, dom: libvirt.virDomain, src: str, alias: str,
             action: int, opaque: None) -> None:
    pass


def handler(ctx: None, err: str) -> None:
    pass


def sink(stream: libvirt.virStream, data: str, opaque: None) -> int:
    return len(data)


def add_handle(fd: int, events: int, opaque: object) -> int:
    return 0


conn = libvirt.open("test:///default")
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, None)
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, lifecycle, None)  # MISTAKE
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, generic, None)  # MISTAKE
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_IO_ERROR, lifecycle, None)  # MISTAKE
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_IO_ERROR, io_error, None)
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_WATCHDOG, lifecycle, None)  # MISTAKE
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, 1)  # MISTAKE
conn.networkEventRegisterAny(None, NET_LIFECYCLE, lifecycle, None)  # MISTAKE
conn.registerCloseCallback(generic, None)  # MISTAKE: cb(conn, reason, opaque)
libvirt.registerErrorHandler(handler, None)  # MISTAKE: err is the 9-tuple
conn.newStream(0).recvAll(sink, None)  # MISTAKE: data is bytes
libvirt.virEventRegisterImpl(add_handle, lambda w, e: None, lambda w: 0,  # MISTAKE
                             lambda t, cb, o: 0, lambda t, ms: None, lambda t: 0)
