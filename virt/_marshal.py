"""Conversions between Python values and C arguments and results.

Everything a caller passes is checked here before it reaches C: strings with
an embedded NUL (ctypes would cut them), integers outside the C type's range
(ctypes would wrap them), wrong types.  Results libvirt hands over are copied
and freed here.  The generated wrappers inline the fast paths and call these
functions for the rest.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
import types

from . import raw
from ._enum import member as enum_member
from ._exceptions import ClosedError, Error, new_error
from ._generated import errors as _errors
from ._lost import error_class

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    import uuid  # imported on first use: with platform, which it imports, ~1.5 ms
    from collections.abc import Callable
    from typing import Any, NoReturn, TypeVar

    from .typedparams import ParamSet

if TYPE_CHECKING:  # type variables are for mypy only: at run time annotations are text

    P = TypeVar("P", bound="ParamSet")
    C = TypeVar("C", bound=type)
    T = TypeVar("T")

__all__ = [
    "INT_RANGES",
    "check_int",
    "check_path",
    "take_param_buffer",
    "take_params",
    "check_str",
    "check_optional_str",
    "decode",
    "enum_member",
    "last_error",
    "new_record",
    "raise_last_error",
    "take_str",
    "to_uuid_bytes",
    "uuid_from_buffer",
]

#: C integer type -> (smallest, largest) value it can hold.
INT_RANGES: dict[str, tuple[int, int]] = {
    "int": (-(2**31), 2**31 - 1),
    "unsigned int": (0, 2**32 - 1),
    "long": (-(2**63), 2**63 - 1),
    "unsigned long": (0, 2**64 - 1),
    "long long": (-(2**63), 2**63 - 1),
    "unsigned long long": (0, 2**64 - 1),
    "size_t": (0, 2**64 - 1),
}


def decode(value: bytes) -> str:
    """Text from libvirt: UTF-8, undecodable bytes kept as surrogates.

    Strict UTF-8 first, here and wherever virt decodes libvirt's text: the
    same text wherever it succeeds, and ``decode()`` without arguments costs a
    third less than with them (40 ns, a seventh of ``Domain.get_name``)."""
    try:
        return value.decode()
    except UnicodeDecodeError:
        return value.decode("utf-8", "surrogateescape")


#: ``new_record(Record, values)``: a record NamedTuple of a tuple of its
#: values, without the call of its ``__new__`` (a Python function).
new_record = tuple.__new__


def check_str(value: Any, name: str) -> bytes:
    """A ``const char *`` argument: `str` to UTF-8, refusing embedded NULs."""
    if type(value) is not str:  # a subclass of str is encoded each time, never kept
        if not isinstance(value, str):
            raise TypeError(f"{name} must be str, not {type(value).__name__}")
        return _encode(value, name)
    data = _encoded.get(value)
    if data is None:
        data = _encode(value, name)
        if len(value) <= _ENCODED_LENGTH_MAX:
            if len(_encoded) >= _ENCODED_MAX:
                _encoded.clear()
            _encoded[value] = data
    return data


def _encode(value: str, name: str) -> bytes:
    data = value.encode("utf-8", "surrogateescape")
    if b"\0" in data:
        raise ValueError(f"{name} must not contain a NUL character")
    return data


#: Short strings already checked and encoded: names, UUIDs, URIs and paths come
#: back call after call (a look-up by name in a loop), and a dictionary hit is
#: cheaper than encoding again.  Bounded: emptied when full.
_encoded: dict[str, bytes] = {}
_ENCODED_MAX = 1024
_ENCODED_LENGTH_MAX = 256


def check_path(value: Any, name: str) -> bytes:
    """A file name argument: `str` or `os.PathLike`, in the file system encoding."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), "
                        f"not {type(value).__name__}")
    data = os.fsencode(value)
    if b"\0" in data:
        raise ValueError(f"{name} must not contain a NUL character")
    return data


def check_optional_str(value: Any, name: str) -> bytes | None:
    """A ``const char *`` argument that may be NULL."""
    return None if value is None else check_str(value, name)


def check_int(value: Any, name: str, ctype: str) -> int:
    """An integer argument of C type *ctype*, range-checked."""
    if not isinstance(value, int):
        index = getattr(type(value), "__index__", None)
        if index is None:
            raise TypeError(f"{name} must be int, not {type(value).__name__}")
        value = index(value)
    low, high = INT_RANGES[ctype]
    if not low <= value <= high:
        raise OverflowError(f"{name}={value} does not fit C {ctype} ({low}..{high})")
    return int(value)


