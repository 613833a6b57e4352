"""Typed parameters: libvirt's ``virTypedParameter`` arrays as Python values.

Many libvirt calls pass settings or statistics as an array of
``virTypedParameter``: a name of at most 79 bytes, a type code and a value
(``int``, ``unsigned int``, ``long long``, ``unsigned long long``, ``double``,
boolean or string).  This module converts such arrays in both directions:

`unpack`
    reads an array into a ``dict`` of Python values (`int`, `float`, `bool`,
    `str`).  A name that occurs several times (migration's ``migrate_disks``)
    maps to a list of its values.  Domain statistics over many domains go
    through here, so it reads all values with one `struct` call, by a layout
    cached per shape of array, rather than one ctypes attribute at a time.

`pack`
    builds an array from a mapping, checking every name and value before C
    sees it.

`ParamSet`
    the base of the generated frozen dataclasses (`virt._generated.params`),
    one per family of parameters (`SchedulerParameters`, `JobStats`, …):
    each documented parameter is a field, ``None`` when absent, and names this
    package does not know are kept in `ParamSet.extra`, never dropped.

Memory: an array made by `pack` belongs to Python; the strings it points to
are kept alive by the array itself (ctypes records them in the array's
``_objects``), so it must not be passed to ``virTypedParamsFree``.  `unpack`
copies everything it returns, so an array libvirt allocated is freed with
``virTypedParamsFree`` right after it, in a ``finally``.
"""

from __future__ import annotations

import ctypes
import operator
import os
import re
import struct
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Union

from . import raw
from ._marshal import check_int, guard_methods, optional_decode, raise_last_error

if TYPE_CHECKING:
    from typing_extensions import Self  # annotations only: not imported at run time

__all__ = [
    "BOOLEAN",
    "DOUBLE",
    "INT",
    "LLONG",
    "STRING",
    "TYPE_NAMES",
    "UINT",
    "ULLONG",
    "ParamSet",
    "TypedParamList",
    "Value",
    "Values",
    "numbered",
    "pack",
    "pack_params",
    "unpack",
]

#: A single typed-parameter value.
Value = Union[int, float, bool, str]
#: What a name maps to: its value, or the list of its values if it occurs
#: several times.
Values = Union[Value, list[Value]]

INT: int = raw.VIR_TYPED_PARAM_INT
UINT: int = raw.VIR_TYPED_PARAM_UINT
LLONG: int = raw.VIR_TYPED_PARAM_LLONG
ULLONG: int = raw.VIR_TYPED_PARAM_ULLONG
DOUBLE: int = raw.VIR_TYPED_PARAM_DOUBLE
BOOLEAN: int = raw.VIR_TYPED_PARAM_BOOLEAN
STRING: int = raw.VIR_TYPED_PARAM_STRING

#: ``VIR_TYPED_PARAM_*`` code -> the type word used in the API facts.
TYPE_NAMES: dict[int, str] = {
    INT: "int", UINT: "uint", LLONG: "llong", ULLONG: "ullong",
    DOUBLE: "double", BOOLEAN: "boolean", STRING: "string",
}

#: Integer type code -> the range of its C type.
_RANGES: dict[int, tuple[int, int]] = {
    INT: (-(2**31), 2**31 - 1),
    UINT: (0, 2**32 - 1),
    LLONG: (-(2**63), 2**63 - 1),
    ULLONG: (0, 2**64 - 1),
}

#: Type code -> the member of the value union that holds it.
_MEMBERS: dict[int, str] = {
    INT: "i", UINT: "ui", LLONG: "l", ULLONG: "ul", DOUBLE: "d", BOOLEAN: "b", STRING: "s",
}

_Param = raw.virTypedParameter
_NAME_MAX = raw.VIR_TYPED_PARAM_FIELD_LENGTH - 1  # bytes, without the final NUL

# -- unpack ----------------------------------------------------------------------------
#
# Reading an array field by field through ctypes costs several Python-level
# operations per parameter: a Structure object, a union object, a branch on
# the type, a decode of the name.  Here the array is read in place, through a
# ctypes char array over the same memory, in a few C-level passes:
#
# * one `struct` call cuts out each record's name and type code; joined, they
#   are the key of the array's *layout*: a `struct.Struct` that reads every
#   value with the union member of its type in one ``unpack`` call, the
#   decoded names, and where the strings are.  Arrays of the same shape come
#   back call after call (every domain of a `virConnectGetAllDomainStats`
#   with the same devices), so layouts are cached: the last one of each
#   length is tried first, then those whose keys end the same; the whole key
#   is always compared.  A new layout is built once;
# * strings, the only values behind a pointer, are then read one by one;
# * each layout makes its results with a function of the values compiled for
#   it on first use (`_Plans`): for a short array a dict display
#   ``{k0: values[0], …}`` builds the dict at half the cost of
#   ``dict(zip(names, values))``, and a `ParamSet`'s plan puts each value
#   straight into its field or ``extra`` and converts enum fields, with
#   nothing looked up per call.
#
# Every offset and size comes from ctypes' own layout of virTypedParameter.

