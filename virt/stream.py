"""`Stream`: a channel for bytes between the client and libvirt.

Only the object itself is here for now; the transfer methods are built in
their own step (see CHANGELOG.md).
"""

from __future__ import annotations

from . import raw
from ._generated.methods import _StreamMethods
from ._objects import LibvirtObject

__all__ = ["Stream"]


class Stream(_StreamMethods, LibvirtObject):
    """A data stream (C ``virStreamPtr``)."""

    __slots__ = ()
    _free_function = "virStreamFree"
    _shared_after_fork = True
    _ref_function = "virStreamRef"
    _handle_type = raw.virStreamPtr