def to_uuid_bytes(value: Any, name: str = "uuid") -> Any:
    """A binary UUID argument (a ``c_ubyte[16]``) from `uuid.UUID`, its string
    form or 16 bytes."""
    import uuid

    if isinstance(value, uuid.UUID):
        data = value.bytes
    elif isinstance(value, str):
        try:
            data = uuid.UUID(value).bytes
        except ValueError:
            raise ValueError(f"{name} must be a UUID, not {value!r}") from None
    elif isinstance(value, (bytes, bytearray)) and len(value) == 16:
        data = bytes(value)
    else:
        raise TypeError(f"{name} must be a uuid.UUID, a UUID string or 16 bytes")
    return UUIDBuffer.from_buffer_copy(data)


def uuid_from_buffer(buffer: Any) -> uuid.UUID:
    """The `uuid.UUID` in a filled ``VIR_UUID_BUFLEN`` buffer."""
    import uuid

    return uuid.UUID(bytes=bytes(buffer))


#: Under PyPy, whose ctypes is Python code, the garbage collector may run a
#: finalizer in the middle of a read of a string field of the thread's own
#: error struct, and the finalizer's libvirt call resets that struct, freeing
#: the very string being copied.  There errors are read from a copy of the
#: struct (`copied_last_error`).  CPython's ctypes reads each field in C.
_READ_A_COPY = sys.implementation.name != "cpython"


def copied_last_error(read: Callable[[Any], T]) -> T | None:
    """``read(error)`` of a copy of the calling thread's last error (a
    ``virError`` struct of the caller's, freed after), or None if it has none.

    Wraps :libvirt:`virCopyLastError` and :libvirt:`virResetError`."""
    copy = raw.virError()
    try:
        if raw.virCopyLastError(ctypes.byref(copy)) <= 0:
            return None
        return read(copy)
    finally:
        raw.virResetError(ctypes.byref(copy))


def unexplained() -> Error:
    """The error raised for a failure whose error is gone or was never set."""
    return _errors.InternalError("libvirt reported a failure without saying why",
                                 code=_VIR_ERR_INTERNAL_ERROR)


if _READ_A_COPY:
    def last_error() -> Error:
        """The calling thread's last libvirt error as an exception."""
        return copied_last_error(error_from_struct) or unexplained()

    def raise_error_if_set() -> None:
        """Raise the calling thread's last libvirt error, if the call just made set one."""
        error = copied_last_error(error_from_struct)
        if error is not None:
            raise error
else:
    def last_error() -> Error:
        """The calling thread's last libvirt error as an exception."""
        error = raw.virGetLastError()
        if error:
            return error_from_struct(error.contents)  # (each .contents is a struct object)
        return unexplained()

    def raise_error_if_set() -> None:
        """Raise the calling thread's last libvirt error, if the call just made set one."""
        error = raw.virGetLastError()
        if error:
            contents = error.contents
            if contents.code:
                raise error_from_struct(contents)


_VIR_ERR_INTERNAL_ERROR = 1


def error_from_struct(e: Any) -> Error:
    """An exception from a ``virError`` struct.

    Every field is read before any other Python code runs: finding the class
    may build it (and import the error classes' factories), and the garbage
    collector may meanwhile run a finalizer whose libvirt call resets this
    thread's last error.  The numbers are read in one `struct` call, each
    string (copied by ctypes as it reads the field) by its field.  A code of 0
    (the thread's error reset between the failure and this read, by such a
    finalizer) is `unexplained`: the failure is raised without its detail,
    never as an error that says "no error".
    """
    code, domain, level, int1, int2 = (_ERROR_NUMBERS or _error_numbers())[0].unpack_from(e)
    if not code:
        return unexplained()
    message, str1, str2, str3 = e.message, e.str1, e.str2, e.str3
    text = message.decode("utf-8", "surrogateescape") if message else "unknown libvirt error"
    return new_error(error_class(code, domain, text), text, code, domain, level,
                     str1, str2, str3, int1, int2)


#: Reads code, domain, level, int1 and int2 of a ``virError`` (made by the first error).
_ERROR_NUMBERS: list[struct.Struct] = []


def _error_numbers() -> list[struct.Struct]:
    layout, end = "=", 0
    for name in ("code", "domain", "level", "int1", "int2"):  # in the struct's order
        offset = getattr(raw.virError, name).offset
        layout += f"{offset - end}xi"
        end = offset + ctypes.sizeof(ctypes.c_int)
    if not _ERROR_NUMBERS:  # (another thread's, if it was first: the same)
        _ERROR_NUMBERS.append(struct.Struct(layout))
    return _ERROR_NUMBERS


