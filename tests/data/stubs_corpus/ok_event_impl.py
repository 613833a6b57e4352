"""Legacy-style custom event loop: the six functions of virEventRegisterImpl, driven by select."""

import itertools
import select
import time
from typing import Any, Callable

import libvirt

HandleCallback = Callable[[int, int, int, Any], object]
TimerCallback = Callable[[int, Any], object]

handles: dict[int, tuple[int, int, HandleCallback, Any]] = {}
timers: dict[int, tuple[int, TimerCallback, Any]] = {}
ids = itertools.count(1)


def add_handle(fd: int, events: int, cb: HandleCallback, opaque: Any) -> int:
    watch = next(ids)
    handles[watch] = (fd, events, cb, opaque)
    return watch


def update_handle(watch: int, events: int) -> None:
    fd, _, cb, opaque = handles[watch]
    handles[watch] = (fd, events, cb, opaque)


def remove_handle(watch: int) -> int:
    return 0 if handles.pop(watch, None) else -1


def add_timeout(timeout: int, cb: TimerCallback, opaque: Any) -> int:
    timer = next(ids)
    timers[timer] = (timeout, cb, opaque)
    return timer


def update_timeout(timer: int, timeout: int) -> None:
    _, cb, opaque = timers[timer]
    timers[timer] = (timeout, cb, opaque)


def remove_timeout(timer: int) -> int:
    return 0 if timers.pop(timer, None) else -1


def run_once(seconds: float) -> None:
    readable = [fd for fd, events, _, _ in handles.values()
                if events & libvirt.VIR_EVENT_HANDLE_READABLE]
    ready, _, _ = select.select(readable, [], [], seconds)
    for watch, (fd, _, cb, opaque) in list(handles.items()):
        if fd in ready:
            cb(watch, fd, libvirt.VIR_EVENT_HANDLE_READABLE, opaque)
    for timer, (timeout, tcb, topaque) in list(timers.items()):
        if timeout >= 0:
            tcb(timer, topaque)


libvirt.virEventRegisterImpl(add_handle, update_handle, remove_handle,
                             add_timeout, update_timeout, remove_timeout)
conn = libvirt.open("test:///default")
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                            lambda c, d, event, detail, opaque: print(d.name(), event), None)
conn.lookupByName("test").destroy()
deadline = time.monotonic() + 0.5
while time.monotonic() < deadline:
    run_once(0.05)
conn.close()
