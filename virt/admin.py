"""The libvirt-admin API: managing the daemons themselves.

`connect()` opens an admin connection to a daemon (``libvirtd:///session``,
``virtqemud:///system``, …); through it come the daemon's `AdminServer`
objects and their connected `AdminClient` objects.
"""

from __future__ import annotations

from typing import Any

from . import raw
from ._generated.methods import (
    _AdminClientMethods,
    _AdminConnectionMethods,
    _AdminServerMethods,
)
from ._marshal import check_optional_str, check_uint, raise_last_error
from ._objects import LibvirtObject

__all__ = ["AdminClient", "AdminConnection", "AdminServer", "connect"]


class AdminConnection(_AdminConnectionMethods, LibvirtObject):
    """An admin connection to a libvirt daemon (C ``virAdmConnectPtr``)."""

    __slots__ = ()
    _free_function = "virAdmConnectClose"
    _ref_function = "virAdmConnectRef"
    _handle_type = raw.virAdmConnectPtr


class AdminServer(_AdminServerMethods, LibvirtObject):
    """A server (RPC listener) of a daemon (C ``virAdmServerPtr``)."""

    __slots__ = ()
    _free_function = "virAdmServerFree"
    _ref_function = ""
    _handle_type = raw.virAdmServerPtr

    def _key(self) -> Any:
        return self.get_name()


class AdminClient(_AdminClientMethods, LibvirtObject):
    """A client connected to a daemon's server (C ``virAdmClientPtr``)."""

    __slots__ = ()
    _free_function = "virAdmClientFree"
    _ref_function = ""
    _handle_type = raw.virAdmClientPtr


def connect(uri: str | None = None, *, flags: int = 0) -> AdminConnection:
    """Open an admin connection to the daemon named by *uri*.

    Wraps `virAdmConnectOpen
    <https://libvirt.org/html/libvirt-libvirt-admin.html#virAdmConnectOpen>`__.
    """
    name = check_optional_str(uri, "uri")
    handle = raw.virAdmConnectOpen(name, check_uint(flags, "flags"))
    if not handle:
        raise_last_error()
    return AdminConnection._own(handle, None)
