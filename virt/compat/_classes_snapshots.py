"""libvirt-python's classes of snapshots and checkpoints of a domain on the core (see `_classes`).

Defined when one of them is first needed (see `_base.GROUPS`).
"""

from __future__ import annotations

import virt

from . import _methods, _methods_snapshots
from ._base import CompatObject, as_compat, define, init

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["virDomainSnapshot", "virDomainCheckpoint"]


class _DomainChild:
    """``domain()``/``getDomain()``/``connect()``/``getConnect()`` for snapshots
    and checkpoints, whose parent is their domain."""

    __slots__ = ()
    _parent: Any

    def domain(self) -> Any:
        """The domain this object belongs to."""
        return as_compat(self._parent)

    def getDomain(self) -> Any:  # noqa: N802
        """The domain this object belongs to."""
        return as_compat(self._parent)

    def connect(self) -> Any:
        """The connection of this object's domain."""
        return as_compat(self._parent._parent)

    def getConnect(self) -> Any:  # noqa: N802
        """The connection of this object's domain."""
        return as_compat(self._parent._parent)


class virDomainSnapshot(_methods_snapshots._virDomainSnapshotMethods, _DomainChild,  # noqa: N801
                        CompatObject, virt.DomainSnapshot):
    """A snapshot of a domain (libvirt-python's ``virDomainSnapshot``)."""

    def __init__(self, dom: Any, _obj: Any = None) -> None:
        init(self, dom, _obj)


class virDomainCheckpoint(_methods_snapshots._virDomainCheckpointMethods, _DomainChild,  # noqa: N801
                          CompatObject, virt.DomainCheckpoint):
    """A checkpoint of a domain (libvirt-python's ``virDomainCheckpoint``)."""

    def __init__(self, dom: Any, _obj: Any = None) -> None:
        init(self, dom, _obj)


define(_methods.CORE_FUNCTIONS, virDomainSnapshot, virDomainCheckpoint)
