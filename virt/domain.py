"""`Domain` (a virtual machine), `DomainSnapshot` and `DomainCheckpoint`."""

from __future__ import annotations

from typing import Any

from . import raw
from ._generated.methods import (
    _DomainCheckpointMethods,
    _DomainMethods,
    _DomainSnapshotMethods,
)
from ._marshal import decode
from ._objects import LibvirtObject
from .network import uuid_key

__all__ = ["Domain", "DomainCheckpoint", "DomainSnapshot"]


class Domain(_DomainMethods, LibvirtObject):
    """A domain, libvirt's word for a virtual machine (C ``virDomainPtr``)."""

    __slots__ = ()
    _free_function = "virDomainFree"
    _ref_function = "virDomainRef"
    _handle_type = raw.virDomainPtr


    def _key(self) -> Any:
        return uuid_key(raw.virDomainGetUUID, self._as_parameter_)

    def _describe(self) -> str:
        name = raw.virDomainGetName(self._as_parameter_)
        return repr(decode(name)) if name is not None else ""


class DomainSnapshot(_DomainSnapshotMethods, LibvirtObject):
    """A snapshot of a domain (C ``virDomainSnapshotPtr``)."""

    __slots__ = ()
    _free_function = "virDomainSnapshotFree"
    _ref_function = "virDomainSnapshotRef"
    _handle_type = raw.virDomainSnapshotPtr


    def _key(self) -> Any:
        return (self.get_domain(), self.get_name())

    def _describe(self) -> str:
        name = raw.virDomainSnapshotGetName(self._as_parameter_)
        return repr(decode(name)) if name is not None else ""


class DomainCheckpoint(_DomainCheckpointMethods, LibvirtObject):
    """A checkpoint of a domain, for incremental backups (C ``virDomainCheckpointPtr``)."""

    __slots__ = ()
    _free_function = "virDomainCheckpointFree"
    _ref_function = "virDomainCheckpointRef"
    _handle_type = raw.virDomainCheckpointPtr


    def _key(self) -> Any:
        return (self.get_domain(), self.get_name())
