"""The compat classes of a first connection: libvirt-python's ``virConnect`` and
``virDomain`` on the core (the other groups' modules, ``_classes_<group>``,
define the others when first needed; see `_base.GROUPS`).

Each class derives from the core class (``virDomain`` is a `virt.Domain`),
its generated methods (``_methods``), the event and stream mixins, and
`CompatObject`.  What is written here is what the generator cannot derive:
constructors, ``connect()`` and the other accessors libvirt-python keeps in
Python, ``close()`` returning the reference count, and the few methods whose
arguments differ in shape from the core's.
"""

from __future__ import annotations

import ctypes as _ctypes
from ctypes import c_int as _c_int

import virt
from virt import raw
from virt._marshal import check_handle, check_uint, raise_last_error, refuse_self

from . import _methods
from ._base import Child, CompatObject, define, error_tuple, init, rebind
from ._connect_events import ConnectEventMixin
from ._streams import ConnectStreamMixin, DomainStreamMixin

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["virConnect", "virDomain"]


_DomainInfo = raw.virDomainInfo


def _ulonglong_or_none(function: Any, obj: Any, flags: Any) -> int | None:
    """Call ``function(obj, &value, flags)``: the value, or None if it fails."""
    value = _ctypes.c_ulonglong()
    if function(obj._as_parameter_, _ctypes.byref(value), check_uint(flags, "flags")) < 0:
        return None
    return value.value


class virConnect(ConnectEventMixin, ConnectStreamMixin,  # noqa: N801 - libvirt-python's names
                 _methods._virConnectMethods, CompatObject, virt.Connection):
    """A connection to a hypervisor (libvirt-python's ``virConnect``)."""

    def __init__(self, _obj: Any = None) -> None:
        init(self, None, _obj)

    def __enter__(self) -> virConnect:
        return self

    def __exit__(self, exc_type_: Any, exc_value_: Any,  # type: ignore[override]
                 traceback_: Any) -> None:
        self.close()

    def close(self) -> int:  # type: ignore[override]
        """Close the connection; the number of references libvirt still holds."""
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        handle = self._as_parameter_
        if handle is None:
            return 0
        refs = raw.virConnectRef(handle)  # so that the core's close leaves one to count
        if refs < 0:
            refs = 0
        virt.Connection.close(self)
        return int(raw.virConnectClose(handle))

    # Statistics: straight from the C records to libvirt-python's dicts (in
    # libvirt's order), without the core's typed records in between.

    def getAllDomainStats(self, stats: int = 0, flags: Any = 0  # noqa: N802
                          ) -> list[tuple[virDomain, dict[str, Any]]]:
        """``[(virDomain, {"state.state": …, …}), …]`` for every domain *flags* select.

        Wraps :libvirt:`virConnectGetAllDomainStats`.
        """
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        records = raw.pointer_type(raw.virDomainStatsRecordPtr)()
        count = raw.virConnectGetAllDomainStats(
            self._as_parameter_, check_uint(stats, "stats"), _ctypes.byref(records),
            check_uint(flags, "flags"))
        if count < 0:
            raise_last_error()
        return list(map(tuple, _take_stats_as_dicts(self, records, count)))

    def domainListGetStats(self, doms: list[Any], stats: int = 0,  # noqa: N802
                           flags: Any = 0) -> list[tuple[virDomain, dict[str, Any]]]:
        """`getAllDomainStats` for the domains *doms*.  Wraps :libvirt:`virDomainListGetStats`."""
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        handles = [check_handle(dom, virt.Domain, "doms[]") for dom in doms]
        array = (raw.virDomainPtr * (len(handles) + 1))(*handles)  # NULL-terminated
        records = raw.pointer_type(raw.virDomainStatsRecordPtr)()
        count = raw.virDomainListGetStats(array, check_uint(stats, "stats"),
                                          _ctypes.byref(records), check_uint(flags, "flags"))
        if count < 0:
            raise_last_error()
        return list(map(tuple, _take_stats_as_dicts(self, records, count)))

    def virConnGetLastError(self) -> Any:  # noqa: N802
        """The connection's last error as a 9-tuple, or None.

        Wraps :libvirt:`virConnGetLastError`.
        """
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        error = raw.virConnGetLastError(self._as_parameter_)
        if not error:
            return None
        contents = error.contents
        return error_tuple(contents) if contents.code else None

    def listDomainsID(self) -> list[int]:  # noqa: N802
        """IDs of the running domains.  Wraps :libvirt:`virConnectListDomains`."""
        return virt.Connection.list_domains(self)

    def getFreeMemory(self) -> int:  # noqa: N802
        """The host's free memory in bytes, 0 when libvirt cannot tell.

        As libvirt-python, an open connection's 0 is returned, not raised
        (Ansible's community.libvirt ``virt`` module counts on that); a closed
        connection's call raises.  Wraps :libvirt:`virNodeGetFreeMemory`.
        """
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        handle = self._as_parameter_
        free = int(raw.virNodeGetFreeMemory(handle))
        if handle is None:  # closed: libvirt's "invalid connection pointer", raised
            raise_last_error()
        return free

    def getFreePages(self, pages: list[int], startCell: int, maxCells: int,  # noqa: N802, N803
                     flags: Any = 0) -> dict[int, dict[int, int]]:
        """Free pages of each size in *pages* (KiB): ``{cell: {size: count}}``.

        Wraps :libvirt:`virNodeGetFreePages`.
        """
        cells = virt.Connection.node_get_free_pages(self, pages, startCell, maxCells,
                                                    flags=flags)
        return {startCell + i: counts for i, counts in enumerate(cells)}

    def allocPages(self, pages: dict[int, int], startCell: int = 0,  # noqa: N802, N803
                   cellCount: int = 0, flags: Any = 0) -> int:
        """Allocate or free huge pages: *pages* maps page size (KiB) to count.

        Wraps :libvirt:`virNodeAllocPages`.
        """
        if not isinstance(pages, dict):
            raise TypeError("pages must be a dict of page size -> count")
        return int(virt.Connection.node_alloc_pages(
            self, list(pages), list(pages.values()), startCell, cellCount, flags=flags))