_SIZE = ctypes.sizeof(_Param)
_TYPE_OFFSET = _Param.type.offset
_VALUE_OFFSET = _Param.value.offset
_FIELD_LENGTH = raw.VIR_TYPED_PARAM_FIELD_LENGTH
_POINTER = {8: "Q", 4: "I"}[ctypes.sizeof(ctypes.c_void_p)]
#: Type code -> how `struct` reads a record's value ("=": native byte order
#: and no implicit alignment; every padding byte is spelled out).
_VALUE_FORMATS = {
    code: f"{_VALUE_OFFSET}x{fmt}{_SIZE - _VALUE_OFFSET - struct.calcsize('=' + fmt)}x"
    for code, fmt in ((INT, "i"), (UINT, "I"), (LLONG, "q"), (ULLONG, "Q"),
                      (DOUBLE, "d"), (BOOLEAN, "?"), (STRING, _POINTER))
}
_NAME = struct.Struct(f"={_FIELD_LENGTH}s{_SIZE - _FIELD_LENGTH}x")  # a record's name field
_TYPE = struct.Struct(f"={_TYPE_OFFSET}xi{_SIZE - _TYPE_OFFSET - 4}x")  # a record's type code
#: A record's name field and type code, as one bytes object: the layout key.
_KEY_RECORD = f"{_TYPE_OFFSET + 4}s{_SIZE - _TYPE_OFFSET - 4}x"
_KEY_TAIL = 4 * (_TYPE_OFFSET + 4)  # the key's last 4 records find the candidate layouts
_c_char = ctypes.c_char
_c_char_p = ctypes.c_char_p  # c_char_p(address).value: the C string there, as bytes
_ParamPointer = raw.pointer_type(_Param)
_addressof = ctypes.addressof


class _Layout:
    """How to read an array with given names and types."""

    __slots__ = ("key", "names", "plans", "reader", "repeated", "strings")

    def __init__(self, data: Any, nparams: int, key: bytes) -> None:
        # A copy of exactly the records (the array read may be longer).
        data = ctypes.string_at(_addressof(data), _SIZE * nparams)
        types = [t for (t,) in _TYPE.iter_unpack(data)]
        unknown = [k for k, t in enumerate(types) if t not in _VALUE_FORMATS]
        if unknown:
            name = _decode_name(_NAME.unpack_from(data, unknown[0] * _SIZE)[0])
            raise ValueError(f"typed parameter {name!r} has unknown type code "
                             f"{types[unknown[0]]}")
        self.key = key
        self.names = [_decode_name(field) for (field,) in _NAME.iter_unpack(data)]
        self.reader = struct.Struct("=" + "".join([_VALUE_FORMATS[t] for t in types]))
        self.strings = [k for k, t in enumerate(types) if t == STRING]
        self.repeated = len(set(self.names)) != len(self.names)
        self.plans = _Plans(self)


#: The last records of a layout key -> the layouts whose keys end so.
_layouts: dict[bytes, list[_Layout]] = {}
_last: dict[int, _Layout] = {}  # nparams -> the layout last read with that length
_key_readers: dict[int, struct.Struct] = {}  # nparams -> reads the layout key
_LAYOUTS_PER_TAIL = 8
_CACHED_MAX = 2048  # longer arrays are read without caching anything
#: The caches hold at most this many records' worth of layouts (and of key
#: readers); when full they are emptied: a cache, not a record.
_CACHE_PARAMS_MAX = 1 << 16
_cached = {"layouts": 0, "key_readers": 0}  # records' worth in each cache


def _decode_name(field: bytes) -> str:
    return field.partition(b"\0")[0].decode("utf-8", "surrogateescape")


def _find_layout(data: Any, nparams: int, key: bytes) -> _Layout:
    """The layout whose key is *key*, from the cache or built (and cached)."""
    tail = key[-_KEY_TAIL:]
    known = _layouts.get(tail)
    if known is not None:
        for layout in known:
            if layout.key == key:
                _last[nparams] = layout
                return layout
    layout = _Layout(data, nparams, key)
    if _cached["layouts"] + nparams > _CACHE_PARAMS_MAX:
        _layouts.clear()
        _last.clear()
        _cached["layouts"] = 0
        known = None
    if known is None:
        known = _layouts[tail] = []
    elif len(known) >= _LAYOUTS_PER_TAIL:
        _cached["layouts"] -= len(known.pop(0).names)
    known.append(layout)
    _cached["layouts"] += nparams
    _last[nparams] = layout
    return layout


def _key_reader(nparams: int) -> struct.Struct:
    """A `struct.Struct` that reads the layout key of *nparams* records."""
    if _cached["key_readers"] + nparams > _CACHE_PARAMS_MAX:
        _key_readers.clear()
        _cached["key_readers"] = 0
    reader = _key_readers[nparams] = struct.Struct("=" + _KEY_RECORD * nparams)
    _cached["key_readers"] += nparams
    return reader


def _buffer(params: Any, nparams: int) -> Any:
    """The memory of *nparams* records of *params*, without a copy: an array
    as it is (it is read with ``unpack_from``, whose length check keeps the
    reading inside it), a pointer as a char array over the records."""
    if type(params) is _ParamPointer:
        if not params:
            raise ValueError(f"NULL typed parameter array with nparams={nparams}")
        return (_c_char * (_SIZE * nparams)).from_address(_addressof(params.contents))
    if isinstance(params, ctypes.Array):
        if params._type_ is not _Param:
            raise TypeError(f"expected an array of virTypedParameter, "
                            f"not of {params._type_.__name__}")
        if nparams > len(params):
            raise ValueError(f"nparams={nparams} exceeds the array's length {len(params)}")
        return params
    if isinstance(params, ctypes._Pointer):
        raise TypeError(f"expected a pointer to virTypedParameter, "
                        f"not to {params._type_.__name__}")
    raise TypeError(f"params must be a virTypedParameter array or pointer, "
                    f"not {type(params).__name__}")


