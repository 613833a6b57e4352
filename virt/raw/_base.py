"""Hand-written building blocks the generated raw modules use."""

from __future__ import annotations

import sys
from ctypes import c_char_p, c_void_p
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import TypeAlias  # annotations only: not imported at run time

__all__ = ["CArg", "Handle", "OwnedString", "Prototype"]


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
CArg: TypeAlias = Any

#: One generated record per C function: the library that exports it, the
#: libvirt version that added it, the ctypes restype and the argtypes.
Prototype: TypeAlias = "tuple[str, str, Any, tuple[Any, ...]]"
