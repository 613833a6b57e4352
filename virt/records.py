"""Records for the results libvirt returns as arrays of structs.

The single-struct records (`virt.DomainInfo`, `virt.NodeInfo`, …) are
generated; these hold nested data (lists of addresses, device aliases, CPU
maps) and are written by hand next to the functions that fill them.  They are
defined in ``virt._array_records`` and imported from there when one of them is
first used.
"""

from __future__ import annotations

from ._enum import Members, converter
from ._generated import enums as _enums
from ._lazy import names_from

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:

    from ._array_records import (
        DomainDiskError,
        DomainFSInfo,
        DomainInterface,
        DomainIOThreadInfo,
        DomainIPAddress,
        DomainStateReason,
        DomainStatsRecord,
        NetworkDHCPLease,
        VcpuInfo,
    )

__all__ = [
    "DomainDiskError",
    "DomainStateReason",
    "DomainFSInfo",
    "DomainIOThreadInfo",
    "DomainIPAddress",
    "DomainInterface",
    "DomainStatsRecord",
    "NetworkDHCPLease",
    "VcpuInfo",
]


#: virDomainState value -> the name of its reason enum
_REASONS = ("DomainNostateReason", "DomainRunningReason", "DomainBlockedReason",
            "DomainPausedReason", "DomainShutdownReason", "DomainShutoffReason",
            "DomainCrashedReason", "DomainPMSuspendedReason")


def domain_state_reason(state: int, reason: int) -> DomainStateReason:
    """*reason* as the reason enum of *state* (a `virt.DomainState` value).

    A state this package does not know keeps its reason as a pseudo-member of
    the "no state" reasons, so the result always has ``.name`` and ``.value``.
    """
    reasons = _reasons or _reason_members()
    result: DomainStateReason = (reasons[state] if 0 <= state < len(reasons)
                                 else reasons[0])[reason]
    return result


#: The members of each reason enum of _REASONS by value (`virt._enum.Members`), in
#: state order: made on first use, the enums being built lazily.
_reasons: list[Members] = []


def _reason_members() -> list[Members]:
    if not _reasons:  # another thread may have made them meanwhile: alike
        _reasons[:] = [converter(getattr(_enums, name)) for name in _REASONS]
    return _reasons


if not TYPE_CHECKING:
    __getattr__ = names_from(globals(), "virt._array_records", __all__)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