def _read(params: Any, nparams: int) -> tuple[_Layout, Any]:
    """The layout of *nparams* > 0 records at *params* and their values."""
    return _read_data(_buffer(params, nparams), nparams)


def _read_data(data: Any, nparams: int) -> tuple[_Layout, Any]:
    """`_read` of records in *data*, memory checked (by `_buffer`) to hold them."""
    if nparams > _CACHED_MAX:
        layout = _Layout(data, nparams, b"")
    else:
        reader = _key_readers.get(nparams) or _key_reader(nparams)
        key = b"".join(reader.unpack_from(data))
        layout = _last.get(nparams)  # type: ignore[assignment]
        if layout is None or layout.key != key:
            layout = _find_layout(data, nparams, key)
    values: Any = layout.reader.unpack_from(data)
    if layout.strings:
        values = list(values)
        for k in layout.strings:
            string = _c_char_p(values[k]).value or b""
            try:  # strict first: the same text where it succeeds, and cheaper
                values[k] = string.decode()
            except UnicodeDecodeError:
                values[k] = string.decode("utf-8", "surrogateescape")
    return layout, values


def _read_buffer(buffer: Any, nparams: int) -> tuple[_Layout, Any]:
    """`_read` of *buffer*, a caller-owned array that libvirt filled; the
    strings libvirt put in it are then freed (``virTypedParamsClear``, called
    only when the array holds strings: it frees nothing else)."""
    try:
        layout, values = _read_data(_buffer(buffer, nparams), nparams)
    except BaseException:
        raw.virTypedParamsClear(buffer, min(nparams, len(buffer)))
        raise
    if layout.strings:
        raw.virTypedParamsClear(buffer, nparams)
    return layout, values


def _as_dict(layout: _Layout, values: Sequence[Any]) -> dict[str, Values]:
    """A layout's values by name (`unpack`'s result)."""
    return layout.plans[dict](values)  # type: ignore[no-any-return]


def _take_buffer_dict(buffer: Any, nparams: int) -> dict[str, Values]:
    """`unpack` of a caller-owned array libvirt filled, whose strings are then freed."""
    return _as_dict(*_read_buffer(buffer, nparams)) if nparams > 0 else unpack(buffer, nparams)


def unpack(params: Any, nparams: int) -> dict[str, Values]:
    """Read *nparams* typed parameters from *params* (a ``virTypedParameter``
    array or pointer) into a ``dict``.

    Values become `int`, `float`, `bool` or `str` (UTF-8, undecodable bytes
    kept as surrogates; a NULL string reads as ``""``).  A name that occurs
    several times maps to the list of its values, in array order.  A type
    code this package does not know raises `ValueError`.  The array is only
    read: freeing it is the caller's business.
    """
    if type(nparams) is not int:
        nparams = check_int(nparams, "nparams", "int")
    if nparams <= 0:
        if nparams < 0:
            raise ValueError(f"nparams must not be negative, not {nparams}")
        return {}
    return _as_dict(*_read(params, nparams))


def _unpack_many_at(arrays: Iterable[tuple[int, int]]) -> list[dict[str, Values]]:
    """`unpack` of each (address, nparams) pair, a non-NULL array libvirt
    allocated (or ``nparams == 0``): the bulk path of domain statistics."""
    return _build_many(dict, arrays)


def _build_many(kind: type, arrays: Iterable[tuple[int, int]]) -> list[Any]:
    """*kind* (``dict`` or a `ParamSet`) made from each (address, nparams)
    array, the plan looked up only when the layout changes."""
    result: list[Any] = []
    append = result.append
    last = build = None
    for address, nparams in arrays:
        if nparams <= 0:
            mapping = unpack(None, nparams)
            append(mapping if kind is dict else kind.from_mapping(mapping))  # type: ignore[attr-defined]
            continue
        data = (_c_char * (_SIZE * nparams)).from_address(address)
        layout, values = _read_data(data, nparams)
        if layout is not last:
            last, build = layout, layout.plans[kind]
        append(build(values))  # type: ignore[misc]
    return result


def _with_lists(names: list[str], values: list[Any]) -> dict[str, Values]:
    """Names -> values, a name that occurs several times -> the list of its values."""
    grouped: dict[str, list[Any]] = {}
    for name, value in zip(names, values):
        grouped.setdefault(name, []).append(value)
    return {name: found[0] if len(found) == 1 else found for name, found in grouped.items()}


# -- pack ------------------------------------------------------------------------------


def _check_name(name: Any) -> bytes:
    if not isinstance(name, str):
        raise TypeError(f"typed parameter names must be str, not {type(name).__name__}")
    data = name.encode("utf-8", "surrogateescape")
    if not data:
        raise ValueError("a typed parameter name must not be empty")
    if b"\0" in data:
        raise ValueError(f"typed parameter name {name!r} contains a NUL character")
    if len(data) > _NAME_MAX:
        raise ValueError(f"typed parameter name {name!r} is {len(data)} bytes long; "
                         f"libvirt allows at most {_NAME_MAX}")
    return data


