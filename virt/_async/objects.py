"""The async classes: each wraps the core object of the same name and runs its
methods in a `virt.aio.WorkerPool`.

`AsyncDomain` has every method of `virt.Domain`, with the same name,
parameters, types and errors, as a coroutine; results that are core objects
come back as their async counterparts (``await conn.list_all_domains()``
gives `AsyncDomain` objects).  Marshalling and ownership are the core's: an
async object holds exactly one core object (`sync`), which owns the libvirt
reference.  The methods are generated (``virt/_generated/async_methods.py``);
the few written here are those whose meaning changes under asyncio: closing,
event iterators, stream reading and writing, opening connections.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Generator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from typing_extensions import Concatenate, ParamSpec, Self

from .. import admin as _admin
from .._generated import async_methods as _methods
from .._generated.async_methods import (
    _AsyncAdminClientMethods,
    _AsyncAdminConnectionMethods,
    _AsyncAdminServerMethods,
    _AsyncConnectionMethods,
    _AsyncDomainCheckpointMethods,
    _AsyncDomainMethods,
    _AsyncDomainSnapshotMethods,
    _AsyncInterfaceMethods,
    _AsyncNetworkMethods,
    _AsyncNetworkPortMethods,
    _AsyncNodeDeviceMethods,
    _AsyncNWFilterBindingMethods,
    _AsyncNWFilterMethods,
    _AsyncSecretMethods,
    _AsyncStoragePoolMethods,
    _AsyncStorageVolMethods,
    _AsyncStreamMethods,
)
from .._generated.enums import StreamEventType, StreamFlags
from .._marshal import guard_methods
from .._objects import ClosedError
from ..connection import AuthCallback
from ..connection import connect as _connect
from ..events import default_loop_running, in_loop
from ._base import AsyncObject
from ._base import sync_of as _sync_of
from ._runtime import Runner, WorkerPool, default_pool

if TYPE_CHECKING:
    from typing_extensions import Buffer

    from .. import Connection, Domain, StreamFile
    from .._generated.enums import ConnectFlags
    from .._generated.params import DomainStats
    from ..events import Event, Subscription
    from ..records import DomainStatsRecord

__all__ = [
    "AsyncAdminClient",
    "AsyncAdminConnection",
    "AsyncAdminServer",
    "AsyncConnection",
    "AsyncDomain",
    "AsyncDomainCheckpoint",
    "AsyncDomainSnapshot",
    "AsyncDomainStatsRecord",
    "AsyncEventIterator",
    "AsyncInterface",
    "AsyncNWFilter",
    "AsyncNWFilterBinding",
    "AsyncNetwork",
    "AsyncNetworkPort",
    "AsyncNodeDevice",
    "AsyncObject",
    "AsyncSecret",
    "AsyncStoragePool",
    "AsyncStorageVol",
    "AsyncStream",
    "AsyncStreamFile",
    "AsyncSubscription",
    "admin_connect",
    "connect",
]

T = TypeVar("T")
P = ParamSpec("P")
E = TypeVar("E", bound="Event")
C = TypeVar("C", bound="AsyncObject")

#: Core methods whose async form is written here, not generated: class -> names.
HAND_WRITTEN = {
    "Connection": {"close", "events"},
    "Stream": {"close"},
}


class AsyncDomainStatsRecord(NamedTuple):
    """`virt.DomainStatsRecord` with an `AsyncDomain`."""

    domain: AsyncDomain
    stats: DomainStats


def _stats_records(records: list[DomainStatsRecord],
                   runner: Runner) -> list[AsyncDomainStatsRecord]:
    wrap, make = AsyncDomain._wrap, AsyncDomainStatsRecord
    return [make(wrap(domain, runner), stats) for domain, stats in records]


@guard_methods
class AsyncSubscription(Generic[E]):
    """A `virt.Subscription` whose `close` is awaited (deregistering is a round
    trip to the daemon); from ``await conn.subscribe(...)``."""

    __slots__ = ("_owner", "_subscription")

    def __init__(self, subscription: Subscription[E], owner: AsyncObject) -> None:
        self._subscription, self._owner = subscription, owner

    @property
    def sync(self) -> Subscription[E]:
        """The core subscription."""
        return self._subscription

    @property
    def active(self) -> bool:
        return self._subscription.active

    @property
    def event(self) -> type[E]:
        return self._subscription.event

    async def close(self) -> None:
        """Stop delivering events; again, or after the connection closed, does nothing."""
        if self._subscription.active:
            await self._owner._runner.call_anyway(None, self._subscription.close)

    async def __aenter__(self) -> AsyncSubscription[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"<virt.aio.AsyncSubscription of {self._subscription!r}>"


@guard_methods
class AsyncEventIterator(Generic[E]):
    """Events as an async iterator, from `AsyncConnection.events`.

    The subscription is made in the worker pool when the ``async with`` block
    is entered (or on the first iteration), and ended by `aclose`.  Events
    wait in a queue of *maxsize*; when it is full the oldest is dropped and
    counted in ``dropped``, so a slow consumer never stalls libvirt's loop.
    """

    def __init__(self, connection: AsyncConnection, event: type[E], target: Any,
                 maxsize: int) -> None:
        if not isinstance(maxsize, int) or maxsize < 1:
            raise ValueError("maxsize must be an int of at least 1")
        self._connection, self._event, self._target = connection, event, _sync_of(target)
        self._queue: asyncio.Queue[E] = asyncio.Queue(maxsize)
        self._subscription: AsyncSubscription[E] | None = None
        self.dropped = 0

    def _put(self, item: E) -> None:
        queue = self._queue
        if queue.full():
            queue.get_nowait()
            self.dropped += 1
        queue.put_nowait(item)

    async def start(self) -> None:
        """Subscribe now (``async with`` and the first iteration do it)."""
        if self._subscription is not None:
            return
        deliver = in_loop(asyncio.get_running_loop(), self._put)
        self._subscription = await self._connection.subscribe(self._event, deliver,
                                                              self._target)

    def __aiter__(self) -> AsyncEventIterator[E]:
        return self

    async def __anext__(self) -> E:
        if self._subscription is None:
            await self.start()
        return await self._queue.get()

    async def aclose(self) -> None:
        """End the subscription."""
        if self._subscription is not None:
            await self._subscription.close()

    async def __aenter__(self) -> AsyncEventIterator[E]:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


@guard_methods
class AsyncConnection(_AsyncConnectionMethods, AsyncObject):
    """An async connection to a libvirt driver, from `virt.aio.connect`.

    Belongs to the event loop that opened it.  Each method is the coroutine
    form of the `virt.Connection` method of the same name.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        _sync: Connection

    @classmethod
    def _wrap(cls, sync: Any, runner: Runner) -> Self:
        owner = runner.connection
        if owner is not None and owner._sync is sync:
            return owner  # type: ignore[no-any-return]
        if owner is not None:  # another connection (a borrowed one): a runner of its own
            runner = Runner(runner.pool, runner._loop)
        self = super()._wrap(sync, runner)
        runner.connection = self
        return self

    @property
    def pool(self) -> WorkerPool:
        """The worker pool this connection's calls run in."""
        return self._runner.pool

    @property
    def pending(self) -> int:
        """How many calls of this connection (and its objects) are queued or running."""
        return self._runner.pending

    async def close(self) -> None:
        """Refuse new calls, abort this connection's open streams, wait for the
        calls in flight (they are not interrupted), then close the connection
        (:libvirt:`virConnectClose`).  Calling it again does nothing.

        Calls made after `close` began raise `virt.ClosedError`.
        """
        runner = self._runner
        runner.closing = True
        for stream in list(runner.streams):
            if not stream._sync.closed:
                runner.fire(stream._sync.close)
        await runner.wait_idle()
        if not self._sync.closed:
            await runner.call_anyway(None, self._sync.close)

    async def run_sync(self, function: Callable[Concatenate[Connection, P], T], /,
                       *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``function(conn, *args, **kwargs)`` in the worker pool, *conn* being
        the core connection (`sync`), and return what it returns; as with
        SQLAlchemy's ``AsyncConnection.run_sync``.

        For a batch of calls that need no await between them (a host's whole
        polling cycle, say): one trip to the pool instead of one per call.  The
        function runs in a worker thread and must not touch the event loop;
        what it returns is handed over as is (core objects stay core objects).
        Cancelling the await releases a result that arrives anyway, like any call.
        """
        return await self._call(function, self._sync, *args, **kwargs)

    def events(self, event: type[E], target: Any = None, *,
               maxsize: int = 1000) -> AsyncEventIterator[E]:
        """An async iterator over the events of class *event* (about *target*,
        an object, if given), like `virt.Connection.events`; it needs
        ``virt.aio.register()``::

            async with conn.events(virt.DomainLifecycle) as changes:
                async for change in changes:
                    ...

        Unlike the core's, it subscribes in the worker pool (a round trip to
        the daemon) when the ``async with`` block is entered or on the first
        iteration, not when it is made.  Event objects hold core objects
        (``change.domain`` is a `virt.Domain`); `wrap` gives the async form.
        """
        return AsyncEventIterator(self, event, target, maxsize)

    def wrap(self, obj: Any) -> Any:
        """The async form of *obj*, a core object of this connection (from an
        event, or made synchronously): ``await conn.wrap(change.domain).get_info()``."""
        cls = _ASYNC_CLASSES.get(type(obj).__name__)
        if cls is None:
            raise TypeError(f"no async form for {type(obj).__name__}")
        return cls._wrap(obj, self._runner)


class AsyncDomain(_AsyncDomainMethods, AsyncObject):
    """The async form of `virt.Domain`."""

    __slots__ = ()

    if TYPE_CHECKING:
        _sync: Domain


class AsyncDomainSnapshot(_AsyncDomainSnapshotMethods, AsyncObject):
    """The async form of `virt.DomainSnapshot`."""

    __slots__ = ()


class AsyncDomainCheckpoint(_AsyncDomainCheckpointMethods, AsyncObject):
    """The async form of `virt.DomainCheckpoint`."""

    __slots__ = ()


class AsyncNetwork(_AsyncNetworkMethods, AsyncObject):
    """The async form of `virt.Network`."""

    __slots__ = ()


class AsyncNetworkPort(_AsyncNetworkPortMethods, AsyncObject):
    """The async form of `virt.NetworkPort`."""

    __slots__ = ()


class AsyncStoragePool(_AsyncStoragePoolMethods, AsyncObject):
    """The async form of `virt.StoragePool`."""

    __slots__ = ()


class AsyncStorageVol(_AsyncStorageVolMethods, AsyncObject):
    """The async form of `virt.StorageVol`: ``await vol.download_to(path)``."""

    __slots__ = ()


class AsyncInterface(_AsyncInterfaceMethods, AsyncObject):
    """The async form of `virt.Interface`."""

    __slots__ = ()


class AsyncNodeDevice(_AsyncNodeDeviceMethods, AsyncObject):
    """The async form of `virt.NodeDevice`."""

    __slots__ = ()


class AsyncSecret(_AsyncSecretMethods, AsyncObject):
    """The async form of `virt.Secret`."""

    __slots__ = ()


class AsyncNWFilter(_AsyncNWFilterMethods, AsyncObject):
    """The async form of `virt.NWFilter`."""

    __slots__ = ()


class AsyncNWFilterBinding(_AsyncNWFilterBindingMethods, AsyncObject):
    """The async form of `virt.NWFilterBinding`."""

    __slots__ = ()


@guard_methods
class AsyncStream(_AsyncStreamMethods, AsyncObject):
    """The async form of `virt.Stream`, also an async reader and writer::

        console = await domain.open_console()
        await console.write(b"\\n")
        async for chunk in console:      # until the end of the stream
            ...

    A blocking stream (the default) is read and written in the worker pool,
    so a console waiting for output holds one worker while a read is
    pending.  A non-blocking one (``stream_flags=virt.StreamFlags.NONBLOCK``)
    holds none: it is read and written in the loop's thread when libvirt's
    event loop says it is ready (``virt.aio.register()`` or
    `virt.events.start_default_loop` must run).  A cancelled `read` loses
    nothing: what it received anyway is returned by the next one.  `close`
    does not wait for a pending read: it aborts the stream, which ends the
    read with an error.
    """

    __slots__ = ("_nonblocking", "_pushback", "_ready", "_watching")

    _pushback: list[bytes]
    _nonblocking: bool  # seen to be non-blocking: read and written in the loop's thread
    _ready: asyncio.Future[None] | None  # what a read or write on a NONBLOCK stream awaits
    _watching: bool  # the event callback is set

    @classmethod
    def _wrap(cls, sync: Any, runner: Runner) -> Self:
        self = super()._wrap(sync, runner)
        self._pushback = []
        self._nonblocking = self._watching = False
        self._ready = None
        runner.streams.add(self)
        return self

    @classmethod
    def _opened(cls, sync: Any, runner: Runner, flags: int) -> Self:
        """A stream just opened with *flags* (`virt.StreamFlags`)."""
        self = cls._wrap(sync, runner)
        self._nonblocking = bool(flags & StreamFlags.NONBLOCK)
        return self

    async def read(self, nbytes: int = 65536) -> bytes:
        """Up to *nbytes* bytes, as soon as some arrive; ``b""`` at the end.

        Wraps :libvirt:`virStreamRecv`.
        """
        if self._pushback:
            data = self._pushback.pop(0)
            if len(data) > nbytes:
                self._pushback.insert(0, data[nbytes:])
                data = data[:nbytes]
            return data
        while True:
            if self._nonblocking:
                result = self._local(self._sync.recv, nbytes)  # never blocks
            else:
                result = await self._runner.call_keeping(self, self._pushback.append,
                                                         self._sync.recv, nbytes)
            if result is not None:
                return result
            await self._until(StreamEventType.READABLE)  # a non-blocking stream, empty

    async def write(self, data: Buffer) -> int:
        """Send all of *data* (not to be changed until this returns).

        Wraps :libvirt:`virStreamSend`.
        """
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            if self._nonblocking:
                sent = self._local(self._sync.send, view)  # never blocks
            else:
                sent = await self._call(self._sync.send, view)
            if sent:
                view = view[sent:]
            else:
                await self._until(StreamEventType.WRITABLE)  # a non-blocking stream, full
        return total

    async def _until(self, events: StreamEventType) -> None:
        """Wait until libvirt's event loop reports *events* (or an error, a hang-up)."""
        aio = sys.modules["virt.aio"]  # loaded: it is what loads this module

        if not self._watching and aio.registered_loop() is None \
                and not default_loop_running():
            raise BlockingIOError("a non-blocking stream needs an event loop: call "
                                  "virt.aio.register() before opening the connection")
        self._nonblocking = True
        loop = self._runner._loop
        if self._ready is None or self._ready.done():
            self._ready = loop.create_future()
        wanted = events | StreamEventType.ERROR | StreamEventType.HANGUP
        if not self._watching:
            deliver = in_loop(loop, self._on_event)
            self._local(self._sync.event_add_callback, wanted,
                        lambda _stream, _events: deliver(None))
            self._watching = True
        else:
            self._local(self._sync.event_update_callback, wanted)
        try:
            await self._ready
        finally:
            # Quiet until the next wait.  Done here, not in _on_event: a wake-up
            # queued from libvirt's loop thread may run after the next wait began,
            # and must not switch that wait's events off (a spurious wake-up only
            # makes the reader look again).
            if not self._sync.closed:
                self._sync.event_update_callback(0)

    def _on_event(self, _: object) -> None:
        ready = self._ready
        if ready is not None and not ready.done():
            ready.set_result(None)

    def __aiter__(self) -> AsyncStream:
        return self

    async def __anext__(self) -> bytes:
        data = await self.read()
        if not data:
            raise StopAsyncIteration
        return data

    async def close(self) -> None:
        """Abort the transfer unless it was finished, and release the stream,
        without waiting for a pending `read` (it ends with an error)."""
        ready = self._ready
        if ready is not None and not ready.done():
            ready.set_exception(ClosedError("the stream was closed"))
        if not self._sync.closed:
            await self._runner.call_anyway(None, self._sync.close)

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> None:
        """Finish the transfer when the block ends normally, abort it when it
        raises; then close (as `virt.Stream` does)."""
        await self._wait_own_calls()
        await self._runner.call_anyway(None, self._sync.__exit__, exc_type, exc, traceback)


