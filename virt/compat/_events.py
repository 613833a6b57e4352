"""libvirt-python's event API: event loops, ``*EventRegisterAny`` and friends.

The module functions (``virEventRegisterDefaultImpl``, ``virEventAddHandle``,
…) and `ConnectEventMixin`, the event methods of ``virConnect``, with the
official callback shapes: ``cb(conn, obj, *details, opaque)`` where *conn* is
the very ``virConnect`` the callback was registered on and *obj* a compat
object (``virDomain``, ``virNetwork``, …), details as plain ``int``, ``str``
and ``dict``.  An exception a callback raises is printed (``sys.excepthook``)
and goes no further, as with the official binding.

Delivery is the hot path (``bench_events.py``).  The object an event is about
is a reference libvirt lends for the duration of the callback.  On CPython
the compat object handed to the callback borrows it; only if the callback
keeps the object (its reference count says so when the callback returns)
does it take a reference of its own, so that an event whose object nobody
keeps costs no ``vir*Ref``/``vir*Free`` pair.  While it borrows, the object's
class is a private subclass of the compat class (same name, same module)
whose `close` takes a reference first, so closing it in the callback cannot
free what libvirt lent.  Elsewhere (PyPy) the reference is taken up front.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Callable

import virt
from virt import raw
from virt._generated import events as _generated_events
from virt._marshal import check_handle, check_int, optional_decode

from ._base import compat_class, libvirtError
from ._base import report as _report

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    import weakref
    from typing import Any

__all__ = [
    "_eventInvokeHandleCallback",
    "_eventInvokeTimeoutCallback",
    "qemuMonitorEventDeregister",
    "qemuMonitorEventRegister",
    "virEventAddHandle",
    "virEventAddTimeout",
    "virEventInvokeFreeCallback",
    "virEventRegisterDefaultImpl",
    "virEventRegisterImpl",
    "virEventRemoveHandle",
    "virEventRemoveTimeout",
    "virEventRunDefaultImpl",
    "virEventUpdateHandle",
    "virEventUpdateTimeout",
]


def _failed(function: str) -> libvirtError:
    """The exception for a failed call of C *function*: the core's typed error
    when libvirt set one, else ``libvirtError("<function>() failed")``."""
    error = raw.virGetLastError()
    if error and error.contents.code:
        from virt._marshal import last_error

        return last_error()
    return libvirtError(f"{function}() failed")


def _callable(value: Any, name: str) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable, not {type(value).__name__}")


#: token -> the ctypes callback libvirt holds; dropped when libvirt frees it.
_live: dict[int, Any] = {}
_tokens = itertools.count(1)


def _release(opaque: Any) -> None:
    _live.pop(opaque or 0, None)


_FREE = raw.virFreeCallback(_release)  # alive for the process


#: token -> (the connection, weakly; the user's close callback; its opaque).
#: One C close callback serves every connection, alive for the process: the
#: drivers that do not implement close callbacks (all but the remote one)
#: accept a registration and never call its free callback, so what a
#: registration keeps is Python data, dropped when it ends.
_closers: dict[int, tuple[weakref.ref[Any], Callable[..., object], Any]] = {}


def _dispatch_close(_conn: Any, reason: int, opaque: Any) -> None:
    entry = _closers.get(opaque or 0)
    if entry is None:
        return
    conn = entry[0]()
    if conn is None:
        return
    try:
        entry[1](conn, reason, entry[2])
    except BaseException:  # noqa: B036 - printed, as the official binding does
        _report()


def _release_closer(opaque: Any) -> None:
    _closers.pop(opaque or 0, None)


_CLOSE_CALLBACK = raw.virConnectCloseFunc(_dispatch_close)  # alive for the process
_CLOSE_FREE = raw.virFreeCallback(_release_closer)  # alive for the process


def _keep_alive(c_callback: Any) -> int:
    token = next(_tokens)
    _live[token] = c_callback
    return token


def _own_copy(pointer: Any) -> Any:
    """An object of its own for *pointer* (a C function pointer), an argument
    object ctypes made for a callback: PyPy's ctypes may reuse that one once
    the callback returns."""
    return type(pointer)(ctypes.cast(pointer, ctypes.c_void_p).value or 0)


# -- the event loop ------------------------------------------------------------------


def virEventRegisterDefaultImpl() -> int:  # noqa: N802 - libvirt-python's names
    """Make libvirt's own poll loop the event loop (run it with
    `virEventRunDefaultImpl`).  Wraps :libvirt:`virEventRegisterDefaultImpl`."""
    from virt import events  # imported on first use, as the core does

    events.register_default_impl()
    return 0


def virEventRunDefaultImpl() -> int:  # noqa: N802
    """One iteration of libvirt's default loop.  Wraps :libvirt:`virEventRunDefaultImpl`."""
    if raw.virEventRunDefaultImpl() < 0:
        raise _failed("virEventRunDefaultImpl")
    return 0


