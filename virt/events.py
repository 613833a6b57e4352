"""Event loops: what makes libvirt's event callbacks fire.

libvirt delivers events (domain lifecycle, stream readiness, keepalives, …)
only while an event loop implementation runs.  `start_default_loop` registers
libvirt's own implementation and runs it in a daemon thread; ``virt.aio``
offers one built on asyncio.  Register the loop before opening the
connections that should see events: a connection picks the loop up when it is
opened.
"""

from __future__ import annotations

import ctypes
import dataclasses
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import raw
from ._event_base import Event
from ._generated import enums as _enums
from ._generated import events as _events
from ._marshal import check_handle, check_int, check_str, check_uint, raise_last_error
from ._objects import CORE
from .errors import log_callback_error

if TYPE_CHECKING:
    import asyncio  # imported when an async API is first used: it costs ~13 ms

    from ._generated.enums import ConnectCloseReason, EventHandleType

__all__ = [
    "ConnectionClosed",
    "Event",
    "EventIterator",
    "Subscription",
    "add_handle",
    "add_timeout",
    "default_loop_running",
    "register_default_impl",
    "remove_handle",
    "remove_timeout",
    "run_default_impl_once",
    "start_default_loop",
    "stop_default_loop",
    "update_handle",
    "update_timeout",
]

_lock = threading.Lock()
#: "registered": False, "default" or "asyncio" (virt.aio)
_state: dict[str, Any] = {"registered": False, "thread": None, "stop": None}


def register_default_impl() -> None:
    """Make libvirt's built-in (poll-based) loop the process's event loop; idempotent.

    Nothing runs until something iterates it (`run_default_impl_once`, or the
    thread `start_default_loop` starts).  Wraps :libvirt:`virEventRegisterDefaultImpl`.
    """
    with _lock:
        if _state["registered"] == "asyncio":
            raise RuntimeError("virt.aio is this process's event loop; libvirt's default "
                               "loop cannot be registered as well")
        if not _state["registered"]:
            if raw.virEventRegisterDefaultImpl() < 0:
                raise_last_error()
            _state["registered"] = "default"


def run_default_impl_once() -> None:
    """Run one iteration of the default loop: wait for the next event or timer and
    dispatch its callbacks.  Wraps :libvirt:`virEventRunDefaultImpl`."""
    if raw.virEventRunDefaultImpl() < 0:
        raise_last_error()


def _wake_callback(timer: int, _opaque: Any) -> None:
    raw.virEventRemoveTimeout(timer)


_wake = raw.virEventTimeoutCallback(_wake_callback)  # alive for the process
_NO_FREE = raw.virFreeCallback()  # a NULL free callback


def _run(stop: threading.Event) -> None:
    while not stop.is_set():
        if raw.virEventRunDefaultImpl() < 0:
            break


def start_default_loop() -> None:
    """Register libvirt's default loop and run it in a daemon thread; idempotent."""
    register_default_impl()
    with _lock:
        thread = _state["thread"]
        if thread is not None and thread.is_alive():
            return
        stop = threading.Event()
        thread = threading.Thread(target=_run, args=(stop,), name="libvirt-event-loop",
                                  daemon=True)
        _state["thread"], _state["stop"] = thread, stop
        thread.start()


def stop_default_loop(timeout: float = 5.0) -> None:
    """Stop the thread `start_default_loop` started (the loop stays registered:
    `start_default_loop` resumes it).  Events arriving meanwhile wait."""
    with _lock:
        thread, stop = _state["thread"], _state["stop"]
        _state["thread"] = _state["stop"] = None
    if thread is None:
        return
    stop.set()
    # Wake the loop from its poll(): a timer firing at once, which removes itself.
    raw.virEventAddTimeout(0, _wake, None, _NO_FREE)
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError("the libvirt event loop thread did not stop")


def default_loop_running() -> bool:
    """Whether the thread of `start_default_loop` is running."""
    thread = _state["thread"]
    return thread is not None and bool(thread.is_alive())


# -- typed subscriptions ------------------------------------------------------------

E = TypeVar("E", bound=Event)