def _infer(name: str, value: Any) -> int:
    """The type code for a value whose name has no known type."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return LLONG if value < 0 else ULLONG
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, (str, os.PathLike)):
        return STRING
    raise TypeError(f"typed parameter {name!r}: cannot pass a {type(value).__name__}; "
                    f"expected int, float, bool or str")


def _convert(name: str, code: int, value: Any) -> Any:
    """*value* checked for type code *code*, as the union member takes it."""
    if code in _RANGES:
        if not isinstance(value, int) or isinstance(value, bool):
            index = None if isinstance(value, bool) else getattr(type(value), "__index__", None)
            if index is None:
                raise TypeError(f"typed parameter {name!r} ({TYPE_NAMES[code]}) must be "
                                f"an int, not {type(value).__name__}")
            value = index(value)
        low, high = _RANGES[code]
        if not low <= value <= high:
            shown = _SECRET_SHOWN if is_secret(name) else value
            raise OverflowError(f"typed parameter {name!r}={shown} does not fit its C type "
                                f"{TYPE_NAMES[code]} ({low}..{high})")
        return int(value)
    if code == STRING:
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogateescape")
        elif isinstance(value, os.PathLike):
            data = os.fsencode(value)
        else:
            raise TypeError(f"typed parameter {name!r} (string) must be a str, "
                            f"not {type(value).__name__}")
        if b"\0" in data:
            raise ValueError(f"typed parameter {name!r} contains a NUL character")
        return data
    if code == DOUBLE:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"typed parameter {name!r} (double) must be a float, "
                            f"not {type(value).__name__}")
        try:
            return float(value)
        except OverflowError:
            raise OverflowError(f"typed parameter {name!r}={value} does not fit a C double") \
                from None
    if code == BOOLEAN:
        if not isinstance(value, bool):
            raise TypeError(f"typed parameter {name!r} (boolean) must be a bool, "
                            f"not {type(value).__name__}")
        return b"\1" if value else b"\0"
    raise ValueError(f"typed parameter {name!r}: unknown type code {code!r}")


def pack(values: Mapping[str, Any],
         types: Mapping[str, int] | None = None) -> tuple[ctypes.Array[raw.virTypedParameter], int]:
    """Build a ``virTypedParameter`` array from *values* (name -> value).

    *types* maps names to their ``VIR_TYPED_PARAM_*`` code.  A name it does
    not list gets a type from its value: `bool` -> BOOLEAN, `int` -> LLONG if
    negative, else ULLONG, `float` -> DOUBLE, `str` (or `os.PathLike`) ->
    STRING.  A list or tuple value becomes one entry per element, all with
    that name (for parameters libvirt accepts several times).

    Everything is checked before the array is built: a value of the wrong
    Python type raises `TypeError`, an integer outside the C type's range
    `OverflowError`, a name that is empty, longer than 79 bytes or contains
    NUL, a string containing NUL, or an unknown type code `ValueError`.

    Returns the array and its length.  The array owns its strings: keep it
    alive while C uses it, and never pass it to ``virTypedParamsFree``.
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"expected a mapping of names to values, not {type(values).__name__}")
    types = types or {}
    entries: list[tuple[bytes, int, Any]] = []
    for name, value in values.items():
        field = _check_name(name)
        code = types.get(name)
        if code is not None and code not in _MEMBERS:
            raise ValueError(f"typed parameter {name!r}: unknown type code {code!r}")
        items = value if isinstance(value, (list, tuple)) else (value,)
        for item in items:
            t = _infer(name, item) if code is None else code
            entries.append((field, t, _convert(name, t, item)))
    array = (_Param * len(entries))()
    for param, (field, t, converted) in zip(array, entries):
        param.field = field
        param.type = t
        # Assigning bytes to the c_char_p member stores a reference in
        # array._objects: the string lives as long as the array.
        setattr(param.value, _MEMBERS[t], converted)
    return array, len(entries)


# -- parameter sets ----------------------------------------------------------------------

_SECRET_SHOWN = "<secret>"
_SECRET_WORDS = re.compile(r"(^|[-_.])(secret|password|passwd|passphrase)([-_.]|$)")


def is_secret(parameter: str) -> bool:
    """Whether typed parameter *parameter* carries a secret value (a launch
    secret and its header, a password, …): reprs and messages never show it."""
    return bool(_SECRET_WORDS.search(parameter)) and not parameter.endswith("address")

#: One row of `ParamSet.PARAMS`: (parameter name, field name, type code,
#: C macro naming the parameter or None, may occur several times).
ParamRow = tuple[str, str, int, Union[str, None], bool]


