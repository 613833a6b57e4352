"""The base exceptions: the bottom layer of virt, importing nothing above it.

`Error` carries everything libvirt's ``virError`` does; each error code has
its own subclass (generated in ``virt/_generated/errors.py``, registered here by
code).  `NotSupportedError` and `LibraryNotFoundError` are raised by the raw
layer, `ClosedError` by the object layer; all are re-exported by `virt`.
"""

from __future__ import annotations

from ._enum import Members, converter
from ._generated import enums as _enums
from ._libvirt_error import REPORTED, libvirtError, text

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:  # annotations are text: these names are for mypy and the docs
    from collections.abc import Callable
    from typing import Any, ClassVar

    from ._generated.enums import ErrorDomain, ErrorLevel, ErrorNumber

__all__ = ["ClosedError", "Error", "LibraryNotFoundError", "NotSupportedError", "error_class",
           "new_error"]

#: error code -> the class raised for it (filled by ``Error.__init_subclass__``)
_BY_CODE: dict[int, type[Error]] = {}
#: The generated classes are made on first use: ``virt._generated.errors`` puts
#: here the function that finds (and builds) the class of a code, or None.
_GENERATED_CLASS: list[Callable[[int], type[Error] | None]] = []


class Error(libvirtError):
    """A libvirt error, with everything ``virError`` carries (its attributes)."""

    #: What went wrong.
    code: ErrorNumber
    #: The part of libvirt that reported it.
    domain: ErrorDomain
    #: libvirt's human-readable message (also ``str(error)``).
    message: str
    #: How serious libvirt says it is.
    level: ErrorLevel
    #: Extra information, as libvirt gives it (None when absent).
    str1: str | None
    #: Extra information, as libvirt gives it (None when absent).
    str2: str | None
    #: Extra information, as libvirt gives it (None when absent).
    str3: str | None
    #: Extra information, as libvirt gives it.
    int1: int
    #: Extra information, as libvirt gives it.
    int2: int

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
        Exception.__init__(self, message)  # not libvirtError's: it reads the last error
        fields = _fields(message, code or self.code_number, domain, level,
                         str1, str2, str3, int1, int2)
        if self.__dict__:  # a subclass set attributes of its own before calling this
            self.__dict__.update(fields)
        else:
            self.__dict__ = fields

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code.name})"

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"code": int(self.code), "domain": int(self.domain), "level": int(self.level),
                  "str1": self.str1, "str2": self.str2, "str3": self.str3,
                  "int1": self.int1, "int2": self.int2}
        return _rebuild, (type(self), self.message, fields)


#: The members of `ErrorNumber`, `ErrorDomain`, `ErrorLevel` by value (`virt._enum.Members`):
#: made by the first error, not at ``import virt``.
_TO_ENUMS: list[Members] = []


def _enum_converters() -> list[Members]:
    if not _TO_ENUMS:  # another thread may have made them meanwhile: the same ones
        _TO_ENUMS[:] = [converter(_enums.ErrorNumber), converter(_enums.ErrorDomain),
                        converter(_enums.ErrorLevel)]
    return _TO_ENUMS


def _fields(message: str, code: int, domain: int, level: int, str1: str | None,
            str2: str | None, str3: str | None, int1: int, int2: int) -> dict[str, Any]:
    """An error's attributes, as its ``__dict__`` (one step where nine
    attribute stores cost twice as much: every raise of a libvirt error
    comes here)."""
    to_code, to_domain, to_level = _TO_ENUMS or _enum_converters()
    return {"message": message, "code": to_code[code], "domain": to_domain[domain],
            "level": to_level[level], "str1": str1, "str2": str2, "str3": str3,
            "int1": int1, "int2": int2}