#: The six ctypes callbacks of `virEventRegisterImpl`, alive for the process.
_impl_callbacks: list[Any] = []


def virEventRegisterImpl(addHandle: Callable[..., int],  # noqa: N802, N803
                         updateHandle: Callable[[int, int], object],  # noqa: N803
                         removeHandle: Callable[[int], int],  # noqa: N803
                         addTimeout: Callable[..., int],  # noqa: N803
                         updateTimeout: Callable[[int, int], object],  # noqa: N803
                         removeTimeout: Callable[[int], int]) -> None:  # noqa: N803
    """Make six Python functions libvirt's event loop.

    libvirt calls ``addHandle(fd, events, cb, opaque)`` and
    ``addTimeout(timeout, cb, opaque)``; the loop later calls
    ``cb(watch, fd, events, opaque)`` or ``cb(timer, opaque)``, and
    `virEventInvokeFreeCallback` with *opaque* once it drops a watch or a
    timer.  Wraps :libvirt:`virEventRegisterImpl`.
    """
    functions = (addHandle, updateHandle, removeHandle, addTimeout, updateTimeout,
                 removeTimeout)
    names = ("addHandle", "updateHandle", "removeHandle", "addTimeout", "updateTimeout",
             "removeTimeout")
    for function, name in zip(functions, names):
        _callable(function, name)

    def add_handle(fd: int, events: int, cb: Any, opaque: Any, ff: Any) -> int:
        try:
            return int(addHandle(fd, events, _eventInvokeHandleCallback,
                                 (_own_copy(cb), opaque, _own_copy(ff))))
        except BaseException:  # noqa: B036 - reported, and libvirt told it failed
            _report()
            return -1

    def update_handle(watch: int, events: int) -> None:
        try:
            updateHandle(watch, events)
        except BaseException:  # noqa: B036
            _report()

    def remove_handle(watch: int) -> int:
        try:
            return int(removeHandle(watch))
        except BaseException:  # noqa: B036
            _report()
            return -1

    def add_timeout(timeout: int, cb: Any, opaque: Any, ff: Any) -> int:
        try:
            return int(addTimeout(timeout, _eventInvokeTimeoutCallback,
                                  (_own_copy(cb), opaque, _own_copy(ff))))
        except BaseException:  # noqa: B036
            _report()
            return -1

    def update_timeout(timer: int, timeout: int) -> None:
        try:
            updateTimeout(timer, timeout)
        except BaseException:  # noqa: B036
            _report()

    def remove_timeout(timer: int) -> int:
        try:
            return int(removeTimeout(timer))
        except BaseException:  # noqa: B036
            _report()
            return -1

    c_functions = (raw.virEventAddHandleFunc(add_handle),
                   raw.virEventUpdateHandleFunc(update_handle),
                   raw.virEventRemoveHandleFunc(remove_handle),
                   raw.virEventAddTimeoutFunc(add_timeout),
                   raw.virEventUpdateTimeoutFunc(update_timeout),
                   raw.virEventRemoveTimeoutFunc(remove_timeout))
    _impl_callbacks.extend(c_functions)
    raw.virEventRegisterImpl(*c_functions)


def _split(opaque: Any, opaquecompat: Any) -> tuple[Any, Any]:
    """(the C callback, its opaque) from what a custom loop passes back: the
    tuple `virEventRegisterImpl` gave it, or (before libvirt 0.9.2's
    convention) the callback and the opaque as two arguments."""
    if opaquecompat is not None:
        return opaque, opaquecompat
    if not isinstance(opaque, tuple) or len(opaque) < 2:
        raise TypeError("opaque must be the value libvirt passed to addHandle/addTimeout")
    return opaque[0], opaque[1]


