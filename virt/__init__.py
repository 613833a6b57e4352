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

from . import admin, errors, events, lxc, qemu, records, typedparams
from ._exceptions import ClosedError, Error, LibraryNotFoundError, NotSupportedError, error_class
from ._generated.enums import *  # noqa: F403
from ._generated.enums import __all__ as _enums_all
from ._generated.errors import *  # noqa: F403
from ._generated.errors import __all__ as _errors_all
from ._generated.events import *  # noqa: F403
from ._generated.events import __all__ as _events_all
from ._generated.params import *  # noqa: F403
from ._generated.params import __all__ as _params_all
from ._generated.records import *  # noqa: F403
from ._generated.records import __all__ as _records_all
from ._objects import LibvirtObject
from .admin import AdminClient, AdminConnection, AdminServer
from .connection import AuthCallback, Connection, Credential, connect, get_version
from .domain import Domain, DomainCheckpoint, DomainSnapshot
from .events import ConnectionClosed, Event, EventIterator, Subscription
from .host import Interface, NodeDevice, NWFilter, NWFilterBinding, Secret
from .network import Network, NetworkPort
from .records import *  # noqa: F403
from .records import __all__ as _hand_records_all
from .storage import StoragePool, StorageVol
from .stream import AT_HOLE, Stream, StreamConnectionLostError, StreamFile

__all__ = [
    "AdminClient",
    "AdminConnection",
    "AdminServer",
    "AuthCallback",
    "ClosedError",
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
    *_enums_all,
    *_errors_all,
    *_events_all,
    *_params_all,
    *_records_all,
    *_hand_records_all,
]

__version__ = "0.1.0.dev0"
