"""Event loops: what makes libvirt's event callbacks fire.

libvirt delivers events (domain lifecycle, stream readiness, keepalives, …)
only while an event loop implementation runs.  `start_default_loop` registers
libvirt's own implementation and runs it in a daemon thread; ``virt.aio``
offers one built on asyncio.  Register the loop before opening the
connections that should see events: a connection picks the loop up when it is
opened.
"""

from __future__ import annotations

import collections
import ctypes
import dataclasses
import itertools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from . import raw
from ._callbacks import reported
from ._event_base import Event
from ._generated import enums as _enums
from ._generated import errors as _errors
from ._generated import events as _events
from ._marshal import (
    check_handle,
    check_int,
    check_str,
    check_uint,
    guard_methods,
    last_error,
    raise_last_error,
)
from ._objects import CORE, LibvirtObject, private_variant
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


_NO_LOOP = ("no event loop is registered in this process: call "
            "virt.events.start_default_loop() or, under asyncio, virt.aio.register() "
            "first (before opening the connection)")


def _raise_loop_error() -> NoReturn:
    """Raise the error of a failed registration: with no event loop registered
    (libvirt then reports an internal error about its timers) a `RuntimeError`
    saying what to do, with libvirt's error as the cause; else libvirt's error."""
    error = last_error()
    if not _state["registered"]:
        raise RuntimeError(_NO_LOOP) from error
    raise error


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


def _is_object(value: Any, cls: type = LibvirtObject) -> bool:
    """Whether *value* is a *cls* (a test that leaves its static type alone)."""
    return isinstance(value, cls)


#: Every function a `Subscription` may end itself with.
_DEREGISTER = frozenset({*(pair[0] for pair in _REGISTRY.values()),
                         "virConnectUnregisterCloseCallback", "virConnectDomainEventDeregister",
                         "virAdmConnectUnregisterCloseCallback"})


@dataclass(frozen=True)
class ConnectionClosed(Event):
    """The connection closed (the daemon went away, a keepalive timed out, …),
    delivered through :libvirt:`virConnectCloseFunc`."""

    reason: ConnectCloseReason


@guard_methods
class Subscription(Generic[E]):
    """A live event subscription; `close` (or leaving a ``with`` block) ends it.

    Ending it twice, after the connection closed, or after the connection was
    lost (the daemon went away), does nothing.  The callback may close its own
    subscription.
    """

    def __init__(self, connection: Any, event: type[E], callback_id: int, token: int,
                 deregister: str) -> None:
        # Made by the subscription functions; checked all the same, as it is public.
        if not _is_object(connection):
            raise TypeError(f"connection must be a virt.Connection, "
                            f"not {type(connection).__name__}")
        if not (isinstance(event, type) and issubclass(event, Event)):
            raise TypeError(f"event must be an event class, not {event!r}")
        check_int(callback_id, "callback_id", "int")
        check_int(token, "token", "long")
        if deregister not in _DEREGISTER:
            raise ValueError(f"deregister must name a deregistration function, "
                             f"not {deregister!r}")
        # close() passes the connection's handle (an int, which ctypes takes for
        # any handle type) to *deregister*: it must be that function's kind.
        owner = "AdminConnection" if deregister.startswith("virAdm") else "Connection"
        if not _is_object(connection, getattr(CORE, owner)):
            raise TypeError(f"connection must be a virt.{owner} to end it with {deregister}, "
                            f"not {type(connection).__name__}")
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
        if self.connection.closed:  # libvirt dropped the callback with the connection
            return
        handle = self.connection._as_parameter_
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
            error = last_error()
            if not isinstance(error, ConnectionError):
                raise error
            # The connection is gone, and libvirt's registration with it.

    def __enter__(self) -> Subscription[E]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = f"id {self.callback_id}" if self.active else "closed"
        return f"<virt.Subscription {self.event.__name__} {state}>"