def _eventInvokeHandleCallback(watch: int, fd: int, event: int, opaque: Any,  # noqa: N802
                               opaquecompat: Any = None) -> None:
    """What a custom loop calls when watch *watch* on *fd* has *event*: runs
    libvirt's callback."""
    callback, data = _split(opaque, opaquecompat)
    callback(check_int(watch, "watch", "int"), check_int(fd, "fd", "int"),
             check_int(event, "event", "int"), data)


def _eventInvokeTimeoutCallback(timer: int, opaque: Any,  # noqa: N802
                                opaquecompat: Any = None) -> None:
    """What a custom loop calls when timer *timer* fires: runs libvirt's callback."""
    callback, data = _split(opaque, opaquecompat)
    callback(check_int(timer, "timer", "int"), data)


def virEventInvokeFreeCallback(opaque: Any) -> None:  # noqa: N802
    """Release *opaque* (what ``addHandle``/``addTimeout`` got) once the loop
    dropped its watch or timer.  Call it from the loop, never from inside
    ``removeHandle``/``removeTimeout`` (libvirt may hold a lock there)."""
    if not isinstance(opaque, tuple) or len(opaque) != 3:
        raise TypeError("opaque must be the value libvirt passed to addHandle/addTimeout")
    free = opaque[2]
    if free:
        free(opaque[1])


def virEventAddHandle(fd: int, events: int, cb: Callable[[int, int, int, Any], object],  # noqa: N802
                      opaque: Any) -> int:
    """Watch *fd* for *events* in the registered loop: ``cb(watch, fd, events,
    opaque)``.  Returns the watch.  Wraps :libvirt:`virEventAddHandle`."""
    _callable(cb, "cb")

    def on_ready(watch: int, ready_fd: int, ready: int, _opaque: Any) -> None:
        try:
            cb(watch, ready_fd, ready, opaque)
        except BaseException:  # noqa: B036 - printed, as the official binding does
            _report()

    c_callback = raw.virEventHandleCallback(on_ready)
    token = _keep_alive(c_callback)
    watch = raw.virEventAddHandle(check_int(fd, "fd", "int"), check_int(events, "events", "int"),
                                  c_callback, token, _FREE)
    if watch < 0:
        _live.pop(token, None)
        raise _failed("virEventAddHandle")
    return int(watch)


def virEventAddTimeout(timeout: int, cb: Callable[[int, Any], object],  # noqa: N802
                       opaque: Any) -> int:
    """Call ``cb(timer, opaque)`` every *timeout* ms (0: every iteration, -1:
    never, for now).  Returns the timer.  Wraps :libvirt:`virEventAddTimeout`."""
    _callable(cb, "cb")

    def on_timeout(timer: int, _opaque: Any) -> None:
        try:
            cb(timer, opaque)
        except BaseException:  # noqa: B036
            _report()

    c_callback = raw.virEventTimeoutCallback(on_timeout)
    token = _keep_alive(c_callback)
    timer = raw.virEventAddTimeout(check_int(timeout, "timeout", "int"), c_callback, token, _FREE)
    if timer < 0:
        _live.pop(token, None)
        raise _failed("virEventAddTimeout")
    return int(timer)


def virEventUpdateHandle(watch: int, events: int) -> None:  # noqa: N802
    """Change the events *watch* waits for.  Wraps :libvirt:`virEventUpdateHandle`."""
    raw.virEventUpdateHandle(check_int(watch, "watch", "int"), check_int(events, "events", "int"))


def virEventUpdateTimeout(timer: int, timeout: int) -> None:  # noqa: N802
    """Change *timer*'s period.  Wraps :libvirt:`virEventUpdateTimeout`."""
    raw.virEventUpdateTimeout(check_int(timer, "timer", "int"),
                              check_int(timeout, "timeout", "int"))


def virEventRemoveHandle(watch: int) -> int:  # noqa: N802
    """Stop watching.  Wraps :libvirt:`virEventRemoveHandle`."""
    if raw.virEventRemoveHandle(check_int(watch, "watch", "int")) < 0:
        raise _failed("virEventRemoveHandle")
    return 0


