"""libvirt's event loop on asyncio.

Call `register` once, in the thread running the asyncio loop, before opening
the connections whose events you want; then events arrive in the asyncio
loop's thread, and ``async for`` over `virt.Connection.events` works::

    import asyncio, virt, virt.aio

    async def main():
        virt.aio.register()
        conn = virt.connect("test:///default")
        async for event in conn.events(virt.DomainLifecycle):
            print(event.domain.get_name(), event.event.name)

    asyncio.run(main())

How it maps (:libvirt:`virEventRegisterImpl`): a watched file descriptor is
an ``add_reader``/``add_writer`` of the loop, a libvirt timer a
``call_later`` that re-arms itself while enabled.  libvirt calls the add,
update and remove functions from any thread; they take a lock and, off the
loop's thread, hand the loop work through ``call_soon_threadsafe``.  libvirt's
free callbacks run later in the loop, never inside a remove call, as libvirt
requires.  `register` may be called again with another loop (each
``asyncio.run`` makes a new one): watches and timers move to it.

libvirt lets a process register one event loop implementation; mixing this
with `virt.events.start_default_loop` in one process is refused.
"""

from __future__ import annotations

import asyncio
import ctypes
import itertools
import threading
from typing import Any

from . import events, raw

__all__ = ["register", "registered_loop"]

_READABLE = raw.VIR_EVENT_HANDLE_READABLE
_WRITABLE = raw.VIR_EVENT_HANDLE_WRITABLE


class _Watch:
    __slots__ = ("callback", "events", "fd", "free", "opaque", "reading", "watch", "writing")

    def __init__(self, watch: int, fd: int, events: int, callback: Any, opaque: Any,
                 free: Any) -> None:
        self.watch, self.fd, self.events = watch, fd, events
        self.callback, self.opaque, self.free = callback, opaque, free
        self.reading = self.writing = False


class _Timer:
    __slots__ = ("callback", "free", "handle", "opaque", "timeout", "timer")

    def __init__(self, timer: int, timeout: int, callback: Any, opaque: Any,
                 free: Any) -> None:
        self.timer, self.timeout = timer, timeout
        self.callback, self.opaque, self.free = callback, opaque, free
        self.handle: asyncio.Handle | asyncio.TimerHandle | None = None


