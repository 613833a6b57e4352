"""libvirt's function-like macros, written out in Python.

The generator checks that every macro with parameters in the API facts has a
function of the same name here.  CPU maps are byte buffers in which bit ``n``
of byte ``n // 8`` says whether CPU ``n`` is usable; any object with byte
indexing works (``bytearray``, a ctypes ``c_ubyte`` array, ``memoryview``).
"""

from __future__ import annotations

from collections.abc import MutableSequence, Sequence
from ctypes import cast

from . import _types  # its types are built on first use: looked up when called

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

    from ._types import virNodeInfo

__all__ = [
    "LIBVIR_CHECK_VERSION",
    "VIR_COPY_CPUMAP",
    "VIR_CPU_MAPLEN",
    "VIR_CPU_USABLE",
    "VIR_CPU_USED",
    "VIR_DOMAIN_EVENT_CALLBACK",
    "VIR_GET_CPUMAP",
    "VIR_NETWORK_EVENT_CALLBACK",
    "VIR_NODEINFO_MAXCPUS",
    "VIR_NODE_DEVICE_EVENT_CALLBACK",
    "VIR_SECRET_EVENT_CALLBACK",
    "VIR_STORAGE_POOL_EVENT_CALLBACK",
    "VIR_UNUSE_CPU",
    "VIR_USE_CPU",
]


def LIBVIR_CHECK_VERSION(major: int, minor: int, micro: int) -> bool:
    """Whether these bindings were generated from libvirt *major.minor.micro* or newer.

    Like the C macro this tests the headers (here: the API facts), not the
    library loaded at run time; for that see ``virt.raw.library_version()``.
    """
    from ._constants import LIBVIR_VERSION_NUMBER  # the constants are read on first use

    return major * 1_000_000 + minor * 1_000 + micro <= LIBVIR_VERSION_NUMBER


def VIR_CPU_MAPLEN(cpu: int) -> int:
    """Bytes needed for a CPU map of *cpu* CPUs."""
    return (cpu + 7) // 8


def VIR_USE_CPU(cpumap: MutableSequence[int], cpu: int) -> None:
    """Mark CPU *cpu* usable in *cpumap*."""
    cpumap[cpu // 8] |= 1 << (cpu % 8)


def VIR_UNUSE_CPU(cpumap: MutableSequence[int], cpu: int) -> None:
    """Mark CPU *cpu* unusable in *cpumap*."""
    cpumap[cpu // 8] &= ~(1 << (cpu % 8)) & 0xFF


def VIR_CPU_USED(cpumap: Sequence[int], cpu: int) -> bool:
    """Whether CPU *cpu* is set in *cpumap*."""
    return bool(cpumap[cpu // 8] & (1 << (cpu % 8)))


def VIR_GET_CPUMAP(cpumaps: Sequence[int], maplen: int, vcpu: int) -> Sequence[int]:
    """The CPU map of *vcpu* inside an array of maps *maplen* bytes each."""
    return cpumaps[vcpu * maplen:(vcpu + 1) * maplen]


def VIR_COPY_CPUMAP(cpumaps: Sequence[int], maplen: int, vcpu: int,
                    cpumap: MutableSequence[int]) -> None:
    """Copy the CPU map of *vcpu* out of *cpumaps* into *cpumap*."""
    cpumap[:maplen] = VIR_GET_CPUMAP(cpumaps, maplen, vcpu)


def VIR_CPU_USABLE(cpumaps: Sequence[int], maplen: int, vcpu: int, cpu: int) -> bool:
    """Whether *vcpu* may run on physical CPU *cpu*."""
    return VIR_CPU_USED(VIR_GET_CPUMAP(cpumaps, maplen, vcpu), cpu)


def VIR_NODEINFO_MAXCPUS(nodeinfo: virNodeInfo) -> int:
    """The number of CPUs a ``virNodeInfo`` describes."""
    return int(nodeinfo.nodes * nodeinfo.sockets * nodeinfo.cores * nodeinfo.threads)


def VIR_DOMAIN_EVENT_CALLBACK(cb: Any) -> Any:
    """Cast a typed domain event callback to the generic callback type."""
    return cast(cb, _types.virConnectDomainEventGenericCallback)


def VIR_NETWORK_EVENT_CALLBACK(cb: Any) -> Any:
    """Cast a typed network event callback to the generic callback type."""
    return cast(cb, _types.virConnectNetworkEventGenericCallback)


def VIR_STORAGE_POOL_EVENT_CALLBACK(cb: Any) -> Any:
    """Cast a typed storage pool event callback to the generic callback type."""
    return cast(cb, _types.virConnectStoragePoolEventGenericCallback)


def VIR_NODE_DEVICE_EVENT_CALLBACK(cb: Any) -> Any:
    """Cast a typed node device event callback to the generic callback type."""
    return cast(cb, _types.virConnectNodeDeviceEventGenericCallback)


def VIR_SECRET_EVENT_CALLBACK(cb: Any) -> Any:
    """Cast a typed secret event callback to the generic callback type."""
    return cast(cb, _types.virConnectSecretEventGenericCallback)
