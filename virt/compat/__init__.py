"""libvirt-python's API on virt's typed core: ``import virt.compat as libvirt``.

Programs written for the official binding run unchanged: the same module
functions (`open`, `openReadOnly`, `openAuth`, `registerErrorHandler`, the
``virEvent*`` functions …), the same classes (`virConnect`, `virDomain`, …)
with the same methods, parameters and results, ``VIR_*`` constants as plain
ints and strs, and `libvirtError`.  The top-level ``compat/`` distribution
installs this module as ``libvirt`` itself.

Every compat object is a core object as well, so a program migrates one call
at a time::

    import virt.compat as libvirt

    conn = libvirt.openReadOnly("test:///default")
    dom = conn.lookupByName("test")
    dom.info()            # the official list: [state, maxMem, memory, nrVirtCpu, cpuTime]
    dom.get_info()        # the core's record: virt.DomainInfo(state=DomainState.RUNNING, …)
    isinstance(dom, virt.Domain)        # True

Every exception the core raises is a `libvirtError`, and every
`libvirtError` raised through compat is still the core's typed exception
(``except LookupError`` catches "no such domain").  `as_compat` gives the
compat view of a core object.

Without a handler (`registerErrorHandler`), libvirt prints each error to
stderr, as it does under the official binding; importing this module turns
that printing back on for the process (the core alone keeps it silent).
"""

from __future__ import annotations

import ctypes as _ctypes
import sys as _sys

import virt as _virt
from virt import _coexist, _marshal
from virt import raw as _raw
from virt.raw import _library as _raw_library

from ._base import as_compat, libvirtError
from ._base import compat_class_named as _compat_class_named
from ._base import error_tuple as _error_tuple
from ._base import last_error_tuple as _last_error_tuple
from ._base import take as _take

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Callable, Optional, TypeVar, Union, overload

    from ._classes import virConnect, virDomain
    from ._classes_host import (
        virInterface,
        virNodeDevice,
        virNWFilter,
        virNWFilterBinding,
        virSecret,
    )
    from ._classes_network import virNetwork, virNetworkPort
    from ._classes_snapshots import virDomainCheckpoint, virDomainSnapshot
    from ._classes_storage import virStoragePool, virStorageVol
    from ._classes_stream import virStream
    from ._constants import *  # noqa: F403
    from ._events import (
        virEventAddHandle,
        virEventAddTimeout,
        virEventInvokeFreeCallback,
        virEventRegisterDefaultImpl,
        virEventRegisterImpl,
        virEventRemoveHandle,
        virEventRemoveTimeout,
        virEventRunDefaultImpl,
        virEventUpdateHandle,
        virEventUpdateTimeout,
    )

    # libvirt-python's module also shows these typing names; programs may use them.
    _TYPING = (Any, Callable, Optional, TypeVar, Union, overload, TracebackType)

__all__ = [  # noqa: RUF022 - in the official module's order of kinds
    "as_compat", "getVersion", "libvirtError", "open", "openAuth", "openReadOnly",
    "registerErrorHandler", "virGetLastError", "virGetLastErrorCode", "virGetLastErrorDomain",
    "virGetLastErrorMessage", "virInitialize", "virResetLastError",
    "virEventAddHandle", "virEventAddTimeout", "virEventInvokeFreeCallback",
    "virEventRegisterDefaultImpl", "virEventRegisterImpl", "virEventRemoveHandle",
    "virEventRemoveTimeout", "virEventRunDefaultImpl", "virEventUpdateHandle",
    "virEventUpdateTimeout",
    "virConnect", "virDomain", "virDomainCheckpoint", "virDomainSnapshot", "virInterface",
    "virNWFilter", "virNWFilterBinding", "virNetwork", "virNetworkPort", "virNodeDevice",
    "virSecret", "virStoragePool", "virStorageVol", "virStream",
]


#: The classes: each defined with its generated methods on first use (a
#: connection defines ``virConnect`` and ``virDomain``; ``libvirt.virNetwork``
#: or a first network, the network classes; see `_base.GROUPS`), ~0.3 ms a
#: class that a program not using it does not pay.
_CLASSES = frozenset(__all__[__all__.index("virConnect"):])


