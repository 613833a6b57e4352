"""`virt.domain.DomainSnapshot` and `virt.domain.DomainCheckpoint`, defined here
so that ``import virt`` does not build them and their generated methods: the
`virt.domain` module imports this one when either is first used."""

from __future__ import annotations

from . import raw
from ._generated.methods.domain_checkpoint import _DomainCheckpointMethods
from ._generated.methods.domain_snapshot import _DomainSnapshotMethods
from ._marshal import decode
from ._objects import LibvirtObject

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DomainCheckpoint", "DomainSnapshot"]


class DomainSnapshot(_DomainSnapshotMethods, LibvirtObject):
    """A snapshot of a domain (C ``virDomainSnapshotPtr``)."""

    __module__ = "virt.domain"  # where it is documented and imported from
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

    __module__ = "virt.domain"  # where it is documented and imported from
    __slots__ = ()
    _free_function = "virDomainCheckpointFree"
    _ref_function = "virDomainCheckpointRef"
    _handle_type = raw.virDomainCheckpointPtr

    def _key(self) -> Any:
        return (self.get_domain(), self.get_name())
