"""`StoragePool` and `StorageVol` (a volume in a pool)."""

from __future__ import annotations

from typing import Any

from . import raw
from ._generated.methods.storage_pool import _StoragePoolMethods
from ._generated.methods.storage_vol import _StorageVolMethods
from ._marshal import decode, guard_methods, uuid_key
from ._objects import LibvirtObject
from ._stream_methods import _StorageVolStreamMethods

__all__ = ["StoragePool", "StorageVol"]


class StoragePool(_StoragePoolMethods, LibvirtObject):
    """A storage pool (C ``virStoragePoolPtr``)."""

    __slots__ = ()
    _free_function = "virStoragePoolFree"
    _ref_function = "virStoragePoolRef"
    _handle_type = raw.virStoragePoolPtr

    def _key(self) -> Any:
        return uuid_key(raw.virStoragePoolGetUUID, self._as_parameter_)

    def _describe(self) -> str:
        name = raw.virStoragePoolGetName(self._as_parameter_)
        return repr(decode(name)) if name is not None else ""


@guard_methods
class StorageVol(_StorageVolMethods, _StorageVolStreamMethods, LibvirtObject):
    """A storage volume (C ``virStorageVolPtr``); identified by its key."""

    __slots__ = ()
    _free_function = "virStorageVolFree"
    _ref_function = "virStorageVolRef"
    _handle_type = raw.virStorageVolPtr

    def _key(self) -> Any:
        return self.get_key()

    def _describe(self) -> str:
        name = raw.virStorageVolGetName(self._as_parameter_)
        return repr(decode(name)) if name is not None else ""
