"""The machinery of the awaitable API: a bounded worker pool, and one `Runner`
per async connection that hands each call to the pool and its outcome back
to the asyncio loop.

How a call goes: the loop thread makes an asyncio future and queues the job;
a worker thread runs the core's synchronous method (ctypes releases the GIL
for the C call, so other workers and the loop go on meanwhile); the worker
drops the outcome into the runner's inbox and wakes the loop once for all
outcomes that arrive before the loop drains them (one self-pipe write per
burst, not per call).  The loop, and only the loop, decides what happens to
an outcome: it completes the future, or, when the awaiting task was
cancelled, releases the result (objects closed, by the pool, since closing
some of them does I/O).  A job cancelled before a worker took it never runs.

Closing waits: a runner counts its jobs from queueing to delivery, and
`Runner.close` refuses new calls, then waits for the count to reach zero.
"""

from __future__ import annotations

import asyncio
import collections
import os
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from typing_extensions import ParamSpec

from .._marshal import guard_methods
from .._objects import ClosedError, LibvirtObject

__all__ = ["Runner", "WorkerPool", "default_pool", "set_default_pool"]

T = TypeVar("T")
P = ParamSpec("P")


@guard_methods
class WorkerPool:
    """A bounded set of threads that run blocking libvirt calls for asyncio code.

    At most *max_workers* calls run at once (default: ``min(32, CPUs + 4)``,
    like `concurrent.futures.ThreadPoolExecutor`); more wait in a queue, in
    order.  Threads start as work arrives and stay.  One pool may serve any
    number of connections and event loops; `virt.aio.connect` uses
    `default_pool` unless given one.
    """

    def __init__(self, max_workers: int | None = None, *, name: str = "virt-aio") -> None:
        if max_workers is None:
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if not isinstance(max_workers, int) or isinstance(max_workers, bool):
            raise TypeError("max_workers must be an int")
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.max_workers = max_workers
        self.name = name
        self._shut = False
        self._reset()
        _pools.add(self)

    def _reset(self) -> None:
        """No threads, no jobs: a new pool, and the state of every pool in a child
        process after ``fork()`` (the parent's threads do not exist there)."""
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        # One item per thread waiting for a job (deque appends and pops are atomic).
        self._waiting: collections.deque[None] = collections.deque()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"<virt.aio.WorkerPool {self.name!r} max_workers={self.max_workers} "
                f"threads={len(self._threads)}>")

    def submit(self, job: Job) -> None:
        """Queue *job* (a ``Job``); start a thread if more jobs wait than threads do
        and the bound allows."""
        if self._shut:
            raise RuntimeError("this WorkerPool is shut down")
        jobs = self._jobs
        jobs.put(job)
        if jobs.qsize() > len(self._waiting) and len(self._threads) < self.max_workers:
            with self._lock:
                if len(self._threads) < self.max_workers:
                    thread = threading.Thread(target=self._work, daemon=True,
                                              name=f"{self.name}-{len(self._threads)}")
                    self._threads.append(thread)
                    thread.start()

    def _work(self) -> None:
        get, waiting = self._jobs.get, self._waiting
        while True:
            waiting.append(None)
            job = get()
            waiting.pop()
            if job is None:
                self._jobs.put(None)  # the next thread ends too
                return
            job.run()
            del job

    def shutdown(self) -> None:
        """Let the threads end once the queued calls are done (they are not waited for)."""
        self._shut = True
        self._jobs.put(None)


_default: list[WorkerPool] = []
_pools: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for pool in list(_pools):
        pool._reset()
    _inboxes.clear()  # the parent's loops do not run here


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def default_pool() -> WorkerPool:
    """The pool `virt.aio.connect` uses when not given one (made on first use)."""
    if not _default:
        _default.append(WorkerPool())
    return _default[0]


def set_default_pool(pool: WorkerPool) -> None:
    """Make *pool* the default for connections opened from now on."""
    if not isinstance(pool, WorkerPool):
        raise TypeError("pool must be a virt.aio.WorkerPool")
    _default[:] = [pool]


def release(value: Any) -> None:
    """Free what a call returned that nobody will see (its await was cancelled):
    objects are closed, lists and tuples searched for them.  Runs in the pool."""
    if isinstance(value, LibvirtObject):
        value.close()
    elif isinstance(value, (list, tuple)):
        for item in value:
            release(item)
    else:
        close = getattr(value, "close", None)
        if close is not None and type(value).__module__.startswith("virt."):
            close()  # a Subscription, a StreamFile


class Job:
    """One call for the pool: the function, its arguments, the future it settles."""

    __slots__ = ("args", "function", "future", "inbox", "kwargs", "orphan", "owner", "runner")

    def __init__(self, runner: Runner, owner: Any, future: asyncio.Future[Any] | None,
                 function: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any]) -> None:
        self.runner, self.owner, self.future = runner, owner, future
        self.function, self.args, self.kwargs = function, args, kwargs
        self.inbox = runner._inbox
        #: what to do, in the loop, with a result whose await was cancelled
        self.orphan: Callable[[Any], object] | None = None

    def run(self) -> None:
        """In a worker thread."""
        future = self.future
        result: Any = None
        error: BaseException | None = None
        if future is None or not future.cancelled():  # a cancelled job is never started
            try:
                result = self.function(*self.args, **self.kwargs)
            except BaseException as exc:  # handed to the awaiting task
                error = exc
        self.inbox.arrive(self, result, error)