@guard_methods
class ParamSet:
    """Base of the generated typed-parameter dataclasses.

    Subclasses are frozen dataclasses with one field per documented
    parameter, ``None`` when the parameter is absent, and a last field
    `extra`: the parameters this package does not know (a newer libvirt's,
    or numbered names such as guest info's ``user.0.name``), by name, never
    dropped.  A field for a parameter that may occur several times holds a
    tuple.

    Class attributes, derived from the generated `PARAMS`:

    ``FIELDS``   parameter name -> field name
    ``KEYS``     field name -> parameter name
    ``TYPES``    parameter name -> ``VIR_TYPED_PARAM_*`` code
    ``MACROS``   field name -> the C macro that names the parameter
    ``MULTIPLE`` parameter names that may occur several times
    """

    PARAMS: ClassVar[tuple[ParamRow, ...]] = ()
    FIELDS: ClassVar[Mapping[str, str]] = {}
    KEYS: ClassVar[Mapping[str, str]] = {}
    TYPES: ClassVar[Mapping[str, int]] = {}
    MACROS: ClassVar[Mapping[str, str | None]] = {}
    MULTIPLE: ClassVar[frozenset[str]] = frozenset()
    _MULTIPLE_FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Fields whose values are an enum's: (field name, its members by value,
    #: a `virt._enum.Members`).
    _CONVERTERS: ClassVar[tuple[tuple[str, Mapping[int, Any]], ...]] = ()

    extra: Mapping[str, Values]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.FIELDS = {key: name for key, name, _, _, _ in cls.PARAMS}
        cls.KEYS = {name: key for key, name, _, _, _ in cls.PARAMS}
        cls.TYPES = {key: code for key, _, code, _, _ in cls.PARAMS}
        cls.MACROS = {name: macro for _, name, _, macro, _ in cls.PARAMS}
        cls.MULTIPLE = frozenset(key for key, _, _, _, multiple in cls.PARAMS if multiple)
        cls._MULTIPLE_FIELDS = tuple(cls.FIELDS[key] for key in sorted(cls.MULTIPLE))
        for name in cls.KEYS:
            if name in cls.FIELDS and cls.FIELDS[name] != name:
                raise TypeError(f"{cls.__name__}: field {name!r} is also the name of "
                                f"parameter {cls.FIELDS[name]!r}")
        if len(cls.FIELDS) != len(cls.PARAMS) or len(cls.KEYS) != len(cls.PARAMS):
            raise TypeError(f"{cls.__name__}: duplicate parameter or field names")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> Self:
        """An instance from parameter names -> values (as `virt.typedparams.unpack` returns):
        known names fill their fields, the others go to `extra`."""
        if not isinstance(mapping, Mapping):
            raise TypeError(f"mapping must be a mapping of parameter names to values, "
                            f"not {type(mapping).__name__}")
        fields = cls.FIELDS
        state: dict[str, Any] = {}
        extra: dict[str, Values] = {}
        for key, value in mapping.items():
            name = fields.get(key)
            if name is None:
                extra[key] = value
            else:
                state[name] = value
        for name in cls._MULTIPLE_FIELDS:
            value = state.get(name)
            if value is not None and not isinstance(value, tuple):
                state[name] = tuple(value) if isinstance(value, list) else (value,)
        state["extra"] = extra
        return cls._new(state)

    @classmethod
    def _new(cls, state: dict[str, Any]) -> Self:
        # What the frozen dataclass's __init__ does, minus one object.__setattr__
        # per field: a field left out of the instance's __dict__ reads as its
        # class-level default, None.
        for name, convert in cls._CONVERTERS:
            value = state.get(name)
            if value is not None:
                state[name] = convert[value]
        self = object.__new__(cls)
        object.__setattr__(self, "__dict__", state)
        return self

    def __repr__(self) -> str:
        # Secret-valued parameters (a launch secret, …) show that they are set,
        # never their value.
        keys = self.KEYS
        items = [f"{name}={_SECRET_SHOWN if is_secret(keys[name]) else repr(value)}"
                 for name in keys if (value := getattr(self, name)) is not None]
        if self.extra:
            extra = {key: _SECRET_SHOWN if is_secret(key) else value
                     for key, value in self.extra.items()}
            items.append(f"extra={extra!r}")
        return f"{type(self).__name__}({', '.join(items)})"

    def to_mapping(self) -> dict[str, Values]:
        """Parameter name -> value for every field that is set, plus `extra`
        (a field wins over an `extra` entry of the same name)."""
        result: dict[str, Values] = dict(self.extra)
        for key, name in self.FIELDS.items():
            value = getattr(self, name)
            if value is not None:
                result[key] = list(value) if isinstance(value, tuple) else value
        return result

    @classmethod
    def _unpack(cls, params: Any, nparams: int) -> Self:
        """An instance from a ``virTypedParameter`` array (see `virt.typedparams.unpack`)."""
        if nparams <= 0:
            return cls.from_mapping(unpack(params, nparams))
        layout, values = _read(params, nparams)
        return layout.plans[cls](values)  # type: ignore[no-any-return]

    @classmethod
    def _unpack_at(cls, address: int, nparams: int) -> Self:
        """An instance from the *nparams* records at *address*, a non-NULL
        array libvirt allocated."""
        return cls._unpack_many_at(((address, nparams),))[0]

    @classmethod
    def _unpack_many_at(cls, arrays: Iterable[tuple[int, int]]) -> list[Self]:
        """Instances from (address, nparams) pairs, each a non-NULL array
        libvirt allocated: the bulk path of domain statistics, one Python
        call for a thousand records."""
        return _build_many(cls, arrays)

    @classmethod
    def _take_buffer(cls, buffer: Any, nparams: int) -> Self:
        """An instance from *buffer*, a caller-owned array that libvirt filled;
        the strings libvirt put in it are then freed (``virTypedParamsClear``,
        called only when the array holds strings: it frees nothing else)."""
        if nparams <= 0:
            return cls.from_mapping(unpack(buffer, nparams))
        layout, values = _read_buffer(buffer, nparams)
        return layout.plans[cls](values)  # type: ignore[no-any-return]

    @classmethod
    def _from_values(cls, layout: _Layout, values: Sequence[Any]) -> Self:
        """An instance from a layout's values through a mapping: the plan where
        names repeat, a field holds tuples or the array is too long to cache."""
        if layout.repeated:
            return cls.from_mapping(_with_lists(layout.names, list(values)))
        return cls.from_mapping(dict(zip(layout.names, values)))