def raise_last_error() -> NoReturn:
    """Raise the calling thread's last libvirt error (call right after the failure)."""
    raise last_error()


def take_str(value: raw.OwnedString) -> str:
    """Decode a string libvirt handed over and free it; NULL means failure."""
    data = value.value
    if data is None:
        raise_last_error()
    raw.free(value)
    try:  # `decode`, without the call
        return data.decode()
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape")


_UINT_MAX = 2**32 - 1


def check_uint(value: Any, name: str) -> int:
    """An ``unsigned int`` argument (most often ``flags``), range-checked."""
    if type(value) is int and 0 <= value <= _UINT_MAX:
        return value
    return check_int(value, name, "unsigned int")


def not_self(value: Any, cls: type) -> NoReturn:
    """Raise the `TypeError` of a method of the generated mixin *cls*
    (``_DomainMethods``) whose ``self``, *value*, is not a *cls*
    (``virt.Domain.get_name(network)``).

    The generated methods test ``isinstance(self, cls)`` before anything else:
    a handle is a plain ``int``, which ctypes passes for any handle type, and
    some libraries (libvirt-admin) do not check what they are given."""
    refuse_self(value, "virt." + cls.__name__.strip("_").removesuffix("Methods"))


def refuse_self(value: Any, name: str) -> NoReturn:
    """Raise the `TypeError` of a method whose ``self``, *value*, is not a *name*
    (``"virt.Domain"``, ``"virDomain"``): its handle must not reach C."""
    raise TypeError(f"self must be a {name}, not {type(value).__name__}")


def guard_methods(cls: C, name: str | None = None) -> C:
    """Make each public method *cls* defines refuse a ``self`` that is not a *cls*
    with a `TypeError` (for hand-written methods; the generated ones test
    ``isinstance`` themselves, see `not_self`).  *name*: the class to name
    (a mixin's user-facing class).  Returns *cls*, as a class decorator."""
    shown = name or cls.__name__
    for attribute, function in list(vars(cls).items()):
        if not attribute.startswith("_") and isinstance(function, types.FunctionType):
            setattr(cls, attribute, _guarded(function, cls, shown))
    return cls


_CO_COROUTINE = 0x80  # an ``async def`` function's code flag (inspect costs an import)


def _guarded(function: Any, cls: type, name: str) -> Any:
    if function.__code__.co_flags & _CO_COROUTINE:
        async def coroutine(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(self, cls):
                raise TypeError(f"self must be a virt.{name}, not {type(self).__name__}")
            return await function(self, *args, **kwargs)

        return _wraps(coroutine, function)

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self, cls):
            raise TypeError(f"self must be a virt.{name}, not {type(self).__name__}")
        return function(self, *args, **kwargs)

    return _wraps(method, function)


def _wraps(wrapper: Any, function: Any) -> Any:
    """What ``functools.wraps`` does, at a tenth of its cost (it runs for each
    guarded method at ``import virt``)."""
    wrapper.__module__ = function.__module__
    wrapper.__name__ = function.__name__
    wrapper.__qualname__ = function.__qualname__
    wrapper.__doc__ = function.__doc__
    wrapper.__annotations__ = function.__annotations__
    wrapper.__dict__.update(function.__dict__)
    wrapper.__wrapped__ = function
    return wrapper


def check_handle(value: Any, cls: type, name: str) -> Any:
    """The C handle of a wrapper argument that must be an open *cls*.

    The one check between an object argument and C: handles are plain ints,
    which ctypes passes for any handle type."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a virt.{cls.__name__}, not {type(value).__name__}")
    checked: Any = value
    if checked.closed:
        raise ClosedError(f"{name} is a closed {cls.__name__}")
    return checked._as_parameter_


#: Buffers for ``virXGetUUID`` and ``virXGetUUIDString``.
UUIDBuffer = ctypes.c_ubyte * 16
UUIDStringBuffer = ctypes.c_char * 37


def uuid_key(function: Any, handle: Any) -> bytes:
    """The binary UUID of *handle*, read with ``vir…GetUUID`` *function*."""
    buffer = UUIDBuffer()
    if function(handle, buffer) < 0:
        raise_last_error()
    return bytes(buffer)


_VoidPointerArray = raw.pointer_type(ctypes.c_void_p)
_c_char_p = ctypes.c_char_p


def take_objects(array: Any, count: int, cls: Any, parent: Any) -> list[Any]:
    """Wrap the *count* handles of a libvirt-allocated array, then free the array.

    The addresses are read out first (a slice of a ``c_void_p`` array is a
    list of ints), the array freed after.
    """
    try:
        objects: list[Any] = cls._own_all(ctypes.cast(array, _VoidPointerArray)[:count], parent)
        return objects
    finally:
        if array:
            raw.free(array)


def str_array(values: Any, name: str) -> tuple[Any, int]:
    """A ``const char **`` argument and its length, from a sequence of `str`."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of str, not a single {type(values).__name__}")
    if not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of str, not {type(values).__name__}")
    encoded = [check_str(value, f"{name}[{i}]") for i, value in enumerate(values)]
    return (ctypes.c_char_p * len(encoded))(*encoded), len(encoded)


