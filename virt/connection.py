"""`Connection`: a connection to a libvirt driver, and `connect()`."""

from __future__ import annotations

from typing import Any

from . import raw
from ._generated.enums import ConnectFlags
from ._generated.methods import _ConnectionMethods
from ._marshal import check_optional_str, check_uint, decode, raise_last_error
from ._objects import LibvirtObject

__all__ = ["Connection", "connect"]


class Connection(_ConnectionMethods, LibvirtObject):
    """A connection to a hypervisor driver (C ``virConnectPtr``), from `virt.connect`.

    Closing it (`close`, ``with``, or garbage collection) calls
    ``virConnectClose``; objects obtained through it keep it alive.
    """

    __slots__ = ()
    _free_function = "virConnectClose"
    _ref_function = "virConnectRef"
    _handle_type = raw.virConnectPtr


    def _describe(self) -> str:
        if self._as_parameter_ is None:
            return ""
        uri = raw.virConnectGetURI(self._as_parameter_)
        if uri.value is None:
            return ""
        text = decode(uri.value)
        raw.free(uri)
        return repr(text)


def connect(uri: str | None = None, *, readonly: bool = False, auth: Any = None,
            flags: ConnectFlags | int = 0) -> Connection:
    """Open a connection to the libvirt driver named by *uri*.

    ``None`` lets libvirt choose (``LIBVIRT_DEFAULT_URI``, its configuration,
    or probing).  *readonly* asks for a read-only connection
    (``ConnectFlags.RO``).  Wraps
    `virConnectOpenAuth <https://libvirt.org/html/libvirt-libvirt-host.html#virConnectOpenAuth>`__.
    """
    name = check_optional_str(uri, "uri")
    flags = check_uint(flags, "flags")
    if readonly:
        flags |= ConnectFlags.RO
    if auth is not None:
        raise NotImplementedError("auth callbacks are not implemented yet")
    handle = raw.virConnectOpenAuth(name, None, flags)
    if not handle:
        raise_last_error()
    return Connection._own(handle, None)
