"""The base of every libvirt object wrapper: ownership, closing, identity.

Each wrapper owns exactly one libvirt reference to its C object and releases it
exactly once: `close()`, leaving a ``with`` block, or garbage collection
(``__del__``, which frees without `close`'s change of class).  A closed wrapper turns into an
instance of a "closed" subclass whose attribute access raises `ClosedError`,
so no method of a closed object can reach C — at no cost to open objects.
In a child process after ``fork()`` nothing inherited is freed: the C objects
belong to the parent's connections.  The domains of a statistics list are the
one exception to "a reference each": they borrow the list's (`ListOwner`).
"""

from __future__ import annotations

import _thread
import ctypes
import os
import sys

from . import raw
from ._exceptions import ClosedError
from ._marshal import guard_methods, raise_last_error

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any, ClassVar, TypeVar

    from .admin import AdminClient, AdminConnection, AdminServer
    from .connection import Connection
    from .domain import Domain, DomainCheckpoint, DomainSnapshot
    from .host import Interface, NodeDevice, NWFilter, NWFilterBinding, Secret
    from .network import Network, NetworkPort
    from .storage import StoragePool, StorageVol
    from .stream import Stream

__all__ = ["ClosedError", "LibvirtObject", "Wrappers"]

if TYPE_CHECKING:  # type variables are for mypy only: at run time annotations are text
    T = TypeVar("T", bound="LibvirtObject")

_POINTER_MAX = 2 ** (8 * ctypes.sizeof(ctypes.c_void_p)) - 1

# Incremented in the child after fork(): objects from an older generation
# belong to the parent process and are not freed by the child.
_generation = [0]


_GENERATION = _generation  # the same list, for finalizers (see LibvirtObject.__del__)


#: Whether a ``__del__`` set on a class once it exists is called: CPython's
#: are; PyPy keeps the finalizer the class was made with (and warns), so there
#: each class keeps `LibvirtObject.__del__` (see `_finalizer`).
_LATE_FINALIZERS = sys.implementation.name == "cpython"


def _after_fork_in_child() -> None:
    _generation[0] += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Wrappers:
    """The wrapper class of each kind of libvirt object, for one family of wrappers.

    Methods that return objects build them with the family of the object they
    are called on (``self._wrappers.Domain``), so the core's `virt.Connection`
    returns `virt.Domain` objects and a subclass family (`virt.compat`'s
    ``virConnect``) returns its own.  The core family, `CORE`, is filled in as
    each class is created; the generated methods need no reference to the
    classes above them.
    """

    if TYPE_CHECKING:
        AdminClient: type[AdminClient]
        AdminConnection: type[AdminConnection]
        AdminServer: type[AdminServer]
        Connection: type[Connection]
        Domain: type[Domain]
        DomainCheckpoint: type[DomainCheckpoint]
        DomainSnapshot: type[DomainSnapshot]
        Interface: type[Interface]
        NWFilter: type[NWFilter]
        NWFilterBinding: type[NWFilterBinding]
        Network: type[Network]
        NetworkPort: type[NetworkPort]
        NodeDevice: type[NodeDevice]
        Secret: type[Secret]
        StoragePool: type[StoragePool]
        StorageVol: type[StorageVol]
        Stream: type[Stream]

    def __init__(self, **classes: type[LibvirtObject]) -> None:
        self.__dict__.update(classes)

    if not TYPE_CHECKING:  # mypy sees the declared classes only

        def __getattr__(self, name: str) -> type[LibvirtObject]:
            # A class whose module is not imported yet: ``import virt`` imports
            # the network, storage, host, stream and admin modules on first use.
            # The package registers the importer (a layer above this one); a
            # family copied from the core's falls back to the core's class.
            if not name.startswith("_"):
                for load in CLASS_IMPORTERS:
                    load(name)
                cls = CORE.__dict__.get(name)
                if cls is not None:
                    if self is not CORE:
                        self.__dict__[name] = cls
                    return cls
            raise AttributeError(f"no wrapper class {name!r}")

    def __repr__(self) -> str:
        return f"<virt wrappers: {', '.join(sorted(self.__dict__))}>"


