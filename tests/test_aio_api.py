"""The awaitable API (virt.aio.connect) on the test driver: every core method
has a coroutine form, results and errors are the core's, the pool is bounded,
cancellation and closing are safe."""

from __future__ import annotations

import asyncio
import inspect
import re
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

import virt
import virt.aio
from virt._async import _runtime
from virt._generated.mapping import MAPPING

T = TypeVar("T")

CLASSES = ["AdminClient", "AdminConnection", "AdminServer", "Connection", "Domain",
           "DomainCheckpoint", "DomainSnapshot", "Interface", "NWFilter", "NWFilterBinding",
           "Network", "NetworkPort", "NodeDevice", "Secret", "StoragePool", "StorageVol",
           "Stream"]
#: Names the async base implements (closing) or that are not calls (properties).
LIFECYCLE = {"close", "closed", "from_pointer"}


def run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(asyncio.wait_for(main(), 60))


def _renamed(annotation: str) -> str:
    for name in ["DomainStatsRecord", "StreamFile", "Subscription", *CLASSES]:
        annotation = re.sub(rf"\b{name}\b", "Async" + name, annotation)
    return annotation


def _check_same_signature(core: Any, awaitable: Any, where: str) -> None:
    assert inspect.iscoroutinefunction(awaitable), where
    mine, theirs = inspect.signature(awaitable), inspect.signature(core)
    assert [(p.name, p.kind, p.default) for p in mine.parameters.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.parameters.values()], where
    for name, param in theirs.parameters.items():
        if name != "self":
            assert mine.parameters[name].annotation == _renamed(param.annotation), where
    assert mine.return_annotation == _renamed(theirs.return_annotation), where


def test_every_core_method_has_an_awaitable_form() -> None:
    """Every public method of every core class, and every C function the mapping
    sends to one, has a coroutine of the same name and signature."""
    checked = 0
    for cls_name in CLASSES:
        core, mine = getattr(virt, cls_name), getattr(virt.aio, "Async" + cls_name)
        for name in dir(core):
            attribute = inspect.getattr_static(core, name)
            if name.startswith("_") or name in LIFECYCLE or not inspect.isfunction(attribute):
                continue
            assert hasattr(mine, name), f"virt.aio.Async{cls_name}.{name} is missing"
            if (cls_name, name) == ("Connection", "events"):
                continue  # an async iterator already; see test_events_* below
            _check_same_signature(attribute, getattr(mine, name), f"{cls_name}.{name}")
            checked += 1
        assert inspect.iscoroutinefunction(mine.close), cls_name
    mapped = 0
    for function, dotted in MAPPING.items():
        parts = dotted.split(".")
        if len(parts) == 3 and parts[1] in CLASSES and parts[2] not in LIFECYCLE:
            assert hasattr(getattr(virt.aio, "Async" + parts[1]), parts[2]), (function, dotted)
            mapped += 1
        elif len(parts) == 3 and parts[1] in ("qemu", "lxc") and parts[2] != \
                "enter_security_label":
            core = getattr(getattr(virt, parts[1]), parts[2])
            _check_same_signature_module(core, getattr(getattr(virt.aio, parts[1]), parts[2]),
                                         dotted)
            mapped += 1
    assert checked >= 465 and mapped >= 480, (checked, mapped)  # 12.8: 465 methods, 480 C


def _check_same_signature_module(core: Any, awaitable: Any, where: str) -> None:
    assert inspect.iscoroutinefunction(awaitable), where
    mine, theirs = inspect.signature(awaitable), inspect.signature(core)
    assert list(mine.parameters) == list(theirs.parameters), where
    assert mine.return_annotation == _renamed(theirs.return_annotation), where