class _Plans(dict[type, Any]):
    """A layout's builders, by result type, each made on first use: the
    function of the layout's values that returns the ``dict`` (key `dict`)
    or the instance of a `ParamSet` class."""

    __slots__ = ("layout",)

    def __init__(self, layout: _Layout) -> None:
        super().__init__()
        self.layout = layout

    def __missing__(self, kind: type) -> Callable[[Sequence[Any]], Any]:
        build = self[kind] = _plan(self.layout, kind)
        return build


def _plan(layout: _Layout, kind: type) -> Callable[[Sequence[Any]], Any]:
    """The function making *kind* (``dict`` or a `ParamSet` class) from the
    values of *layout*."""
    names = layout.names
    if kind is dict:
        if layout.repeated:
            return lambda values: _with_lists(names, list(values))
        if len(names) > _DISPLAY_MAX:
            return lambda values: dict(zip(names, values))
        bindings: dict[str, Any] = {}
        return _compiled([*_dict_lines("result", bindings, "k", names, range(len(names))),
                          "return result"], bindings)
    cls: type[ParamSet] = kind
    if layout.repeated or any(cls.FIELDS.get(key) in cls._MULTIPLE_FIELDS for key in names):
        return lambda values: cls._from_values(layout, values)
    return _instance_plan(cls, names)


def _instance_plan(cls: type[ParamSet], names: list[str]) -> Callable[[Sequence[Any]], Any]:
    """A compiled plan: the values whose names are fields of *cls* fill them,
    converted where the field is an enum's, the others go to ``extra`` (what
    `ParamSet.from_mapping` does, here decided once per layout)."""
    fields, field_at, extra, extra_at = [], [], [], []
    for k, key in enumerate(names):
        name = cls.FIELDS.get(key)
        if name is None:
            extra.append(key)
            extra_at.append(k)
        else:
            fields.append(name)
            field_at.append(k)
    bindings: dict[str, Any] = {"new": object.__new__, "set_state": object.__setattr__,
                                "cls": cls, "extra": "extra"}
    return _compiled([*_dict_lines("state", bindings, "f", fields, field_at,
                                   dict(cls._CONVERTERS)),
                      *_dict_lines("state[extra]", bindings, "e", extra, extra_at),
                      "self = new(cls)",
                      "set_state(self, '__dict__', state)",
                      "return self"], bindings)


#: A dict display of at most this many items is built in one step; CPython
#: builds a longer one an item at a time, and ``dict(zip(keys, values))`` is
#: then faster (and compiles to nothing more).
_DISPLAY_MAX = 16


def _dict_lines(target: str, bindings: dict[str, Any], prefix: str, keys: Sequence[str],
                positions: Sequence[int], convert: Mapping[str, Any] | None = None,
                ) -> list[str]:
    """Source lines setting *target* to the dict of each of *keys* to the
    value at its position in ``values``, converted by ``convert[key]`` (enum
    members by value) where there is one; the keys and functions they use are added to *bindings*,
    under names made of *prefix* and a position."""
    convert = convert or {}
    conversions = [(key, k) for key, k in zip(keys, positions) if key in convert]
    for key, k in conversions:
        bindings[f"c{k}"] = convert[key]
    if len(keys) > _DISPLAY_MAX:
        bindings[f"{prefix}_keys"], bindings[f"{prefix}_pick"] = tuple(keys), _picker(positions)
        lines = [f"{target} = dict(zip({prefix}_keys, {prefix}_pick(values)))"]
        for key, k in conversions:
            bindings[f"{prefix}{k}"] = key
            lines.append(f"{target}[{prefix}{k}] = c{k}[values[{k}]]")
        return lines
    items = []
    for key, k in zip(keys, positions):
        bindings[f"{prefix}{k}"] = key
        items.append(f"{prefix}{k}: c{k}[values[{k}]]" if key in convert
                     else f"{prefix}{k}: values[{k}]")
    return [f"{target} = {{{', '.join(items)}}}"]


def _picker(positions: Sequence[int]) -> Callable[[Sequence[Any]], Sequence[Any]]:
    """A function returning the items of a sequence at *positions*, in C."""
    if len(positions) == 1:
        k = positions[0]
        return lambda values: (values[k],)
    if list(positions) == list(range(positions[0], positions[-1] + 1)):
        window = slice(positions[0], positions[-1] + 1)
        return lambda values: values[window]
    return operator.itemgetter(*positions)


def _compiled(lines: list[str], bindings: dict[str, Any]) -> Callable[[Sequence[Any]], Any]:
    """The function ``build(values)`` running *lines*, with *bindings* as
    its closure variables.

    The source is made of positions and of names chosen here only: the
    parameter names libvirt reported are values in *bindings*, never text
    that is compiled.  (As `collections.namedtuple` does, and for the same
    reason: the compiled function does the least work per call.)
    """
    body = "".join(f"        {line}\n" for line in lines)
    source = f"def plan({', '.join(bindings)}):\n    def build(values):\n{body}    return build\n"
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    return namespace["plan"](**bindings)  # type: ignore[no-any-return]


