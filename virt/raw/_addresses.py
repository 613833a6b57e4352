"""The C functions that return a handle, bound a second time to return its address.

Private to the object layer, whose wrappers keep a handle as a plain ``int``
(see `virt.LibvirtObject`): ``_addresses.virDomainLookupByName(...)`` is
``virt.raw.virDomainLookupByName(...).value`` without the handle object
ctypes would build only to be read and dropped (some 800 instructions of
every look-up).  The arguments are the same; only the result differs: an
``int``, or None for NULL.  The functions of `virt.raw` itself are unchanged.
"""

from __future__ import annotations

import ctypes

from . import _library
from ._base import Handle
from ._functions import FUNCTIONS

TYPE_CHECKING = False  # typing's, without importing typing: mypy knows the name
if TYPE_CHECKING:
    from typing import Any


def __getattr__(name: str) -> Any:
    # Bound on first use, as virt.raw's functions are; a function the loaded
    # libvirt lacks is a stub raising NotSupportedError, as there.
    if name not in FUNCTIONS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    libname, added, restype, argtypes = FUNCTIONS[name]
    if not (isinstance(restype, type) and issubclass(restype, Handle)):
        raise AttributeError(f"{name} does not return a handle")
    function = _library.bind(name, (libname, added, ctypes.c_void_p, argtypes))
    globals()[name] = function  # later look-ups are plain module attribute hits
    return function
