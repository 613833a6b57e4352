"""Hand-written building blocks the generated raw modules use."""

from __future__ import annotations

import _thread  # not threading: ~0.5 ms to import, and a lock is all this needs
import ctypes
import sys
from _collections_abc import Mapping  # collections.abc's: that imports collections (~0.5 ms)
from ctypes import CFUNCTYPE, Structure, Union, c_char_p, c_void_p

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, Callable, ClassVar

    from typing_extensions import TypeAlias  # annotations only: not imported at run time

__all__ = ["CArg", "Handle", "OwnedString", "Prototype", "Prototypes", "lazy_constants",
           "lazy_types", "pointer_type"]


# ctypes makes the pointer type of a type on first request and caches it, but
# PyPy's ctypes (pure Python) checks and fills the cache without a lock, and
# CPython's can let another thread in between (a collection on allocation runs
# finalizers, ours call libvirt without the GIL).  Two threads asking first
# then get two distinct ``LP_virDomainPtr`` classes, and a function whose
# argtypes hold one refuses an argument made from the other.  Every pointer
# type virt makes comes from here: made once, under a lock.
_pointer_types: dict[Any, Any] = {}
_pointer_lock = _thread.allocate_lock()


def pointer_type(target: Any) -> Any:
    """``ctypes.POINTER(target)``, the same class in every thread.

    The first request for a type makes it under a lock, so threads asking at
    once all get one class (the one ``ctypes.POINTER`` returns afterwards
    too); later requests are a dictionary look-up.
    """
    try:
        return _pointer_types[target]
    except KeyError:
        pass
    with _pointer_lock:
        made = _pointer_types.get(target)
        if made is None:
            made = _pointer_types[target] = ctypes.POINTER(target)
        return made


class Handle(c_void_p):
    """Base of the handle types (``virConnectPtr``, ``virDomainPtr``, …).

    Each libvirt object type gets its own subclass, so ctypes refuses a
    ``virNetworkPtr`` where a ``virDomainPtr`` is expected.  As a subclass of
    a simple type it is not converted to ``int`` when returned: the address is
    ``.value`` and a NULL handle is falsy.
    """

    #: The virt class that wraps this type of handle (set by the object layer).
    _wrapper: ClassVar[type]

    def __repr__(self) -> str:
        address = self.value
        return f"<{type(self).__name__} {'NULL' if address is None else hex(address)}>"

    if sys.implementation.name != "cpython":
        # CPython's ctypes refuses a handle of another type for an argument of
        # this one; PyPy's passes it on (and libvirt-admin, for one, crashes on
        # a foreign object).  This does what CPython does, where it is needed.
        @classmethod
        def from_param(cls, value: Any) -> Any:
            if isinstance(value, Handle) and not isinstance(value, cls):
                raise TypeError(f"expected {cls.__name__} instance instead of "
                                f"{type(value).__name__}")
            return c_void_p.from_param(value)


class OwnedString(c_char_p):
    """A ``char *`` that libvirt hands over to the caller, who must ``free()`` it.

    ctypes would turn a plain ``c_char_p`` result into ``bytes`` and lose the
    pointer, leaking the string; this subclass keeps it: read ``.value``, then
    pass the object itself to ``free``.
    """


#: Anything ctypes accepts for a pointer parameter: a ctypes pointer or array,
#: ``byref(...)``, a callback object, ``None`` for NULL.
CArg: TypeAlias = "Any"

#: One generated record per C function: the library that exports it, the
#: libvirt version that added it, the ctypes restype and the argtypes.
Prototype: TypeAlias = "tuple[str, str, Any, tuple[Any, ...]]"


# -- built on first use ------------------------------------------------------------
#
# The generated ``_types`` and ``_functions`` keep most ctypes types and every
# prototype as compact text, turned into ctypes objects the first time a name is
# used: ``import virt`` then creates a handful of the ~200 structs, typedefs and
# callback types, and none of the 568 prototype tuples.
#
# A type is written as a name, with one ``*`` in front per level of pointer and
# ``[N]`` behind for an array of N: ``**virTypedParameter`` is
# ``POINTER(POINTER(virTypedParameter))``, ``c_char[65]`` is ``c_char * 65``,
# ``None`` is ``None`` (a ``void`` result).

#: ``(kind, docstring, fields)``: kind ``"S"`` (struct) or ``"U"`` (union),
#: fields ``"name type, name type"`` or ``None`` for an opaque struct.
StructSpec: TypeAlias = "tuple[str, str, str | None]"


