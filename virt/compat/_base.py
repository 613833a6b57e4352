"""What every compat class shares, and the bridge between core and compat objects.

A compat object *is* a core object: ``virDomain`` derives from `virt.Domain`,
so one wrapper owns one libvirt reference with the core's ownership logic.
What compat adds is a ``__dict__`` (programs set attributes and replace
methods on live objects), libvirt-python's constructor and helpers, and its
method names.

Two ways lead from a core object to its compat class:

`take`
    for an object the compat layer just received from a core call and that
    nobody else has seen: the reference moves to a new compat object (no C
    call) and the core object is left empty.
`as_compat`
    for an object a caller still holds: the compat *view* shares the core
    object's reference (no new one) and keeps it alive; closing either closes
    both, and a view of a closed object passes NULL to libvirt, which then
    reports "invalid … pointer" (never a dangling pointer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

import virt
from virt import raw

from .._libvirt_error import ErrorTuple, libvirtError, set_last_error_reader

__all__ = ["CompatObject", "as_compat", "compat_class", "error_tuple", "init", "last_error_tuple",
           "libvirtError", "take", "take_all"]

T = TypeVar("T")

#: core class (and its compat class) -> the compat class
_COMPAT_OF: dict[type, Any] = {}


def _decode(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", "surrogateescape")


def error_tuple(error: Any) -> ErrorTuple:
    """libvirt-python's 9-tuple of a ``virError`` struct."""
    return (error.code, error.domain, _decode(error.message) or "", error.level,
            _decode(error.str1), _decode(error.str2), _decode(error.str3),
            error.int1, error.int2)


def last_error_tuple() -> ErrorTuple | None:
    """The calling thread's last libvirt error as a 9-tuple, or None."""
    error = raw.virGetLastError()
    if not error or not error.contents.code:
        return None
    return error_tuple(error.contents)


set_last_error_reader(last_error_tuple)


class CompatObject:
    """Mixed in front of a core class to make its compat class.

    A subclass names the core class it extends in its bases, after this one:
    ``class virDomain(CompatObject, virt.Domain)``.
    """

    # No __slots__: compat instances have a __dict__.
    _as_parameter_: Any
    _parent: Any
    _shared_after_fork: ClassVar[bool]
    _view_class: ClassVar[type]
    _own: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if cls.__dict__.get("_is_view") or "_open_class" in cls.__dict__:
            super().__init_subclass__(**kwargs)  # a view, or the core's closed variant
            return
        super().__init_subclass__(**kwargs)
        core = next((b for b in cls.__mro__[1:] if b in _CORE_CLASSES), None)
        if core is None:
            return
        cls.__module__ = "libvirt"
        _COMPAT_OF[core] = cls
        _COMPAT_OF[cls] = cls
        # The closed variant.  The core's refuses every method; libvirt-python
        # passes NULL to libvirt, which reports "invalid connection pointer in
        # virConnectGetURI" (code, domain and text as programs expect).  So
        # does this one: its methods run with a NULL handle, which every
        # libvirt function checks.
        cls._closed_class = type(cls.__name__, (cls,), {  # type: ignore[attr-defined]
            "__slots__": (), "__module__": "libvirt", "__qualname__": cls.__qualname__,
            "_open_class": cls, "closed": property(_true)})
        cls._view_class = type(cls.__name__, (cls,), {
            "__slots__": (), "__module__": "libvirt", "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__, "_is_view": True,
            "_as_parameter_": property(_view_handle), "__del__": _view_del,
            "close": _view_close,
        })

    def c_pointer(self) -> int:
        """The address of the C object (an ``int``)."""
        handle = self._as_parameter_
        if handle is None:
            raise virt.ClosedError(f"this {type(self).__name__} is closed")
        return int(handle.value or 0)

    def __repr__(self) -> str:
        return f"<libvirt.{type(self).__qualname__} object at {id(self):#x}>"


def init(self: Any, parent: Any, _obj: Any) -> None:
    """libvirt-python's constructor, ``virDomain(conn, _obj=...)``, for every class.

    *_obj* is what to wrap: a core or compat object of the same kind (the
    result takes a reference of its own) or a raw handle of the right type
    (likewise).  Objects otherwise come from the library.
    """
    cls = type(self)
    self._as_parameter_ = None  # until adopted: nothing to free if this fails
    if _obj is None:
        raise TypeError(f"{cls.__name__}() needs _obj, an object of the same kind or a raw "
                        f"handle: objects come from libvirt (look-ups, lists)")
    if isinstance(_obj, virt.LibvirtObject):
        if not isinstance(as_compat(_obj), cls):
            raise TypeError(f"_obj must be a {cls.__name__}, not {type(_obj).__name__}")
        handle = _obj._as_parameter_
        if handle is None:
            raise virt.ClosedError(f"_obj is a closed {type(_obj).__name__}")
        parent = _obj._parent
    elif isinstance(_obj, raw.Handle):
        handle = _obj
    else:
        raise TypeError(f"_obj must be a virt object or a raw handle, not {type(_obj).__name__}")
    adopted = cls._adopt(handle, parent)
    # Move the new reference into this instance.
    self._as_parameter_ = adopted._as_parameter_
    self._parent = adopted._parent
    if cls._shared_after_fork:
        self._generation = adopted._generation
    adopted._as_parameter_ = None


def _true(_self: Any) -> bool:
    return True


def _view_handle(self: Any) -> Any:
    return self.__dict__["_core"]._as_parameter_


def _view_del(self: Any) -> None:
    pass  # the core object owns the reference


def _view_close(self: Any) -> Any:
    core = self.__dict__["_core"]
    core.close()
    return 0


_CORE_CLASSES = frozenset({
    virt.Connection, virt.Domain, virt.DomainSnapshot, virt.DomainCheckpoint, virt.Network,
    virt.NetworkPort, virt.Interface, virt.StoragePool, virt.StorageVol, virt.NodeDevice,
    virt.Secret, virt.NWFilter, virt.NWFilterBinding, virt.Stream,
})


def compat_class(cls: type) -> Any:
    """The compat class of core class *cls* (``virt.Domain`` -> ``virDomain``)."""
    return _COMPAT_OF[cls]


def take(obj: Any) -> Any:
    """The compat object of *obj*, a core object fresh from a core call.

    The libvirt reference moves from *obj* (left empty, so it frees nothing)
    to the result.  Anything that is not a core object is returned as it is.
    """
    cls = _COMPAT_OF.get(type(obj))
    if cls is None or cls is type(obj):
        return obj
    new: Any = object.__new__(cls)
    new._as_parameter_ = obj._as_parameter_
    new._parent = obj._parent
    if cls._shared_after_fork:
        new._generation = obj._generation
    obj._as_parameter_ = None
    return new


def take_all(objects: Iterable[Any]) -> list[Any]:
    """`take` of each of *objects*, as a list."""
    return [take(obj) for obj in objects]


def as_compat(obj: T) -> T:
    """The compat view of *obj*, a core object a caller holds.

    Compat objects and anything that is not a libvirt object come back as
    they are.  The view shares *obj*'s libvirt reference and keeps *obj*
    alive.
    """
    cls = _COMPAT_OF.get(type(obj))
    if cls is None or isinstance(obj, cls):
        return obj
    view: Any = object.__new__(cls._view_class)
    view.__dict__["_core"] = obj
    view._parent = obj._parent  # type: ignore[attr-defined]
    if cls._shared_after_fork:
        view._generation = obj._generation  # type: ignore[attr-defined]
    return view  # type: ignore[no-any-return]
