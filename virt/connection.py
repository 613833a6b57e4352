"""`Connection`: a connection to a libvirt driver, and `connect()`."""

from __future__ import annotations

import ctypes
import struct
from itertools import repeat

from . import _coexist, raw
from . import records as _hand_records
from ._exceptions import Error
from ._generated import enums as _enums
from ._generated import params as _params
from ._generated.methods.connection import _ConnectionMethods
from ._marshal import (
    check_handle,
    check_int,
    check_optional_str,
    check_str,
    check_uint,
    cpumap_to_bools,
    decode,
    error_from_struct,
    guard_methods,
    int_array,
    last_error,
    raise_last_error,
)
from ._objects import LibvirtObject, ListOwner
from ._stream_methods import _ConnectionStreamMethods
from .domain import Domain
from .raw._library import silent_error_handler, strdup

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, Literal, Optional, TypeVar

    from ._event_base import Event
    from ._generated.enums import (
        ConnectDomainQemuMonitorEventRegisterFlags,
        ConnectFlags,
        ConnectGetAllDomainStatsFlags,
        DomainStatsTypes,
        NodeAllocPagesFlags,
    )
    from ._generated.events import DomainLifecycle
    from .errors import ErrorHandler
    from .events import EventIterator, Subscription
    from .records import DomainStatsRecord

if TYPE_CHECKING:  # type variables are for mypy only: at run time annotations are text
    E = TypeVar("E", bound="Event")

__all__ = ["AuthCallback", "Connection", "Credential", "connect", "get_version"]


def get_version() -> tuple[int, int, int]:
    """The version of the libvirt library in use, as ``(major, minor, micro)``.

    Wraps :libvirt:`virGetVersion`.
    """
    version = ctypes.c_ulong()
    if raw.virGetVersion(ctypes.byref(version), None, None) < 0:
        raise_last_error()
    number = version.value
    return number // 1_000_000, number // 1_000 % 1_000, number % 1_000


