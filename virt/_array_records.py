"""The records of `virt.records`, and `virt.Credential`, made on first use.

Defined here, they are imported when one of them is first needed: creating
a `typing.NamedTuple` class costs 0.1 ms, and the first one of a process
most of a millisecond more (`collections.namedtuple` compiles code), which
``import virt`` does not pay.  Each reports the module that exports it
(``virt.records``, ``virt.connection``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Union

from .typedparams import Values, numbered

if TYPE_CHECKING:
    from ._generated.enums import (
        ConnectCredentialType,
        DomainBlockedReason,
        DomainCrashedReason,
        DomainDiskErrorCode,
        DomainNostateReason,
        DomainPausedReason,
        DomainPMSuspendedReason,
        DomainRunningReason,
        DomainShutdownReason,
        DomainShutoffReason,
        IPAddrType,
        VcpuState,
    )
    from ._generated.params import DomainStats
    from .domain import Domain


#: Why a domain is in its state: the reason enum of that state
#: (`virt.DomainRunningReason` for `virt.DomainState.RUNNING`, and so on).
DomainStateReason = Union[
    "DomainNostateReason", "DomainRunningReason", "DomainBlockedReason",
    "DomainPausedReason", "DomainShutdownReason", "DomainShutoffReason",
    "DomainCrashedReason", "DomainPMSuspendedReason",
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


class DomainStatsRecord(NamedTuple):
    """The statistics of one domain (C ``virDomainStatsRecord``).

    ``stats`` holds the documented fixed keys as fields (``stats.state_state``,
    ``stats.cpu_time``, ``stats.balloon_current``, …); the per-device ones are
    numbered and grouped by `block`, `net`, `vcpu` and `iothread`.
    """

    domain: Domain
    stats: DomainStats

    @property
    def raw(self) -> dict[str, Values]:
        """Every statistic by its libvirt name, as a plain mapping."""
        return self.stats.to_mapping()

    def _numbered(self, prefix: str) -> list[dict[str, Values]]:
        return list(numbered(self.stats.extra, prefix).values())

    @property
    def block(self) -> list[dict[str, Values]]:
        """Per-disk statistics (``block.<n>.*``), in libvirt's order."""
        return self._numbered("block.")

    @property
    def net(self) -> list[dict[str, Values]]:
        """Per-interface statistics (``net.<n>.*``)."""
        return self._numbered("net.")

    @property
    def vcpu(self) -> list[dict[str, Values]]:
        """Per-virtual-CPU statistics (``vcpu.<n>.*``)."""
        return self._numbered("vcpu.")

    @property
    def iothread(self) -> dict[int, dict[str, Values]]:
        """Per-IOThread statistics (``iothread.<id>.*``), by IOThread id."""
        return numbered(self.stats.extra, "iothread.")



class Credential(NamedTuple):
    """One credential libvirt asks for while opening a connection (C ``virConnectCredential``)."""

    type: ConnectCredentialType
    prompt: str
    challenge: str | None
    default: str | None

for _value in list(globals().values()):
    if isinstance(_value, type) and _value.__module__ == __name__:
        _value.__module__ = "virt.records"  # the public path (pickles, repr)
Credential.__module__ = "virt.connection"  # exported there
