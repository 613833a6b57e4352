"""libvirt-python's ``libvirtaio`` module on `virt.aio`: libvirt's events on asyncio.

::

    import libvirtaio                      # or: import virt.compat.aio as libvirtaio
    libvirtaio.virEventRegisterAsyncIOImpl()   # before opening connections

The event loop implementation registered is the core's (`virt.aio.register`):
watched descriptors are the loop's readers and writers, timers ``call_later``
handles, and events are delivered as soon as the loop runs.  Registering
again (another loop: each ``asyncio.run`` makes one) moves libvirt's watches
and timers to the new loop.

`Callback`, `Descriptor`, `DescriptorDict`, `FDCallback` and
`TimeoutCallback` are the official module's building blocks of a loop
implementation, for programs that use or extend them; they work on the
asyncio loop of the `virEventAsyncIOImpl` they are given.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import warnings
from typing import (  # noqa: UP035 - the official module shows typing's Generator
    Any,
    Callable,
    Generator,
    Optional,
    TypeVar,
)

from virt import aio as _aio

from .. import compat as libvirt
from ._events import virEventInvokeFreeCallback as _invoke_free

__all__ = ["getCurrentImpl", "virEventAsyncIOImpl", "virEventRegisterAsyncIOImpl"]

_T = TypeVar("_T")
# The official module also shows these names.
_TYPING = (Callable, Generator, Optional)

_log = logging.getLogger(__name__)
_READABLE = libvirt.VIR_EVENT_HANDLE_READABLE
_WRITABLE = libvirt.VIR_EVENT_HANDLE_WRITABLE


def _default_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop_policy().get_event_loop()


class Callback:
    """A callback of a watch or timer: ``cb`` and ``opaque`` as libvirt gave
    them, and ``iden``, its number.  `close` has the implementation release
    *opaque* (libvirt's free callback) from the loop."""

    _idens = itertools.count(1)

    def __init__(self, impl: virEventAsyncIOImpl, cb: Callable[..., Any], opaque: Any,
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.iden = next(Callback._idens)
        self.impl, self.cb, self.opaque = impl, cb, opaque

    def __repr__(self) -> str:
        return f"<{type(self).__name__} iden={self.iden}>"

    def close(self) -> None:
        """The watch or timer is gone: release its opaque (soon, in the loop)."""
        self.impl.schedule_ff_callback(self.iden, self.opaque)


class Descriptor:
    """The callbacks watching one file descriptor *fd*, in *impl*'s loop."""

    def __init__(self, impl: virEventAsyncIOImpl, fd: int) -> None:
        self.impl, self.fd = impl, fd
        self.callbacks: dict[int, FDCallback] = {}

    def _handle(self, event: int) -> None:
        for callback in list(self.callbacks.values()):
            if callback.event & event:
                callback.cb(callback.iden, self.fd, event, callback.opaque)

    def update(self) -> None:
        """Make the loop's reader and writer of the descriptor match what its
        callbacks wait for (call it after changing a callback's ``event``)."""
        wanted = 0
        for callback in self.callbacks.values():
            wanted |= callback.event
        if wanted & ~(_READABLE | _WRITABLE):
            warnings.warn("only VIR_EVENT_HANDLE_READABLE and VIR_EVENT_HANDLE_WRITABLE "
                          "can be waited for", UserWarning, stacklevel=2)
        loop = self.impl.loop
        if wanted & _READABLE:
            loop.add_reader(self.fd, self._handle, _READABLE)
        else:
            loop.remove_reader(self.fd)
        if wanted & _WRITABLE:
            loop.add_writer(self.fd, self._handle, _WRITABLE)
        else:
            loop.remove_writer(self.fd)

    def add_handle(self, callback: FDCallback) -> None:
        """Watch for *callback* too."""
        self.callbacks[callback.iden] = callback
        self.update()

    def remove_handle(self, iden: int) -> FDCallback:
        """Stop watching for callback *iden*; returns it."""
        callback = self.callbacks.pop(iden)
        self.update()
        return callback


class DescriptorDict(dict):  # type: ignore[type-arg]
    """fd -> its `Descriptor`, made on first use."""

    def __init__(self, impl: virEventAsyncIOImpl) -> None:
        super().__init__()
        self.impl = impl

    def __missing__(self, fd: int) -> Descriptor:
        descriptor = self[fd] = Descriptor(self.impl, fd)
        return descriptor


class FDCallback(Callback):
    """A watch: *event* (``VIR_EVENT_HANDLE_*`` bits) on *descriptor*."""

    def __init__(self, *args: Any, descriptor: Descriptor, event: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.descriptor, self.event = descriptor, event

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} iden={self.iden} fd={self.descriptor.fd} "
                f"event={self.event}>")

    def update(self, event: int) -> None:
        """Wait for *event* from now on."""
        self.event = event
        self.descriptor.update()


class TimeoutCallback(Callback):
    """A timer: calls ``cb(iden, opaque)`` every ``timeout`` ms (0: at every
    pass of the loop; -1, the start: never)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout = -1
        self._handle: asyncio.TimerHandle | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} iden={self.iden} timeout={self.timeout}>"

    def _fire(self) -> None:
        self._handle = None
        self._arm()  # first: the callback may change or close the timer
        self.cb(self.iden, self.opaque)

    def _arm(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self.timeout >= 0:
            self._handle = self.impl.loop.call_later(self.timeout / 1000, self._fire)

    def update(self, timeout: int) -> None:
        """Fire every *timeout* ms from now on (-1: stop)."""
        self.timeout = timeout
        self._arm()

    def close(self) -> None:
        """Stop the timer and release its opaque."""
        self.timeout = -1
        self._arm()
        super().close()


class virEventAsyncIOImpl:  # noqa: N801 - libvirtaio's name
    """libvirt's event loop on the asyncio loop *loop* (default: the running
    loop, else the current thread's)."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop if loop is not None else _default_loop()
        self.log = _log
        self._pending = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} loop={self.loop!r}>"

    def register(self) -> virEventAsyncIOImpl:
        """Make this libvirt's event loop implementation; returns itself.
        Wraps :libvirt:`virEventRegisterImpl`."""
        _aio.register(self.loop)
        return self

    def schedule_ff_callback(self, iden: int, opaque: Any) -> None:
        """Run libvirt's free callback of *opaque* (of watch or timer *iden*)
        soon, in the loop."""
        self._pending += 1

        def run() -> None:
            try:
                _invoke_free(opaque)
            finally:
                self._pending -= 1

        self.loop.call_soon_threadsafe(run)

    async def drain(self) -> None:
        """Wait until the free callbacks already due have run."""
        # libvirt's frees are handed to the loop with call_soon_threadsafe:
        # one pass of the loop runs those queued before this call.
        await asyncio.sleep(0)
        while self._pending:
            await asyncio.sleep(0)
        await asyncio.sleep(0)

    def is_idle(self) -> bool:
        """Whether libvirt has no watch or timer left in this loop (once every
        connection is closed and `drain` awaited)."""
        if _aio.registered_loop() is not self.loop:
            return self._pending == 0
        impl = _aio._impl[0] if _aio._impl else None
        busy = impl is not None and bool(impl.watches or impl.timers)
        return not busy and self._pending == 0


_current_impl: virEventAsyncIOImpl | None = None

_ = (Any, libvirt)  # the official module shows these names too


def getCurrentImpl() -> virEventAsyncIOImpl | None:  # noqa: N802
    """The implementation `virEventRegisterAsyncIOImpl` registered, or None."""
    return _current_impl


def virEventRegisterAsyncIOImpl(loop: asyncio.AbstractEventLoop | None = None,  # noqa: N802
                                ) -> virEventAsyncIOImpl:
    """Deliver libvirt's events through asyncio loop *loop* (default: the
    running loop, else the current thread's); returns the implementation.
    Call it before opening the connections whose events you want."""
    global _current_impl
    _current_impl = virEventAsyncIOImpl(loop=loop).register()
    return _current_impl


del annotations
