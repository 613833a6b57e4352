"""Results of core calls in the shapes libvirt-python returns them.

`out` is the generic conversion, chosen by the type of the value and cached
per type: enums become plain ints, core objects their compat objects,
records lists, typed parameters dicts keyed by libvirt's names.  The other
functions are the shapes the generator names per method
(``tools/tables/compat.py``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable

import virt

from ._base import take

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    import uuid
    from typing import Any

    _Converter = Callable[[Any], Any]

__all__ = ["as_tuple", "block_job_info", "check_params", "cpu_map", "dhcp_leases", "disk_errors",
           "int_list", "interface_addresses", "job_stats", "memory_stats", "node_info", "out",
           "time_dict", "tuples", "vcpus"]

_BY_TYPE: dict[type, _Converter] = {}



def _tuple_records() -> tuple[type, ...]:
    """Records libvirt-python returns as tuples (the others are lists); looked
    up on first use, so that importing compat does not build them."""
    return (virt.VcpuInfo, virt.DomainFSInfo, virt.DomainBlockStats,
            virt.DomainInterfaceStats, virt.DomainIOThreadInfo)


def _same(value: Any) -> Any:
    return value


def _enum(value: Any) -> int:
    return int(value)


def _params(value: virt.typedparams.ParamSet) -> dict[str, Any]:
    return value.to_mapping()


def params_dict(value: dict[str, Any] | virt.typedparams.ParamSet) -> dict[str, Any]:
    """A typed-parameter result in libvirt-python's shape: the dict a rebound
    core method made (see `_base.rebind`), or a record's mapping."""
    return value if type(value) is dict else value.to_mapping()  # type: ignore[union-attr]


def _list(value: Any) -> list[Any]:
    return [out(item) for item in value]


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple([out(item) for item in value])


def _mapping(value: dict[Any, Any]) -> dict[Any, Any]:
    return {out(key): out(item) for key, item in value.items()}


def _record(value: Any) -> list[Any]:
    import dataclasses

    return [out(getattr(value, f.name)) for f in dataclasses.fields(value)]


def _uuid(value: uuid.UUID) -> str:
    return str(value)


def _converter(cls: type) -> _Converter:
    if cls in (int, str, bytes, float, bool, type(None)):
        return _same
    if issubclass(cls, enum.Enum):
        return _enum
    if issubclass(cls, virt.LibvirtObject):
        return take
    if issubclass(cls, virt.typedparams.ParamSet):
        return _params
    if issubclass(cls, dict):
        return _mapping
    if issubclass(cls, tuple):
        if issubclass(cls, _tuple_records()):
            return _tuple
        return _list  # records and pairs: libvirt-python's lists (a few are tuples)
    if issubclass(cls, list):
        return _list
    import dataclasses
    import uuid

    if issubclass(cls, uuid.UUID):
        return _uuid

    if dataclasses.is_dataclass(cls):
        return _record
    return _same


def out(value: Any) -> Any:
    """*value*, a core result, in libvirt-python's shape."""
    cls = type(value)
    try:
        convert = _BY_TYPE[cls]
    except KeyError:
        convert = _BY_TYPE[cls] = _converter(cls)
    return convert(value)


# -- per-method shapes (named in tools/tables/compat.py) ---------------------------------

def int_list(value: Any) -> list[int]:
    """A record of numbers (and enums) as a list of plain ints."""
    return list(map(int, value))


def as_tuple(value: Any) -> tuple[Any, ...]:
    """A record as a tuple of plain values."""
    return tuple([out(item) for item in value])


def tuples(value: list[Any]) -> list[tuple[Any, ...]]:
    """A list of tuples (``vcpuPinInfo()``: one tuple of flags per virtual CPU)."""
    return [as_tuple(item) for item in value]


def vcpus(value: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    """``vcpus()``: (one tuple per virtual CPU, one tuple of CPU flags per virtual CPU)."""
    return (tuples(value[0]), tuples(value[1]))


def time_dict(value: tuple[int, int]) -> dict[str, int]:
    """``getTime()``: ``{"seconds": …, "nseconds": …}``."""
    return {"seconds": value[0], "nseconds": value[1]}


def disk_errors(value: list[Any]) -> dict[str, int]:
    """``diskErrors()``: disk -> error code."""
    return {error.disk: int(error.error) for error in value}


def _stat_name(tag: Any) -> str:
    return "actual" if tag == 6 else tag.name.lower()  # VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON


def memory_stats(value: dict[Any, int]) -> dict[str, int]:
    """``memoryStats()``: libvirt-python's names (``actual``, ``rss``, …) -> value."""
    return {_stat_name(tag): amount for tag, amount in value.items()}


def block_job_info(value: Any) -> dict[str, int]:
    """``blockJobInfo()``: a dict, empty when there is no job."""
    if value is None:
        return {}
    return {"type": int(value.type), "bandwidth": value.bandwidth, "cur": value.cur,
            "end": value.end}


def interface_addresses(value: list[Any]) -> dict[str, Any]:
    """``interfaceAddresses()``: name -> ``{"hwaddr": …, "addrs": [{"type", "addr",
    "prefix"}, …]}``."""
    return {iface.name: {"hwaddr": iface.hwaddr,
                         "addrs": [{"type": int(a.type), "addr": a.addr, "prefix": a.prefix}
                                   for a in iface.addrs]}
            for iface in value}


def dhcp_leases(value: list[Any]) -> list[dict[str, Any]]:
    """``DHCPLeases()``: one dict per lease, by libvirt's field names."""
    return [{key: out(getattr(lease, key)) for key in lease._fields} for lease in value]


def job_stats(value: tuple[Any, Any]) -> dict[str, Any]:
    """``jobStats()``: the job's type under ``"type"``, then its typed parameters."""
    kind, params = value
    return {"type": int(kind), **_plain(params)}


def _plain(params: Any) -> dict[str, Any]:
    return params if isinstance(params, dict) else params.to_mapping()


def check_params(params: Any, current: Callable[[], dict[str, Any]]) -> None:
    """Refuse, as libvirt-python does, a setter's *params* that are empty or name a
    parameter the server does not report in ``current()``."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict, not {type(params).__name__}")
    if not params:
        raise LookupError("Need non-empty dictionary to set attributes")
    known = current()
    for name in params:
        if name not in known:
            raise LookupError(f'Attribute name "{name}" could not be recognized')


def node_info(value: Any) -> list[Any]:
    """``getInfo()``: the node's record, memory in MiB as libvirt-python gives it."""
    result = _list(value)
    result[1] = result[1] // 1024
    return result


def cpu_map(value: tuple[bool, ...]) -> tuple[int, list[bool], int]:
    """``getCPUMap()``: (CPUs, online flags, how many online)."""
    return (len(value), list(value), sum(value))