def _fast_type(c_type: Any) -> Any:
    """*c_type* with its first two arguments (the connection, which the handler
    does not use, and the object the event is about) as plain ``c_void_p``:
    ctypes then passes ints, the addresses wrappers keep, instead of building
    a handle object for each on every event.  The C signature is the same."""
    return ctypes.CFUNCTYPE(c_type._restype_, ctypes.c_void_p, ctypes.c_void_p,
                            *c_type._argtypes_[2:])


# -- objects lent to callbacks ------------------------------------------------------
#
# The object an event is about (its domain, network, …) is a reference libvirt
# lends for the duration of the callback.  Where reference counts can tell
# whether the callback kept anything (CPython with its GIL), the wrapper given
# to the callback borrows that reference, and takes one of its own
# (``vir…Ref``) only if the callback kept the wrapper, or the event holding
# it, when it returns: an event nobody keeps then costs no ``vir…Ref`` /
# ``vir…Free`` pair and no finalizer.  While it borrows, the wrapper's class
# is a private subclass of its class (same name and module) whose `close`
# takes a reference first, so closing it in the callback cannot free what
# libvirt lent.  Elsewhere (PyPy, a free-threaded build) the reference is
# taken up front.  virt.compat lends its objects the same way.

#: Whether objects are lent (see above).
LENDING = (sys.implementation.name == "cpython" and hasattr(sys, "getrefcount")
           and getattr(sys, "_is_gil_enabled", lambda: True)())
_lent_lock = threading.Lock()
_lent_classes: dict[type, type] = {}
refcount: Callable[[Any], int] = getattr(sys, "getrefcount", len)


class _Probe:
    pass


def _baselines() -> tuple[int, int]:
    """The reference counts the handlers see for an object nobody else holds:
    one in a local variable alone, and one also held by another object (the
    event's ``__dict__``).  Measured the way the handlers measure (2 and 3 on
    CPython 3.9-3.13)."""
    getrc = refcount
    probe = object.__new__(_Probe)
    alone = getrc(probe)
    holder = {"probe": probe}
    held = getrc(probe)
    del holder
    return alone, held


#: Reference counts of a handler's local that nothing else holds, and of one
#: that only the event (or its ``__dict__``) holds besides.
ALONE, HELD = _baselines() if LENDING else (0, 0)


def lent_class(cls: type[LibvirtObject]) -> Any:
    """The borrowing variant of wrapper class *cls* (see above), made once."""
    made = _lent_classes.get(cls)
    if made is not None:
        return made
    ref = getattr(raw, cls._ref_function)

    def close(self: Any) -> Any:
        with _lent_lock:
            if self.__class__ is lent:
                ref(self._as_parameter_)  # the reference close() releases is ours, not libvirt's
                object.__setattr__(self, "__class__", cls)
        return cls.close(self)

    # Equal to the objects of *cls*, as the wrapper it turns into when kept is.
    lent: Any = private_variant(cls, {"__slots__": (), "close": close,
                                      "_lent_owner": (cls, ref)})
    _lent_classes[cls] = lent
    return lent


def keep_lent(obj: Any) -> None:
    """The callback kept *obj*, a lent object: give it a reference of its own
    and its class back (nothing to do if the callback closed it)."""
    with _lent_lock:
        owner = type(obj).__dict__.get("_lent_owner")
        if owner is not None:
            cls, ref = owner
            ref(obj._as_parameter_)
            object.__setattr__(obj, "__class__", cls)


def _convert_details(converters: tuple[Any, ...]) -> Callable[[tuple[Any, ...]], list[Any]]:
    """The function that turns the C arguments of an event after its object
    (the opaque pointer last) into its fields' values."""
    paired = [getattr(c, "__self__", None) is not None and hasattr(c.__self__, "FIELDS")
              for c in converters]
    if any(paired):
        def details(args: tuple[Any, ...]) -> list[Any]:
            values = []
            position = 0
            for convert, two in zip(converters, paired):
                if two:  # typed parameters: the array and its length
                    values.append(convert(args[position], args[position + 1]))
                    position += 2
                else:
                    values.append(convert(args[position]))
                    position += 1
            return values
    else:
        def details(args: tuple[Any, ...]) -> list[Any]:
            return [convert(a) for convert, a in zip(converters, args)]
    return details


