"""Event loops: what makes libvirt's event callbacks fire.

libvirt delivers events (domain lifecycle, stream readiness, keepalives, …)
only while an event loop implementation runs.  `start_default_loop` registers
libvirt's own implementation and runs it in a daemon thread; ``virt.aio``
offers one built on asyncio.  Register the loop before opening the
connections that should see events: a connection picks the loop up when it is
opened.
"""

from __future__ import annotations

import threading
from typing import Any

from . import raw
from ._marshal import raise_last_error

__all__ = [
    "default_loop_running",
    "register_default_impl",
    "run_default_impl_once",
    "start_default_loop",
    "stop_default_loop",
]

_lock = threading.Lock()
_state: dict[str, Any] = {"registered": False, "thread": None, "stop": None}


def register_default_impl() -> None:
    """Make libvirt's built-in (poll-based) loop the process's event loop; idempotent.

    Nothing runs until something iterates it (`run_default_impl_once`, or the
    thread `start_default_loop` starts).  Wraps :libvirt:`virEventRegisterDefaultImpl`.
    """
    with _lock:
        if not _state["registered"]:
            if raw.virEventRegisterDefaultImpl() < 0:
                raise_last_error()
            _state["registered"] = True


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
