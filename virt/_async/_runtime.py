"""The machinery of the awaitable API: a bounded worker pool, and one `Runner`
per async connection that hands each call to the pool and its outcome back
to the asyncio loop.

How a call goes: the loop thread makes an asyncio future and appends the job
to its connection's *lane*, the queue of that connection's calls.  A lane
with work and no worker is handed to the pool, which wakes one thread for
it; that worker runs the lane's jobs one after another, as long as there are
any, and only then goes back to the pool.  So a burst of calls on one
connection (``asyncio.gather`` over its domains) costs one thread wake-up,
not one per call, and the calls reach the daemon in order, one at a time, as
the official binding's calls from one thread do.  ctypes releases the GIL
for the C call, so the loop and the other connections' workers go on
meanwhile.  The worker drops each outcome into the loop's inbox and wakes
the loop when its lane is empty: once per burst, not per call (and never
again before the loop has drained the inbox).  While a lane stays busy, the
loop collects its outcomes every `HELPER_AFTER` seconds, so none waits
longer than that for a call queued after it.  The loop, and only the loop,
decides what happens to an outcome: it completes the future, or, when the
awaiting task was cancelled, releases the result (objects closed, by the
pool, since closing some of them does I/O).  A job cancelled before a worker
took it never runs.

A call that blocks (a migration, a read from a console, a slow host) must
not hold up the calls queued behind it: when a lane has calls waiting and
none of its workers has started a new call for `HELPER_AFTER` seconds, the
loop gives the lane one more worker, and so on while that goes on, up to
the pool's bound (libvirt lets several threads have calls in flight on one
connection).

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

__all__ = ["HELPER_AFTER", "Lane", "Runner", "WorkerPool", "default_pool",
           "set_default_pool"]

T = TypeVar("T")
P = ParamSpec("P")


#: How long (seconds) a lane's queued calls wait on workers that are all inside
#: one call before another worker joins the lane.
HELPER_AFTER = 0.002

#: How many outcomes the loop settles in one callback: the tasks they wake run
#: before the next share, so a burst of hundreds never stalls the loop for long.
SHARE = 64

#: How many calls in a row a worker runs from one lane before it lets a lane
#: waiting for a worker go first (only when every worker is taken).
QUANTUM = 64


class Lane:
    """The queued calls of one connection, and how many workers serve them.

    ``jobs`` is appended to by the loop's thread and popped by the workers;
    ``lock`` orders a worker leaving an empty lane against the loop adding to
    it, so that a job is never left queued with nobody to run it.
    """

    __slots__ = ("inbox", "jobs", "lock", "serving", "started", "watched")

    def __init__(self, inbox: _Inbox) -> None:
        self.inbox = inbox  # where its outcomes go
        self.jobs: collections.deque[Job] = collections.deque()
        self.lock = threading.Lock()
        self.serving = 0  # workers on this lane, or handed it and not yet there
        self.started = 0  # jobs the workers have taken (progress, for the helper rule)
        self.watched = False  # a helper check is scheduled in the loop


@guard_methods
class WorkerPool:
    """A bounded set of threads that run blocking libvirt calls for asyncio code.

    At most *max_workers* calls run at once (default: ``min(32, CPUs + 4)``,
    like `concurrent.futures.ThreadPoolExecutor`); more wait in a queue, in
    order.  A connection's calls go to one worker at a time, in order, unless
    one of them blocks for more than a couple of milliseconds; then the calls
    queued behind it get more workers.  Threads start as work arrives and
    stay.  One pool may serve any number of connections and event loops;
    `virt.aio.connect` uses `default_pool` unless given one.
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
        # One item per worker a lane asked for; None ends a thread.
        self._ready: queue.SimpleQueue[Lane | None] = queue.SimpleQueue()
        # One item per thread waiting for a lane (deque appends and pops are atomic).
        self._waiting: collections.deque[None] = collections.deque()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"<virt.aio.WorkerPool {self.name!r} max_workers={self.max_workers} "
                f"threads={len(self._threads)}>")

    def _help(self, lane: Lane) -> None:
        """Give *lane* one more worker (it has calls waiting behind blocked ones)."""
        if self._ready.qsize() > len(self._waiting):
            return  # lanes wait for a worker already: one more would wait too
        with lane.lock:
            if not lane.jobs or lane.serving >= self.max_workers:
                return
            lane.serving += 1
        self._hand(lane)

    def _hand(self, lane: Lane) -> None:
        """Queue *lane* for a worker; start a thread if more lanes wait than
        threads do and the bound allows."""
        ready = self._ready
        ready.put(lane)
        if ready.qsize() > len(self._waiting) and len(self._threads) < self.max_workers:
            with self._lock:
                if len(self._threads) < self.max_workers:
                    thread = threading.Thread(target=self._work, daemon=True,
                                              name=f"{self.name}-{len(self._threads)}")
                    self._threads.append(thread)
                    thread.start()

    def _work(self) -> None:
        get, waiting, ready = self._ready.get, self._waiting, self._ready
        while True:
            waiting.append(None)
            lane = get()
            waiting.pop()
            if lane is None:
                ready.put(None)  # the next thread ends too
                return
            jobs, lock, inbox = lane.jobs, lane.lock, lane.inbox
            arrived = inbox.items.append
            ran = 0
            while True:
                if not jobs:
                    with lock:
                        if jobs:
                            continue
                        lane.serving -= 1
                    # The end of a burst: the loop sees its outcomes now (the
                    # last thing before waiting, so the loop that wakes finds
                    # the GIL free soon).
                    inbox.wake()
                    break
                try:
                    job = jobs.popleft()
                except IndexError:  # another worker of the lane took it
                    continue
                lane.started += 1
                arrived(job.run())
                del job
                ran += 1
                if ran >= QUANTUM and ready.qsize() > len(waiting):
                    inbox.wake()  # other lanes wait for a worker: take turns
                    ready.put(lane)
                    break
            del lane, jobs, lock, inbox, arrived

    def shutdown(self) -> None:
        """Let the threads end once the queued calls are done (they are not waited for)."""
        self._shut = True
        self._ready.put(None)


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

    __slots__ = ("args", "function", "future", "kwargs", "orphan", "owner", "runner")

    def __init__(self, runner: Runner, owner: Any, future: asyncio.Future[Any] | None,
                 function: Callable[..., Any], args: tuple[Any, ...],
                 kwargs: dict[str, Any], orphan: Callable[[Any], object] | None) -> None:
        self.runner, self.owner, self.future = runner, owner, future
        self.function, self.args, self.kwargs = function, args, kwargs
        #: what to do, in the loop, with a result whose await was cancelled
        self.orphan = orphan

    def run(self) -> tuple[Job, Any, BaseException | None]:
        """In a worker thread: the outcome, for the inbox."""
        future = self.future
        if future is None or not future.cancelled():  # a cancelled job is never started
            try:
                return self, self.function(*self.args, **self.kwargs), None
            except BaseException as exc:  # handed to the awaiting task
                return self, None, exc
        return self, None, None


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

    def wake(self) -> None:
        """In a worker thread: have the loop drain the inbox, unless it is due to."""
        if self.scheduled:
            return
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
        """In the loop: settle the futures of the outcomes that arrived, `SHARE`
        at a time (the rest after the tasks these wake have run)."""
        self.scheduled = False  # first: an outcome arriving now schedules again
        items = self.items
        for _ in range(SHARE):
            if not items:
                return
            job, result, error = items.popleft()
            job.runner._settle(job, result, error)
        if items and not self.scheduled:
            self.scheduled = True
            loop = self.loop()
            if loop is not None:
                loop.call_soon(self.drain)


_inboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Inbox] = \
    weakref.WeakKeyDictionary()


_running_loop = asyncio.get_running_loop


class Runner:
    """The bookkeeping of one async connection and the objects it gave out."""

    __slots__ = ("_drained", "_inbox", "_lane", "_loop", "_pending", "closing", "connection",
                 "pool", "streams")

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
        self._lane = Lane(inbox)
        self._drained: asyncio.Future[None] | None = None  # set once _pending drops to 0

    @property
    def pending(self) -> int:
        """Calls queued or running."""
        return self._pending

    def call(self, owner: Any, function: Callable[P, T], /, *args: P.args,
             **kwargs: P.kwargs) -> asyncio.Future[T]:
        """Run ``function(*args, **kwargs)`` in the pool for *owner* (the async
        object whose call it is, or None); a future of its result.

        (The awaitable methods go straight to `_start`, see `AsyncObject._call`.)
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
        self._queue(Job(self, None, None, function, args, {}, None))

    def _start(self, owner: Any, orphan: Callable[[Any], object] | None,
               function: Callable[..., T], args: tuple[Any, ...],
               kwargs: dict[str, Any]) -> asyncio.Future[T]:
        """The hot path of every awaitable method: a future, settled in this
        loop by `_settle` once a worker ran the job."""
        loop = _running_loop()
        if loop is not self._loop:
            raise RuntimeError("this async connection belongs to another event loop "
                               "(each asyncio.run() makes a new one): open it in this one")
        future: asyncio.Future[T] = loop.create_future()
        self._queue(Job(self, owner, future, function, args, kwargs, orphan))
        return future

    def _queue(self, job: Job) -> None:
        """Append *job* to this connection's lane; give the lane a worker if it
        has none, and have the loop watch it while it has calls queued."""
        pool, lane = self.pool, self._lane
        if pool._shut:
            raise RuntimeError("this WorkerPool is shut down")
        owner = job.owner
        self._pending += 1
        if owner is not None:
            owner._calls += 1
        with lane.lock:
            lane.jobs.append(job)
            first = not lane.serving
            if first:
                lane.serving = 1
        if first:
            try:
                pool._hand(lane)
            except BaseException:  # no thread could start: as if never queued
                with lane.lock:
                    lane.jobs.remove(job)
                    lane.serving -= 1
                self._pending -= 1
                if owner is not None:
                    owner._calls -= 1
                raise
        elif not lane.watched:  # queued behind a call: watch the lane while it waits
            lane.watched = True
            self._loop.call_later(HELPER_AFTER, self._watch, lane.started)

    def _watch(self, started: int) -> None:
        """In the loop, every `HELPER_AFTER` while this connection has calls
        queued: collect the outcomes so far; if no worker of the lane took a
        call since the last look, every one is inside a long call, and one
        more joins."""
        lane = self._lane
        if self._inbox.items:
            self._inbox.drain()
        if not lane.jobs:
            lane.watched = False
            return
        if lane.started == started:
            self.pool._help(lane)
        self._loop.call_later(HELPER_AFTER, self._watch, lane.started)

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
