"""virt: a pure-Python binding to libvirt.

Start with `virt.connect`::

    import virt

    with virt.connect("test:///default") as conn:
        for domain in conn.list_all_domains():
            print(domain.get_name(), domain.get_info().state.name)

``virt.raw`` holds libvirt's C API as ctypes declarations; this package is the
typed layer on top: object wrappers that free themselves, enums and flags
(`virt.DomainState`), records (`virt.DomainInfo`), one exception class per
libvirt error code (`virt.NoDomainError`).
"""

from __future__ import annotations

from . import _objects, records
from ._exceptions import ClosedError, Error, LibraryNotFoundError, NotSupportedError, error_class
from ._generated import enums as _enums
from ._generated import errors as _errors
from ._generated import events as _events
from ._generated import params as _params
from ._generated import records as _records
from ._lazy import import_module
from ._objects import LibvirtObject
from .connection import Connection, connect, get_version
from .domain import Domain
from .records import __all__ as _hand_records_all

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:  # what mypy sees; at run time these names come from __getattr__
    from typing import Any

    from . import admin, errors, events, lxc, qemu, typedparams
    from ._generated.enums import *  # noqa: F403
    from ._generated.errors import *  # noqa: F403
    from ._generated.events import *  # noqa: F403
    from ._generated.params import *  # noqa: F403
    from ._generated.records import *  # noqa: F403
    from ._lost import ClosedSocketError, SocketSystemError
    from .admin import AdminClient, AdminConnection, AdminServer
    from .connection import AuthCallback, Credential
    from .domain import DomainCheckpoint, DomainSnapshot
    from .events import ConnectionClosed, Event, EventIterator, Subscription
    from .host import Interface, NodeDevice, NWFilter, NWFilterBinding, Secret
    from .network import Network, NetworkPort
    from .records import *  # noqa: F403
    from .storage import StoragePool, StorageVol
    from .stream import AT_HOLE, Stream, StreamConnectionLostError, StreamFile

#: Names this module exports from modules it imports on first use: the
#: generated enums, errors, typed parameters, events and records are built one
#: by one as they are first used (see ``virt._lazy``); the events, network,
#: storage, host, stream, admin, QEMU and LXC modules and the typed parameters
#: are imported when first used (a connection's look-ups reach the classes of
#: the objects they return through ``virt._objects.CORE``, which imports them).
_LAZY: dict[str, str] = {
    **dict.fromkeys(_enums.__all__, "_generated.enums"),
    **dict.fromkeys(_errors.__all__, "_generated.errors"),
    **dict.fromkeys(_events.__all__, "_generated.events"),
    **dict.fromkeys(_params.__all__, "_generated.params"),
    **dict.fromkeys(_records.__all__, "_generated.records"),
    **dict.fromkeys(_hand_records_all, "records"),
    **dict.fromkeys(("ConnectionClosed", "Event", "EventIterator", "Subscription"), "events"),
    **dict.fromkeys(("AdminClient", "AdminConnection", "AdminServer"), "admin"),
    **dict.fromkeys(("Interface", "NodeDevice", "NWFilter", "NWFilterBinding", "Secret"), "host"),
    **dict.fromkeys(("DomainCheckpoint", "DomainSnapshot"), "domain"),
    **dict.fromkeys(("Network", "NetworkPort"), "network"),
    **dict.fromkeys(("ClosedSocketError", "SocketSystemError"), "_lost"),
    **dict.fromkeys(("StoragePool", "StorageVol"), "storage"),
    **dict.fromkeys(("AT_HOLE", "Stream", "StreamConnectionLostError", "StreamFile"), "stream"),
    **dict.fromkeys(("admin", "errors", "events", "lxc", "qemu", "typedparams"), ""),
    "Credential": "connection",
    "AuthCallback": "connection",
}

__all__ = [
    "AdminClient",
    "AdminConnection",
    "AdminServer",
    "AuthCallback",
    "ClosedError",
    "ClosedSocketError",
    "Connection",
    "Credential",
    "Domain",
    "DomainCheckpoint",
    "DomainSnapshot",
    "ConnectionClosed",
    "Error",
    "Event",
    "EventIterator",
    "Interface",
    "LibraryNotFoundError",
    "LibvirtObject",
    "SocketSystemError",
    "NWFilter",
    "NWFilterBinding",
    "Network",
    "NetworkPort",
    "NodeDevice",
    "NotSupportedError",
    "Secret",
    "StoragePool",
    "Subscription",
    "StorageVol",
    "AT_HOLE",
    "Stream",
    "StreamConnectionLostError",
    "StreamFile",
    "__version__",
    "admin",
    "connect",
    "lxc",
    "qemu",
    "records",
    "typedparams",
    "error_class",
    "errors",
    "events",
    "get_version",
    *_enums.__all__,
    *_errors.__all__,
    *_events.__all__,
    *_params.__all__,
    *_records.__all__,
    *_hand_records_all,
]

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'virt' has no attribute {name!r}")
        if module:
            value = getattr(import_module(f"virt.{module}"), name)
        else:  # a submodule
            value = import_module(f"virt.{name}")
        globals()[name] = value
        return value


def _import_class(name: str) -> None:
    """Import the module that defines the core class *name* (for ``_objects.CORE``)."""
    module = _LAZY.get(name)
    if module and module[0] != "_":
        getattr(import_module(f"virt.{module}"), name, None)  # built if on first use


_objects.CLASS_IMPORTERS.append(_import_class)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

__version__ = "0.1.0.dev0"