class _AsyncioImpl:
    """The six functions libvirt calls, backed by one asyncio loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.lock = threading.RLock()
        self.ids = itertools.count(1)
        self.watches: dict[int, _Watch] = {}
        self.timers: dict[int, _Timer] = {}

    # -- running work in the loop --------------------------------------------------

    def _in_loop(self, function: Any, *args: Any) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            function(*args)
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(function, *args)

    def _free_later(self, free: Any, opaque: Any) -> None:
        if free:
            def release() -> None:
                free(opaque)

            if not self.loop.is_closed():
                self.loop.call_soon_threadsafe(release)

    # -- file descriptors ----------------------------------------------------------

    def _apply(self, watch: _Watch) -> None:
        """Make the loop's readers and writers match *watch*'s events."""
        current = self.watches.get(watch.watch) is watch
        want_read = current and bool(watch.events & _READABLE)
        want_write = current and bool(watch.events & _WRITABLE)
        if want_read != watch.reading:
            if want_read:
                self.loop.add_reader(watch.fd, self._dispatch, watch, _READABLE)
            else:
                self.loop.remove_reader(watch.fd)
            watch.reading = want_read
        if want_write != watch.writing:
            if want_write:
                self.loop.add_writer(watch.fd, self._dispatch, watch, _WRITABLE)
            else:
                self.loop.remove_writer(watch.fd)
            watch.writing = want_write

    def _dispatch(self, watch: _Watch, events: int) -> None:
        if self.watches.get(watch.watch) is watch:
            watch.callback(watch.watch, watch.fd, events, watch.opaque)

    def add_handle(self, fd: int, events: int, callback: Any, opaque: Any, free: Any) -> int:
        with self.lock:
            watch = _Watch(next(self.ids), fd, events, callback, opaque, free)
            self.watches[watch.watch] = watch
        self._in_loop(self._apply, watch)
        return watch.watch

    def update_handle(self, watch_id: int, events: int) -> None:
        with self.lock:
            watch = self.watches.get(watch_id)
            if watch is None:
                return
            watch.events = events
        self._in_loop(self._apply, watch)

    def remove_handle(self, watch_id: int) -> int:
        with self.lock:
            watch = self.watches.pop(watch_id, None)
        if watch is None:
            return -1
        self._in_loop(self._apply, watch)
        self._free_later(watch.free, watch.opaque)
        return 0

    # -- timers --------------------------------------------------------------------

    def _arm(self, timer: _Timer) -> None:
        if timer.handle is not None:
            timer.handle.cancel()
            timer.handle = None
        if self.timers.get(timer.timer) is timer and timer.timeout >= 0:
            timer.handle = self.loop.call_later(timer.timeout / 1000, self._fire, timer)

    def _fire(self, timer: _Timer) -> None:
        timer.handle = None
        if self.timers.get(timer.timer) is not timer:
            return
        timer.callback(timer.timer, timer.opaque)
        if timer.handle is None:  # the callback may have updated it already
            self._arm(timer)

    def add_timeout(self, timeout: int, callback: Any, opaque: Any, free: Any) -> int:
        with self.lock:
            timer = _Timer(next(self.ids), timeout, callback, opaque, free)
            self.timers[timer.timer] = timer
        self._in_loop(self._arm, timer)
        return timer.timer

    def update_timeout(self, timer_id: int, timeout: int) -> None:
        with self.lock:
            timer = self.timers.get(timer_id)
            if timer is None:
                return
            timer.timeout = timeout
        self._in_loop(self._arm, timer)

    def remove_timeout(self, timer_id: int) -> int:
        with self.lock:
            timer = self.timers.pop(timer_id, None)
        if timer is None:
            return -1
        self._in_loop(self._arm, timer)
        self._free_later(timer.free, timer.opaque)
        return 0

    # -- moving to another loop ------------------------------------------------------

    def move_to(self, loop: asyncio.AbstractEventLoop) -> None:
        with self.lock:
            old, self.loop = self.loop, loop
            watches, timers = list(self.watches.values()), list(self.timers.values())
        for watch in watches:
            if not old.is_closed():
                if watch.reading:
                    old.remove_reader(watch.fd)
                if watch.writing:
                    old.remove_writer(watch.fd)
            watch.reading = watch.writing = False
            self._in_loop(self._apply, watch)
        for timer in timers:
            if timer.handle is not None:
                timer.handle.cancel()
                timer.handle = None
            self._in_loop(self._arm, timer)


_impl: list[_AsyncioImpl] = []
_c_functions: list[Any] = []  # the six C callbacks, alive for the process


# The two "add" functions as libvirt calls them, but with the C callbacks they
# receive as plain addresses: a function-pointer object ctypes builds for a
# callback argument may alias the argument's memory (PyPy does this), so it
# cannot be kept; one built from the address owns its copy.
_AddHandle = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p,
                              ctypes.c_void_p, ctypes.c_void_p)
_AddTimeout = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                               ctypes.c_void_p)


def _free_function(address: int | None) -> Any:
    return raw.virFreeCallback(address) if address else None


def _add_handle(fd: int, events: int, callback: int, opaque: int | None,
                free: int | None) -> int:
    return _impl[0].add_handle(fd, events, raw.virEventHandleCallback(callback), opaque,
                               _free_function(free))


def _add_timeout(timeout: int, callback: int, opaque: int | None, free: int | None) -> int:
    return _impl[0].add_timeout(timeout, raw.virEventTimeoutCallback(callback), opaque,
                                _free_function(free))


def _c_impl(impl: _AsyncioImpl) -> tuple[Any, ...]:
    return (
        ctypes.cast(_AddHandle(_add_handle), raw.virEventAddHandleFunc),
        raw.virEventUpdateHandleFunc(lambda watch, events: _impl[0].update_handle(watch, events)),
        raw.virEventRemoveHandleFunc(lambda watch: _impl[0].remove_handle(watch)),
        ctypes.cast(_AddTimeout(_add_timeout), raw.virEventAddTimeoutFunc),
        raw.virEventUpdateTimeoutFunc(lambda timer, timeout:
                                      _impl[0].update_timeout(timer, timeout)),
        raw.virEventRemoveTimeoutFunc(lambda timer: _impl[0].remove_timeout(timer)),
    )


def register(loop: asyncio.AbstractEventLoop | None = None) -> None:
    """Make *loop* (default: the running loop) libvirt's event loop.

    Wraps :libvirt:`virEventRegisterImpl`.  Calling it again moves libvirt's
    watches and timers to the new loop.
    """
    if loop is None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError("virt.aio.register() needs a running asyncio loop (call it "
                               "inside asyncio.run(...)) or the loop to use") from None
    elif not isinstance(loop, asyncio.AbstractEventLoop):
        raise TypeError(f"loop must be an asyncio event loop, not {type(loop).__name__}")
    elif loop.is_closed():
        raise ValueError("loop is closed")
    if _impl:
        _impl[0].move_to(loop)
        return
    if events._state["registered"]:
        raise RuntimeError("libvirt's default event loop is registered in this process; "
                           "it cannot be replaced by asyncio's")
    impl = _AsyncioImpl(loop)
    _impl.append(impl)
    functions = _c_impl(impl)
    _c_functions.extend(functions)
    raw.virEventRegisterImpl(*functions)
    events._state["registered"] = "asyncio"  # the default loop may not be registered now


def registered_loop() -> asyncio.AbstractEventLoop | None:
    """The asyncio loop libvirt's events go to, if `register` was called."""
    return _impl[0].loop if _impl else None


# -- the awaitable API (virt/_async/): see docs/asyncio.rst ------------------------------

from ._async._runtime import WorkerPool, default_pool, set_default_pool  # noqa: E402
from ._async.objects import *  # noqa: E402, F403
from ._async.objects import __all__ as _async_all  # noqa: E402
from ._generated import async_lxc as lxc  # noqa: E402
from ._generated import async_qemu as qemu  # noqa: E402

__all__ += [*_async_all, "WorkerPool", "default_pool", "lxc", "qemu", "set_default_pool"]
