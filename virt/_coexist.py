"""libvirt and libvirt-admin cannot both be used in one process.

Each library registers the same GObject types (``virConnect``, ``virDomain``,
…) when it first creates an object; whichever comes second finds the types
taken, gets no class, and crashes the process (seen with libvirt 9.0).  The
core refuses the second use with a clear exception instead: open admin
connections in a process of their own (``multiprocessing``, a subprocess).
"""

from __future__ import annotations

import ctypes

from ._exceptions import error_class
from ._generated import enums as _enums

_gobject: list[ctypes.CDLL] = []


def _registered(type_name: str) -> bool:
    """Whether GObject has a type called *type_name* in this process."""
    if not _gobject:
        from ctypes.util import find_library  # ~10 ms to import: only for admin

        name = find_library("gobject-2.0") or "libgobject-2.0.so.0"
        library = ctypes.CDLL(name)
        library.g_type_from_name.restype = ctypes.c_size_t
        library.g_type_from_name.argtypes = (ctypes.c_char_p,)
        _gobject.append(library)
    return bool(_gobject[0].g_type_from_name(type_name.encode()))


def _refuse(first: str, second: str) -> None:
    raise error_class(_enums.ErrorNumber.OPERATION_INVALID)(
        f"{second} cannot be used in a process that has used {first}: both register the "
        f"same object types and the process would crash; use {second} from a separate "
        f"process", code=_enums.ErrorNumber.OPERATION_INVALID)


def check_libvirt() -> None:
    """Before the first libvirt connection: refuse if libvirt-admin came first."""
    if not _used["libvirt"]:
        if _used["admin"]:
            _refuse("libvirt-admin", "libvirt")
        _used["libvirt"] = True


def check_admin() -> None:
    """Before an admin connection: refuse if libvirt's own objects came first.

    Both libraries register the whole set of types, so a registered
    ``virConnect`` means one of them has started; unless it was libvirt-admin
    (through this module), it was libvirt.
    """
    if not _used["admin"]:
        if _used["libvirt"] or _registered("virConnect"):
            _refuse("libvirt", "libvirt-admin")
        _used["admin"] = True


_used = {"libvirt": False, "admin": False}
