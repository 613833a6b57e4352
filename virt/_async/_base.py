"""`AsyncObject`, the base of the async classes (generated methods included)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from typing_extensions import ParamSpec, Self

from .._marshal import guard_methods
from .._objects import ClosedError
from ._runtime import Runner

__all__ = ["AsyncObject", "sync_of"]

T = TypeVar("T")
P = ParamSpec("P")


def sync_of(value: Any) -> Any:
    """The core object behind *value* if it is an async object; else *value*
    (which the core then checks, naming the parameter)."""
    return value._sync if isinstance(value, AsyncObject) else value


@guard_methods
class AsyncObject:
    """Base of the async classes: one core object, and the runner of its connection."""

    __slots__ = ("__weakref__", "_calls", "_idle", "_runner", "_sync")

    _sync: Any  # the core object (virt.Domain, …)
    _runner: Runner
    _calls: int  # this object's calls in the pool
    _idle: asyncio.Future[None] | None  # set when _calls drops to 0, for close()

    def __init__(self) -> None:
        raise TypeError(f"{type(self).__name__} objects come from an async connection "
                        f"(virt.aio.connect and its look-ups and lists)")

    @classmethod
    def _wrap(cls, sync: Any, runner: Runner) -> Self:
        self = object.__new__(cls)
        self._sync, self._runner, self._calls, self._idle = sync, runner, 0, None
        return self

    def _call(self, function: Callable[P, T], /, *args: P.args,
              **kwargs: P.kwargs) -> asyncio.Future[T]:
        """`Runner.call` for this object: the hot path of the generated methods."""
        runner = self._runner
        if runner.closing:
            raise ClosedError("this async connection is closed or closing")
        return runner._start(self, None, function, args, kwargs)

    def _local(self, function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Call *function* at once, in the loop's thread: for the getters libvirt
        answers from its object without a round trip (see tools/genasync.py)."""
        if self._runner.closing:
            raise ClosedError("this async connection is closed or closing")
        return function(*args, **kwargs)

    @property
    def sync(self) -> Any:
        """The core object this one wraps, for synchronous use (in a thread of
        your own: its calls block)."""
        return self._sync

    @property
    def closed(self) -> bool:
        """Whether `close` released the core object."""
        return bool(self._sync.closed)

    async def _wait_own_calls(self) -> None:
        while self._calls:
            if self._idle is None:
                self._idle = self._runner._loop.create_future()
            await asyncio.shield(self._idle)

    async def close(self) -> None:
        """Release the object once the calls made on it are over (they are not
        interrupted); calling it again does nothing."""
        if self._sync.closed:
            return
        await self._wait_own_calls()
        await self._runner.call_anyway(None, self._sync.close)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, traceback: TracebackType | None) -> None:
        await self.close()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, AsyncObject)
        return bool(self._sync == other._sync)

    def __hash__(self) -> int:
        return hash(self._sync)

    def __repr__(self) -> str:
        return f"<virt.aio.{type(self).__name__} of {self._sync!r}>"