#: token -> the ctypes callback libvirt holds; dropped when libvirt frees it.
_live: dict[int, Any] = {}
_tokens = itertools.count(1)


def _release(opaque: Any) -> None:
    """libvirt's free callback: it will not call the callback of *opaque* again."""
    _live.pop(opaque or 0, None)


_FREE = raw.virFreeCallback(_release)  # alive for the process

#: Object field of each event base -> (wrapper class name, C ref function).
_OBJECTS = {
    "DomainEvent": ("Domain", "virDomainRef"),
    "NetworkEvent": ("Network", "virNetworkRef"),
    "StoragePoolEvent": ("StoragePool", "virStoragePoolRef"),
    "NodeDeviceEvent": ("NodeDevice", "virNodeDeviceRef"),
    "SecretEvent": ("Secret", "virSecretRef"),
}

#: Registration function -> (deregistration function, generic callback type).
_REGISTRY = {
    "virConnectDomainEventRegisterAny": ("virConnectDomainEventDeregisterAny",
                                         "virConnectDomainEventGenericCallback"),
    "virConnectNetworkEventRegisterAny": ("virConnectNetworkEventDeregisterAny",
                                          "virConnectNetworkEventGenericCallback"),
    "virConnectStoragePoolEventRegisterAny": ("virConnectStoragePoolEventDeregisterAny",
                                              "virConnectStoragePoolEventGenericCallback"),
    "virConnectNodeDeviceEventRegisterAny": ("virConnectNodeDeviceEventDeregisterAny",
                                             "virConnectNodeDeviceEventGenericCallback"),
    "virConnectSecretEventRegisterAny": ("virConnectSecretEventDeregisterAny",
                                         "virConnectSecretEventGenericCallback"),
    "virConnectDomainQemuMonitorEventRegister": ("virConnectDomainQemuMonitorEventDeregister",
                                                 ""),
}


@dataclass(frozen=True)
class ConnectionClosed(Event):
    """The connection closed (the daemon went away, a keepalive timed out, …),
    delivered through :libvirt:`virConnectCloseFunc`."""

    reason: ConnectCloseReason


class Subscription(Generic[E]):
    """A live event subscription; `close` (or leaving a ``with`` block) ends it.

    Ending it twice, or after the connection closed, does nothing.  The
    callback may close its own subscription.
    """

    def __init__(self, connection: Any, event: type[E], callback_id: int, token: int,
                 deregister: str) -> None:
        self.connection = connection
        self.event = event
        self.callback_id = callback_id
        self._token = token
        self._deregister = deregister
        # The connection ends its subscriptions when it closes.
        try:
            registry = connection._subscriptions
        except AttributeError:
            registry = connection._subscriptions = set()
        registry.add(self)

    @property
    def active(self) -> bool:
        return self.callback_id >= 0

    def close(self) -> None:
        """Stop delivering events.

        Wraps the deregistration matching the subscription:
        :libvirt:`virConnectDomainEventDeregisterAny`,
        :libvirt:`virConnectNetworkEventDeregisterAny`,
        :libvirt:`virConnectStoragePoolEventDeregisterAny`,
        :libvirt:`virConnectNodeDeviceEventDeregisterAny`,
        :libvirt:`virConnectSecretEventDeregisterAny`,
        :libvirt:`virConnectDomainQemuMonitorEventDeregister`,
        :libvirt:`virConnectUnregisterCloseCallback`,
        :libvirt:`virConnectDomainEventDeregister` or
        :libvirt:`virAdmConnectUnregisterCloseCallback`.
        """
        callback_id, self.callback_id = self.callback_id, -1
        if callback_id < 0:
            return
        getattr(self.connection, "_subscriptions", set()).discard(self)
        handle = self.connection._as_parameter_
        if handle is None:  # the connection closed: libvirt dropped the callback
            return
        if self._deregister in ("virConnectUnregisterCloseCallback",
                                "virConnectDomainEventDeregister",
                                "virAdmConnectUnregisterCloseCallback"):
            # These name the callback, not an id; if libvirt already released
            # it (its connection closed), there is nothing left to undo.
            callback = _live.get(self._token)
            if callback is None:
                return
            result = getattr(raw, self._deregister)(handle, callback)
        else:
            result = getattr(raw, self._deregister)(handle, callback_id)
        if result < 0:
            raise_last_error()

    def __enter__(self) -> Subscription[E]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = f"id {self.callback_id}" if self.active else "closed"
        return f"<virt.Subscription {self.event.__name__} {state}>"


