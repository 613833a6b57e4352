"""The libvirt-admin API: managing the daemons themselves.

`connect()` opens an admin connection to a daemon (``libvirtd:///session``,
``virtqemud:///system``, …); through it come the daemon's `AdminServer`
objects and their connected `AdminClient` objects.

libvirt-admin cannot share a process with libvirt (both register the same
object types, and the second one crashes the process), so by default the
admin API runs in a helper process of its own, started on first use: the
objects, results and exceptions are the same as in-process, and a program
can manage domains and administer daemons at once.  Each call then costs a
round trip through a pipe (some tens of microseconds).  ``in_process=True``
loads libvirt-admin into this process instead — refused once libvirt is in use.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _coexist, raw
from ._admin_remote import Channel, Ref
from ._exceptions import ClosedError
from ._generated.methods.admin_client import _AdminClientMethods
from ._generated.methods.admin_connection import _AdminConnectionMethods
from ._generated.methods.admin_server import _AdminServerMethods
from ._marshal import check_optional_str, check_uint, guard_methods, raise_last_error
from ._objects import LibvirtObject

if TYPE_CHECKING:
    from .events import ConnectionClosed, Subscription

__all__ = ["AdminClient", "AdminConnection", "AdminServer", "connect", "get_version"]


@guard_methods
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
        from .events import register_admin_close  # on first use, as in virt.connection

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


def connect(uri: str | None = None, *, flags: int = 0,
            in_process: bool = False) -> AdminConnection:
    """Open an admin connection to the daemon named by *uri*.

    The connection lives in the admin helper process unless *in_process*
    (see the module's description).  Wraps :libvirt:`virAdmConnectOpen`.
    """
    name = check_optional_str(uri, "uri")
    flags = check_uint(flags, "flags")
    if not in_process:
        channel = Channel.get()
        result: AdminConnection = _proxy(channel, channel.request("connect", uri, flags))
        return result
    _coexist.check_admin()
    _initialise()
    handle = raw.virAdmConnectOpen(name, flags).value
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


def get_version(*, in_process: bool = False) -> tuple[int, int, int]:
    """The version of the libvirt-admin library, as ``(major, minor, micro)``.

    Asked of the helper process unless *in_process*.  Wraps :libvirt:`virAdmGetVersion`.
    """
    if not in_process:
        remote: tuple[int, int, int] = Channel.get().request("version")
        return remote
    version = ctypes.c_ulonglong()
    if raw.virAdmGetVersion(ctypes.byref(version)) < 0:
        raise_last_error()
    number = version.value
    return number // 1_000_000, number // 1_000 % 1_000, number % 1_000


# -- objects that live in the helper process -------------------------------------------


class _Remote:
    """What the proxies of objects living in the helper process have in common.

    Each public method of the class it stands for sends the call through the
    channel; what comes back is the same result, or the same exception.
    """

    _channel: Channel
    _ref: Ref
    _as_parameter_: Any
    _public_name: str

    @property
    def closed(self) -> bool:
        return self._ref.id == 0

    def close(self) -> None:
        """Release this object (in the helper process).  Calling it again does nothing."""
        ref = self._ref
        if ref.id:
            self._ref = Ref(ref.cls, 0)
            self._channel.post("release", ref.id)

    def __del__(self) -> None:
        ref = getattr(self, "_ref", None)
        if ref is not None and ref.id:
            self._channel.post("release", ref.id)

    def _call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if not self._ref.id:
            raise ClosedError(f"this {self._public_name} is closed: {name} cannot be used")
        args = tuple(a._ref if isinstance(a, _Remote) else a for a in args)
        return _unwrap(self._channel, self._channel.request("call", self._ref.id, name, args,
                                                            kwargs))

    def _key(self) -> Any:
        return self._ref

    def __repr__(self) -> str:
        state = f"#{self._ref.id}" if self._ref.id else "closed"
        return f"<virt.{self._public_name} in the admin helper, {state}>"


def _forwarder(name: str) -> Any:
    def forward(self: _Remote, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, args, kwargs)

    forward.__name__ = forward.__qualname__ = name
    return forward


def _remote_class(cls: type[LibvirtObject]) -> type[Any]:
    namespace: dict[str, Any] = {"_public_name": cls.__name__}
    for name in dir(cls):
        if not name.startswith("_") and name not in ("close", "closed", "subscribe_close") \
                and callable(getattr(cls, name)):
            method = _forwarder(name)
            method.__doc__ = getattr(cls, name).__doc__
            namespace[name] = method
    remote = type(f"Remote{cls.__name__}", (_Remote, cls), namespace)
    remote.__module__ = cls.__module__
    return remote


def _remote_subscribe_close(self: Any, callback: Callable[[ConnectionClosed], object]) -> Any:
    if not callable(callback):
        raise TypeError("callback must be callable")
    return _RemoteSubscription(self, callback)


class _RemoteSubscription:
    """A close-event subscription held in the helper process."""

    _tokens = itertools.count(1)

    def __init__(self, connection: Any, callback: Callable[[Any], object]) -> None:
        self.connection = connection
        self.token = next(self._tokens)
        self.active = True
        connection._channel.callbacks[self.token] = callback
        connection._channel.request("subscribe_close", connection._ref.id, self.token)

    def close(self) -> None:
        if self.active:
            self.active = False
            channel = self.connection._channel
            channel.callbacks.pop(self.token, None)
            if channel.alive:
                channel.request("unsubscribe", self.token)

    def __enter__(self) -> _RemoteSubscription:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_REMOTE: dict[str, type[Any]] = {
    cls.__name__: _remote_class(cls) for cls in (AdminConnection, AdminServer, AdminClient)}
_REMOTE["AdminConnection"].subscribe_close = _remote_subscribe_close


def _proxy(channel: Channel, ref: Ref) -> Any:
    obj = object.__new__(_REMOTE[ref.cls])
    obj._as_parameter_ = None  # nothing of this process to free
    obj._parent = None
    obj._channel = channel
    obj._ref = ref
    return obj


def _unwrap(channel: Channel, value: Any) -> Any:
    if type(value) is Ref:
        return _proxy(channel, value)
    if type(value) in (list, tuple):
        return type(value)(_unwrap(channel, item) for item in value)
    return value
