"""`libvirtError`: the root of every exception virt raises about libvirt.

A leaf module (it imports nothing of virt), so that ``virt.Error`` can derive
from it: every core exception is then also the ``libvirtError`` of the
compatibility layer (``virt.compat.libvirtError``), and a program written for
libvirt-python catches what the core raises with ``except libvirtError``.

A ``libvirtError`` carries libvirt's error as the 9-tuple programs know from
libvirt-python, `libvirtError.err`: ``(code, domain, message, level, str1,
str2, str3, int1, int2)``, read through the ``get_*`` methods.  Raised by the
core, the tuple is made from the exception's fields; made by a program
(``libvirtError("message")``), it is the calling thread's last libvirt error
at that moment, or None when there is none.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["ErrorTuple", "libvirtError", "set_last_error_reader"]

#: ``(code, domain, message, level, str1, str2, str3, int1, int2)``
ErrorTuple = tuple[int, int, str, int, "str | None", "str | None", "str | None", int, int]

#: Reads the calling thread's last libvirt error as an `ErrorTuple` (or None).
#: Installed by a higher layer that can reach libvirt; this module cannot.
_last_error_reader: list[Callable[[], ErrorTuple | None]] = []


#: The key under which an error read from libvirt keeps libvirt's values in
#: its ``__dict__`` (``code, domain, level, str1, str2, str3, int1, int2``, the
#: strings as bytes) until a program reads one of its fields
#: (``virt._exceptions.new_error``): `libvirtError.err` makes its tuple from them.
REPORTED = "_reported"


def text(value: bytes | None) -> str | None:
    """One of libvirt's extra strings: None where it gives NULL or nothing."""
    return value.decode("utf-8", "surrogateescape") if value else None


def set_last_error_reader(reader: Callable[[], ErrorTuple | None]) -> None:
    """Install the function `libvirtError` uses to capture the last error."""
    _last_error_reader[:] = [reader]


class libvirtError(Exception):  # noqa: N801 - libvirt-python's name
    """A libvirt error, as libvirt-python presents it.

    ``libvirtError(message)`` captures the calling thread's last libvirt
    error: its message becomes the exception's text when there is one,
    *message* otherwise.
    """

    def __init__(self, defmsg: str) -> None:
        err = _last_error_reader[0]() if _last_error_reader else None
        Exception.__init__(self, defmsg if err is None else err[2])
        self._err = err

    @property
    def err(self) -> ErrorTuple | None:
        """libvirt's error as a 9-tuple, or None when there was none."""
        fields: Any = self.__dict__
        err = fields.get("_err", fields)  # (the dict itself: no err was set)
        if err is not fields:
            return err  # type: ignore[no-any-return]
        reported = fields.get(REPORTED)
        if reported is not None and len(fields) == 2:  # read from libvirt: only the
            # message and libvirt's values, no field made (or set) yet
            code, domain, level, str1, str2, str3, int1, int2 = reported
            return (code or self.code_number, domain, fields["message"], level,  # type: ignore[attr-defined]
                    str1.decode("utf-8", "surrogateescape") if str1 else None,  # (`text`, inline)
                    str2.decode("utf-8", "surrogateescape") if str2 else None,
                    str3.decode("utf-8", "surrogateescape") if str3 else None, int1, int2)
        fields = self
        code = getattr(fields, "code", None)
        if code is None:
            return None
        return (int(code), int(fields.domain), fields.message, int(fields.level),
                fields.str1, fields.str2, fields.str3, fields.int1, fields.int2)

    @err.setter
    def err(self, value: ErrorTuple | None) -> None:
        self.__dict__["_err"] = value

    def get_error_code(self) -> int | None:
        """The error code (a ``VIR_ERR_*`` value), or None."""
        return _field(self, 0)  # type: ignore[no-any-return]

    def get_error_domain(self) -> int | None:
        """The part of libvirt that raised it (a ``VIR_FROM_*`` value), or None."""
        return _field(self, 1)  # type: ignore[no-any-return]

    def get_error_message(self) -> str | None:
        """libvirt's message, or None."""
        return _field(self, 2)  # type: ignore[no-any-return]

    def get_error_level(self) -> int | None:
        """The level (a ``VIR_ERR_WARNING``/``VIR_ERR_ERROR`` value), or None."""
        return _field(self, 3)  # type: ignore[no-any-return]

    def get_str1(self) -> str | None:
        """The first extra string libvirt gave, or None."""
        return _field(self, 4)  # type: ignore[no-any-return]

    def get_str2(self) -> str | None:
        """The second extra string libvirt gave, or None."""
        return _field(self, 5)  # type: ignore[no-any-return]

    def get_str3(self) -> str | None:
        """The third extra string libvirt gave, or None."""
        return _field(self, 6)  # type: ignore[no-any-return]

    def get_int1(self) -> int | None:
        """The first extra number libvirt gave, or None."""
        return _field(self, 7)  # type: ignore[no-any-return]

    def get_int2(self) -> int | None:
        """The second extra number libvirt gave, or None."""
        return _field(self, 8)  # type: ignore[no-any-return]


# Tracebacks and reprs name it where programs import it from.
libvirtError.__module__ = "libvirt"


def _field(error: Any, index: int) -> Any:
    """Field *index* of *error*'s 9-tuple (the getters, also when called unbound)."""
    if not isinstance(error, libvirtError):
        raise TypeError(f"expected a libvirtError, not {type(error).__name__}")
    err = error.err
    return None if err is None else err[index]