class _Inbox:
    """Where the workers leave outcomes for one event loop.

    Shared by all the runners of the loop, so that outcomes arriving close
    together, from any connection, cost the loop one wake-up.
    """

    __slots__ = ("__weakref__", "items", "loop", "scheduled")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # Weakly: the inbox is the value of a weak-keyed mapping keyed by the loop.
        self.loop = weakref.ref(loop)
        self.items: collections.deque[tuple[Job, Any, BaseException | None]] = \
            collections.deque()
        self.scheduled = False

    def arrive(self, job: Job, result: Any, error: BaseException | None) -> None:
        """In a worker thread."""
        self.items.append((job, result, error))
        if not self.scheduled:
            self.scheduled = True
            loop = self.loop()
            try:
                if loop is None:
                    raise RuntimeError("the loop is gone")
                loop.call_soon_threadsafe(self.drain)
            except RuntimeError:  # the loop is closed: nobody will see these outcomes
                self.scheduled = False
                while self.items:
                    orphaned, value, failure = self.items.popleft()
                    if failure is None and orphaned.future is not None:
                        release(value)

    def drain(self) -> None:
        """In the loop: settle the futures of the outcomes that arrived."""
        self.scheduled = False  # first: an outcome arriving now schedules again
        items = self.items
        while items:
            job, result, error = items.popleft()
            job.runner._settle(job, result, error)


_inboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Inbox] = \
    weakref.WeakKeyDictionary()


class Runner:
    """The bookkeeping of one async connection and the objects it gave out."""

    __slots__ = ("_drained", "_inbox", "_loop", "_pending", "closing", "connection", "pool",
                 "streams")

    def __init__(self, pool: WorkerPool, loop: asyncio.AbstractEventLoop) -> None:
        self.pool, self._loop = pool, loop
        self.connection: Any = None  # the async connection whose calls these are
        self.closing = False
        self.streams: weakref.WeakSet[Any] = weakref.WeakSet()  # aborted by close()
        self._pending = 0  # jobs queued or running, not yet delivered
        inbox = _inboxes.get(loop)
        if inbox is None:
            inbox = _inboxes[loop] = _Inbox(loop)
        self._inbox = inbox
        self._drained: asyncio.Future[None] | None = None  # set once _pending drops to 0

    @property
    def pending(self) -> int:
        """Calls queued or running."""
        return self._pending

    def call(self, owner: Any, function: Callable[P, T], /, *args: P.args,
             **kwargs: P.kwargs) -> asyncio.Future[T]:
        """Run ``function(*args, **kwargs)`` in the pool for *owner* (the async
        object whose call it is, or None); a future of its result.

        The hot path of every awaitable method.
        """
        if self.closing:
            raise ClosedError("this async connection is closed or closing")
        return self._start(owner, None, function, args, kwargs)

    def call_anyway(self, owner: Any, function: Callable[P, T], /, *args: P.args,
                    **kwargs: P.kwargs) -> asyncio.Future[T]:
        """`call`, also while the connection closes (for closing things)."""
        return self._start(owner, None, function, args, kwargs)

    def call_keeping(self, owner: Any, orphan: Callable[[Any], object],
                     function: Callable[P, T], /, *args: P.args,
                     **kwargs: P.kwargs) -> asyncio.Future[T]:
        """`call`, where a result whose await was cancelled goes to *orphan* (in
        the loop) instead of being released: data read from a stream, say."""
        if self.closing:
            raise ClosedError("this async connection is closed or closing")
        return self._start(owner, orphan, function, args, kwargs)

    def fire(self, function: Callable[..., object], *args: Any) -> None:
        """Run ``function(*args)`` in the pool, counted as a pending call, its
        outcome dropped (releasing, aborting on close)."""
        self._queue(Job(self, None, None, function, args, {}))

    def _start(self, owner: Any, orphan: Callable[[Any], object] | None,
               function: Callable[..., T], args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            raise RuntimeError("this async connection belongs to another event loop "
                               "(each asyncio.run() makes a new one): open it in this one")
        future: asyncio.Future[T] = loop.create_future()
        job = Job(self, owner, future, function, args, kwargs)
        job.orphan = orphan
        self._queue(job)
        return future

    def _queue(self, job: Job) -> None:
        owner = job.owner
        self._pending += 1
        if owner is not None:
            owner._calls += 1
        try:
            self.pool.submit(job)
        except BaseException:
            self._pending -= 1
            if owner is not None:
                owner._calls -= 1
            raise

    def _settle(self, job: Job, result: Any, error: BaseException | None) -> None:
        """In the loop: deliver one outcome (see `_Inbox.drain`)."""
        self._pending -= 1
        owner = job.owner
        if owner is not None:
            owner._calls -= 1
            if not owner._calls and owner._idle is not None:
                owner._idle.set_result(None)
                owner._idle = None
        future = job.future
        if future is not None:  # else a release job
            if future.cancelled():
                if error is None and result is not None:
                    if job.orphan is not None:
                        job.orphan(result)
                    else:
                        self.fire(release, result)
            elif error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)
        drained = self._drained
        if not self._pending and drained is not None and not drained.done():
            drained.set_result(None)

    async def wait_idle(self) -> None:
        """Wait until every call queued so far (and any release it led to) is over."""
        while self._pending:
            if self._drained is None or self._drained.done():
                self._drained = self._loop.create_future()
            await asyncio.shield(self._drained)