@guard_methods
class AsyncStreamFile:
    """`virt.StreamFile` with coroutine methods: ``await f.read(n)``, ``await f.write(b)``."""

    __slots__ = ("_file", "_stream")

    def __init__(self, file: StreamFile, stream: AsyncObject) -> None:
        self._file, self._stream = file, stream

    @property
    def closed(self) -> bool:
        return bool(self._file.closed)

    async def read(self, size: int = -1) -> bytes:
        """Up to *size* bytes (-1: to the end)."""
        return bytes(await self._stream._call(self._file.read, size) or b"")

    async def readinto(self, buffer: Buffer) -> int | None:
        """Fill *buffer* with what arrives: the byte count, 0 at the end."""
        return await self._stream._call(self._file.readinto, buffer)

    async def write(self, data: Buffer) -> int | None:
        """Send *data*: the byte count written."""
        return await self._stream._call(self._file.write, data)

    async def close(self) -> None:
        """Finish the transfer (abort it after `abort`) and close the stream."""
        await self._stream._runner.call_anyway(None, self._file.close)

    async def abort(self) -> None:
        """Abandon the transfer; `close` then aborts the stream instead of finishing it."""
        await self._stream._call(self._file.abort)

    async def __aenter__(self) -> AsyncStreamFile:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> None:
        await self._stream._runner.call_anyway(None, self._file.__exit__, exc_type, exc,
                                               traceback)