def pack_params(values: ParamSet | Mapping[str, Any], cls: type[ParamSet],
                name: str = "values") -> tuple[ctypes.Array[raw.virTypedParameter], int]:
    """A ``virTypedParameter`` array for an API that takes parameter set *cls*.

    *values* is an instance of *cls* or a mapping whose keys are parameter
    names (``"cpu_shares"``, ``"inbound.average"``) or *cls*'s field names
    (``cpu_shares``, ``inbound_average``); ``None`` values are left out.
    Known parameters get the type *cls* declares, others one inferred from
    the value (see `pack`).  *name* is the argument's name, for errors.
    """
    if not (isinstance(cls, type) and issubclass(cls, ParamSet) and cls is not ParamSet):
        raise TypeError(f"cls must be a parameter set class (virt.SchedulerParameters, …), "
                        f"not {cls!r}")
    if isinstance(values, ParamSet):
        if not isinstance(values, cls):
            raise TypeError(f"{name} must be {cls.__name__}, not {type(values).__name__}")
        return pack(values.to_mapping(), cls.TYPES)
    if not isinstance(values, Mapping):
        raise TypeError(f"{name} must be {cls.__name__} or a mapping, "
                        f"not {type(values).__name__}")
    fields, keys = cls.FIELDS, cls.KEYS
    mapping: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        key = name if name in fields else keys.get(name, name)
        if key in mapping:
            raise ValueError(f"parameter {key!r} is given twice")
        mapping[key] = value
    return pack(mapping, cls.TYPES)


_NUMBERED = re.compile(r"(\d+)\.(.+)", re.DOTALL)


def numbered(mapping: Mapping[str, Values], prefix: str) -> dict[int, dict[str, Values]]:
    """The items of a numbered family of parameters: number -> suffix -> value.

    Guest info and domain statistics name list items ``<prefix><n>.<suffix>``
    (``user.0.name``, ``user.0.login-time``, ``user.1.name``); these land in
    `ParamSet.extra`.  ``numbered(info.extra, "user.")`` returns
    ``{0: {"name": …, "login-time": …}, 1: {"name": …}}``, sorted by number
    (numbers may have gaps: IOThread statistics use the thread's id).  Nested
    families stay in their item (``fs.0.disk.1.alias`` -> ``"disk.1.alias"``
    in item 0): apply `numbered` to the item again.
    """
    if not isinstance(mapping, Mapping):
        raise TypeError(f"mapping must be a mapping (a ParamSet's extra), "
                        f"not {type(mapping).__name__}")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be str, not {type(prefix).__name__}")
    items: dict[int, dict[str, Values]] = {}
    start = len(prefix)
    for key, value in mapping.items():
        if key.startswith(prefix):
            match = _NUMBERED.fullmatch(key, start)
            if match:
                items.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return dict(sorted(items.items()))


# -- libvirt's own typed-parameter helpers ------------------------------------------


