"""The event methods of ``virConnect`` (libvirt-python's registrations).

Their machinery (`_events`: the C callbacks, the registrations, libvirt's
event loop) is imported when a program first registers, not with the first
connection.
"""

from __future__ import annotations

import ctypes

import virt
from virt import raw
from virt._marshal import refuse_self

from ._base import LazyModule, compat_class, libvirtError

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from . import _events
else:
    _events = LazyModule("virt.compat._events")

__all__ = ["ConnectEventMixin"]


class ConnectEventMixin:
    """The event methods of ``virConnect``."""

    __slots__ = ()

    _as_parameter_: Any
    __dict__: dict[str, Any]

    def domainEventRegisterAny(self, dom: Any, eventID: int,  # noqa: N802, N803
                               cb: Callable[..., object], opaque: Any) -> int:
        """Call ``cb(conn, dom, *details, opaque)`` for each event *eventID*
        (``VIR_DOMAIN_EVENT_ID_*``) of *dom* (None: every domain); returns
        the callback ID.  Wraps :libvirt:`virConnectDomainEventRegisterAny`."""
        return _events._register(self, "virConnectDomainEventRegisterAny", dom, eventID, cb,
                                 opaque)

    def domainEventDeregisterAny(self, callbackID: int) -> None:  # noqa: N802, N803
        """End a `domainEventRegisterAny` registration.  Wraps
        :libvirt:`virConnectDomainEventDeregisterAny`."""
        _events._deregister(self, "virConnectDomainEventRegisterAny", callbackID)

    def networkEventRegisterAny(self, net: Any, eventID: int,  # noqa: N802, N803
                                cb: Callable[..., object], opaque: Any) -> int:
        """`domainEventRegisterAny` for networks (``VIR_NETWORK_EVENT_ID_*``).
        Wraps :libvirt:`virConnectNetworkEventRegisterAny`."""
        return _events._register(self, "virConnectNetworkEventRegisterAny", net, eventID, cb,
                                 opaque)

    def networkEventDeregisterAny(self, callbackID: int) -> None:  # noqa: N802, N803
        """End a `networkEventRegisterAny` registration.  Wraps
        :libvirt:`virConnectNetworkEventDeregisterAny`."""
        _events._deregister(self, "virConnectNetworkEventRegisterAny", callbackID)

    def storagePoolEventRegisterAny(self, pool: Any, eventID: int,  # noqa: N802, N803
                                    cb: Callable[..., object], opaque: Any) -> int:
        """`domainEventRegisterAny` for storage pools (``VIR_STORAGE_POOL_EVENT_ID_*``).
        Wraps :libvirt:`virConnectStoragePoolEventRegisterAny`."""
        return _events._register(self, "virConnectStoragePoolEventRegisterAny", pool, eventID,
                                 cb, opaque)

    def storagePoolEventDeregisterAny(self, callbackID: int) -> None:  # noqa: N802, N803
        """End a `storagePoolEventRegisterAny` registration.  Wraps
        :libvirt:`virConnectStoragePoolEventDeregisterAny`."""
        _events._deregister(self, "virConnectStoragePoolEventRegisterAny", callbackID)

    def nodeDeviceEventRegisterAny(self, dev: Any, eventID: int,  # noqa: N802, N803
                                   cb: Callable[..., object], opaque: Any) -> int:
        """`domainEventRegisterAny` for host devices (``VIR_NODE_DEVICE_EVENT_ID_*``).
        Wraps :libvirt:`virConnectNodeDeviceEventRegisterAny`."""
        return _events._register(self, "virConnectNodeDeviceEventRegisterAny", dev, eventID, cb,
                                 opaque)

    def nodeDeviceEventDeregisterAny(self, callbackID: int) -> None:  # noqa: N802, N803
        """End a `nodeDeviceEventRegisterAny` registration.  Wraps
        :libvirt:`virConnectNodeDeviceEventDeregisterAny`."""
        _events._deregister(self, "virConnectNodeDeviceEventRegisterAny", callbackID)

    def secretEventRegisterAny(self, secret: Any, eventID: int,  # noqa: N802, N803
                               cb: Callable[..., object], opaque: Any) -> int:
        """`domainEventRegisterAny` for secrets (``VIR_SECRET_EVENT_ID_*``).
        Wraps :libvirt:`virConnectSecretEventRegisterAny`."""
        return _events._register(self, "virConnectSecretEventRegisterAny", secret, eventID, cb,
                                 opaque)

    def secretEventDeregisterAny(self, callbackID: int) -> None:  # noqa: N802, N803
        """End a `secretEventRegisterAny` registration.  Wraps
        :libvirt:`virConnectSecretEventDeregisterAny`."""
        _events._deregister(self, "virConnectSecretEventRegisterAny", callbackID)

    # -- the lifecycle-only registration of libvirt 0.5

    def domainEventRegister(self, cb: Callable[..., object], opaque: Any) -> None:  # noqa: N802
        """Call ``cb(conn, dom, event, detail, opaque)`` for every domain
        lifecycle event; one registration per *cb* (registering it again
        replaces its *opaque*).  Wraps :libvirt:`virConnectDomainEventRegister`."""
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        _events._callable(cb, "cb")
        callbacks = self.__dict__.get("domainEventCallbacks")
        if callbacks is not None:
            callbacks[cb] = opaque
            return
        callbacks = {cb: opaque}
        handle = self._as_parameter_
        if handle is None:
            raise libvirtError("virConnectDomainEventRegister() failed: the connection is closed")
        conn = self

        def dispatch(_conn: Any, dom: Any, event: int, detail: int, _opaque: Any) -> int:
            for function, data in list(callbacks.items()):
                function(conn, dom, event, detail, data)
            return 0

        c_type = raw.virConnectDomainEventCallback
        c_callback = _events._fast_type(c_type)(
            _events._handler(self, compat_class(virt.Domain), c_type, dispatch, None))
        token = _events._keep_alive(c_callback)
        as_declared = ctypes.cast(c_callback, c_type)
        if raw.virConnectDomainEventRegister(handle, as_declared, token, _events._FREE) < 0:
            _events._live.pop(token, None)
            raise _events._failed("virConnectDomainEventRegister")
        self.__dict__["domainEventCallbacks"] = callbacks
        _events._Registration(self, "virConnectDomainEventDeregister", as_declared,
                              "_compat_lifecycle")

    def domainEventDeregister(self, cb: Callable[..., object]) -> None:  # noqa: N802
        """End the `domainEventRegister` registration of *cb* (``KeyError`` if
        it has none).  Wraps :libvirt:`virConnectDomainEventDeregister`."""
        callbacks = self.__dict__.get("domainEventCallbacks")
        if callbacks is None:
            return
        del callbacks[cb]
        if callbacks:
            return
        del self.__dict__["domainEventCallbacks"]
        registration = self.__dict__.get("_compat_lifecycle")
        if registration is not None:
            registration.close()

    # -- the connection closing

    def registerCloseCallback(self, cb: Callable[..., object], opaque: Any) -> int:  # noqa: N802
        """Call ``cb(conn, reason, opaque)`` when the connection closes
        (``VIR_CONNECT_CLOSE_REASON_*``).  Wraps :libvirt:`virConnectRegisterCloseCallback`."""
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        _events._callable(cb, "cb")
        handle = self._as_parameter_
        if handle is None:
            raise libvirtError("virConnectRegisterCloseCallback() failed: "
                               "the connection is closed")
        import weakref  # here: ~0.4 ms to import, which a program without it need not pay

        token = next(_events._tokens)
        _events._closers[token] = (weakref.ref(self), cb, opaque)
        if raw.virConnectRegisterCloseCallback(handle, _events._CLOSE_CALLBACK, token,
                                               _events._CLOSE_FREE) < 0:
            _events._closers.pop(token, None)
            raise _events._failed("virConnectRegisterCloseCallback")
        _events._Registration(self, "virConnectUnregisterCloseCallback",
                              _events._CLOSE_CALLBACK, "_compat_close", token)
        return 0

    def unregisterCloseCallback(self) -> None:  # noqa: N802
        """End the `registerCloseCallback` registration.  Wraps
        :libvirt:`virConnectUnregisterCloseCallback`."""
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        registration = self.__dict__.get("_compat_close")
        if registration is not None:
            registration.close()
            return
        # With none registered, libvirt is still asked, so that it answers as
        # it does to the official binding.
        handle = self._as_parameter_
        if handle is None or \
                raw.virConnectUnregisterCloseCallback(handle, _events._CLOSE_CALLBACK) < 0:
            raise _events._failed("virConnectUnregisterCloseCallback")

