"""Exceptions raised by virt.

Every exception about libvirt derives from `Error`.  A failing libvirt call
raises the subclass registered for its error code (``virt.NoDomainError`` for
``VIR_ERR_NO_DOMAIN``, generated for every code); the codes are grouped under
a few bases that also derive from the matching built-in exception, so plain
``except LookupError`` works for "no such domain".
"""

from __future__ import annotations

from collections.abc import Callable

from . import raw
from ._callbacks import reported
from ._exceptions import Error, LibraryNotFoundError, NotSupportedError, error_class
from ._lost import error_class as classify
from ._marshal import copied_last_error, decode, error_from_struct
from .raw._library import silent_error_handler

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any, Literal

__all__ = [
    "Error",
    "ErrorHandler",
    "LibraryNotFoundError",
    "NotSupportedError",
    "copy_last_error",
    "error_class",
    "last_error",
    "log_callback_error",
    "print_last_error",
    "reset_last_error",
    "save_last_error",
    "set_error_handler",
]

# -- the thread's last error, and error handlers ----------------------------------------
# Every failing call raises its error, so these are rarely needed: they are for
# code mixing virt with raw calls, and for libvirt's own error reporting hooks.


def last_error() -> Error | None:
    """The calling thread's last libvirt error, or None.

    Wraps :libvirt:`virGetLastErrorCode`, :libvirt:`virGetLastErrorDomain`,
    :libvirt:`virGetLastErrorMessage` and :libvirt:`virGetLastError`.
    """
    code = raw.virGetLastErrorCode()
    if code == 0:
        return None
    domain = raw.virGetLastErrorDomain()
    message = raw.virGetLastErrorMessage()
    error = raw.virGetLastError()
    extra: dict[str, Any] = {}
    if error:
        e = error.contents
        extra = {"level": e.level, "int1": e.int1, "int2": e.int2,
                 **{key: decode(value) for key in ("str1", "str2", "str3")
                    if (value := getattr(e, key)) is not None}}
    text = decode(message or b"")
    return classify(code, domain, text)(text, code=code, domain=domain, **extra)


def save_last_error() -> Error | None:
    """A detached copy of the calling thread's last error, or None.

    Wraps :libvirt:`virSaveLastError` and :libvirt:`virFreeError`.
    """
    saved = raw.virSaveLastError()
    if not saved:
        return None
    try:
        return error_from_struct(saved.contents) if saved.contents.code else None
    finally:
        raw.virFreeError(saved)


def copy_last_error() -> Error | None:
    """The calling thread's last error, copied through a caller-owned struct.

    Wraps :libvirt:`virCopyLastError` and :libvirt:`virResetError`.
    """
    return copied_last_error(error_from_struct)


def reset_last_error() -> None:
    """Forget the calling thread's last error.  Wraps :libvirt:`virResetLastError`."""
    raw.virResetLastError()


def print_last_error() -> None:
    """Print the calling thread's last error to stderr the way libvirt does.

    Wraps :libvirt:`virDefaultErrorFunc`.
    """
    raw.virDefaultErrorFunc(raw.virGetLastError())


def log_callback_error(what: str, callback: object) -> None:
    """Log the exception being handled, which *callback* (a user's function that
    libvirt called: *what*) raised, to the ``virt`` logger at level ERROR.

    Called from the C callbacks' ``except`` clauses, which then re-raise: the
    exception stops at the ctypes boundary, which hands it to
    ``sys.unraisablehook`` as well.  The ``virt`` logger has a
    ``logging.NullHandler``, so nothing is printed twice unless the program
    configures logging.
    """
    import logging  # here: the first failing callback pays for it, not import virt

    logger = logging.getLogger("virt")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.error("exception in %s %r, called by libvirt", what, callback, exc_info=True)


ErrorHandler = Callable[[Error], None]
_handlers: dict[str, Any] = {}  # keeps the installed C callbacks alive


def _c_handler(handler: ErrorHandler | Literal["print"] | None) -> Any:
    """The C callback for *handler*: None silences, ``"print"`` is libvirt's printer."""
    if handler is None:
        return silent_error_handler()
    if handler == "print":
        return raw.virErrorFunc()  # NULL: libvirt's default printer
    if not callable(handler):
        raise TypeError("handler must be callable, None or 'print'")

    def deliver(_user_data: Any, error: Any) -> None:
        # An exception raised here stops at the ctypes boundary, which reports
        # it through sys.unraisablehook: it never unwinds into libvirt.
        try:
            handler(error_from_struct(error.contents))
        except BaseException:
            log_callback_error("error handler", handler)
            raise

    return raw.virErrorFunc(reported(deliver))


def set_error_handler(handler: ErrorHandler | Literal["print"] | None) -> None:
    """Choose what libvirt does with each error as it is raised, process-wide.

    *handler* receives each error as a `virt.Error` (called in the thread
    that hit it); ``None`` (the default) silences libvirt's own reporting;
    ``"print"`` restores libvirt's printing to stderr.  Exceptions are raised
    by the failing calls either way.  Wraps :libvirt:`virSetErrorFunc`.
    """
    callback = _c_handler(handler)
    raw.virSetErrorFunc(None, callback)
    _handlers["global"] = callback