def _typing_names() -> dict[str, Any]:
    """The names libvirt-python's module has from ``typing`` (it imports them),
    and the type aliases it defines for its annotations, which other modules
    written for it (libvirtaio, test helpers) refer to: made on first use, as
    importing typing costs ~2 ms."""
    import types
    import typing

    # Any-typed: these build run-time values, which mypy cannot follow as types.
    callable_: Any = typing.Callable
    optional: Any = typing.Optional
    type_var: Any = typing.TypeVar
    t = type_var("_T")
    event_cb = callable_[[int, int, int, t], None]
    timer_cb = callable_[[int, t], None]
    return {
        "Any": typing.Any, "Callable": callable_, "Optional": optional,
        "TypeVar": typing.TypeVar, "Union": typing.Union, "overload": typing.overload,
        "TracebackType": types.TracebackType, "_T": t, "_EventCB": event_cb,
        "_EventAddHandleFunc": callable_[[int, int, event_cb, t], int],
        "_EventUpdateHandleFunc": callable_[[int, int], None],
        "_EventRemoveHandleFunc": callable_[[int], int],
        "_TimerCB": timer_cb,
        "_EventAddTimeoutFunc": callable_[[int, timer_cb, t], int],
        "_EventUpdateTimeoutFunc": callable_[[int, int], None],
        "_EventRemoveTimeoutFunc": callable_[[int], int],
        "_BlkioParameter": dict[str, typing.Any], "_MemoryParameter": dict[str, typing.Any],
        "_SchedParameter": dict[str, typing.Any], "_TypedParameter": dict[str, typing.Any],
        "_RawError": tuple[int, int, str, int, str, optional[str], optional[str], int, int],
    }


#: What `_typing_names` makes.
_TYPING_NAMES = frozenset({
    "Any", "Callable", "Optional", "TypeVar", "Union", "overload", "TracebackType", "_T",
    "_EventCB", "_EventAddHandleFunc", "_EventUpdateHandleFunc", "_EventRemoveHandleFunc",
    "_TimerCB", "_EventAddTimeoutFunc", "_EventUpdateTimeoutFunc", "_EventRemoveTimeoutFunc",
    "_BlkioParameter", "_MemoryParameter", "_SchedParameter", "_TypedParameter", "_RawError"})


def _constant_values() -> dict[str, Any]:
    """The ``VIR_*`` constants (ints and strs, by C name), from their module
    imported on first use: ~0.5 ms for the 1,484 of them."""
    from . import _constants

    return {name: value for name, value in vars(_constants).items() if name.startswith("VIR_")}


if not TYPE_CHECKING:  # for mypy, the names are those imported above
    def __getattr__(name: str) -> Any:
        namespace = globals()
        if name.startswith("VIR_") and "VIR_DOMAIN_RUNNING" not in namespace:
            namespace.update(_constant_values())
            if name not in namespace:
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        elif name in _CLASSES:
            namespace[name] = _compat_class_named(name)
        elif name.startswith("virEvent") and name in __all__:
            # The event loop functions: their module is imported on first use.
            from . import _events

            namespace[name] = getattr(_events, name)
        elif name in _TYPING_NAMES:
            for key, value in _typing_names().items():
                namespace.setdefault(key, value)  # another thread's, if it was first
        elif name == "_DomainCB":  # libvirt-python's alias for lifecycle callbacks
            # The classes, not their names: typing would compile() a name
            # (~2 ms, the process's first compile).
            namespace.setdefault(name, __getattr__("Callable")[
                [__getattr__("virConnect"), __getattr__("virDomain"), int, int,
                 __getattr__("_T")], __getattr__("Optional")[int]])
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return namespace[name]

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__, *_constant_values(), *_TYPING_NAMES, "_DomainCB"})


def _connection(conn: _virt.Connection) -> virConnect:
    return _take(conn)  # type: ignore[no-any-return]


def open(name: str | None = None) -> virConnect:  # noqa: A001 - libvirt-python's name
    """Open a read-write connection to *name* (None: libvirt's default URI,
    ``LIBVIRT_DEFAULT_URI`` first).  Wraps :libvirt:`virConnectOpen`."""
    return _connection(_virt.connect(name))


def openReadOnly(name: str | None = None) -> virConnect:  # noqa: N802
    """Open a read-only connection to *name*.  Wraps :libvirt:`virConnectOpenReadOnly`."""
    return _connection(_virt.connect(name, readonly=True))


def _auth(auth: Any) -> Any:
    """The ``virConnectAuth`` for libvirt-python's ``[credtypes, callback, opaque]``."""
    if not isinstance(auth, list) or len(auth) != 3:
        raise TypeError("auth must be a list [credential types, callback, opaque]")
    credtypes, callback, opaque = auth
    if not isinstance(credtypes, list) or not all(
            isinstance(t, int) and not isinstance(t, bool) for t in credtypes):
        raise TypeError("auth[0] must be a list of VIR_CRED_* ints")
    if not callable(callback):
        raise TypeError("auth[1] must be callable as callback(credentials, opaque)")
    def ask(credentials: Any, count: int, _data: Any) -> int:
        try:
            asked = []
            for i in range(count):
                c = credentials[i]
                asked.append([c.type, _text(c.prompt), _text(c.challenge), _text(c.defresult),
                              None])
            result = callback(asked, opaque)
            if isinstance(result, int) and result < 0:
                return -1
            for i, entry in enumerate(asked):
                answer = entry[4]
                if answer is None:
                    continue
                data = answer.encode("utf-8") if isinstance(answer, str) else bytes(answer)
                # libvirt frees the answer with free(): it must come from malloc.
                credentials[i].result = _ctypes.cast(_raw_library.strdup(data), _ctypes.c_char_p)
                credentials[i].resultlen = len(data)
            return 0
        except BaseException:  # printed as libvirt-python does; never into C
            import traceback

            kind, error, frames = _sys.exc_info()
            # From the callback's frame on, as libvirt-python shows it.
            traceback.print_exception(kind, error, frames.tb_next if frames else None)
            return -1

    types = (_ctypes.c_int * max(len(credtypes), 1))(*credtypes)
    c_callback = _raw.virConnectAuthCallbackPtr(ask)
    struct = _raw.virConnectAuth(types, len(credtypes), c_callback, None)
    struct._keep = (types, c_callback)  # alive as long as the struct
    return struct