#: The core's family: `virt.Domain` for a domain handle, and so on.
CORE = Wrappers()

#: Functions that import the module defining the core class of a name
#: (``"Network"``), registered by the package; see `Wrappers`.
CLASS_IMPORTERS: list[Callable[[str], object]] = []


@guard_methods
class LibvirtObject:
    """Base of `virt.Connection`, `virt.Domain` and the other object wrappers."""

    __slots__ = ("_as_parameter_", "_parent", "_generation", "_identity", "__weakref__")

    #: Whether freeing this object can do I/O on a connection, so that a child
    #: process after fork() must leave it to the parent (set by connections).
    _shared_after_fork: ClassVar[bool] = False

    #: C names, set by each subclass
    _free_function: ClassVar[str]
    _ref_function: ClassVar[str]
    _handle_type: ClassVar[type[raw.Handle]]
    _closed_class: ClassVar[type[LibvirtObject]]
    _open_class: ClassVar[type[LibvirtObject]]
    _listed_class: ClassVar[type[LibvirtObject]]  # see _listed_variant

    #: The address of the C object, what ctypes passes for this object: a plain
    #: ``int`` (32 bytes, where a ``raw.Handle`` costs 104-136), None once
    #: closed.  ctypes accepts any int for any handle type, so every method
    #: checks its ``self`` and its object arguments before the call.
    _as_parameter_: int | None
    _parent: Any  # the object this one keeps alive (its connection, domain, …)
    _generation: int  # set for _shared_after_fork objects only
    _identity: Any  # cached key for == and hash(); unset until first needed
    #: The C free function of a concrete class (its subclasses, virt.compat's,
    #: share it): None until `_free_function_of` looks it up on first use.
    _free: ClassVar[Any]
    #: The classes this object's methods wrap the objects they return in.
    _wrappers: ClassVar[Wrappers] = CORE
    #: The class a program sees: the class itself or, for a private variant
    #: (an event's lent object, a statistics record's domain), the class it
    #: varies, whose objects it equals and whose copies it makes.
    _public_class: ClassVar[type[LibvirtObject]]

    def __init__(self) -> None:
        self._as_parameter_ = None  # so that __del__ of this refused object does nothing
        raise TypeError(f"{type(self).__name__} objects come from libvirt (a connection's "
                        f"look-ups and lists); to adopt a raw pointer, see virt.raw.adopt()")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_public_class" not in cls.__dict__:
            cls._public_class = cls
        if "_open_class" in cls.__dict__:
            return  # a closed variant, or their base
        # Each class, subclasses (virt.compat's) included, gets a closed variant
        # of the same layout, so that close() can switch an object to it: made
        # by the first close() (see _closed_variant), not at ``import virt``.
        if "_free_function" in cls.__dict__:
            # A concrete core class: the wrapper of its handle type.
            setattr(CORE, cls.__name__, cls)
            cls._handle_type._wrapper = cls
            cls._free = None  # bound on first use (_free_function_of)
            if "__del__" not in cls.__dict__ and _LATE_FINALIZERS:
                finalizer = _finalizer(cls._free_function, cls._shared_after_fork)
                finalizer.__qualname__ = f"{cls.__qualname__}.__del__"
                cls.__del__ = finalizer  # type: ignore[method-assign,assignment]

    @classmethod
    def _own(cls: type[T], handle: int, parent: Any) -> T:
        """Wrap the address *handle*, whose reference the caller hands over (not NULL).

        This is the hot path of every look-up and list: two attribute stores.
        """
        self = object.__new__(cls)
        self._as_parameter_ = handle
        self._parent = parent
        if cls._shared_after_fork:
            self._generation = _generation[0]
        return self

    @classmethod
    def _own_all(cls: type[T], handles: Iterable[int], parent: Any) -> list[T]:
        """`_own` of each of the addresses *handles* (the hot path of every list)."""
        if cls._own.__func__ is not LibvirtObject._own.__func__:  # type: ignore[attr-defined]
            return [cls._own(handle, parent) for handle in handles]  # a class of its own
        new = object.__new__
        result: list[T] = []
        append = result.append
        generation = _generation[0] if cls._shared_after_fork else None
        for handle in handles:
            self = new(cls)
            self._as_parameter_ = handle
            self._parent = parent
            if generation is not None:
                self._generation = generation
            append(self)
        return result

    @classmethod
    def _lend_all(cls: type[T], handles: Iterable[int], parent: Any,
                  owner: ListOwner) -> list[T]:
        """Wrappers of *handles*, references held by the list *owner* frees:
        each keeps *owner* alive instead of holding a reference of its own (no
        ``vir…Ref`` now, no ``vir…Free`` later).  For classes whose objects
        are made by the base's `_own`."""
        listed: Any = cls.__dict__.get("_listed_class") or _listed_variant(cls)
        result: list[T] = listed._own_all(handles, parent)
        for self in result:
            self._owner = owner  # type: ignore[attr-defined]
        return result

    @classmethod
    def _free_function_of(cls, _raw: Any = raw) -> Any:
        """The C free function, bound on first use and then kept on the class.

        (*_raw*: `virt.raw`, bound when defined, for a finalizer at interpreter
        shutdown, when module globals may already be gone.)"""
        free = cls.__dict__.get("_free")
        if free is None:
            free = getattr(_raw, cls._free_function)
            cls._free = free
        return free

    @classmethod
    def _adopt(cls: type[T], pointer: int | raw.Handle | None, parent: Any) -> T:
        """Wrap *pointer*, taking a reference of our own (``vir…Ref``).

        Only for handles libvirt itself gave this process: `virt.raw.adopt` is
        the public (and dangerous) way in.
        """
        handle_type = cls._handle_type
        if not getattr(cls, "_ref_function", ""):
            raise TypeError(f"libvirt has no reference count for {handle_type.__name__}: "
                            f"a {cls.__name__} cannot be adopted")
        if isinstance(pointer, raw.Handle):
            if not isinstance(pointer, handle_type):
                raise TypeError(f"pointer must be a {handle_type.__name__}, "
                                f"not a {type(pointer).__name__}")
            address = pointer.value
        elif isinstance(pointer, int) and not isinstance(pointer, bool):
            address = pointer
            if not 0 <= address <= _POINTER_MAX:
                raise OverflowError(f"pointer {address:#x} is not an address of this machine")
        else:
            raise TypeError(f"pointer must be a {handle_type.__name__} or an address, "
                            f"not {type(pointer).__name__}")
        if not address:
            raise ValueError(f"cannot adopt a NULL {handle_type.__name__}")
        if getattr(raw, cls._ref_function)(address) < 0:
            raise_last_error()
        return cls._own(address, parent)

    @property
    def closed(self) -> bool:
        """Whether `close()` has released this object."""
        return False

    def close(self) -> None:
        """Release this object's libvirt reference.  Calling it again does nothing."""
        if self.closed:  # by another thread meanwhile
            return
        handle = self._as_parameter_
        if handle is None:  # an object whose construction was refused
            return
        free = self._free_function_of()  # this class's (a variant may free nothing)
        self._as_parameter_ = None  # first, so that a failure below cannot free twice
        cls = type(self)
        closed = cls.__dict__.get("_closed_class") or _closed_variant(cls)
        object.__setattr__(self, "__class__", closed)
        if not self._shared_after_fork or self._generation == _generation[0]:
            free(handle)
        self._parent = None

    def __del__(self, _generations: list[int] = _GENERATION) -> None:
        # Garbage collection: release the reference, skipping close()'s change
        # of class, which a dying object does not need.  What it uses is bound
        # as a default argument: at interpreter shutdown module globals may be
        # gone.  (Each concrete class has its own, `_finalizer`'s: this one is
        # for the classes that extend theirs, `virt.Stream`.)
        handle = self._as_parameter_
        if handle is not None:
            if self._shared_after_fork and self._generation != _generations[0]:
                return  # the parent process's, after fork()
            free = self._free
            if free is None:
                free = self._free_function_of()
            free(handle)

    def __copy__(self: T) -> T:
        """A second wrapper of the same libvirt object, holding a reference of its
        own (a shallow copy of the handle would be freed twice).  Attributes a
        program set on the object (virt.compat's objects take them) are copied."""
        if isinstance(self, _Closed):  # nothing to share
            return self
        obj: Any = self
        handle = obj._as_parameter_
        if handle is None:
            return self
        copy: Any = obj._public_class._adopt(handle, obj._parent)
        state = getattr(self, "__dict__", None)
        if state:
            copy.__dict__.update(state)
        return copy  # type: ignore[no-any-return]

    def __deepcopy__(self: T, memo: dict[int, Any]) -> T:
        """`__copy__`, with the attributes a program set deep-copied."""
        import copy

        duplicate: Any = self.__copy__()
        if duplicate is not self and getattr(duplicate, "__dict__", None):
            duplicate.__dict__.update(copy.deepcopy(duplicate.__dict__, memo))
        return duplicate  # type: ignore[no-any-return]

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _borrowed(self, handle: int, cls: type[T]) -> T:
        """The wrapper of address *handle*, a reference libvirt lent (not to be
        freed): the object up this one's parent chain that has it, or a new
        wrapper holding its own reference."""
        obj: Any = self
        while obj is not None:
            if isinstance(obj, cls) and not obj.closed and obj._as_parameter_ == handle:
                return obj
            obj = obj._parent
        return cls._adopt(handle, None)

    def _key(self) -> Any:
        """What identifies the libvirt object (overridden: UUID, name, key…)."""
        handle = self._as_parameter_
        return handle if handle is not None else id(self)

    def __eq__(self, other: object) -> bool:
        if getattr(other, "_public_class", None) is not self._public_class:
            return NotImplemented
        assert isinstance(other, LibvirtObject)
        return bool(self._identity_key() == other._identity_key())

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._identity_key()))

    def _identity_key(self) -> Any:
        try:
            return self._identity
        except AttributeError:
            self._identity = self._key()
            return self._identity

    def _describe(self) -> str:
        return ""

    def __repr__(self) -> str:
        handle = self._as_parameter_
        address = hex(handle) if handle is not None else "closed"
        description = self._describe()
        if description:
            description += " "
        return f"<virt.{type(self).__name__} {description}at {address}>"


