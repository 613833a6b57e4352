"""libvirt-python's classes of data streams on the core (see `_classes`).

Defined when one of them is first needed (see `_base.GROUPS`).
"""

from __future__ import annotations

import virt

from . import _methods, _methods_stream
from ._base import Child, CompatObject, define, init
from ._streams import StreamMixin

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["virStream"]


class virStream(StreamMixin,  # type: ignore[misc]  # noqa: N801
                _methods_stream._virStreamMethods, Child, CompatObject, virt.Stream):
    """A data stream (libvirt-python's ``virStream``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


define(_methods.CORE_FUNCTIONS, virStream)
