"""Exceptions raised by virt.

Every exception about libvirt derives from `Error`.  A failing libvirt call
raises the subclass registered for its error code (``virt.NoDomainError`` for
``VIR_ERR_NO_DOMAIN``, generated for every code); the codes are grouped under
a few bases that also derive from the matching built-in exception, so plain
``except LookupError`` works for "no such domain".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ._libvirt_error import libvirtError

__all__ = [
    "Error",
    "ErrorHandler",
    "LibraryNotFoundError",
    "NotSupportedError",
    "copy_last_error",
    "error_class",
    "last_error",
    "print_last_error",
    "reset_last_error",
    "save_last_error",
    "set_error_handler",
]

#: error code -> the class raised for it (filled by ``Error.__init_subclass__``)
_BY_CODE: dict[int, type[Error]] = {}


class Error(libvirtError):
    """A libvirt error, with everything ``virError`` carries.

    :ivar code: what went wrong, a `virt.ErrorNumber`
    :ivar domain: the part of libvirt that reported it, a `virt.ErrorDomain`
    :ivar message: libvirt's human-readable message
    :ivar level: a `virt.ErrorLevel`
    :ivar str1, str2, str3, int1, int2: extra information, as libvirt gives it
    """

    #: The error code this class stands for (0 for the base and the groups).
    code_number: ClassVar[int] = 0

    def __init_subclass__(cls, code: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code_number = code
            _BY_CODE[code] = cls

    def __init__(self, message: str, *, code: int = 0, domain: int = 0, level: int = 2,
                 str1: str | None = None, str2: str | None = None, str3: str | None = None,
                 int1: int = 0, int2: int = 0) -> None:
        from ._generated.enums import ErrorDomain, ErrorLevel, ErrorNumber

        Exception.__init__(self, message)  # not libvirtError's: it reads the last error
        self.message = message
        self.code = ErrorNumber(code or self.code_number)
        self.domain = ErrorDomain(domain)
        self.level = ErrorLevel(level)
        self.str1, self.str2, self.str3 = str1, str2, str3
        self.int1, self.int2 = int1, int2

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code.name})"

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"code": int(self.code), "domain": int(self.domain), "level": int(self.level),
                  "str1": self.str1, "str2": self.str2, "str3": self.str3,
                  "int1": self.int1, "int2": self.int2}
        return _rebuild, (type(self), self.message, fields)


def _rebuild(cls: type[Error], message: str, fields: dict[str, Any]) -> Error:
    return cls(message, **fields)


def error_class(code: int) -> type[Error]:
    """The exception class raised for libvirt error *code*."""
    return _BY_CODE.get(code, Error)


class NotSupportedError(Error):
    """The loaded libvirt lacks a function (it is older than the one that added it).

    :ivar function: the C function's name
    :ivar added: the libvirt version that added it, e.g. ``"9.0.0"``
    :ivar loaded: the version of the libvirt library in use
    """

    def __init__(self, function: str, added: str, loaded: str) -> None:
        super().__init__(
            f"{function}() needs libvirt >= {added}, but the loaded libvirt is {loaded}",
            code=3,  # VIR_ERR_NO_SUPPORT
        )
        self.function = function
        self.added = added
        self.loaded = loaded

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.function, self.added, self.loaded)


class LibraryNotFoundError(Error, OSError):
    """The libvirt C library (or one of its companions) could not be loaded."""

    def __init__(self, message: str) -> None:
        Error.__init__(self, message, code=38)  # VIR_ERR_SYSTEM_ERROR

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.message,)


# -- the thread's last error, and error handlers ----------------------------------------
# Every failing call raises its error, so these are rarely needed: they are for
# code mixing virt with raw calls, and for libvirt's own error reporting hooks.


def last_error() -> Error | None:
    """The calling thread's last libvirt error, or None.

    Wraps :libvirt:`virGetLastErrorCode`, :libvirt:`virGetLastErrorDomain`,
    :libvirt:`virGetLastErrorMessage` and :libvirt:`virGetLastError`.
    """
    from . import raw
    from ._marshal import decode

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
    return error_class(code)(decode(message or b""), code=code, domain=domain, **extra)


def save_last_error() -> Error | None:
    """A detached copy of the calling thread's last error, or None.

    Wraps :libvirt:`virSaveLastError` and :libvirt:`virFreeError`.
    """
    from . import raw
    from ._marshal import error_from_struct

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
    import ctypes

    from . import raw
    from ._marshal import error_from_struct

    copy = raw.virError()
    try:
        if raw.virCopyLastError(ctypes.byref(copy)) <= 0:
            return None
        return error_from_struct(copy)
    finally:
        raw.virResetError(ctypes.byref(copy))


def reset_last_error() -> None:
    """Forget the calling thread's last error.  Wraps :libvirt:`virResetLastError`."""
    from . import raw

    raw.virResetLastError()


def print_last_error() -> None:
    """Print the calling thread's last error to stderr the way libvirt does.

    Wraps :libvirt:`virDefaultErrorFunc`.
    """
    from . import raw

    raw.virDefaultErrorFunc(raw.virGetLastError())


ErrorHandler = Callable[[Error], None]
_handlers: dict[str, Any] = {}  # keeps the installed C callbacks alive


def _c_handler(handler: ErrorHandler | str | None) -> Any:
    """The C callback for *handler*: None silences, ``"print"`` is libvirt's printer."""
    from . import raw
    from ._marshal import error_from_struct

    if handler is None:
        from .raw._library import _error_handler

        return _error_handler
    if handler == "print":
        return raw.virErrorFunc()  # NULL: libvirt's default printer
    if not callable(handler):
        raise TypeError("handler must be callable, None or 'print'")

    def deliver(_user_data: Any, error: Any) -> None:
        # An exception raised here stops at the ctypes boundary, which reports
        # it through sys.unraisablehook: it never unwinds into libvirt.
        handler(error_from_struct(error.contents))

    return raw.virErrorFunc(deliver)


def set_error_handler(handler: ErrorHandler | str | None) -> None:
    """Choose what libvirt does with each error as it is raised, process-wide.

    *handler* receives each error as a `virt.Error` (called in the thread
    that hit it); ``None`` (the default) silences libvirt's own reporting;
    ``"print"`` restores libvirt's printing to stderr.  Exceptions are raised
    by the failing calls either way.  Wraps :libvirt:`virSetErrorFunc`.
    """
    from . import raw

    callback = _c_handler(handler)
    raw.virSetErrorFunc(None, callback)
    _handlers["global"] = callback

