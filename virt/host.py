"""Host-level objects: `Interface`, `NodeDevice`, `Secret`, `NWFilter`, `NWFilterBinding`."""

from __future__ import annotations

from typing import Any

from . import raw
from ._generated.methods import (
    _InterfaceMethods,
    _NodeDeviceMethods,
    _NWFilterBindingMethods,
    _NWFilterMethods,
    _SecretMethods,
)
from ._objects import LibvirtObject
from .network import uuid_key

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


class Secret(_SecretMethods, LibvirtObject):
    """A secret: a passphrase or key libvirt keeps (C ``virSecretPtr``)."""

    __slots__ = ()
    _free_function = "virSecretFree"
    _ref_function = "virSecretRef"
    _handle_type = raw.virSecretPtr

    def _key(self) -> Any:
        return uuid_key(raw.virSecretGetUUID, self._as_parameter_)


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
