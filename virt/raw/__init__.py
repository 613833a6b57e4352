"""libvirt's C API as ctypes declarations — the raw layer.

.. danger::
   This is the layer below `virt`: C names, C types, C memory rules.  Nothing
   here checks arguments, frees results or turns errors into exceptions; a
   wrong call can crash the interpreter.  Use the `virt` package unless you
   need a libvirt function exactly as C sees it.

Every function, struct, callback type, enum value and macro of libvirt,
libvirt-qemu, libvirt-lxc and libvirt-admin is here under its C name
(``virt.raw.virDomainGetXMLDesc``, ``virt.raw.virDomainInfo``,
``virt.raw.VIR_DOMAIN_RUNNING``).  Functions are looked up in the loaded
library the first time they are used; one that the loaded libvirt lacks is
still importable, and calling it raises `virt.NotSupportedError`.

Make pointer types with `pointer_type` rather than ``ctypes.POINTER`` in a
program with threads: under PyPy two threads asking ``ctypes.POINTER`` for
the same type at once can get two classes, and a function's argtypes then
refuse an array made from the other.
"""

from __future__ import annotations

from .._lazy import import_module

# ``X as X``: re-exported (``__all__`` is made only when asked for, below).
from . import _addresses as _addresses  # (the object layer's; imported with virt.raw)
from . import _library, _types
from ._base import CArg as CArg
from ._base import Handle as Handle
from ._base import OwnedString as OwnedString
from ._base import Prototype as Prototype
from ._base import pointer_type as pointer_type
from ._functions import FUNCTIONS as FUNCTIONS
from ._functions import VARIABLES
from ._library import ENVIRONMENT_VARIABLE as ENVIRONMENT_VARIABLE
from ._library import free as free
from ._library import is_available as is_available
from ._library import library as library
from ._library import library_version as library_version
from ._types import __all__ as _types_all

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any, TypeVar

    from .._objects import LibvirtObject
    from ._constants import *  # noqa: F403
    from ._macros import *  # noqa: F403
    from ._prototypes import *  # noqa: F403
    from ._types import *  # noqa: F403

    _W = TypeVar("_W", bound=LibvirtObject)

_OWN = [
    "ENVIRONMENT_VARIABLE",
    "FUNCTIONS",
    "CArg",
    "Handle",
    "OwnedString",
    "Prototype",
    "adopt",
    "free",
    "is_available",
    "library",
    "library_version",
]


def adopt(cls: type[_W], pointer: int | Handle) -> _W:
    """Wrap a raw libvirt handle, or its address, in a *cls* (e.g. `virt.Domain`).

    .. danger::
       The one operation of virt that can crash the interpreter: an address
       that is not a live libvirt object of that type (a stale, freed or
       made-up pointer) is dereferenced by libvirt.  Use it only for handles
       libvirt gave this process, such as those another binding holds.

    The wrapper takes a reference of its own (``vir…Ref``), so the caller keeps,
    and must still release, its own.  NULL, a handle of another type, an
    address out of range, and classes libvirt keeps no reference count for
    (`virt.AdminServer`, `virt.AdminClient`) are refused with `ValueError`,
    `TypeError` or `OverflowError`.
    """
    adopt_handle = getattr(cls, "_adopt", None)
    if not isinstance(cls, type) or adopt_handle is None or "_handle_type" not in dir(cls):
        raise TypeError(f"cls must be a virt object class such as virt.Domain, not {cls!r}")
    result: _W = adopt_handle(pointer, None)
    return result


_TYPES = frozenset(_types_all)


def _constants_module() -> Any:
    """The constants' module, imported when a constant is first used (its text
    is most of what ``virt.raw`` would load at ``import virt``)."""
    return import_module(f"{__name__}._constants")


def _macros_module() -> Any:
    """The function-like macros' module, imported when one is first used."""
    return import_module(f"{__name__}._macros")


_MISSING = object()


def __getattr__(name: str) -> Any:
    # The C functions are bound, and most types and constants made, on first use.
    value: Any
    if name in FUNCTIONS:
        value = _library.bind(name, FUNCTIONS[name])
    elif name in _TYPES:
        value = getattr(_types, name)
    elif name in VARIABLES:
        libname, _added, ctype = VARIABLES[name]
        value = _library.variable(name, libname, _types.resolve(ctype))
    elif name == "__all__":  # made when asked for: it reads every constant
        value = [*_OWN, *_types_all, *_constants_module().__all__, *_macros_module().__all__,
                 *sorted(FUNCTIONS)]
    else:
        value = getattr(_constants_module(), name, _MISSING)
        if value is _MISSING and not name.startswith("_"):  # (private: the macros' imports)
            value = getattr(_macros_module(), name, _MISSING)
        if value is _MISSING:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later look-ups are plain module attribute hits
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *FUNCTIONS, *VARIABLES, *_TYPES, *_constants_module().__all__,
                   *_macros_module().__all__})