def lazy_types(namespace: dict[str, Any], structs: dict[str, StructSpec],
               callbacks: dict[str, str], aliases: dict[str, str],
               handles: dict[str, str] | None = None,
               ) -> tuple[Callable[[str], Any], Callable[[], list[str]], Callable[[str], Any]]:
    """``(__getattr__, __dir__, resolve)`` for the generated ``_types`` module.

    *structs*, *callbacks* (``"restype argtype …"``), *aliases* (one type) and
    *handles* (handle class -> the C type it points to: a `Handle` subclass
    each) are built on first access and then cached in *namespace*, so later
    look-ups are plain module attribute hits.  ``resolve`` turns one type
    written as above into its ctypes type.
    """
    handles = handles or {}
    module_name = namespace["__name__"]
    lock = _thread.RLock()  # re-entrant: a struct's fields build other types

    def lookup(name: str) -> Any:
        if name.startswith("c_"):
            return getattr(ctypes, name)
        if name == "None":
            return None
        value = namespace.get(name)
        return value if value is not None else __getattr__(name)

    def resolve(spec: str) -> Any:
        name, _, length = spec.partition("[")
        base = name.lstrip("*")
        value = lookup(base)
        for _ in range(len(name) - len(base)):
            value = pointer_type(value)
        return value * int(length[:-1]) if length else value

    # Structs whose fields are being resolved, for a field that points back to
    # its struct: only the thread building them (holding the lock) sees them.
    # Published before its fields, another thread could make a struct of size
    # 0 for libvirt to write into (seen as heap corruption under PyPy).
    incomplete: dict[str, Any] = {}

    def build_struct(name: str, kind: str, doc: str, fields: str | None) -> Any:
        cls: Any = type(name, (Structure if kind == "S" else Union,),
                   {"__doc__": doc, "__module__": module_name})
        incomplete[name] = cls
        try:
            if fields is not None:
                pairs = [field.split(" ") for field in fields.split(", ")]
                cls._fields_ = [(field, resolve(ctype)) for field, ctype in pairs]
        finally:
            del incomplete[name]
        return cls

    def __getattr__(name: str) -> Any:
        with lock:
            if name in namespace:  # built by another thread, or by a field, meanwhile
                return namespace[name]
            if name in incomplete:  # a field of the struct being built, pointing back
                return incomplete[name]
            if name in structs:
                value = build_struct(name, *structs[name])
            elif name in handles:
                value = type(name, (Handle,), {
                    "__doc__": f"``{handles[name]} *``, a reference to a libvirt object "
                               "(NULL is falsy).",
                    "__module__": module_name})
            elif name in callbacks:
                value = CFUNCTYPE(*map(resolve, callbacks[name].split(" ")))
            elif name in aliases:
                value = resolve(aliases[name])
            else:
                raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
            namespace[name] = value
            return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *structs, *callbacks, *aliases, *handles})

    return __getattr__, __dir__, resolve


class Prototypes(Mapping[str, Prototype]):
    """C function name -> `Prototype`, each built from its text on first access.

    *specs* holds one ``name library added restype argtype …`` line per
    function, between newlines, with the types written as for `lazy_types`
    (one text: a dict of 568 strings cost ~0.1 ms of ``import virt``); a line
    is found when its function is first used.  *libraries* expands the short
    library names.
    """

    def __init__(self, specs: str, libraries: dict[str, str],
                 resolve: Callable[[str], Any]) -> None:
        self._specs = specs
        self._libraries = libraries
        self._resolve = resolve
        self._built: dict[str, Prototype] = {}
        self._names: list[str] = []

    def _spec(self, name: object) -> str | None:
        if not isinstance(name, str) or not name.isidentifier():
            return None
        start = self._specs.find(f"\n{name} ")
        if start < 0:
            return None
        start += len(name) + 2
        return self._specs[start:self._specs.index("\n", start)]

    def __getitem__(self, name: str) -> Prototype:
        prototype = self._built.get(name)
        if prototype is None:
            spec = self._spec(name)
            if spec is None:
                raise KeyError(name)
            library, added, restype, *argtypes = spec.split(" ")
            prototype = (self._libraries[library], added, self._resolve(restype),
                         tuple(map(self._resolve, argtypes)))
            self._built[name] = prototype
        return prototype

    def __contains__(self, name: object) -> bool:
        return name in self._built or self._spec(name) is not None

    def _all(self) -> list[str]:
        if not self._names:
            self._names = [line.partition(" ")[0] for line in self._specs.split("\n")[1:-1]]
        return self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def lazy_constants(namespace: dict[str, Any], text: str, lookup: Callable[[str], Any],
                   ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the generated ``_constants`` module.

    *text* holds one ``NAME=value`` line per constant, between newlines: an
    integer, a string in double quotes (without quotes or backslashes inside),
    or the name of another constant or of a type (*lookup* finds types).  A
    constant's line is found the first time it is used and its value cached in
    *namespace*; ``__all__`` lists every name and loads every value at once.
    """
    module_name = namespace["__name__"]

    def value(item: str) -> Any:
        if item[0] == '"':
            return item[1:-1]
        if item[0] == "-" or item.isdigit():
            return int(item)
        return __getattr__(item) if f"\n{item}=" in text else lookup(item)

    def __getattr__(name: str) -> Any:
        if name == "__all__":
            names = []
            for line in text.split("\n")[1:-1]:
                constant, _, item = line.partition("=")
                if constant not in namespace:
                    namespace[constant] = value(item)
                names.append(constant)
            namespace["__all__"] = names
            return names
        start = text.find(f"\n{name}=") if name.isidentifier() else -1
        if start < 0:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        start += len(name) + 2
        namespace[name] = result = value(text[start:text.index("\n", start)])
        return result

    def __dir__() -> list[str]:
        return sorted({*namespace, *__getattr__("__all__")})

    return __getattr__, __dir__