def test_results_and_errors_are_the_cores(node_uri: str) -> None:
    sync = virt.connect(node_uri)

    async def main() -> None:
        async with virt.aio.connect(node_uri) as conn:
            assert isinstance(conn, virt.aio.AsyncConnection)
            domains = await conn.list_all_domains()
            assert all(isinstance(d, virt.aio.AsyncDomain) for d in domains)
            assert sorted([await d.get_name() for d in domains]) == \
                sorted(d.get_name() for d in sync.list_all_domains())
            first = domains[0]
            assert await first.get_xml_desc() == first.sync.get_xml_desc()
            assert (await first.get_info()).memory == first.sync.get_info().memory
            assert await first.get_connect() is conn
            again = await conn.domain_lookup_by_name(await first.get_name())
            assert again == first and hash(again) == hash(first)
            with pytest.raises(virt.NoDomainError):
                await conn.domain_lookup_by_name("no-such-domain")
            with pytest.raises(ValueError, match="name"):
                await conn.domain_lookup_by_name("bad\0name")
            with pytest.raises(TypeError):
                virt.aio.AsyncDomain()

    run(main)
    sync.close()


def test_getters_libvirt_answers_locally_skip_the_pool(test_uri: str) -> None:
    """With the only worker busy, a name or UUID still comes at once; a call
    that needs the driver waits for the worker."""
    pool = virt.aio.WorkerPool(1)

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as conn:
            domain = (await conn.list_all_domains())[0]
            busy = conn._call(time.sleep, 0.5)
            assert await asyncio.wait_for(domain.get_name(), 0.2) == "test"
            assert await asyncio.wait_for(domain.get_uuid(), 0.2) == domain.sync.get_uuid()
            assert await asyncio.wait_for(domain.get_connect(), 0.2) is conn
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(domain.get_xml_desc(), 0.2)
            await busy
        with pytest.raises(virt.ClosedError):
            await domain.get_name()  # refused after close, like every call

    run(main)


def test_run_sync_runs_a_batch_in_one_trip(test_uri: str) -> None:
    def names(conn: virt.Connection, suffix: str) -> list[str]:
        assert threading.current_thread() is not threading.main_thread()
        return [domain.get_name() + suffix for domain in conn.list_all_domains()]

    async def main() -> None:
        async with virt.aio.connect(test_uri) as conn:
            assert await conn.run_sync(names, "!") == ["test!"]
            with pytest.raises(virt.NoDomainError):
                await conn.run_sync(virt.Connection.domain_lookup_by_name, "nope")

    run(main)


@pytest.mark.min_libvirt(9, 0)  # the test driver's statistics
def test_statistics_records_hold_async_domains(node_uri: str) -> None:
    async def main() -> None:
        async with virt.aio.connect(node_uri) as conn:
            domains = await conn.list_all_domains()
            records = await conn.get_all_domain_stats()
            assert all(isinstance(r.domain, virt.aio.AsyncDomain) for r in records)
            assert {await r.domain.get_name() for r in records} == \
                {await d.get_name() for d in domains}
            assert all(isinstance(r.stats, virt.DomainStats) for r in records)

    run(main)


def test_calls_run_off_the_loop_in_a_bounded_pool(test_uri: str) -> None:
    pool = virt.aio.WorkerPool(3, name="bounded")
    seen: set[str] = set()
    running = [0, 0]  # now, most at once
    lock = threading.Lock()

    def watched(domain: virt.Domain) -> str:
        with lock:
            running[0] += 1
            running[1] = max(running)
        seen.add(threading.current_thread().name)
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return domain.get_name()

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as conn:
            domain = (await conn.list_all_domains())[0]
            names = await asyncio.gather(*(domain._call(watched, domain.sync)
                                           for _ in range(12)))
            assert names == ["test"] * 12

    run(main)
    assert running[1] == 3 and len(pool._threads) == 3
    assert all(name.startswith("bounded-") for name in seen)
    with pytest.raises(ValueError):
        virt.aio.WorkerPool(0)