@guard_methods
class TypedParamList:
    """A typed-parameter list that libvirt itself builds and reads.

    `pack` and `ParamSet` cover what the wrappers need; this class exposes
    libvirt's ``virTypedParams*`` helpers for code that hands such a list to
    raw calls (``lst.params``, ``lst.nparams``) or wants libvirt's own parsing
    (`add_from_string`).  The list is freed on `close` or collection.
    """

    def __init__(self) -> None:
        self._params = raw.pointer_type(raw.virTypedParameter)()
        self._nparams = ctypes.c_int(0)
        self._maxparams = ctypes.c_int(0)

    @property
    def params(self) -> Any:
        """The ``virTypedParameterPtr`` (valid until the list changes or closes)."""
        return self._params

    @property
    def nparams(self) -> int:
        return self._nparams.value

    def __len__(self) -> int:
        return self._nparams.value

    def _add(self, function: Any, name: str, value: Any) -> None:
        field = _check_name(name)
        if function(ctypes.byref(self._params), ctypes.byref(self._nparams),
                     ctypes.byref(self._maxparams), field, value) < 0:
            raise_last_error()

    def add_int(self, name: str, value: int) -> None:
        """Append an INT parameter.  Wraps :libvirt:`virTypedParamsAddInt`."""
        self._add(raw.virTypedParamsAddInt, name, _convert(name, INT, value))

    def add_uint(self, name: str, value: int) -> None:
        """Append a UINT parameter.  Wraps :libvirt:`virTypedParamsAddUInt`."""
        self._add(raw.virTypedParamsAddUInt, name, _convert(name, UINT, value))

    def add_llong(self, name: str, value: int) -> None:
        """Append an LLONG parameter.  Wraps :libvirt:`virTypedParamsAddLLong`."""
        self._add(raw.virTypedParamsAddLLong, name, _convert(name, LLONG, value))

    def add_ullong(self, name: str, value: int) -> None:
        """Append a ULLONG parameter.  Wraps :libvirt:`virTypedParamsAddULLong`."""
        self._add(raw.virTypedParamsAddULLong, name, _convert(name, ULLONG, value))

    def add_double(self, name: str, value: float) -> None:
        """Append a DOUBLE parameter.  Wraps :libvirt:`virTypedParamsAddDouble`."""
        self._add(raw.virTypedParamsAddDouble, name, _convert(name, DOUBLE, value))

    def add_boolean(self, name: str, value: bool) -> None:
        """Append a BOOLEAN parameter.  Wraps :libvirt:`virTypedParamsAddBoolean`."""
        self._add(raw.virTypedParamsAddBoolean, name,
                  int(_convert(name, BOOLEAN, value) == b"\1"))

    def add_string(self, name: str, value: str) -> None:
        """Append a STRING parameter (libvirt copies it).

        Wraps :libvirt:`virTypedParamsAddString`.
        """
        self._add(raw.virTypedParamsAddString, name, _convert(name, STRING, value))

    def add_string_list(self, name: str, values: Sequence[str]) -> None:
        """Append one STRING parameter *name* per value.

        Wraps :libvirt:`virTypedParamsAddStringList`.
        """
        if isinstance(values, (str, bytes)):
            raise TypeError("values must be a sequence of str")
        encoded = [_convert(name, STRING, value) for value in values]
        array = (ctypes.c_char_p * (len(encoded) + 1))(*encoded)  # NULL-terminated
        self._add(raw.virTypedParamsAddStringList, name, array)

    def add_from_string(self, name: str, type: int, text: str) -> None:
        """Append a parameter of *type* (``VIR_TYPED_PARAM_*``) parsed by libvirt from *text*.

        Wraps :libvirt:`virTypedParamsAddFromString`.
        """
        if type not in _MEMBERS:
            raise ValueError(f"unknown typed parameter type {type!r}")
        field = _check_name(name)
        if raw.virTypedParamsAddFromString(ctypes.byref(self._params),
                                           ctypes.byref(self._nparams),
                                           ctypes.byref(self._maxparams), field, type,
                                           _convert(name, STRING, text)) < 0:
            raise_last_error()

    def _get(self, function: Any, name: str, out: Any) -> Any:
        found = function(self._params, self._nparams.value, _check_name(name), ctypes.byref(out))
        if found < 0:
            raise_last_error()
        return out.value if found else None

    def get_int(self, name: str) -> int | None:
        """The INT parameter *name*, or None.  Wraps :libvirt:`virTypedParamsGetInt`."""
        value = self._get(raw.virTypedParamsGetInt, name, ctypes.c_int())
        return None if value is None else int(value)

    def get_uint(self, name: str) -> int | None:
        """The UINT parameter *name*, or None.  Wraps :libvirt:`virTypedParamsGetUInt`."""
        value = self._get(raw.virTypedParamsGetUInt, name, ctypes.c_uint())
        return None if value is None else int(value)

    def get_llong(self, name: str) -> int | None:
        """The LLONG parameter *name*, or None.  Wraps :libvirt:`virTypedParamsGetLLong`."""
        value = self._get(raw.virTypedParamsGetLLong, name, ctypes.c_longlong())
        return None if value is None else int(value)

    def get_ullong(self, name: str) -> int | None:
        """The ULLONG parameter *name*, or None.  Wraps :libvirt:`virTypedParamsGetULLong`."""
        value = self._get(raw.virTypedParamsGetULLong, name, ctypes.c_ulonglong())
        return None if value is None else int(value)

    def get_double(self, name: str) -> float | None:
        """The DOUBLE parameter *name*, or None.  Wraps :libvirt:`virTypedParamsGetDouble`."""
        value = self._get(raw.virTypedParamsGetDouble, name, ctypes.c_double())
        return None if value is None else float(value)

    def get_boolean(self, name: str) -> bool | None:
        """The BOOLEAN parameter *name*, or None.

        Wraps :libvirt:`virTypedParamsGetBoolean`.
        """
        value = self._get(raw.virTypedParamsGetBoolean, name, ctypes.c_int())
        return None if value is None else bool(value)

    def get_string(self, name: str) -> str | None:
        """The STRING parameter *name*, or None.  Wraps :libvirt:`virTypedParamsGetString`."""
        value = self._get(raw.virTypedParamsGetString, name, ctypes.c_char_p())
        return optional_decode(value)

    def get(self, name: str) -> Values | None:
        """The parameter *name* whatever its type, or None.

        Wraps :libvirt:`virTypedParamsGet`.
        """
        param = raw.virTypedParamsGet(self._params, self._nparams.value, _check_name(name))
        if not param:
            return None
        return unpack(param, 1)[name]

    def to_mapping(self) -> dict[str, Values]:
        """Every parameter by name (repeated names as lists)."""
        return unpack(self._params, self._nparams.value) if self._nparams.value else {}

    def clear(self) -> None:
        """Free every parameter's strings and empty the list.

        Wraps :libvirt:`virTypedParamsClear` (the list keeps its memory for
        reuse; `close` frees it).
        """
        if self._params:
            raw.virTypedParamsClear(self._params, self._nparams.value)
            self._nparams.value = 0

    def close(self) -> None:
        """Free the list.  Wraps :libvirt:`virTypedParamsFree`."""
        params, self._params = self._params, raw.pointer_type(raw.virTypedParameter)()
        if params:
            raw.virTypedParamsFree(params, self._nparams.value)
        self._nparams.value = self._maxparams.value = 0

    def __del__(self) -> None:
        if getattr(self, "_params", None):
            self.close()

    def __enter__(self) -> TypedParamList:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