class virDomain(DomainStreamMixin, _methods._virDomainMethods,  # type: ignore[misc]  # noqa: N801
                Child, CompatObject, virt.Domain):
    """A domain (libvirt-python's ``virDomain``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)

    # info(), state() and isActive() are the calls programs make most: straight to C, as
    # cheap as ctypes allows (the core's records would be built and discarded).

    def info(self) -> list[int]:
        """``[state, maxMem, memory, nrVirtCpu, cpuTime]``.  Wraps :libvirt:`virDomainGetInfo`."""
        if not isinstance(self, virt.Domain):
            refuse_self(self, "virDomain")
        s = _DomainInfo()
        if raw.virDomainGetInfo(self._as_parameter_, s) < 0:
            raise_last_error()
        return [s.state, s.maxMem, s.memory, s.nrVirtCpu, s.cpuTime]

    def state(self, flags: Any = 0) -> list[int]:
        """``[state, reason]``.  Wraps :libvirt:`virDomainGetState`."""
        if not isinstance(self, virt.Domain):
            refuse_self(self, "virDomain")
        state, reason = _c_int(), _c_int()
        if raw.virDomainGetState(self._as_parameter_, state, reason, check_uint(flags, "flags")
                                 ) < 0:
            raise_last_error()
        return [state.value, reason.value]

    def isActive(self) -> int:  # noqa: N802
        """1 if the domain is running (or paused), else 0.  Wraps :libvirt:`virDomainIsActive`."""
        if not isinstance(self, virt.Domain):
            refuse_self(self, "virDomain")
        active: int = raw.virDomainIsActive(self._as_parameter_)
        if active < 0:
            raise_last_error()
        return active

    def ID(self) -> int:  # noqa: N802
        """The domain's ID while it runs, -1 when it does not.

        Wraps :libvirt:`virDomainGetID`.
        """
        if not isinstance(self, virt.Domain):
            refuse_self(self, "virDomain")
        number = int(raw.virDomainGetID(self._as_parameter_))
        return -1 if number == 0xFFFFFFFF else number

    # libvirt-python gives None, not an exception, when these two fail.

    def migrateGetMaxDowntime(self, flags: Any = 0) -> int | None:  # noqa: N802
        """The longest pause (ms) allowed at the end of a live migration, None on failure.

        Wraps :libvirt:`virDomainMigrateGetMaxDowntime`.
        """
        if not isinstance(self, virt.Domain):
            refuse_self(self, "virDomain")
        return _ulonglong_or_none(raw.virDomainMigrateGetMaxDowntime, self, flags)

    def migrateGetCompressionCache(self, flags: Any = 0) -> int | None:  # noqa: N802
        """The migration compression cache's size in bytes, None on failure.

        Wraps :libvirt:`virDomainMigrateGetCompressionCache`.
        """
        if not isinstance(self, virt.Domain):
            refuse_self(self, "virDomain")
        return _ulonglong_or_none(raw.virDomainMigrateGetCompressionCache, self, flags)

    def getCPUStats(self, total: bool, flags: Any = 0) -> list[dict[str, Any]]:  # noqa: N802
        """CPU time statistics: one dict for the whole domain if *total*, else one per
        host CPU.  Wraps :libvirt:`virDomainGetCPUStats`.
        """
        if total:
            stats = virt.Domain.get_cpu_stats(self, -1, flags=flags)
        else:
            stats = virt.Domain.get_cpu_stats(self, 0, 2**32 - 1, flags=flags)
        return [entry.to_mapping() for entry in stats]

    def revertToSnapshot(self, snap: Any, flags: Any = 0) -> int:  # noqa: N802
        """Revert to snapshot *snap*.  Wraps :libvirt:`virDomainRevertToSnapshot`."""
        if not isinstance(snap, virt.DomainSnapshot):
            raise TypeError(f"snap must be a virDomainSnapshot, not {type(snap).__name__}")
        snap.revert(flags=flags)
        return 0

    def sendKey(self, codeset: int, holdtime: int, keycodes: list[int],  # noqa: N802
                nkeycodes: int, flags: Any = 0) -> int:
        """Send the first *nkeycodes* of *keycodes*.  Wraps :libvirt:`virDomainSendKey`."""
        if not 0 <= nkeycodes <= len(keycodes):
            raise ValueError("nkeycodes must be between 0 and len(keycodes)")
        virt.Domain.send_key(self, codeset, holdtime, list(keycodes[:nkeycodes]), flags=flags)
        return 0

    def setTime(self, time: dict[str, int] | None = None, flags: Any = 0) -> int:  # noqa: N802
        """Set the guest's clock from ``{"seconds": …, "nseconds": …}``.

        Wraps :libvirt:`virDomainSetTime`.
        """
        if time is None:
            time = {}
        if not isinstance(time, dict):
            raise TypeError("time must be a dict with 'seconds' and 'nseconds'")
        unknown = set(time) - {"seconds", "nseconds"}
        if unknown:
            raise ValueError(f"time has unknown keys {sorted(unknown)}")
        virt.Domain.set_time(self, time.get("seconds", 0), time.get("nseconds", 0),
                             flags=flags)
        return 0


#: The core's reading of a statistics list, giving compat objects and dicts.
_take_stats_as_dicts = rebind(virt.Connection._take_stats, params=True)

define(_methods.CORE_FUNCTIONS, virConnect, virDomain)