def test_a_burst_on_one_connection_runs_in_order_one_at_a_time(
        test_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The calls gathered on one connection queue on its lane: they run one at
    a time, in the order they were made, and the loop is woken a few times for
    the whole burst, not once per call (no helper joins: no call blocks, and
    the helper delay is made long so that a descheduled worker cannot look
    blocked)."""
    monkeypatch.setattr(_runtime, "HELPER_AFTER", 30.0)
    pool = virt.aio.WorkerPool(4)
    order: list[int] = []
    running = [0, 0]  # now, most at once

    def record(i: int) -> int:
        running[0] += 1
        running[1] = max(running)
        order.append(i)
        time.sleep(0)  # let another thread run here if one could
        running[0] -= 1
        return i

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as conn:
            await conn._call(len, "warm")  # the worker thread exists before the burst
            wakes = [0]
            wake = _runtime._Inbox.wake

            def counted(inbox: Any) -> None:
                wakes[0] += 1
                wake(inbox)

            monkeypatch.setattr(_runtime._Inbox, "wake", counted)
            results = await asyncio.gather(*(conn._call(record, i) for i in range(300)))
            assert results == list(range(300))
            assert wakes[0] <= 10  # per burst, not per call (300)

    run(main)
    assert order == list(range(300)) and running[1] == 1


def test_a_blocking_call_does_not_hold_up_the_calls_behind_it(test_uri: str) -> None:
    """A call still running after `HELPER_AFTER` (a migration, a console read)
    lets another worker take the connection's queued calls."""
    pool = virt.aio.WorkerPool(4)

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as conn:
            began = time.monotonic()
            blocking = asyncio.ensure_future(conn._call(time.sleep, 1.5))
            hostname = await conn.get_hostname()
            assert hostname and time.monotonic() - began < 0.75
            assert not blocking.done()
            await blocking

    run(main)


def test_an_outcome_is_not_held_back_by_a_long_call_after_it(test_uri: str) -> None:
    """With one worker, a quick call's result reaches its await while the call
    queued after it still runs: the loop collects a busy lane's outcomes."""
    pool = virt.aio.WorkerPool(1)

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as conn:
            began = time.monotonic()
            quick = asyncio.ensure_future(conn._call(len, "quick"))
            slow = asyncio.ensure_future(conn._call(time.sleep, 1.5))
            assert await quick == 5
            assert time.monotonic() - began < 0.75 and not slow.done()
            await slow

    run(main)


def test_connections_take_turns_on_a_full_pool(test_uri: str) -> None:
    """A connection with a long queue lets a waiting connection's call go after
    at most `QUANTUM` of its own."""
    pool = virt.aio.WorkerPool(1)
    order: list[str] = []
    gate = threading.Event()  # holds the worker until every call is queued

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as busy, \
                virt.aio.connect(test_uri, pool=pool) as other:
            many: list[asyncio.Future[Any]] = [busy._call(gate.wait, 30)]
            many += [busy._call(order.append, "busy") for _ in range(500)]
            one = other._call(order.append, "other")
            gate.set()
            await asyncio.gather(*many, one)

    run(main)
    assert len(order) == 501 and order.index("other") <= _runtime.QUANTUM


async def until(event: threading.Event) -> None:
    """Let the loop turn until a worker has set *event* (a call has begun)."""
    while not event.is_set():
        await asyncio.sleep(0.001)


def test_cancelled_call_that_completes_is_released(test_uri: str) -> None:
    made: list[virt.Domain] = []
    began = threading.Event()

    def slow_lookup(conn: virt.Connection) -> virt.Domain:
        began.set()
        time.sleep(0.2)
        domain = conn.domain_lookup_by_name("test")
        made.append(domain)
        return domain

    async def main() -> None:
        async with virt.aio.connect(test_uri) as conn:
            task = asyncio.ensure_future(conn._call(slow_lookup, conn.sync))
            await until(began)  # running in a worker now
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert conn.pending >= 1
            await conn._runner.wait_idle()
            assert made and made[0].closed  # the result nobody saw was freed
            assert await conn.get_hostname()  # the connection is fine

    run(main)


def test_cancelled_call_not_yet_started_never_runs(test_uri: str) -> None:
    pool = virt.aio.WorkerPool(1)
    ran: list[int] = []

    async def main() -> None:
        async with virt.aio.connect(test_uri, pool=pool) as conn:
            blocker = conn._call(time.sleep, 0.2)
            queued = asyncio.ensure_future(conn._call(ran.append, 1))
            await asyncio.sleep(0.05)
            queued.cancel()
            await blocker
            await conn._runner.wait_idle()
            assert ran == [] and queued.cancelled()

    run(main)


def test_a_cancelled_keeping_call_hands_its_result_over(test_uri: str) -> None:
    """What `AsyncStream.read` relies on: the result of a call cancelled while it
    ran goes to its keeper (the read's push-back buffer), not to release."""
    kept: list[bytes] = []
    began = threading.Event()

    def slow_read() -> bytes:
        began.set()
        time.sleep(0.1)
        return b"data"

    async def main() -> None:
        async with virt.aio.connect(test_uri) as conn:
            read = asyncio.ensure_future(conn._runner.call_keeping(None, kept.append,
                                                                   slow_read))
            await until(began)
            read.cancel()
            await conn._runner.wait_idle()
            assert read.cancelled() and kept == [b"data"]

    run(main)


def test_close_waits_for_calls_and_then_refuses_them(test_uri: str) -> None:
    async def main() -> None:
        conn = await virt.aio.connect(test_uri)
        domain = (await conn.list_all_domains())[0]
        slow = asyncio.ensure_future(domain._call(time.sleep, 0.3))
        await asyncio.sleep(0.01)
        began = time.monotonic()
        await conn.close()
        assert time.monotonic() - began >= 0.25 and slow.done()
        assert conn.closed and conn.pending == 0
        with pytest.raises(virt.ClosedError):
            await domain.get_name()
        with pytest.raises(virt.ClosedError):
            await conn.get_hostname()
        await conn.close()  # again: nothing
        await domain.close()
        assert domain.closed

    run(main)


def test_object_close_waits_for_its_own_calls(test_uri: str) -> None:
    async def main() -> None:
        async with virt.aio.connect(test_uri) as conn:
            domain = (await conn.list_all_domains())[0]
            slow = asyncio.ensure_future(domain._call(time.sleep, 0.2))
            await asyncio.sleep(0.01)
            await domain.close()
            assert slow.done() and domain.closed
            with pytest.raises(virt.ClosedError):
                await domain.get_name()

    run(main)


def test_a_connection_belongs_to_its_loop(test_uri: str) -> None:
    holder: list[virt.aio.AsyncConnection] = []

    async def first() -> None:
        holder.append(await virt.aio.connect(test_uri))

    async def second() -> None:
        with pytest.raises(RuntimeError, match="another event loop"):
            await holder[0].get_hostname()

    run(first)
    run(second)
    holder[0].sync.close()


def test_several_connections_in_parallel(node_uri: str, test_uri: str) -> None:
    async def poll(uri: str) -> list[str]:
        async with virt.aio.connect(uri) as conn:
            return sorted([await d.get_name() for d in await conn.list_all_domains()])

    async def main() -> list[list[str]]:
        return list(await asyncio.gather(*(poll(u) for u in [node_uri, test_uri] * 4)))

    results = run(main)
    assert results[1] == ["test"] and results[0] == results[2] and len(results[0]) > 1


def test_stream_file_and_volume_transfer(test_uri: str, tmp_path: Any) -> None:
    """The test driver has no volume streams; a missing feature raises the core's error."""
    async def main() -> None:
        async with virt.aio.connect(test_uri) as conn:
            pool = await conn.storage_pool_lookup_by_name("default-pool")
            assert isinstance(pool, virt.aio.AsyncStoragePool)
            stream = await conn.new_stream()
            assert isinstance(stream, virt.aio.AsyncStream)
            await stream.close()
            assert stream.closed

    run(main)




XML = ("<domain type='test'><name>aio-events-{i}</name><memory>65536</memory>"
       "<os><type>hvm</type></os></domain>")


def test_events_and_subscriptions_with_calls(test_uri: str, default_loop: None) -> None:
    """Events from libvirt's loop thread reach the async iterator while calls run;
    subscribing and unsubscribing are awaited."""
    async def main() -> None:
        async with virt.aio.connect(test_uri) as conn:
            seen: list[virt.DomainLifecycle] = []
            subscription = await conn.subscribe(virt.DomainLifecycle, seen.append)
            assert isinstance(subscription, virt.aio.AsyncSubscription) and subscription.active
            async with conn.events(virt.DomainLifecycle, maxsize=10) as events:
                domain = await conn.domain_define_xml(XML.format(i=1))
                first = await asyncio.wait_for(events.__anext__(), 10)
                assert first.event is virt.DomainEventType.DEFINED
                assert await conn.wrap(first.domain).get_name() == "aio-events-1"
                await domain.undefine()
                second = await asyncio.wait_for(events.__anext__(), 10)
                assert second.event is virt.DomainEventType.UNDEFINED
            assert not events._subscription or not events._subscription.active
            await subscription.close()
            assert not subscription.active
            assert [e.event for e in seen][:2] == [virt.DomainEventType.DEFINED,
                                                   virt.DomainEventType.UNDEFINED]

    run(main)


GOOD = """
from __future__ import annotations

import virt
import virt.aio


async def poll(uri: str) -> list[tuple[str, virt.DomainState]]:
    async with virt.aio.connect(uri) as conn:
        result = []
        for domain in await conn.list_all_domains():
            info: virt.DomainInfo = await domain.get_info()
            result.append((await domain.get_name(), info.state))
        records: list[virt.aio.AsyncDomainStatsRecord] = await conn.get_all_domain_stats()
        count: int = await conn.run_sync(lambda sync: len(sync.list_all_domains()))
        assert count >= 0
        assert all(isinstance(r.domain, virt.aio.AsyncDomain) for r in records)
        return result
"""

BAD = GOOD + """

async def mistakes(conn: virt.aio.AsyncConnection, sync: virt.Connection) -> None:
    name: str = conn.get_hostname()
    domain = await conn.domain_lookup_by_name("x")
    await domain.migrate(sync, 0)
    await domain.get_xml_desc(flags="secure")
    await conn.run_sync(virt.Domain.get_name)
"""


def test_mypy_checks_async_code_as_strictly(tmp_path: Any) -> None:
    """A forgotten await, a core object where an async one belongs, a wrong
    argument type: mypy --strict rejects each; correct async code passes."""
    import importlib.util
    import os
    import subprocess
    import sys
    from pathlib import Path

    from rig import require

    require(importlib.util.find_spec("mypy") is not None, "mypy is missing: pip install mypy")
    root = Path(__file__).resolve().parent.parent
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    env = {**os.environ, "MYPYPATH": str(root)}
    outcomes = {}
    for name, text in (("good", GOOD), ("bad", BAD)):
        path = tmp_path / f"{name}.py"
        path.write_text(text)
        outcomes[name] = subprocess.run([*mypy, str(path)], capture_output=True, text=True,
                                        env=env, timeout=300, cwd=root)
    assert outcomes["good"].returncode == 0, outcomes["good"].stdout
    bad = outcomes["bad"].stdout
    assert outcomes["bad"].returncode == 1, bad
    assert 'expression has type "Coroutine[Any, Any, str]", variable has type "str"' in bad
    assert 'has incompatible type "Connection"; expected "AsyncConnection"' in bad
    assert 'Argument "flags" to "get_xml_desc"' in bad
    assert 'Argument 1 to "run_sync" of "AsyncConnection" has incompatible type' in bad


def test_import_virt_does_not_import_asyncio() -> None:
    """asyncio is paid for by programs that use it (``import virt.aio``)."""
    import subprocess
    import sys

    code = ("import sys, virt; assert 'asyncio' not in sys.modules, 'virt'; "
            "import virt.aio; assert 'asyncio' in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


# Forking a threaded process is the point (Python 3.12+ warns of it).
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_gets_a_working_pool(test_uri: str) -> None:
    """The parent's worker threads do not exist in a child after fork(): the
    child's pools start their own."""
    import os

    async def names() -> list[str]:
        async with virt.aio.connect(test_uri) as conn:
            return [await d.get_name() for d in await conn.list_all_domains()]

    assert run(names) == ["test"]  # the default pool has threads now
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if the async API works here too
        try:
            code = 0 if asyncio.run(asyncio.wait_for(names(), 20)) == ["test"] else 1
        except BaseException:
            code = 2
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


def test_event_loops_are_not_kept_alive(test_uri: str) -> None:
    import gc
    import weakref

    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def main() -> None:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        async with virt.aio.connect(test_uri) as conn:
            await conn.get_hostname()

    for _ in range(3):
        run(main)
    for _ in range(3):  # PyPy's collector may need more than one pass
        gc.collect()
    assert all(loop() is None for loop in loops)