_text = _marshal.optional_decode


def openAuth(uri: str | None, auth: list[Any], flags: int = 0) -> virConnect:  # noqa: N802
    """Open a connection, asking ``auth[1](credentials, auth[2])`` for credentials.

    *auth* is ``[credential types, callback, opaque]``; the callback gets a
    list of ``[type, prompt, challenge, default, result]`` lists and fills in
    each ``result``.  An exception in the callback fails the open: it is
    printed, and the open raises `libvirtError`.  Wraps
    :libvirt:`virConnectOpenAuth`.
    """
    from virt._marshal import check_optional_str, check_uint, raise_last_error

    name = check_optional_str(uri, "uri")
    flags = check_uint(flags, "flags")
    struct = _auth(auth)
    _coexist.check_libvirt()
    handle = _raw.virConnectOpenAuth(name, _ctypes.byref(struct), flags).value
    if not handle:
        raise_last_error()
    connection: virConnect = _compat_class_named("virConnect")._own(handle, None)
    return connection


def getVersion(name: str | None = None) -> Any:  # noqa: N802
    """libvirt's version as an int (``major * 1000000 + minor * 1000 + micro``);
    with a driver *name*, the pair (libvirt's version, the driver's).

    Wraps :libvirt:`virGetVersion`.
    """
    from virt._marshal import check_str, raise_last_error

    library = _ctypes.c_ulong()
    driver = _ctypes.c_ulong()
    if name is None:
        if _raw.virGetVersion(_ctypes.byref(library), None, None) < 0:
            raise_last_error()
        return library.value
    if _raw.virGetVersion(_ctypes.byref(library), check_str(name, "name"),
                         _ctypes.byref(driver)) < 0:
        raise_last_error()
    return (library.value, driver.value)


# -- errors ------------------------------------------------------------------------------

_handler: list[Any] = []  # the installed C callback, kept alive


def registerErrorHandler(f: Callable[[Any, Any], object] | None, ctx: Any) -> int:  # noqa: N802
    """Have libvirt call ``f(ctx, error)`` for each error (the 9-tuple of
    `libvirtError.err`) instead of printing it; ``f=None`` prints again.
    Returns 1.  Wraps :libvirt:`virSetErrorFunc`.
    """
    if f is None:
        callback = _raw.virErrorFunc()  # NULL: libvirt's own printer
    elif not callable(f):
        raise TypeError("f must be callable as f(ctx, error), or None")
    else:
        def deliver(_user_data: Any, error: Any) -> None:
            if error and error.contents.code:
                f(ctx, _error_tuple(error.contents))

        callback = _raw.virErrorFunc(deliver)
    _raw.virSetErrorFunc(None, callback)
    _handler[:] = [callback]
    return 1


def virGetLastError() -> Any:  # noqa: N802
    """The calling thread's last error as a 9-tuple, or None."""
    return _last_error_tuple()


def virGetLastErrorCode() -> int:  # noqa: N802
    """The code of the calling thread's last error (0: none)."""
    return int(_raw.virGetLastErrorCode())


def virGetLastErrorDomain() -> int:  # noqa: N802
    """The domain of the calling thread's last error (0: none)."""
    return int(_raw.virGetLastErrorDomain())


def virGetLastErrorMessage() -> str:  # noqa: N802
    """The message of the calling thread's last error (libvirt's "no error" if none)."""
    message = _raw.virGetLastErrorMessage()
    return "" if message is None else message.decode("utf-8", "surrogateescape")


def virResetLastError() -> None:  # noqa: N802
    """Forget the calling thread's last error."""
    _raw.virResetLastError()


def virInitialize() -> int:  # noqa: N802
    """Initialise libvirt (it initialises itself; kept for old programs).  Returns 0."""
    from virt._marshal import raise_last_error

    if _raw.virInitialize() < 0:
        raise_last_error()
    return 0


# libvirt-python leaves libvirt's printing of errors on: restore the printer
# (the core silences it when it loads libvirt) once libvirt is loaded, on first
# use (loading it costs ~10 ms, which a program that only imports should not pay).
_raw_library.when_loaded(lambda: registerErrorHandler(None, None))

del annotations, TYPE_CHECKING