def _finalizer(free_function: str, shared_after_fork: bool) -> Callable[[Any], None]:
    """The ``__del__`` of a concrete class whose objects *free_function*
    (``"virDomainFree"``) releases: `LibvirtObject.__del__` with what it reads
    from the class bound in a closure.  The hot path of every object that goes
    (a list of a thousand domains makes a thousand calls): one attribute read,
    one test, one C call, where two class attribute reads cost a tenth more.
    The C function is looked up by the first call (not at ``import virt``)."""
    free: Any = None

    def __del__(self: Any, _generations: list[int] = _GENERATION, _raw: Any = raw) -> None:
        nonlocal free
        handle = self._as_parameter_
        if handle is not None:
            if shared_after_fork and self._generation != _generations[0]:
                return  # the parent process's, after fork()
            if free is None:
                free = getattr(_raw, free_function)
            free(handle)
    return __del__


def _closed_variant(cls: type[LibvirtObject]) -> type[LibvirtObject]:
    """The "closed" variant of *cls*, made on first use (see `_Closed`)."""
    with _variant_lock:
        closed = cls.__dict__.get("_closed_class")
        if closed is None:
            closed = type(f"Closed{cls.__name__}", (_Closed, cls),
                          {"__slots__": (), "_open_class": cls})
            cls._closed_class = closed
        return closed