class _Reported:
    """An `Error` field, made on first read from what libvirt reported.

    An error read from libvirt (`new_error`) keeps libvirt's numbers and bytes
    until a program reads one of its fields, and then makes that one: most
    errors are caught and dropped unread (a failed look-up), and making all
    the enum members and strings was a fifth of the cost of each raise.  A
    non-data descriptor: a field in the instance's ``__dict__`` (once read, and
    every field of an error made by its constructor) never comes here.
    """

    __slots__ = ("index", "make", "name")

    def __init__(self, name: str, index: int, make: Callable[[Error, Any], Any]) -> None:
        self.name, self.index, self.make = name, index, make

    def __get__(self, error: Error | None, owner: type | None = None) -> Any:
        if error is None:  # an instance attribute only, as its annotation says
            raise AttributeError(self.name)
        fields = error.__dict__
        reported = fields.get(REPORTED)
        if reported is None:  # a subclass's __init__ did not call Error's
            raise AttributeError(f"{type(error).__name__!r} object has no attribute "
                                 f"{self.name!r}")
        value = fields[self.name] = self.make(error, reported[self.index])
        return value


def _code(error: Error, value: int) -> Any:  # an ErrorNumber
    return (_TO_ENUMS or _enum_converters())[0][value or error.code_number]


def _domain(error: Error, value: int) -> Any:  # an ErrorDomain
    return (_TO_ENUMS or _enum_converters())[1][value]


def _level(error: Error, value: int) -> Any:  # an ErrorLevel
    return (_TO_ENUMS or _enum_converters())[2][value]


def _str(error: Error, value: bytes | None) -> str | None:
    return text(value)


def _int(error: Error, value: int) -> int:
    return value


#: The fields, in the order of `REPORTED`'s values, and what makes each.
_MAKERS: tuple[tuple[str, Callable[[Error, Any], Any]], ...] = (
    ("code", _code), ("domain", _domain), ("level", _level), ("str1", _str), ("str2", _str),
    ("str3", _str), ("int1", _int), ("int2", _int))
for _index, (_name, _make) in enumerate(_MAKERS):
    setattr(Error, _name, _Reported(_name, _index, _make))
del _index, _name, _make


def new_error(cls: type[Error], message: str, code: int, domain: int, level: int,
              str1: bytes | None, str2: bytes | None, str3: bytes | None,
              int1: int, int2: int) -> Error:
    """The *cls* error libvirt reported: ``cls(message, code=code, …)`` with
    *str1* to *str3* as libvirt gives them (bytes, or None).

    Where *cls* keeps `Error`'s ``__init__``, without calling it: the error
    keeps the values as they are until one is read (`_Reported`)."""
    if cls.__init__ is not _ERROR_INIT:
        return cls(message, code=code, domain=domain, level=level, str1=text(str1),
                   str2=text(str2), str3=text(str3), int1=int1, int2=int2)
    error = cls.__new__(cls, message)
    error.args = (message,)  # what Exception.__init__ sets (OSError.__new__ leaves it to it)
    error.__dict__ = {"message": message,
                      REPORTED: (code, domain, level, str1, str2, str3, int1, int2)}
    return error


def _rebuild(cls: type[Error], message: str, fields: dict[str, Any]) -> Error:
    return cls(message, **fields)


def error_class(code: int) -> type[Error]:
    """The exception class raised for libvirt error *code*."""
    if not isinstance(code, int):
        raise TypeError(f"code must be int, not {type(code).__name__}")
    cls = _BY_CODE.get(code)
    if cls is None:
        cls = _GENERATED_CLASS[0](code) if _GENERATED_CLASS else None
    return cls if cls is not None else Error


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


class ClosedError(Error, ValueError):
    """An object was used after ``close()`` (like I/O on a closed file).

    Its code is ``VIR_ERR_INVALID_ARG``: the object is an argument libvirt
    could not use (the class is not the one `error_class` gives for that code).
    """

    code_number = 8  # VIR_ERR_INVALID_ARG, set without registering the class for it


_ERROR_INIT = Error.__init__