def virEventRemoveTimeout(timer: int) -> int:  # noqa: N802
    """Cancel a timer.  Wraps :libvirt:`virEventRemoveTimeout`."""
    if raw.virEventRemoveTimeout(check_int(timer, "timer", "int")) < 0:
        raise _failed("virEventRemoveTimeout")
    return 0


# -- objects lent to callbacks: the core's (virt.events.lent_class) -------------------

_new = object.__new__


# -- converting C arguments to the official shapes --------------------------------------


_text = optional_decode


def _address(pointer: Any) -> dict[str, Any] | None:
    if not pointer:
        return None
    address = pointer.contents
    return {"family": address.family, "node": _text(address.node),
            "service": _text(address.service)}


def _subject(pointer: Any) -> list[tuple[str | None, str | None]]:
    if not pointer:
        return []
    subject = pointer.contents
    return [(_text(item.type), _text(item.name))
            for item in subject.identities[:subject.nidentity]]


def _converters(c_type: Any) -> list[tuple[Any, int]]:
    """(converter or None, number of C arguments it takes) for each detail
    argument of callback type *c_type* (after the connection and the object,
    before the opaque pointer)."""
    middle = list(c_type._argtypes_[2:-1])
    result: list[tuple[Any, int]] = []
    position = 0
    while position < len(middle):
        arg = middle[position]
        if arg is ctypes.c_char_p:
            result.append((_text, 1))
        elif arg == raw.pointer_type(raw.virDomainEventGraphicsAddress):
            result.append((_address, 1))
        elif arg == raw.pointer_type(raw.virDomainEventGraphicsSubject):
            result.append((_subject, 1))
        elif arg == raw.pointer_type(raw.virTypedParameter):
            from virt.typedparams import unpack

            result.append((unpack, 2))  # the array and its length
            position += 1
        else:
            result.append((None, 1))  # an integer, passed as it is
        position += 1
    return result


def _fast_type(c_type: Any) -> Any:
    """*c_type* with the connection and object arguments as plain ``c_void_p``:
    ctypes passes ints, the addresses wrappers keep (no handle object per call)."""
    return ctypes.CFUNCTYPE(c_type._restype_, ctypes.c_void_p, ctypes.c_void_p,
                            *c_type._argtypes_[2:])


def _handler(conn: Any, cls: type, c_type: Any, cb: Callable[..., object],
             opaque: Any) -> Callable[..., int]:
    """The function libvirt calls for one registration: C arguments in,
    ``cb(conn, obj, *details, opaque)`` out."""
    converters = _converters(c_type)
    ref = getattr(raw, cls._ref_function)  # type: ignore[attr-defined]
    own = cls._own  # type: ignore[attr-defined]
    # No object of a kind with fork generations is lent.
    from virt import events  # imported on the first registration, not with compat

    lazy = events.LENDING and not cls._shared_after_fork  # type: ignore[attr-defined]
    alone, getrc, keep = events.ALONE, events.refcount, events.keep_lent
    plain = all(convert is None for convert, _ in converters)

    if plain:
        def details(args: tuple[Any, ...]) -> tuple[Any, ...]:
            return args[:-1]
    else:
        def details(args: tuple[Any, ...]) -> tuple[Any, ...]:
            values = []
            position = 0
            for convert, width in converters:
                if convert is None:
                    values.append(args[position])
                elif width == 2:
                    values.append(convert(args[position], args[position + 1]))
                else:
                    values.append(convert(args[position]))
                position += width
            return tuple(values)

    if not lazy:
        def owning(_conn: Any, handle: Any, *args: Any) -> int:
            ref(handle)
            try:
                cb(conn, own(handle, conn), *details(args), opaque)
            except BaseException:  # noqa: B036 - printed, as the official binding does
                _report()
            return 0
        return owning

    lent = events.lent_class(cls)
    if len(converters) == 2 and plain:  # lifecycle events, the common case: no slicing
        def lifecycle(_conn: Any, handle: Any, first: Any, second: Any, _opaque: Any) -> int:
            obj: Any = _new(lent)
            obj._as_parameter_ = handle
            obj._parent = conn
            try:
                cb(conn, obj, first, second, opaque)
            except BaseException:  # noqa: B036
                _report()
            if getrc(obj) > alone:
                keep(obj)
            else:
                obj._as_parameter_ = None
            return 0
        return lifecycle

    def handler(_conn: Any, handle: Any, *args: Any) -> int:
        obj: Any = _new(lent)
        obj._as_parameter_ = handle
        obj._parent = conn
        try:
            cb(conn, obj, *details(args), opaque)
        except BaseException:  # noqa: B036
            _report()
        if getrc(obj) > alone:
            keep(obj)
        else:
            obj._as_parameter_ = None
        return 0
    return handler