@guard_methods
class AsyncAdminConnection(_AsyncAdminConnectionMethods, AsyncObject):
    """The async form of `virt.AdminConnection`, from `virt.aio.admin_connect`."""

    __slots__ = ()

    async def close(self) -> None:
        """Refuse new calls, wait for those in flight, then close."""
        self._runner.closing = True
        await self._runner.wait_idle()
        if not self._sync.closed:
            await self._runner.call_anyway(None, self._sync.close)


class AsyncAdminServer(_AsyncAdminServerMethods, AsyncObject):
    """The async form of `virt.AdminServer`."""

    __slots__ = ()


class AsyncAdminClient(_AsyncAdminClientMethods, AsyncObject):
    """The async form of `virt.AdminClient`."""

    __slots__ = ()


_ASYNC_CLASSES: dict[str, Any] = {
    cls.__name__[5:]: cls for cls in (
        AsyncAdminClient, AsyncAdminConnection, AsyncAdminServer, AsyncConnection,
        AsyncDomain, AsyncDomainCheckpoint, AsyncDomainSnapshot, AsyncInterface,
        AsyncNWFilter, AsyncNWFilterBinding, AsyncNetwork, AsyncNetworkPort,
        AsyncNodeDevice, AsyncSecret, AsyncStoragePool, AsyncStorageVol, AsyncStream)
}


