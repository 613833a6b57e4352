"""libvirt-python's classes of storage pools and volumes on the core (see `_classes`).

Defined when one of them is first needed (see `_base.GROUPS`).
"""

from __future__ import annotations

import virt

from . import _methods, _methods_storage
from ._base import Child, CompatObject, as_compat, define, init
from ._streams import StorageVolStreamMixin

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["virStoragePool", "virStorageVol"]


class virStoragePool(_methods_storage._virStoragePoolMethods, Child, CompatObject,  # noqa: N801
                     virt.StoragePool):
    """A storage pool (libvirt-python's ``virStoragePool``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


class virStorageVol(StorageVolStreamMixin,  # type: ignore[misc]  # noqa: N801
                    _methods_storage._virStorageVolMethods, Child, CompatObject, virt.StorageVol):
    """A storage volume (libvirt-python's ``virStorageVol``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)

    def connect(self) -> Any:
        """The connection this volume belongs to (through its pool, if it has one)."""
        parent = self._parent
        while parent is not None and not isinstance(parent, virt.Connection):
            parent = parent._parent
        return as_compat(parent)


define(_methods.CORE_FUNCTIONS, virStoragePool, virStorageVol)