def _fast_type(c_type: Any) -> Any:
    """*c_type* with its first argument (the connection, which the handler does not
    use) as a plain ``c_void_p``: ctypes then passes an int instead of building a
    handle object on every event.  The C signature is the same."""
    return ctypes.CFUNCTYPE(c_type._restype_, ctypes.c_void_p, *c_type._argtypes_[1:])


def _make_handler(connection: Any, event: type[E], callback: Callable[[E], object]) -> Any:
    """The Python function libvirt calls: C arguments in, one event object out.

    Built once per subscription, with everything it needs bound: this runs
    for every event.  The event object is made without the dataclass
    ``__init__`` (frozen dataclasses set each field through
    ``object.__setattr__``), straight into its ``__dict__``.
    """
    base = next(cls.__name__ for cls in event.__mro__ if cls.__name__ in _OBJECTS)
    wrapper_name, ref_name = _OBJECTS[base]
    wrapper = getattr(connection._wrappers, wrapper_name)
    ref, own = getattr(raw, ref_name), wrapper._own
    converters = event._converters
    paired = [getattr(c, "__self__", None) is not None and hasattr(c.__self__, "FIELDS")
              for c in converters]
    names = [f.name for f in dataclasses.fields(event)]
    new = object.__new__
    details = _events.LIFECYCLE_DETAILS if event.__name__ == "DomainLifecycle" else None
    unknown = _events.LIFECYCLE_UNKNOWN_DETAIL

    def make(obj: Any, values: list[Any]) -> Any:
        # *obj* (a fresh handle object ctypes made for this call) is a reference
        # libvirt lends: take our own, and let the wrapper release it.
        ref(obj)
        item = new(event)
        item.__dict__.update(zip(names, (own(obj, connection), *values)))
        return item

    if any(paired):
        def handler(_conn: Any, obj: Any, *args: Any) -> int:
            values = []
            position = 0
            for convert, two in zip(converters, paired):
                if two:  # typed parameters: the array and its length
                    values.append(convert(args[position], args[position + 1]))
                    position += 2
                else:
                    values.append(convert(args[position]))
                    position += 1
            try:
                callback(make(obj, values))
            except BaseException:
                log_callback_error("event callback", callback)
                raise
            return 0
    elif details is not None:
        to_event = converters[0]

        def handler(_conn: Any, obj: Any, *args: Any) -> int:
            kind = to_event(args[0])
            try:
                callback(make(obj, [kind, details.get(kind, unknown)(args[1])]))
            except BaseException:
                log_callback_error("event callback", callback)
                raise
            return 0
    else:
        def handler(_conn: Any, obj: Any, *args: Any) -> int:
            try:
                callback(make(obj, [convert(a) for convert, a in zip(converters, args)]))
            except BaseException:
                log_callback_error("event callback", callback)
                raise
            return 0

    return handler


def register_lifecycle(connection: Any,
                       callback: Callable[[Any], object]) -> Subscription[Any]:
    """The old, lifecycle-only domain event registration (see
    `virt.Connection.domain_event_register`)."""
    if not callable(callback):
        raise TypeError("callback must be callable")
    token = next(_tokens)
    handler = _make_handler(connection, _events.DomainLifecycle, callback)
    c_callback = raw.virConnectDomainEventCallback(handler)
    _live[token] = c_callback
    if raw.virConnectDomainEventRegister(connection._as_parameter_, c_callback, token,
                                         _FREE) < 0:
        _live.pop(token, None)
        raise_last_error()
    return Subscription(connection, _events.DomainLifecycle, 0, token,
                        "virConnectDomainEventDeregister")