_variant_lock = _thread.allocate_lock()  # the closed and listed variants, made once


class ListOwner:
    """A list libvirt allocated whose elements hold references to objects
    (``virDomainStatsRecordListFree``'s records, each with its domain), freed
    when the last wrapper lent one of its references goes (see `_lend_all`).

    Lending saves two foreign calls per element (``vir…Ref`` to take a
    reference of the wrapper's own, ``vir…Free`` when it goes): a statistics
    list of a thousand domains costs one free instead of two thousand calls.
    The list's C memory lives as long as the longest-lived of those wrappers.
    """

    __slots__ = ("_free", "_list", "_generation")

    def __init__(self, free: Callable[[Any], Any], pointer: Any) -> None:
        self._free = free
        self._list = pointer
        self._generation = _generation[0]

    def release(self) -> None:
        """Free the list now (nothing lent from it may be in use); idempotent."""
        pointer, self._list = self._list, None
        if pointer is not None:
            self._free(pointer)

    def __del__(self, _generations: list[int] = _GENERATION) -> None:
        if self._generation == _generations[0]:  # not the parent's, after fork()
            self.release()


def _listed_variant(cls: type[LibvirtObject]) -> type[LibvirtObject]:
    """The variant of *cls* whose objects borrow a reference a `ListOwner`
    holds (see `LibvirtObject._lend_all`), made on first use.

    Same name, module and documentation as *cls*, equal to its objects for
    the same libvirt object; `close()` and the finalizer free nothing (the
    list does), and a copy is an object of *cls* with a reference of its own.
    """
    with _variant_lock:
        listed: Any = cls.__dict__.get("_listed_class")
        if listed is None:
            listed = private_variant(cls, {
                "__slots__": ("_owner",), "_free": _let_the_owner_free,
                "__del__": _let_the_owner_free, "close": _close_listed})
            cls._listed_class = listed
        return listed  # type: ignore[no-any-return]