# -- registrations -------------------------------------------------------------------

def _event_class(register: str, event_id: int) -> Any:
    """The core's event class of (registration function, event ID), or None;
    built on its first registration, not at import (there are 39 of them)."""
    name = _generated_events.EVENT_NAMES.get((register, event_id))
    return None if name is None else getattr(_generated_events, name)


#: registration function -> (deregistration function, generic callback type,
#: core class of the object (by name: its module is imported on first use), the
#: official dictionary attribute, the target's name)
_KINDS: dict[str, tuple[str, str, str, str, str]] = {
    "virConnectDomainEventRegisterAny": (
        "virConnectDomainEventDeregisterAny", "virConnectDomainEventGenericCallback",
        "Domain", "domainEventCallbackID", "dom"),
    "virConnectNetworkEventRegisterAny": (
        "virConnectNetworkEventDeregisterAny", "virConnectNetworkEventGenericCallback",
        "Network", "networkEventCallbackID", "net"),
    "virConnectStoragePoolEventRegisterAny": (
        "virConnectStoragePoolEventDeregisterAny", "virConnectStoragePoolEventGenericCallback",
        "StoragePool", "storagePoolEventCallbackID", "pool"),
    "virConnectNodeDeviceEventRegisterAny": (
        "virConnectNodeDeviceEventDeregisterAny", "virConnectNodeDeviceEventGenericCallback",
        "NodeDevice", "nodeDeviceEventCallbackID", "dev"),
    "virConnectSecretEventRegisterAny": (
        "virConnectSecretEventDeregisterAny", "virConnectSecretEventGenericCallback",
        "Secret", "secretEventCallbackID", "secret"),
    "virConnectDomainQemuMonitorEventRegister": (
        "virConnectDomainQemuMonitorEventDeregister", "virConnectDomainQemuMonitorEventCallback",
        "Domain", "qemuMonitorEventCallbackID", "dom"),
}


def _find(conn: Any, register: str, callback_id: int) -> Any:
    """The live subscription of *conn* (compat's or the core's) that
    *callback_id* of registration function *register* names, if any."""
    for subscription in list(getattr(conn, "_subscriptions", ())):
        if getattr(subscription, "callback_id", None) == callback_id and \
                getattr(getattr(subscription, "event", None), "_register_name", None) == register:
            return subscription
    return None


def _official_ids(conn: Any, attribute: str) -> dict[int, Any]:
    """libvirt-python's callbackID -> opaque dictionary on *conn* (only on
    compat connections: a core one, given to ``libvirt_qemu``, has no room)."""
    namespace = getattr(conn, "__dict__", None)
    return {} if namespace is None else namespace.setdefault(attribute, {})


class _Registration:
    """A registration that libvirt knows by its callback, not an ID (the legacy
    lifecycle one, the close callback): ended by `close`, which the
    connection's own close calls too, like the core's subscriptions."""

    __slots__ = ("attribute", "c_callback", "conn", "deregister", "token")

    def __init__(self, conn: Any, deregister: str, c_callback: Any, attribute: str,
                 token: int = 0) -> None:
        self.conn, self.deregister = conn, deregister
        self.c_callback, self.attribute, self.token = c_callback, attribute, token
        try:
            registry = conn._subscriptions
        except AttributeError:
            registry = conn._subscriptions = set()
        registry.add(self)
        conn.__dict__[attribute] = self

    def close(self) -> None:
        conn = self.conn
        getattr(conn, "_subscriptions", set()).discard(self)
        if conn.__dict__.get(self.attribute) is not self:
            return  # ended already
        del conn.__dict__[self.attribute]
        handle = conn._as_parameter_
        try:
            if handle is not None and getattr(raw, self.deregister)(handle, self.c_callback) < 0:
                raise _failed(self.deregister)
        finally:
            _closers.pop(self.token, None)


