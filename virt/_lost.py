"""Which libvirt errors mean that the connection is gone.

Most do by their code alone, and their generated classes already derive from
`virt.ConnectionLostError` (``VIR_ERR_RPC``, ``VIR_ERR_NO_CONNECT``, …).  Two
codes mean it only when libvirt's RPC layer reports them: a system call on
the socket failing (``VIR_ERR_SYSTEM_ERROR``: end of file, connection reset,
broken pipe) and a call on a socket already closed (``VIR_ERR_INTERNAL_ERROR``,
whose only distinction is its message).  `error_class` picks the classes
below for those, so that ``except ConnectionError`` catches every lost
connection while ``except virt.SystemCallError`` still works.
"""

from __future__ import annotations

import _thread

from ._exceptions import _BY_CODE, Error
from ._exceptions import error_class as _by_code

__all__ = ["ClosedSocketError", "SocketSystemError", "error_class"]

_VIR_FROM_RPC = 7
_VIR_FROM_REMOTE = 13
_VIR_ERR_INTERNAL_ERROR = 1
_VIR_ERR_SYSTEM_ERROR = 38

#: The messages of the RPC layer's internal errors that mean the socket is closed
#: (libvirt gives them no code of their own), without the "internal error: " prefix.
_CLOSED_SOCKET_MESSAGES = ("client socket is closed",
                           "connection closed due to keepalive timeout")


def _define() -> dict[str, type[Error]]:
    # Made when first used, as their generated bases are: building those at
    # ``import virt`` cost the error classes' factories (~0.3 ms).
    from ._generated.errors import ConnectionLostError, InternalError, SystemCallError

    class SocketSystemError(SystemCallError, ConnectionLostError):
        """A system call on the connection's socket failed (libvirt's RPC layer
        reports ``VIR_ERR_SYSTEM_ERROR``): the daemon could not be reached, or it
        went away (end of file, connection reset, broken pipe).  Both a
        `virt.SystemCallError` and a `ConnectionError`."""

    class ClosedSocketError(InternalError, ConnectionLostError):
        """A call on a connection whose socket is closed: the daemon went away, or
        did not answer keepalive probes (libvirt's RPC layer reports
        ``VIR_ERR_INTERNAL_ERROR`` "client socket is closed" or "connection closed
        due to keepalive timeout").  Both a `virt.InternalError` and a
        `ConnectionError`."""

    for cls in (SocketSystemError, ClosedSocketError):
        cls.__qualname__ = cls.__name__
    return {"SocketSystemError": SocketSystemError, "ClosedSocketError": ClosedSocketError}


_made: dict[str, type[Error]] = {}
_lock = _thread.allocate_lock()


def _class(name: str) -> type[Error]:
    if not _made:
        with _lock:
            if not _made:
                _made.update(_define())
    return _made[name]


TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:  # the classes as mypy sees them; at run time, made by _define
    from typing import Any

    from ._generated.errors import ConnectionLostError, InternalError, SystemCallError

    class SocketSystemError(SystemCallError, ConnectionLostError): ...

    class ClosedSocketError(InternalError, ConnectionLostError): ...

else:

    def __getattr__(name: str) -> Any:
        if name not in ("SocketSystemError", "ClosedSocketError"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = cls = _class(name)
        return cls


def error_class(code: int, domain: int, message: str) -> type[Error]:
    """The exception class for a libvirt error with *code* from *domain*."""
    if domain == _VIR_FROM_RPC or domain == _VIR_FROM_REMOTE:
        if code == _VIR_ERR_SYSTEM_ERROR:
            return _class("SocketSystemError")
        if code == _VIR_ERR_INTERNAL_ERROR and message.endswith(_CLOSED_SOCKET_MESSAGES):
            return _class("ClosedSocketError")
    cls = _BY_CODE.get(code)  # built by the first error of its code: every raise comes here
    return cls if cls is not None else _by_code(code)