def private_variant(cls: type[LibvirtObject], attributes: dict[str, Any]) -> Any:
    """A subclass of *cls* with *attributes* that a program sees as *cls*:
    same name, module, qualified name and documentation, equal to its objects
    (`LibvirtObject._public_class`), copied into objects of *cls*."""
    # "_is_view" keeps virt.compat's base from registering the variant as the
    # compat class of its core class; it is removed at once.
    variant: Any = type(cls.__name__, (cls,), {
        "__module__": cls.__module__, "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__, "_public_class": cls, "_is_view": True, **attributes})
    del variant._is_view
    return variant


def _let_the_owner_free(*_: Any) -> None:
    """Nothing to free: the list owner holds the reference (see `ListOwner`)."""


def _close_listed(self: Any) -> None:
    LibvirtObject.close(self)  # frees nothing (``_free``), closes all the same
    self._owner = None  # this object's share of the list


_ALLOWED_WHEN_CLOSED = frozenset({"close", "closed", "__class__", "__dict__"})


class _Closed(LibvirtObject):
    """Mixed into the "closed" variant of each wrapper class.

    Its handle cannot be read either: a method reached another way than
    through the object (``virt.Domain.get_name(closed_domain)``) raises
    `ClosedError` instead of passing NULL to libvirt, where some functions
    read through it before checking.  Closing and finalizing it do nothing.
    """

    __slots__ = ()
    _open_class = LibvirtObject  # each variant names the class it closes

    def __getattribute__(self, name: str) -> Any:
        if name == "_as_parameter_" or not (name.startswith("_")
                                            or name in _ALLOWED_WHEN_CLOSED):
            cls = object.__getattribute__(self, "_open_class")
            raise ClosedError(f"this {cls.__name__} is closed: {name} cannot be used")
        return object.__getattribute__(self, name)

    @property
    def closed(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def __del__(self, _generations: list[int] = _GENERATION) -> None:
        pass

    def _key(self) -> Any:
        return id(self)

    def __repr__(self) -> str:
        return f"<virt.{self._open_class.__name__} (closed)>"