def register_admin_close(connection: Any,
                         callback: Callable[[ConnectionClosed], object],
                         ) -> Subscription[ConnectionClosed]:
    """`virt.AdminConnection.subscribe_close`."""
    if not callable(callback):
        raise TypeError("callback must be callable")
    token = next(_tokens)

    def on_close(_conn: Any, reason: int, _opaque: Any) -> None:
        try:
            callback(ConnectionClosed(_enums.ConnectCloseReason(reason)))
        except BaseException:
            log_callback_error("close callback", callback)
            raise

    c_callback = raw.virAdmConnectCloseFunc(on_close)
    _live[token] = c_callback
    if raw.virAdmConnectRegisterCloseCallback(connection._as_parameter_, c_callback, token,
                                              _FREE) < 0:
        _live.pop(token, None)
        raise_last_error()
    return Subscription(connection, ConnectionClosed, 0, token,
                        "virAdmConnectUnregisterCloseCallback")


def subscribe(connection: Any, event: type[E], callback: Callable[[E], object],
              target: Any = None, *, qemu_event: str | None = None,
              qemu_flags: int = 0) -> Subscription[E]:
    """Implementation of `virt.Connection.subscribe`."""
    if not (isinstance(event, type) and issubclass(event, Event)):
        raise TypeError(f"event must be an event class (virt.DomainLifecycle, …), not {event!r}")
    if not callable(callback):
        raise TypeError("callback must be callable")
    handle = connection._as_parameter_
    token = next(_tokens)
    if event is ConnectionClosed:
        if target is not None:
            raise TypeError("ConnectionClosed is about the connection: no target")

        def on_close(_conn: Any, reason: int, _opaque: Any) -> None:
            try:
                callback(ConnectionClosed(_enums.ConnectCloseReason(reason)))  # type: ignore[arg-type]
            except BaseException:
                log_callback_error("close callback", callback)
                raise

        c_callback = raw.virConnectCloseFunc(on_close)
        _live[token] = c_callback
        if raw.virConnectRegisterCloseCallback(handle, c_callback, token, _FREE) < 0:
            _live.pop(token, None)
            raise_last_error()
        return Subscription(connection, event, 0, token, "virConnectUnregisterCloseCallback")
    base = next(cls.__name__ for cls in event.__mro__ if cls.__name__ in _OBJECTS)
    target_handle = None
    if target is not None:
        target_handle = check_handle(target, getattr(CORE, _OBJECTS[base][0]), "target")
    c_callback = _fast_type(getattr(raw, event._callback_name))(
        _make_handler(connection, event, callback))
    deregister, generic = _REGISTRY[event._register_name]
    _live[token] = c_callback  # until libvirt's free callback says it is done
    if event._register_name == "virConnectDomainQemuMonitorEventRegister":
        name = None if qemu_event is None else check_str(qemu_event, "qemu_event")
        callback_id = raw.virConnectDomainQemuMonitorEventRegister(
            handle, target_handle, name,
            ctypes.cast(c_callback, raw.virConnectDomainQemuMonitorEventCallback), token, _FREE,
            check_uint(qemu_flags, "qemu_flags"))
    else:
        generic_callback = ctypes.cast(c_callback, getattr(raw, generic))
        callback_id = getattr(raw, event._register_name)(
            handle, target_handle, event._event_id, generic_callback, token, _FREE)
    if callback_id < 0:
        _live.pop(token, None)
        raise_last_error()
    return Subscription(connection, event, callback_id, token, deregister)


_T = TypeVar("_T")


def in_loop(loop: asyncio.AbstractEventLoop, put: Callable[[_T], object]) -> Callable[[_T], None]:
    """An event callback that runs ``put(item)`` in *loop*: at once when libvirt's
    loop is *loop* (``virt.aio``), else through ``call_soon_threadsafe``."""
    import asyncio

    def deliver(item: _T) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            put(item)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(put, item)

    return deliver


