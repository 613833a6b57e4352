"""Records for the results libvirt returns as arrays of structs.

The single-struct records (`virt.DomainInfo`, `virt.NodeInfo`, …) are
generated; these hold nested data (lists of addresses, device aliases, CPU
maps) and are written by hand next to the functions that fill them.
"""

from __future__ import annotations

from typing import NamedTuple

from ._generated.enums import DomainDiskErrorCode, IPAddrType, VcpuState

__all__ = [
    "DomainDiskError",
    "DomainFSInfo",
    "DomainIOThreadInfo",
    "DomainIPAddress",
    "DomainInterface",
    "NetworkDHCPLease",
    "VcpuInfo",
]


class VcpuInfo(NamedTuple):
    """One virtual CPU (C ``virVcpuInfo``)."""

    number: int
    state: VcpuState
    cpu_time: int  #: nanoseconds
    cpu: int  #: the host CPU it runs on, -1 if offline


class DomainDiskError(NamedTuple):
    """A disk with an I/O error (C ``virDomainDiskError``)."""

    disk: str
    error: DomainDiskErrorCode


class DomainFSInfo(NamedTuple):
    """A file system mounted in the guest (C ``virDomainFSInfo``)."""

    mountpoint: str
    name: str
    fstype: str
    dev_aliases: tuple[str, ...]


class DomainIOThreadInfo(NamedTuple):
    """An IOThread and the host CPUs it may run on (C ``virDomainIOThreadInfo``)."""

    iothread_id: int
    cpumap: tuple[bool, ...]


class DomainIPAddress(NamedTuple):
    """An IP address of a guest interface (C ``virDomainIPAddress``)."""

    type: IPAddrType
    addr: str
    prefix: int


class DomainInterface(NamedTuple):
    """A guest network interface and its addresses (C ``virDomainInterface``)."""

    name: str
    hwaddr: str | None
    addrs: tuple[DomainIPAddress, ...]


class NetworkDHCPLease(NamedTuple):
    """A DHCP lease handed out on a virtual network (C ``virNetworkDHCPLease``)."""

    iface: str
    expirytime: int  #: seconds since the epoch
    type: IPAddrType
    mac: str | None
    iaid: str | None
    ipaddr: str
    prefix: int
    hostname: str | None
    clientid: str | None