def _lifecycle_pairs(converters: tuple[Any, ...]) -> tuple[dict[tuple[int, int], Any], Any]:
    """(event, detail) -> the two enum members, for every pair libvirt knows,
    and the function that converts any other pair."""
    to_event = converters[0]
    details, unknown = _events.LIFECYCLE_DETAILS, _events.LIFECYCLE_UNKNOWN_DETAIL

    def convert(kind: int, detail: int) -> tuple[Any, Any]:
        member = to_event(kind)
        return member, details.get(member, unknown)(detail)

    pairs = {}
    for kind, to_detail in details.items():
        for detail in type(to_detail(0)):
            pairs[kind, int(detail)] = convert(kind, int(detail))
    return pairs, convert


def _make_handler(connection: Any, event: type[E], callback: Callable[[E], object]) -> Any:
    """The Python function libvirt calls: C arguments in, one event object out.

    Built once per subscription, with everything it needs bound: this runs
    for every event.  The event object is made without the dataclass
    ``__init__`` (frozen dataclasses set each field through
    ``object.__setattr__``), straight into its ``__dict__``; its object is
    lent (see `lent_class`) where reference counts allow.
    """
    base = next(cls.__name__ for cls in event.__mro__ if cls.__name__ in _OBJECTS)
    wrapper_name, ref_name = _OBJECTS[base]
    wrapper = getattr(connection._wrappers, wrapper_name)
    names = [f.name for f in dataclasses.fields(event)]
    field, rest = names[0], names[1:]
    new = object.__new__
    lifecycle_event = event.__name__ == "DomainLifecycle"
    details: Callable[[tuple[Any, ...]], list[Any]]
    if lifecycle_event:  # the detail's enum depends on the event's
        pairs, convert = _lifecycle_pairs(event._converters)
        pair_of = pairs.get

        def lifecycle_details(args: tuple[Any, ...]) -> list[Any]:
            return list(pair_of((args[0], args[1])) or convert(args[0], args[1]))
        details = lifecycle_details
    else:
        details = _convert_details(event._converters)

    if not LENDING or wrapper._shared_after_fork:
        # The handle argument (an address: see _fast_type) is a reference
        # libvirt lends: take our own, and let the wrapper release it.
        ref, own = getattr(raw, ref_name), wrapper._own

        def owning(_conn: Any, handle: Any, *args: Any) -> int:
            values = details(args)
            ref(handle)
            item = new(event)
            item.__dict__.update(zip(names, (own(handle, connection), *values)))
            try:
                callback(item)
            except BaseException:
                log_callback_error("event callback", callback)
                raise
            return 0
        return reported(owning, 0)

    lent = lent_class(wrapper)
    alone, held, getrc, keep = ALONE, HELD, refcount, keep_lent
    # After the callback returns, whatever it kept shows in a reference count:
    # the event's, its __dict__'s or the object's (``finally``: an exception's
    # traceback may hold them too).  Lifecycle events, the common case, get a
    # handler of their own, written out: no argument tuple, no conversion
    # call, no zip (4,200 fewer instructions an event, see
    # benchmarks/events_instructions.py).
    if lifecycle_event:
        def lifecycle(_conn: Any, handle: Any, kind: int, detail: int, _opaque: Any) -> int:
            obj = new(lent)
            obj._as_parameter_ = handle
            obj._parent = connection
            item = new(event)
            fields = item.__dict__
            fields["domain"] = obj
            fields["event"], fields["detail"] = pair_of((kind, detail)) or convert(kind, detail)
            try:
                callback(item)
            except BaseException:
                log_callback_error("event callback", callback)
                raise
            finally:
                if getrc(item) > alone or getrc(fields) > held or getrc(obj) > held:
                    keep(obj)
                else:
                    obj._as_parameter_ = None
            return 0
        return lifecycle

    def handler(_conn: Any, handle: Any, *args: Any) -> int:
        values = details(args)
        obj = new(lent)
        obj._as_parameter_ = handle
        obj._parent = connection
        item = new(event)
        fields = item.__dict__
        fields[field] = obj
        fields.update(zip(rest, values))
        try:
            callback(item)
        except BaseException:
            log_callback_error("event callback", callback)
            raise
        finally:
            if getrc(item) > alone or getrc(fields) > held or getrc(obj) > held:
                keep(obj)
            else:
                obj._as_parameter_ = None
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
    c_callback = ctypes.cast(_fast_type(raw.virConnectDomainEventCallback)(handler),
                             raw.virConnectDomainEventCallback)
    _live[token] = c_callback
    if raw.virConnectDomainEventRegister(connection._as_parameter_, c_callback, token,
                                         _FREE) < 0:
        _live.pop(token, None)
        _raise_loop_error()
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

    c_callback = raw.virAdmConnectCloseFunc(reported(on_close))
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
    if not _is_object(connection, CORE.Connection):
        raise TypeError(f"connection must be a virt.Connection, not {type(connection).__name__}")
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

        c_callback = raw.virConnectCloseFunc(reported(on_close))
        _live[token] = c_callback
        if raw.virConnectRegisterCloseCallback(handle, c_callback, token, _FREE) < 0:
            _live.pop(token, None)
            _raise_loop_error()
        return Subscription(connection, event, 0, token, "virConnectUnregisterCloseCallback")
    base = next((cls.__name__ for cls in event.__mro__ if cls.__name__ in _OBJECTS), None)
    if base is None or "_register_name" not in dir(event) or event.__name__ in _OBJECTS:
        raise TypeError(f"event must be one kind of event (virt.DomainLifecycle, "
                        f"virt.NetworkLifecycle, …), not the base class {event.__name__}")
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
        _raise_loop_error()
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