@guard_methods
class Connection(_ConnectionMethods, _ConnectionStreamMethods, LibvirtObject):
    """A connection to a hypervisor driver (C ``virConnectPtr``), from `virt.connect`.

    Closing it (`close`, ``with``, or garbage collection) calls
    ``virConnectClose``; objects obtained through it keep it alive.
    """

    __slots__ = ("_error_handler", "_subscriptions")
    _free_function = "virConnectClose"
    _shared_after_fork = True
    _ref_function = "virConnectRef"
    _handle_type = raw.virConnectPtr


    # -- hand-written wrappers ---------------------------------------------------------

    def node_get_cpu_map(self, *, flags: int = 0) -> tuple[bool, ...]:
        """Which host CPUs are online, one bool per CPU.

        Wraps :libvirt:`virNodeGetCPUMap`.
        """
        flags = check_uint(flags, "flags")
        cpumap = raw.pointer_type(ctypes.c_ubyte)()
        count = raw.virNodeGetCPUMap(self._as_parameter_, ctypes.byref(cpumap), None, flags)
        if count < 0:
            raise_last_error()
        try:
            return cpumap_to_bools(ctypes.string_at(cpumap, (count + 7) // 8), count)
        finally:
            raw.free(cpumap)

    def node_get_cpu_stats(self, cpu_num: int, *, flags: int = 0) -> dict[str, int]:
        """Host CPU time counters (ns) for CPU *cpu_num*, or all CPUs with
        ``NodeGetCPUStatsAllCPUs.CPU_STATS_ALL_CPUS``.

        Wraps :libvirt:`virNodeGetCPUStats`.
        """
        return self._node_stats(raw.virNodeGetCPUStats, raw.virNodeCPUStats,
                                check_int(cpu_num, "cpu_num", "int"), flags)

    def node_get_memory_stats(self, cell_num: int, *, flags: int = 0) -> dict[str, int]:
        """Host memory counters (KiB) for NUMA cell *cell_num*, or the whole host
        with ``NodeGetMemoryStatsAllCells.MEMORY_STATS_ALL_CELLS``.

        Wraps :libvirt:`virNodeGetMemoryStats`.
        """
        return self._node_stats(raw.virNodeGetMemoryStats, raw.virNodeMemoryStats,
                                check_int(cell_num, "cell_num", "int"), flags)

    def _node_stats(self, function: Any, struct: Any, number: int, flags: int) -> dict[str, int]:
        flags = check_uint(flags, "flags")
        nparams = ctypes.c_int(0)
        if function(self._as_parameter_, number, None, ctypes.byref(nparams), flags) < 0:
            raise_last_error()
        params = (struct * max(nparams.value, 1))()
        if function(self._as_parameter_, number, params, ctypes.byref(nparams), flags) < 0:
            raise_last_error()
        return {decode(p.field): p.value for p in params[:nparams.value]}

    def node_get_cells_free_memory(self, start_cell: int, max_cells: int) -> list[int]:
        """Free memory in bytes of *max_cells* NUMA cells from *start_cell* (at
        most ``MAX_CELLS``).

        Wraps :libvirt:`virNodeGetCellsFreeMemory`.
        """
        start_cell = check_int(start_cell, "start_cell", "int")
        max_cells = check_int(max_cells, "max_cells", "int")
        if max_cells < 0:
            raise ValueError("max_cells must not be negative")
        max_cells = min(max_cells, MAX_CELLS)  # no host has more: no buffer for more
        memory = (ctypes.c_ulonglong * max(max_cells, 1))()
        count = raw.virNodeGetCellsFreeMemory(self._as_parameter_, memory, start_cell,
                                              max_cells)
        if count < 0:
            raise_last_error()
        return list(memory[:count])

    def node_get_free_pages(self, pages: Sequence[int], start_cell: int, cell_count: int, *,
                            flags: int = 0) -> list[dict[int, int]]:
        """Free pages of each size in *pages* (KiB), for each of *cell_count* cells
        from *start_cell*: one ``{page size: free pages}`` mapping per cell.

        Wraps :libvirt:`virNodeGetFreePages`.
        """
        sizes, npages = int_array(pages, "pages", "unsigned int")
        start_cell = check_int(start_cell, "start_cell", "int")
        cell_count = _cell_count(cell_count)
        flags = check_uint(flags, "flags")
        counts = (ctypes.c_ulonglong * max(npages * cell_count, 1))()
        filled = raw.virNodeGetFreePages(self._as_parameter_, npages, sizes, start_cell,
                                         cell_count, counts, flags)
        if filled < 0:
            raise_last_error()
        return [{sizes[i]: counts[cell * npages + i] for i in range(npages)}
                for cell in range(filled // npages if npages else 0)]

    def node_alloc_pages(self, page_sizes: Sequence[int], page_counts: Sequence[int],
                         start_cell: int, cell_count: int, *,
                         flags: NodeAllocPagesFlags | int = 0) -> int:
        """Reserve huge pages: *page_counts[i]* pages of *page_sizes[i]* KiB on each
        of *cell_count* cells from *start_cell*; returns the cells changed.

        Wraps :libvirt:`virNodeAllocPages`.
        """
        sizes, npages = int_array(page_sizes, "page_sizes", "unsigned int")
        counts, ncounts = int_array(page_counts, "page_counts", "unsigned long long")
        if npages != ncounts:
            raise ValueError("page_sizes and page_counts must have the same length")
        start_cell = check_int(start_cell, "start_cell", "int")
        cell_count = _cell_count(cell_count)
        flags = check_uint(flags, "flags")
        result = raw.virNodeAllocPages(self._as_parameter_, npages, sizes, counts, start_cell,
                                       cell_count, flags)
        if result < 0:
            raise_last_error()
        return int(result)

    def domain_create_xml_with_files(self, xml_desc: str, files: Sequence[int], *,
                                     flags: int = 0) -> Domain:
        """Create and start a transient domain, passing it the open file descriptors *files*.

        Wraps :libvirt:`virDomainCreateXMLWithFiles`.
        """
        xml = check_str(xml_desc, "xml_desc")
        fds, count = int_array(files, "files", "int")
        flags = check_uint(flags, "flags")
        handle = raw.virDomainCreateXMLWithFiles(self._as_parameter_, xml, count, fds,
                                                 flags).value
        if not handle:
            raise_last_error()
        return Domain._own(handle, self)

    def close(self) -> None:
        """Close the connection: end its event subscriptions, then release it
        (:libvirt:`virConnectClose`).  Calling it again does nothing.

        A connection whose daemon went away closes without an error; whatever
        else fails, the connection is released.
        """
        subscriptions = getattr(self, "_subscriptions", None)
        try:
            if subscriptions and self._as_parameter_ is not None:
                for subscription in list(subscriptions):
                    subscription.close()
        finally:
            super().close()

    def subscribe(self, event: type[E], callback: Callable[[E], object],
                  target: Any = None, *, qemu_event: str | None = None,
                  qemu_flags: ConnectDomainQemuMonitorEventRegisterFlags | int = 0,
                  ) -> Subscription[E]:
        """Call *callback* with each *event* (a class: `virt.DomainLifecycle`,
        `virt.NetworkLifecycle`, `virt.ConnectionClosed`, …) of this connection,
        or only those about *target* (a domain, network, pool, device or secret).

        Events are delivered only while an event loop runs
        (`virt.events.start_default_loop`, or ``virt.aio``), registered before
        the connection was opened.  *callback* runs in the loop's thread; an
        exception it raises goes to ``sys.unraisablehook``.  For
        `virt.QemuMonitorEvent`, *qemu_event* filters by event name.

        Wraps :libvirt:`virConnectDomainEventRegisterAny`,
        :libvirt:`virConnectNetworkEventRegisterAny`,
        :libvirt:`virConnectStoragePoolEventRegisterAny`,
        :libvirt:`virConnectNodeDeviceEventRegisterAny`,
        :libvirt:`virConnectSecretEventRegisterAny`,
        :libvirt:`virConnectRegisterCloseCallback` and
        :libvirt:`virConnectDomainQemuMonitorEventRegister`.
        """
        # virt.events is imported when events are first used: with its dataclasses
        # (and inspect, which dataclasses imports) it costs ~5 ms of `import virt`.
        from .events import subscribe

        return subscribe(self, event, callback, target, qemu_event=qemu_event,
                         qemu_flags=qemu_flags)

    def domain_event_register(self, callback: Callable[[DomainLifecycle], object],
                              ) -> Subscription[DomainLifecycle]:
        """libvirt's first, lifecycle-only event registration; prefer
        ``subscribe(virt.DomainLifecycle, callback)``.  Closing the returned
        subscription deregisters.

        Wraps :libvirt:`virConnectDomainEventRegister` and
        :libvirt:`virConnectDomainEventDeregister`.
        """
        from .events import register_lifecycle

        return register_lifecycle(self, callback)

    def events(self, event: type[E], target: Any = None, *,
               maxsize: int = 1000) -> EventIterator[E]:
        """An async iterator over the events of class *event* (see `subscribe`), for
        asyncio code::

            async for change in conn.events(virt.DomainLifecycle):
                ...

        Back-pressure: events wait in a queue of *maxsize*; when it is full the
        oldest is dropped (counted in ``.dropped``), so a slow consumer never
        stalls libvirt's event loop.  Closing the iterator (``aclose()``, or
        leaving an ``async with``) ends the subscription.
        """
        from .events import EventIterator

        return EventIterator(self, event, target, maxsize)

    def get_all_domain_stats(self, stats: DomainStatsTypes | int = 0, *,
                             flags: ConnectGetAllDomainStatsFlags | int = 0,
                             ) -> list[DomainStatsRecord]:
        """Statistics of every domain (or those *flags* select), *stats* saying
        which groups (0: all the driver has).

        Wraps :libvirt:`virConnectGetAllDomainStats` and
        :libvirt:`virDomainStatsRecordListFree`.
        """
        stats = check_uint(stats, "stats")
        flags = check_uint(flags, "flags")
        records = raw.pointer_type(raw.virDomainStatsRecordPtr)()
        count = raw.virConnectGetAllDomainStats(self._as_parameter_, stats,
                                                ctypes.byref(records), flags)
        if count < 0:
            raise_last_error()
        return self._take_stats(records, count)

    def domain_list_get_stats(self, domains: Sequence[Domain],
                              stats: DomainStatsTypes | int = 0, *,
                              flags: ConnectGetAllDomainStatsFlags | int = 0,
                              ) -> list[DomainStatsRecord]:
        """Statistics of *domains* (all of this connection), *stats* saying which groups.

        Wraps :libvirt:`virDomainListGetStats`.
        """
        if not hasattr(domains, "__iter__"):
            raise TypeError(f"domains must be a sequence of virt.Domain, "
                            f"not {type(domains).__name__}")
        handles = [check_handle(domain, Domain, f"domains[{i}]")
                   for i, domain in enumerate(domains)]
        array = (raw.virDomainPtr * (len(handles) + 1))(*handles)  # NULL-terminated
        stats = check_uint(stats, "stats")
        flags = check_uint(flags, "flags")
        records = raw.pointer_type(raw.virDomainStatsRecordPtr)()
        count = raw.virDomainListGetStats(array, stats, ctypes.byref(records), flags)
        if count < 0:
            raise_last_error()
        return self._take_stats(records, count)

    def _take_stats(self, records: Any, count: int) -> list[DomainStatsRecord]:
        """Records from a libvirt-allocated list, which is freed when the last
        of the records' domains goes.

        The domains borrow the list's references (`LibvirtObject._lend_all`):
        no ``virDomainRef`` per record now, no ``virDomainFree`` later.
        (Taking the references over by setting each slot to NULL instead makes
        libvirt 9.0's list free report "invalid domain pointer".)
        """
        owner = ListOwner(raw.virDomainStatsRecordListFree, records)
        read_record = _RECORD.unpack_from
        record_at = raw.virDomainStatsRecord.from_address
        try:
            handles, arrays = [], []
            for address in ctypes.cast(records, _ADDRESSES)[:count]:
                # Read in place (a view of the record, used while the list lives).
                dom, params, nparams = read_record(record_at(address))
                if not params and nparams:
                    raise ValueError(f"libvirt returned NULL statistics with "
                                     f"nparams={nparams}")
                handles.append(dom)
                arrays.append((params, nparams))
            # Decoded in bulk, while the list lives.
            stats = _params.DomainStats._unpack_many_at(arrays)
        except BaseException:
            owner.release()
            raise
        if not handles:
            owner.release()
        domains = self._wrappers.Domain._lend_all(handles, self, owner)
        # DomainStatsRecord((domain, stats)), without a classmethod call (``_make``) each.
        return list(map(tuple.__new__, repeat(_hand_records.DomainStatsRecord),
                        zip(domains, stats)))

    def last_error(self) -> Error | None:
        """The last error reported on this connection, or None.

        Wraps :libvirt:`virConnCopyLastError` and :libvirt:`virConnGetLastError`;
        prefer the exceptions every method raises.
        """
        if not raw.virConnGetLastError(self._as_parameter_):
            return None
        copy = raw.virError()
        if raw.virConnCopyLastError(self._as_parameter_, ctypes.byref(copy)) <= 0:
            raw.virResetError(ctypes.byref(copy))
            return None
        try:
            return error_from_struct(copy)
        finally:
            raw.virResetError(ctypes.byref(copy))

    def set_error_handler(self, handler: ErrorHandler | Literal["print"] | None) -> None:
        """Like `virt.errors.set_error_handler`, for the errors of this connection only.

        Wraps :libvirt:`virConnSetErrorFunc`.
        """
        from .errors import _c_handler  # virt.errors is imported when first used

        callback = _c_handler(handler)
        raw.virConnSetErrorFunc(self._as_parameter_, None, callback)
        self._error_handler = callback

    def reset_last_error(self) -> None:
        """Forget this connection's last error.  Wraps :libvirt:`virConnResetLastError`."""
        raw.virConnResetLastError(self._as_parameter_)

    def _describe(self) -> str:
        if self._as_parameter_ is None:
            return ""
        uri = raw.virConnectGetURI(self._as_parameter_)
        if uri.value is None:
            return ""
        text = decode(uri.value)
        raw.free(uri)
        return repr(redact_uri(text))


if TYPE_CHECKING:
    from ._array_records import Credential

    #: Answers a `Credential`: the text, or None when it cannot (the open then fails).
    AuthCallback = Callable[[Credential], Optional[str]]


def __getattr__(name: str) -> Any:
    # `Credential` (a NamedTuple) is made on first use, and `AuthCallback` with it.
    if name not in ("Credential", "AuthCallback"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ._array_records import Credential

    value: Any = Credential
    if name == "AuthCallback":
        from collections.abc import Callable
        from typing import Optional  # as `Credential`: only for who asks

        value = Callable[[Credential], Optional[str]]
    globals()[name] = value
    return value

#: virDomainStatsRecord as raw bytes: dom pointer, params pointer, nparams.
_RECORD = struct.Struct("PPi")
_ADDRESSES = raw.pointer_type(ctypes.c_void_p)


def _auth_struct(callback: AuthCallback, failures: list[BaseException]) -> Any:
    """A ``virConnectAuth`` asking *callback*; exceptions are kept in *failures*."""
    if not callable(callback):
        raise TypeError("auth must be a callable taking a virt.Credential")
    from ._array_records import Credential as credential

    types = [int(t) for t in _enums.ConnectCredentialType]
    credtypes = (ctypes.c_int * len(types))(*types)
    # (The credential struct is made when first needed, not at ``import virt``.)
    result_at, length_at = raw.virConnectCredential.result.offset, \
        raw.virConnectCredential.resultlen.offset

    def ask(credentials: Any, count: int, _data: Any) -> int:
        try:
            for i in range(count):
                c = credentials[i]
                answer = callback(credential(
                    _enums.ConnectCredentialType(c.type), decode(c.prompt or b""),
                    None if c.challenge is None else decode(c.challenge),
                    None if c.defresult is None else decode(c.defresult)))
                if answer is None:
                    return -1
                data = check_str(answer, "the answer to a credential")
                base = ctypes.addressof(c)
                # libvirt frees the answer with free(): it must come from malloc.
                ctypes.c_void_p.from_address(base + result_at).value = strdup(data)
                ctypes.c_uint.from_address(base + length_at).value = len(data)
            return 0
        except BaseException as exc:  # re-raised once libvirt returns
            failures.append(exc)
            return -1

    c_callback = raw.virConnectAuthCallbackPtr(ask)
    auth = raw.virConnectAuth(credtypes, len(types), c_callback, None)
    auth._keep = (credtypes, c_callback)  # alive as long as the struct
    return auth


def _uri_password(uri: str | None) -> str:
    """The password in *uri*'s user information (``user:password@host``), or ""."""
    scheme, sep, rest = (uri or "").partition("://")
    userinfo, at, _host = rest.partition("/")[0].rpartition("@")
    return userinfo.partition(":")[2] if sep and at else ""


def redact_uri(uri: str) -> str:
    """*uri* without the password of its user information
    (``qemu+ssh://alice:***@host/system``), for reprs and messages."""
    password = _uri_password(uri)
    if not password:
        return uri
    scheme, _, rest = uri.partition("://")
    authority, slash, path = rest.partition("/")
    userinfo, _, host = authority.rpartition("@")
    return f"{scheme}://{userinfo.partition(':')[0]}:***@{host}{slash}{path}"


def _scrub(error: Error, secret: str) -> Error:
    """*error* with *secret* (a URI's password, as written or percent-decoded)
    replaced in its texts."""
    if not secret:
        return error
    import urllib.parse  # ~1.5 ms to import (ipaddress with it): only for a URI with a password

    for form in {secret, urllib.parse.unquote(secret)} - {""}:
        error.message = error.message.replace(form, "***")
        error.args = (error.message,)
        for field in ("str1", "str2", "str3"):
            value = getattr(error, field)
            if value:
                setattr(error, field, value.replace(form, "***"))
    return error


#: The most NUMA cells a call asks about: libvirt's own limit (its remote
#: protocol's ``REMOTE_NODE_MAX_CELLS``).
MAX_CELLS = 1024


def _cell_count(value: Any) -> int:
    count = check_int(value, "cell_count", "unsigned int")
    if count > MAX_CELLS:
        raise ValueError(f"cell_count={count} is more than libvirt handles ({MAX_CELLS})")
    return count


#: `connect`'s default *keepalive*: a probe every 5 seconds, the peer declared
#: gone after 5 unanswered ones (about 30 seconds).  Read by each `connect`
#: that does not pass *keepalive*, so a program may set it once.
KEEPALIVE: tuple[int, int] | None = (5, 5)
_DEFAULT_KEEPALIVE = KEEPALIVE  # the default argument: stands for "KEEPALIVE now"


def connect(uri: str | None = None, *, readonly: bool = False,
            auth: AuthCallback | None = None, flags: ConnectFlags | int = 0,
            keepalive: tuple[int, int] | None = _DEFAULT_KEEPALIVE) -> Connection:
    """Open a connection to the libvirt driver named by *uri*.

    ``None`` lets libvirt choose (``LIBVIRT_DEFAULT_URI``, its configuration,
    or probing).  *readonly* asks for a read-only connection
    (``ConnectFlags.RO``).  *auth*, when the driver asks for credentials, is
    called with each `Credential` and returns the answer (None: cannot
    answer); an exception it raises is raised here.  Wraps
    :libvirt:`virConnectOpenAuth` (and so :libvirt:`virConnectOpen` and
    :libvirt:`virConnectOpenReadOnly`).

    *keepalive* ``(interval, count)``: on a connection to a daemon, while an
    event loop runs (`virt.events.start_default_loop` or `virt.aio.register`,
    called before connecting), a probe is sent after *interval* seconds of
    silence and the connection is closed after *count* probes go unanswered,
    so that a call blocked on a daemon that hangs or vanished fails with a
    `ConnectionError` after about ``interval * (count + 1)`` seconds.  The
    default is ``virt.connection.KEEPALIVE``; ``None`` leaves keepalive off.  Drivers without
    it (``test:///``, ``qemu:///`` in process) and connections opened with no
    event loop registered go without, silently.  Wraps
    :libvirt:`virConnectSetKeepAlive`.
    """
    name = check_optional_str(uri, "uri")
    flags = check_uint(flags, "flags")
    if keepalive is _DEFAULT_KEEPALIVE:
        keepalive = KEEPALIVE
    if keepalive is not None:
        if not isinstance(keepalive, tuple) or len(keepalive) != 2:
            raise TypeError("keepalive must be None or a tuple (interval, count)")
        interval = check_int(keepalive[0], "keepalive interval", "int")
        count = check_uint(keepalive[1], "keepalive count")
        if interval < 1:
            raise ValueError("keepalive interval must be at least 1 second (None: off)")
    if readonly:
        flags |= _enums.ConnectFlags.RO
    failures: list[BaseException] = []
    c_auth = None if auth is None else _auth_struct(auth, failures)
    _coexist.check_libvirt()
    handle = raw.virConnectOpenAuth(name, None if c_auth is None else ctypes.byref(c_auth),
                                    flags)
    address = handle.value  # what the wrapper keeps
    if failures:
        if handle:
            raw.virConnectClose(handle)
        raise failures[0]
    if address is None:
        raise _scrub(last_error(), _uri_password(uri))
    if keepalive is not None:
        # Local drivers have no keepalive and report that as an error: it must not
        # reach a program's error handler or libvirt's printer (virt.compat turns
        # the printer on), so this one call reports to a silent handler.
        raw.virConnSetErrorFunc(handle, None, silent_error_handler())
        try:
            if raw.virConnectSetKeepAlive(handle, interval, count) < 0:
                raw.virResetLastError()  # no keepalive here, or no event loop registered
        finally:
            raw.virConnSetErrorFunc(handle, None, raw.virErrorFunc())  # NULL: none of its own
    return Connection._own(address, None)
