"""The libvirt-admin API: managing the daemons themselves.

`connect()` opens an admin connection to a daemon (``libvirtd:///session``,
``virtqemud:///system``, …); through it come the daemon's `AdminServer`
objects and their connected `AdminClient` objects.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _coexist, raw
from ._generated.methods.admin_client import _AdminClientMethods
from ._generated.methods.admin_connection import _AdminConnectionMethods
from ._generated.methods.admin_server import _AdminServerMethods
from ._marshal import check_optional_str, check_uint, raise_last_error
from ._objects import LibvirtObject
from .events import register_admin_close

if TYPE_CHECKING:
    from .events import ConnectionClosed, Subscription

__all__ = ["AdminClient", "AdminConnection", "AdminServer", "connect", "get_version"]


class AdminConnection(_AdminConnectionMethods, LibvirtObject):
    """An admin connection to a libvirt daemon (C ``virAdmConnectPtr``)."""

    __slots__ = ("_subscriptions",)
    _free_function = "virAdmConnectClose"
    _shared_after_fork = True
    _ref_function = "virAdmConnectRef"
    _handle_type = raw.virAdmConnectPtr

    def subscribe_close(self, callback: Callable[[ConnectionClosed], object],
                        ) -> Subscription[ConnectionClosed]:
        """Call *callback* when this connection closes; needs a running event loop.

        Wraps :libvirt:`virAdmConnectRegisterCloseCallback` and
        :libvirt:`virAdmConnectUnregisterCloseCallback` (on ``close()`` of the
        returned subscription).
        """
        return register_admin_close(self, callback)


class AdminServer(_AdminServerMethods, LibvirtObject):
    """A server (RPC listener) of a daemon (C ``virAdmServerPtr``)."""

    __slots__ = ()
    _free_function = "virAdmServerFree"
    _ref_function = ""
    _handle_type = raw.virAdmServerPtr

    def _key(self) -> Any:
        return self.get_name()


class AdminClient(_AdminClientMethods, LibvirtObject):
    """A client connected to a daemon's server (C ``virAdmClientPtr``)."""

    __slots__ = ()
    _free_function = "virAdmClientFree"
    _ref_function = ""
    _handle_type = raw.virAdmClientPtr


def connect(uri: str | None = None, *, flags: int = 0) -> AdminConnection:
    """Open an admin connection to the daemon named by *uri*.

    Wraps :libvirt:`virAdmConnectOpen`.
    """
    name = check_optional_str(uri, "uri")
    flags = check_uint(flags, "flags")
    _coexist.check_admin()
    _initialise()
    handle = raw.virAdmConnectOpen(name, flags)
    if not handle:
        raise_last_error()
    return AdminConnection._own(handle, None)


_initialised: list[bool] = []


def _initialise() -> None:
    """Set libvirt-admin up once (:libvirt:`virAdmInitialize`)."""
    if not _initialised:
        if raw.virAdmInitialize() < 0:
            raise_last_error()
        _initialised.append(True)


def get_version() -> tuple[int, int, int]:
    """The version of the libvirt-admin library, as ``(major, minor, micro)``.

    Wraps :libvirt:`virAdmGetVersion`.
    """
    version = ctypes.c_ulonglong()
    if raw.virAdmGetVersion(ctypes.byref(version)) < 0:
        raise_last_error()
    number = version.value
    return number // 1_000_000, number // 1_000 % 1_000, number % 1_000