@guard_methods
class EventIterator(Generic[E]):
    """Events as an async iterator; made by `virt.Connection.events`.

    The subscription starts when the iterator is made (its arguments are
    checked then) and ends on `aclose`; events arriving before the first
    iteration, or between iterations, wait in a queue of *maxsize*, whose
    oldest event is dropped (and counted in its ``dropped`` attribute) when it is full.
    Events come from libvirt's loop thread or from the asyncio loop itself
    (``virt.aio``); the iterator may be used from any asyncio loop, one at a
    time, and after `aclose` it ends once the queue is empty.
    """

    def __init__(self, connection: Any, event: type[E], target: Any, maxsize: int) -> None:
        maxsize = check_int(maxsize, "maxsize", "int")
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        self._maxsize = maxsize
        self._lock = threading.Lock()
        self._items: collections.deque[E] = collections.deque()
        #: the loop and future of the iteration waiting for the next event
        self._waiter: tuple[asyncio.AbstractEventLoop, asyncio.Future[None]] | None = None
        self.dropped = 0
        self._subscription: Subscription[E] = subscribe(connection, event, self._deliver,
                                                        target)

    def _deliver(self, item: E) -> None:
        with self._lock:
            if len(self._items) >= self._maxsize:
                self._items.popleft()
                self.dropped += 1
            self._items.append(item)
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            _finish_waiter(*waiter)

    def __aiter__(self) -> EventIterator[E]:
        return self

    async def __anext__(self) -> E:
        import asyncio

        while True:
            with self._lock:
                if self._items:
                    return self._items.popleft()
                if not self._subscription.active:
                    raise StopAsyncIteration
                loop = asyncio.get_running_loop()
                future: asyncio.Future[None] = loop.create_future()
                self._waiter = (loop, future)
            try:
                await future
            finally:
                with self._lock:
                    if self._waiter is not None and self._waiter[1] is future:
                        self._waiter = None

    async def aclose(self) -> None:
        """End the subscription (an iteration waiting for an event ends too)."""
        self._subscription.close()
        with self._lock:
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            _finish_waiter(*waiter)

    async def __aenter__(self) -> EventIterator[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def _finish_waiter(loop: asyncio.AbstractEventLoop, future: asyncio.Future[None]) -> None:
    """Finish *future* of *loop*, from its thread or any other."""
    import asyncio

    def done() -> None:
        if not future.done():
            future.set_result(None)

    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        done()
    elif not loop.is_closed():
        try:
            loop.call_soon_threadsafe(done)
        except RuntimeError:  # closed meanwhile: nobody waits any more
            pass


# -- the event loop's own functions, for custom loops ----------------------------------


def _raise_loop_failure(name: str, value: int) -> NoReturn:
    """Raise for a failed add or remove of a watch or timer.  libvirt sets no error
    for these: without a registered loop nothing can be added, and a remove
    fails only for an id the loop does not have."""
    if not _state["registered"]:
        raise RuntimeError(_NO_LOOP)
    if raw.virGetLastErrorCode():
        raise_last_error()
    if name in ("watch", "timer"):
        message = f"{name}={value} is not a {name} of the event loop (removed already?)"
    else:
        message = f"the event loop refused {name}={value}"
    invalid = _errors.InvalidArgError
    raise invalid(message, code=invalid.code_number)  # a ValueError too


def add_handle(fd: int, events: EventHandleType | int,
               callback: Callable[[int, int, EventHandleType], object]) -> int:
    """Watch file descriptor *fd* for *events* in the registered loop; *callback*
    gets (watch, fd, events).  Returns the watch id.  Wraps :libvirt:`virEventAddHandle`."""
    fd = check_int(fd, "fd", "int")
    events = check_uint(events, "events")
    if not callable(callback):
        raise TypeError(f"callback must be callable, not {type(callback).__name__}")
    token = next(_tokens)

    def on_ready(watch: int, ready_fd: int, ready: int, _opaque: Any) -> None:
        try:
            callback(watch, ready_fd, _enums.EventHandleType(ready))
        except BaseException:
            log_callback_error("handle callback", callback)
            raise

    c_callback = raw.virEventHandleCallback(reported(on_ready))
    _live[token] = c_callback
    watch = raw.virEventAddHandle(fd, events, c_callback, token, _FREE)
    if watch < 0:
        _live.pop(token, None)
        _raise_loop_failure("fd", fd)
    return int(watch)


def update_handle(watch: int, events: EventHandleType | int) -> None:
    """Change the events *watch* waits for.  Wraps :libvirt:`virEventUpdateHandle`."""
    raw.virEventUpdateHandle(check_int(watch, "watch", "int"), check_uint(events, "events"))


def remove_handle(watch: int) -> None:
    """Stop watching.  Wraps :libvirt:`virEventRemoveHandle`."""
    watch = check_int(watch, "watch", "int")
    if raw.virEventRemoveHandle(watch) < 0:
        _raise_loop_failure("watch", watch)


def add_timeout(milliseconds: int, callback: Callable[[int], object]) -> int:
    """Call *callback* (with the timer id) every *milliseconds* (0: every loop
    iteration, -1: disabled).  Returns the timer id.  Wraps :libvirt:`virEventAddTimeout`."""
    milliseconds = check_int(milliseconds, "milliseconds", "int")
    if not callable(callback):
        raise TypeError(f"callback must be callable, not {type(callback).__name__}")
    token = next(_tokens)

    def on_timeout(timer: int, _opaque: Any) -> None:
        try:
            callback(timer)
        except BaseException:
            log_callback_error("timeout callback", callback)
            raise

    c_callback = raw.virEventTimeoutCallback(reported(on_timeout))
    _live[token] = c_callback
    timer = raw.virEventAddTimeout(milliseconds, c_callback, token, _FREE)
    if timer < 0:
        _live.pop(token, None)
        _raise_loop_failure("milliseconds", milliseconds)
    return int(timer)


def update_timeout(timer: int, milliseconds: int) -> None:
    """Change a timer's period.  Wraps :libvirt:`virEventUpdateTimeout`."""
    raw.virEventUpdateTimeout(check_int(timer, "timer", "int"),
                              check_int(milliseconds, "milliseconds", "int"))


def remove_timeout(timer: int) -> None:
    """Cancel a timer.  Wraps :libvirt:`virEventRemoveTimeout`."""
    timer = check_int(timer, "timer", "int")
    if raw.virEventRemoveTimeout(timer) < 0:
        _raise_loop_failure("timer", timer)
