"""Host-level objects: `Interface`, `NodeDevice`, `Secret`, `NWFilter`, `NWFilterBinding`."""

from __future__ import annotations

import ctypes
from typing import Any

from . import raw
from ._generated.methods.interface import _InterfaceMethods
from ._generated.methods.node_device import _NodeDeviceMethods
from ._generated.methods.nwfilter import _NWFilterMethods
from ._generated.methods.nwfilter_binding import _NWFilterBindingMethods
from ._generated.methods.secret import _SecretMethods
from ._marshal import check_uint, guard_methods, raise_last_error, uuid_key
from ._objects import LibvirtObject

__all__ = ["Interface", "NWFilter", "NWFilterBinding", "NodeDevice", "Secret"]


class Interface(_InterfaceMethods, LibvirtObject):
    """A physical host network interface (C ``virInterfacePtr``)."""

    __slots__ = ()
    _free_function = "virInterfaceFree"
    _ref_function = "virInterfaceRef"
    _handle_type = raw.virInterfacePtr

    def _key(self) -> Any:
        return self.get_name()


class NodeDevice(_NodeDeviceMethods, LibvirtObject):
    """A device of the host (C ``virNodeDevicePtr``)."""

    __slots__ = ()
    _free_function = "virNodeDeviceFree"
    _ref_function = "virNodeDeviceRef"
    _handle_type = raw.virNodeDevicePtr

    def _key(self) -> Any:
        return self.get_name()


@guard_methods
class Secret(_SecretMethods, LibvirtObject):
    """A secret: a passphrase or key libvirt keeps (C ``virSecretPtr``)."""

    __slots__ = ()
    _free_function = "virSecretFree"
    _ref_function = "virSecretRef"
    _handle_type = raw.virSecretPtr

    def _key(self) -> Any:
        return uuid_key(raw.virSecretGetUUID, self._as_parameter_)

    def get_value(self, *, flags: int = 0) -> bytes:
        """The secret's value, as the bytes stored.

        Wraps :libvirt:`virSecretGetValue`.  The copy libvirt hands over is
        zeroed before it is freed.
        """
        flags = check_uint(flags, "flags")
        size = ctypes.c_size_t()
        value = raw.virSecretGetValue(self._as_parameter_, ctypes.byref(size), flags)
        if not value:
            raise_last_error()
        try:
            return ctypes.string_at(value, size.value)
        finally:
            ctypes.memset(value, 0, size.value)
            raw.free(value)

    def set_value(self, value: bytes | bytearray | memoryview, *, flags: int = 0) -> None:
        """Store *value* (any bytes, NULs included) as the secret's value.

        Wraps :libvirt:`virSecretSetValue`.
        """
        if isinstance(value, str) or not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f"value must be bytes-like, not {type(value).__name__}")
        data = bytes(value)
        buffer = (ctypes.c_ubyte * max(len(data), 1)).from_buffer_copy(data or b"\0")
        flags = check_uint(flags, "flags")
        try:
            if raw.virSecretSetValue(self._as_parameter_, buffer, len(data), flags) < 0:
                raise_last_error()
        finally:
            ctypes.memset(buffer, 0, len(buffer))


class NWFilter(_NWFilterMethods, LibvirtObject):
    """A network filter (C ``virNWFilterPtr``)."""

    __slots__ = ()
    _free_function = "virNWFilterFree"
    _ref_function = "virNWFilterRef"
    _handle_type = raw.virNWFilterPtr

    def _key(self) -> Any:
        return uuid_key(raw.virNWFilterGetUUID, self._as_parameter_)


class NWFilterBinding(_NWFilterBindingMethods, LibvirtObject):
    """A network filter bound to a port (C ``virNWFilterBindingPtr``)."""

    __slots__ = ()
    _free_function = "virNWFilterBindingFree"
    _ref_function = "virNWFilterBindingRef"
    _handle_type = raw.virNWFilterBindingPtr

    def _key(self) -> Any:
        return self.get_port_dev()
