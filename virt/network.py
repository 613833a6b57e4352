"""`Network` (a virtual network) and `NetworkPort` (a port on one)."""

from __future__ import annotations

from typing import Any

from . import raw
from ._generated.methods import _NetworkMethods, _NetworkPortMethods
from ._marshal import UUIDBuffer, decode, raise_last_error
from ._objects import LibvirtObject

__all__ = ["Network", "NetworkPort"]


def uuid_key(function: Any, handle: Any) -> bytes:
    """The binary UUID of *handle*, read with ``vir…GetUUID`` *function*."""
    buffer = UUIDBuffer()
    if function(handle, buffer) < 0:
        raise_last_error()
    return bytes(buffer)


class Network(_NetworkMethods, LibvirtObject):
    """A virtual network (C ``virNetworkPtr``)."""

    __slots__ = ()
    _free_function = "virNetworkFree"
    _ref_function = "virNetworkRef"
    _handle_type = raw.virNetworkPtr

    def _key(self) -> Any:
        return uuid_key(raw.virNetworkGetUUID, self._as_parameter_)

    def _describe(self) -> str:
        name = raw.virNetworkGetName(self._as_parameter_)
        return repr(decode(name)) if name is not None else ""


class NetworkPort(_NetworkPortMethods, LibvirtObject):
    """A port of a virtual network (C ``virNetworkPortPtr``)."""

    __slots__ = ()
    _free_function = "virNetworkPortFree"
    _ref_function = "virNetworkPortRef"
    _handle_type = raw.virNetworkPortPtr

    def _key(self) -> Any:
        return uuid_key(raw.virNetworkPortGetUUID, self._as_parameter_)