class Opening(Generic[C]):
    """What `virt.aio.connect` returns: await it for the connection, or use it
    as ``async with``, which closes the connection at the end of the block."""

    __slots__ = ("_connection", "_open")

    def __init__(self, open_: Callable[[], Any]) -> None:
        self._open = open_
        self._connection: C | None = None

    def __await__(self) -> Generator[Any, None, C]:
        return self._open().__await__()  # type: ignore[no-any-return]

    async def __aenter__(self) -> C:
        self._connection = await self._open()
        return self._connection

    async def __aexit__(self, *exc_info: object) -> None:
        if self._connection is not None:
            await self._connection.close()


async def _open(cls: type[C], pool: WorkerPool | None, function: Callable[..., Any],
                *args: Any, **kwargs: Any) -> C:
    if pool is not None and not isinstance(pool, WorkerPool):
        raise TypeError("pool must be a virt.aio.WorkerPool")
    runner = Runner(pool or default_pool(), asyncio.get_running_loop())
    sync = await runner.call_anyway(None, function, *args, **kwargs)
    return cls._wrap(sync, runner)


def connect(uri: str | None = None, *, readonly: bool = False,
            auth: AuthCallback | None = None, flags: ConnectFlags | int = 0,
            pool: WorkerPool | None = None) -> Opening[AsyncConnection]:
    """Open an async connection: ``conn = await virt.aio.connect(uri)``, or
    ``async with virt.aio.connect(uri) as conn:``.

    The arguments are those of `virt.connect` (*auth* is called in a worker
    thread), plus *pool*, the `WorkerPool` its calls run in (default:
    `virt.aio.default_pool`).  Wraps :libvirt:`virConnectOpenAuth`.
    """
    return Opening(lambda: _open(AsyncConnection, pool, _connect, uri, readonly=readonly,
                                 auth=auth, flags=flags))


def admin_connect(uri: str | None = None, *, flags: int = 0,
                  pool: WorkerPool | None = None) -> Opening[AsyncAdminConnection]:
    """The async form of `virt.admin.connect`, used like `connect`.

    Wraps :libvirt:`virAdmConnectOpen`.
    """
    def open_admin() -> Any:
        async def opened() -> AsyncAdminConnection:
            connection = await _open(AsyncAdminConnection, pool, _admin.connect, uri,
                                     flags=flags)
            connection._runner.connection = connection
            return connection
        return opened()

    return Opening(open_admin)


_methods._bind(_stats_records=_stats_records, AsyncStreamFile=AsyncStreamFile,
               AsyncSubscription=AsyncSubscription,
               **{cls.__name__: cls for cls in _ASYNC_CLASSES.values()})