def take_strings(array: Any, count: int) -> list[str]:
    """Decode and free the *count* strings of a libvirt-allocated array, and the array."""
    try:
        return take_names(array, count)
    finally:
        if array:
            raw.free(array)


def take_names(buffer: Any, count: int) -> list[str]:
    """Decode and free the first *count* strings libvirt stored in *buffer*
    (a ``c_void_p`` array the caller allocated)."""
    names = []
    for address in ctypes.cast(buffer, _VoidPointerArray)[:count]:
        # Read through a c_char_p: no foreign call, where ctypes.string_at is one.
        names.append(decode(_c_char_p(address).value or b""))
        raw.free(address)
    return names


def free_structs(array: Any, count: int, free_one: Callable[[Any], Any]) -> None:
    """Free each of the *count* structs of a libvirt-allocated array of
    pointers with its free function *free_one*, then the array."""
    for i in range(count):
        free_one(array[i])
    raw.free(array)


def optional_decode(value: bytes | None) -> str | None:
    """A ``char *`` that may be NULL (a struct field, an event's argument)."""
    if value is None:
        return None
    try:  # (see `decode`)
        return value.decode()
    except UnicodeDecodeError:
        return value.decode("utf-8", "surrogateescape")


def cpumap_to_bools(buffer: Any, ncpus: int) -> tuple[bool, ...]:
    """A CPU bitmap (bit ``n % 8`` of byte ``n // 8`` = CPU n) as one bool per CPU."""
    data = bytes(buffer)
    return tuple(bool(data[cpu // 8] & (1 << (cpu % 8))) for cpu in range(ncpus))


def cpumap_from_bools(cpumap: Any, name: str = "cpumap") -> tuple[Any, int]:
    """A CPU bitmap and its length in bytes, from a sequence of bools (one per CPU)."""
    if isinstance(cpumap, (str, bytes)) or not hasattr(cpumap, "__len__"):
        raise TypeError(f"{name} must be a sequence of bools, one per host CPU")
    maplen = max((len(cpumap) + 7) // 8, 1)
    buffer = (ctypes.c_ubyte * maplen)()
    for cpu, usable in enumerate(cpumap):
        if usable:
            buffer[cpu // 8] |= 1 << (cpu % 8)
    return buffer, maplen


def int_array(values: Any, name: str, ctype: str) -> tuple[Any, int]:
    """A C array of integers (``int *``, ``unsigned int *``…) and its length."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name} must be a sequence of int, not {type(values).__name__}")
    element = {"int": ctypes.c_int, "unsigned int": ctypes.c_uint,
               "unsigned long long": ctypes.c_ulonglong}[ctype]
    checked = [check_int(value, f"{name}[{i}]", ctype) for i, value in enumerate(values)]
    return (element * max(len(checked), 1))(*checked), len(checked)


def take_params(cls: type[P], params: Any, nparams: int) -> P:
    """A *cls* from a typed-parameter array libvirt allocated, which is then freed."""
    try:
        return cls._unpack(params, nparams)
    finally:
        if params:
            raw.virTypedParamsFree(params, nparams)


def take_param_buffer(cls: type[P], buffer: Any, nparams: int) -> P:
    """A *cls* from a caller-owned array libvirt filled; the strings it put in are freed."""
    return cls._take_buffer(buffer, nparams)


def scheduler_param_count(handle: Any) -> int:
    """How many scheduler parameters a domain has (from ``virDomainGetSchedulerType``)."""
    count = ctypes.c_int()
    name = raw.virDomainGetSchedulerType(handle, ctypes.byref(count))
    if name.value is None:
        raise_last_error()
    raw.free(name)
    return count.value