class EventIterator(Generic[E]):
    """Events as an async iterator; made by `virt.Connection.events`.

    The subscription starts at once when made inside a running asyncio loop
    (else on the first iteration) and ends on `aclose`.  Events arrive from libvirt's loop thread or
    from the asyncio loop itself (``virt.aio``); either way they are queued
    through the asyncio loop.  A full queue drops its oldest event and counts
    it in its ``dropped`` attribute.
    """

    def __init__(self, connection: Any, event: type[E], target: Any, maxsize: int) -> None:
        import asyncio

        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._connection, self._event, self._target = connection, event, target
        self._maxsize = maxsize
        self._queue: asyncio.Queue[E] | None = None
        self._subscription: Subscription[E] | None = None
        self.dropped = 0
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # made outside a loop: subscribe on the first iteration
        self._start()  # events from now on are kept, even before the first iteration

    def _start(self) -> asyncio.Queue[E]:
        import asyncio

        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[E] = asyncio.Queue(self._maxsize)

        def put(item: E) -> None:
            if queue.full():
                queue.get_nowait()
                self.dropped += 1
            queue.put_nowait(item)

        self._subscription = subscribe(self._connection, self._event,
                                       in_loop(loop, put), self._target)
        self._queue = queue
        return queue

    def __aiter__(self) -> EventIterator[E]:
        return self

    async def __anext__(self) -> E:
        queue = self._queue or self._start()
        return await queue.get()

    async def aclose(self) -> None:
        """End the subscription."""
        if self._subscription is not None:
            self._subscription.close()

    async def __aenter__(self) -> EventIterator[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# -- the event loop's own functions, for custom loops ----------------------------------


def add_handle(fd: int, events: EventHandleType | int,
               callback: Callable[[int, int, EventHandleType], object]) -> int:
    """Watch file descriptor *fd* for *events* in the registered loop; *callback*
    gets (watch, fd, events).  Returns the watch id.  Wraps :libvirt:`virEventAddHandle`."""
    token = next(_tokens)

    def on_ready(watch: int, ready_fd: int, ready: int, _opaque: Any) -> None:
        try:
            callback(watch, ready_fd, _enums.EventHandleType(ready))
        except BaseException:
            log_callback_error("handle callback", callback)
            raise

    c_callback = raw.virEventHandleCallback(on_ready)
    _live[token] = c_callback
    watch = raw.virEventAddHandle(check_int(fd, "fd", "int"), check_uint(events, "events"),
                                  c_callback, token, _FREE)
    if watch < 0:
        _live.pop(token, None)
        raise_last_error()
    return int(watch)


def update_handle(watch: int, events: EventHandleType | int) -> None:
    """Change the events *watch* waits for.  Wraps :libvirt:`virEventUpdateHandle`."""
    raw.virEventUpdateHandle(check_int(watch, "watch", "int"), check_uint(events, "events"))


def remove_handle(watch: int) -> None:
    """Stop watching.  Wraps :libvirt:`virEventRemoveHandle`."""
    if raw.virEventRemoveHandle(check_int(watch, "watch", "int")) < 0:
        raise_last_error()


def add_timeout(milliseconds: int, callback: Callable[[int], object]) -> int:
    """Call *callback* (with the timer id) every *milliseconds* (0: every loop
    iteration, -1: disabled).  Returns the timer id.  Wraps :libvirt:`virEventAddTimeout`."""
    token = next(_tokens)

    def on_timeout(timer: int, _opaque: Any) -> None:
        try:
            callback(timer)
        except BaseException:
            log_callback_error("timeout callback", callback)
            raise

    c_callback = raw.virEventTimeoutCallback(on_timeout)
    _live[token] = c_callback
    timer = raw.virEventAddTimeout(check_int(milliseconds, "milliseconds", "int"), c_callback,
                                   token, _FREE)
    if timer < 0:
        _live.pop(token, None)
        raise_last_error()
    return int(timer)


def update_timeout(timer: int, milliseconds: int) -> None:
    """Change a timer's period.  Wraps :libvirt:`virEventUpdateTimeout`."""
    raw.virEventUpdateTimeout(check_int(timer, "timer", "int"),
                              check_int(milliseconds, "milliseconds", "int"))


def remove_timeout(timer: int) -> None:
    """Cancel a timer.  Wraps :libvirt:`virEventRemoveTimeout`."""
    if raw.virEventRemoveTimeout(check_int(timer, "timer", "int")) < 0:
        raise_last_error()
