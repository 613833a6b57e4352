"""libvirt-python's classes of virtual networks and their ports on the core (see `_classes`).

Defined when one of them is first needed (see `_base.GROUPS`).
"""

from __future__ import annotations

import virt

from . import _methods, _methods_network
from ._base import Child, CompatObject, as_compat, define, init

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["virNetwork", "virNetworkPort"]


class virNetwork(_methods_network._virNetworkMethods, Child, CompatObject,  # noqa: N801
                 virt.Network):
    """A virtual network (libvirt-python's ``virNetwork``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


class virNetworkPort(_methods_network._virNetworkPortMethods, CompatObject,  # noqa: N801
                     virt.NetworkPort):
    """A port of a virtual network (libvirt-python's ``virNetworkPort``)."""

    def __init__(self, net: Any, _obj: Any = None) -> None:
        init(self, net, _obj)

    def network(self) -> Any:
        """The network this port belongs to."""
        return as_compat(self._parent)

    def connect(self) -> Any:
        """The connection of this port's network."""
        return as_compat(self._parent._parent)


define(_methods.CORE_FUNCTIONS, virNetwork, virNetworkPort)
