"""`Network` (a virtual network) and `NetworkPort` (a port on one)."""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any

from . import raw
from . import records as _hand_records
from ._generated import enums as _enums
from ._generated.methods.network import _NetworkMethods
from ._generated.methods.network_port import _NetworkPortMethods
from ._marshal import (
    check_optional_str,
    check_uint,
    decode,
    free_structs,
    guard_methods,
    optional_decode,
    raise_last_error,
    uuid_key,
)
from ._objects import LibvirtObject

if TYPE_CHECKING:
    from .records import NetworkDHCPLease

__all__ = ["Network", "NetworkPort"]


@guard_methods
class Network(_NetworkMethods, LibvirtObject):
    """A virtual network (C ``virNetworkPtr``)."""

    __slots__ = ()
    _free_function = "virNetworkFree"
    _ref_function = "virNetworkRef"
    _handle_type = raw.virNetworkPtr

    def _key(self) -> Any:
        return uuid_key(raw.virNetworkGetUUID, self._as_parameter_)

    def get_dhcp_leases(self, mac: str | None = None, *, flags: int = 0,
                        ) -> list[NetworkDHCPLease]:
        """The network's DHCP leases, all or those of MAC address *mac*.

        Wraps :libvirt:`virNetworkGetDHCPLeases` and :libvirt:`virNetworkDHCPLeaseFree`.
        """
        mac_c = check_optional_str(mac, "mac")
        flags = check_uint(flags, "flags")
        array = raw.pointer_type(raw.virNetworkDHCPLeasePtr)()
        count = raw.virNetworkGetDHCPLeases(self._as_parameter_, mac_c, ctypes.byref(array),
                                            flags)
        if count < 0:
            raise_last_error()
        leases = []
        try:
            for i in range(count):
                lease = array[i].contents
                leases.append(_hand_records.NetworkDHCPLease(
                    decode(lease.iface or b""), lease.expirytime, _enums.IPAddrType(lease.type),
                    optional_decode(lease.mac), optional_decode(lease.iaid),
                    decode(lease.ipaddr or b""), lease.prefix, optional_decode(lease.hostname),
                    optional_decode(lease.clientid)))
        finally:
            free_structs(array, count, raw.virNetworkDHCPLeaseFree)
        return leases

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
