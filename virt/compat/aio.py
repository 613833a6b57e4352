"""libvirt-python's ``libvirtaio`` module on `virt.aio`: libvirt's events on asyncio.

::

    import libvirtaio                      # or: import virt.compat.aio as libvirtaio
    libvirtaio.virEventRegisterAsyncIOImpl()   # before opening connections

The event loop implementation is the core's (`virt.aio.register`): watched
descriptors are the loop's readers and writers, timers ``call_later``
handles, and events are delivered as soon as the loop runs.  Registering
again (another loop: each ``asyncio.run`` makes one) moves libvirt's watches
and timers to the new loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import virt.aio

from ._events import virEventInvokeFreeCallback

__all__ = ["getCurrentImpl", "virEventAsyncIOImpl", "virEventRegisterAsyncIOImpl"]


def _default_loop() -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop_policy().get_event_loop()


class virEventAsyncIOImpl:  # noqa: N801 - libvirtaio's name
    """libvirt's event loop on the asyncio loop *loop* (default: the running
    loop, else the current thread's)."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = loop if loop is not None else _default_loop()
        self._pending = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} loop={self.loop!r}>"

    def register(self) -> virEventAsyncIOImpl:
        """Make this libvirt's event loop implementation; returns itself.
        Wraps :libvirt:`virEventRegisterImpl`."""
        virt.aio.register(self.loop)
        return self

    def schedule_ff_callback(self, iden: int, opaque: Any) -> None:
        """Run libvirt's free callback of *opaque* (of watch or timer *iden*)
        soon, in the loop."""
        self._pending += 1

        def run() -> None:
            try:
                virEventInvokeFreeCallback(opaque)
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
        if virt.aio.registered_loop() is not self.loop:
            return self._pending == 0
        impl = virt.aio._impl[0] if virt.aio._impl else None
        busy = impl is not None and bool(impl.watches or impl.timers)
        return not busy and self._pending == 0


_current_impl: virEventAsyncIOImpl | None = None


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