def _connection_handle(conn: Any, name: str) -> Any:
    """The handle of *conn*, ``self`` of a ``virConnect`` method or the *conn* of
    a ``libvirt_qemu`` function (*name*), checked: the int of another object
    would reach C.  None if it is closed."""
    if not isinstance(conn, virt.Connection):
        raise TypeError(f"{name} must be a virConnect, not {type(conn).__name__}")
    return conn._as_parameter_


def _register(conn: Any, register: str, target: Any, event_id: int, cb: Callable[..., object],
              opaque: Any, qemu: tuple[bytes | None, int] | None = None,
              conn_name: str = "self") -> int:
    deregister, generic, core_name, attribute, target_name = _KINDS[register]
    handle = _connection_handle(conn, conn_name)
    core_class = getattr(virt, core_name)
    event = _event_class(register, event_id if qemu is None else -1)
    if event is None:
        raise libvirtError(f"{register}() failed")  # as libvirt-python says it
    _callable(cb, "cb")
    if handle is None:
        raise libvirtError(f"{register}() failed: the connection is closed")
    target_handle = None if target is None else check_handle(target, core_class, target_name)
    c_type = getattr(raw, event._callback_name)
    c_callback = _fast_type(c_type)(
        _handler(conn, compat_class(core_class), c_type, cb, opaque))
    token = _keep_alive(c_callback)
    function = getattr(raw, register)
    generic_callback = ctypes.cast(c_callback, getattr(raw, generic))
    if qemu is None:
        callback_id = function(handle, target_handle, event_id, generic_callback, token, _FREE)
    else:
        callback_id = function(handle, target_handle, qemu[0], generic_callback, token, _FREE,
                               qemu[1])
    if callback_id < 0:
        _live.pop(token, None)
        raise _failed(register)
    callback_id = int(callback_id)
    # The connection ends it when it closes (virt.Connection.close).
    from virt.events import Subscription

    Subscription(conn, event, callback_id, token, deregister)
    # libvirt-python keeps callbackID -> opaque on the connection, under these names.
    _official_ids(conn, attribute)[callback_id] = opaque
    return callback_id


def _deregister(conn: Any, register: str, callback_id: int, conn_name: str = "self") -> None:
    deregister, _generic, _core, attribute, _name = _KINDS[register]
    callback_id = check_int(callback_id, "callbackID", "int")
    handle = _connection_handle(conn, conn_name)
    subscription = _find(conn, register, callback_id)
    if subscription is not None:
        subscription.close()
    else:  # not ours: libvirt says what is wrong with it
        if handle is None or getattr(raw, deregister)(handle, callback_id) < 0:
            raise _failed(deregister)
    _official_ids(conn, attribute).pop(callback_id, None)


def qemuMonitorEventRegister(conn: Any, dom: Any, event: str | None,  # noqa: N802
                             cb: Callable[..., object], opaque: Any, flags: int = 0) -> int:
    """Call ``cb(conn, dom, event, seconds, micros, details, opaque)`` for QEMU
    monitor events named *event* (None: all) of *dom* (None: every domain).
    Returns the callback ID.  Wraps :libvirt:`virConnectDomainQemuMonitorEventRegister`."""
    if event is not None and not isinstance(event, str):
        raise TypeError(f"event must be a str or None, not {type(event).__name__}")
    name = None if event is None else event.encode()
    if name is not None and b"\0" in name:
        raise ValueError("event must not contain NUL characters")
    return _register(conn, "virConnectDomainQemuMonitorEventRegister", dom, -1, cb, opaque,
                     (name, check_int(flags, "flags", "unsigned int")), conn_name="conn")


def qemuMonitorEventDeregister(conn: Any, callbackID: int) -> None:  # noqa: N802, N803
    """End a `qemuMonitorEventRegister` registration.  Wraps
    :libvirt:`virConnectDomainQemuMonitorEventDeregister`."""
    _deregister(conn, "virConnectDomainQemuMonitorEventRegister", callbackID, "conn")
