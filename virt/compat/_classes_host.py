"""libvirt-python's classes of host interfaces, devices, secrets and network filters
on the core (see `_classes`).

Defined when one of them is first needed (see `_base.GROUPS`).
"""

from __future__ import annotations

import virt
from virt import raw
from virt._marshal import refuse_self

from . import _methods, _methods_host
from ._base import Child, CompatObject, define, init

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["virInterface", "virNodeDevice", "virSecret", "virNWFilter", "virNWFilterBinding"]


class virInterface(_methods_host._virInterfaceMethods, Child, CompatObject,  # noqa: N801
                   virt.Interface):
    """A host network interface (libvirt-python's ``virInterface``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


class virNodeDevice(_methods_host._virNodeDeviceMethods, Child, CompatObject,  # noqa: N801
                    virt.NodeDevice):
    """A host device (libvirt-python's ``virNodeDevice``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)

    def parent(self) -> str | None:
        """The parent device's name, None for a device without one.

        Wraps :libvirt:`virNodeDeviceGetParent`.
        """
        if not isinstance(self, virt.NodeDevice):
            refuse_self(self, "virNodeDevice")
        name = raw.virNodeDeviceGetParent(self._as_parameter_)
        return None if name is None else name.decode("utf-8", "surrogateescape")


class virSecret(_methods_host._virSecretMethods, Child, CompatObject,  # noqa: N801
                virt.Secret):
    """A secret (libvirt-python's ``virSecret``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


class virNWFilter(_methods_host._virNWFilterMethods, Child, CompatObject,  # noqa: N801
                  virt.NWFilter):
    """A network filter (libvirt-python's ``virNWFilter``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


class virNWFilterBinding(_methods_host._virNWFilterBindingMethods, Child,  # noqa: N801
                         CompatObject, virt.NWFilterBinding):
    """A network filter's binding to a port (libvirt-python's ``virNWFilterBinding``)."""

    def __init__(self, conn: Any, _obj: Any = None) -> None:
        init(self, conn, _obj)


define(_methods.CORE_FUNCTIONS, virInterface, virNodeDevice, virSecret, virNWFilter,
       virNWFilterBinding)
