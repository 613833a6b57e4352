"""The awaitable API against the session daemon: several connections at once,
calls interleaved with events, cancellation mid-call, the daemon killed under
pending calls, a console as an async reader/writer."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

import virt
import virt.aio
from rig import Guest, SessionDaemon

pytestmark = pytest.mark.daemon  # every test here needs a session daemon (some start their own)

T = TypeVar("T")
TESTS = Path(__file__).resolve().parent


def run(main: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(main, 120))


def test_several_connections_at_once(libvirtd: SessionDaemon) -> None:
    """Eight connections to the daemon polled concurrently give what one sync
    connection sees, and the calls overlap (the loop is not blocked)."""
    sync = virt.connect(libvirtd.test_uri)
    expected = sorted(d.get_name() for d in sync.list_all_domains())
    sync.close()
    ticks = [0]

    async def ticker(stop: asyncio.Event) -> None:
        while not stop.is_set():
            ticks[0] += 1
            await asyncio.sleep(0.001)

    async def poll(uri: str) -> list[str]:
        async with virt.aio.connect(uri) as conn:
            names = []
            for _ in range(20):
                domains = await conn.list_all_domains()
                names = sorted([await d.get_name() for d in domains])
                await asyncio.gather(*(d.get_xml_desc() for d in domains))
            return names

    async def main() -> list[list[str]]:
        stop = asyncio.Event()
        tick = asyncio.ensure_future(ticker(stop))
        results = await asyncio.gather(*(poll(libvirtd.test_uri) for _ in range(8)))
        stop.set()
        await tick
        return list(results)

    assert run(main()) == [expected] * 8
    assert ticks[0] > 10  # the loop kept turning while the calls ran


def test_cancellation_mid_call_on_the_daemon(libvirtd: SessionDaemon) -> None:
    """Cancelling awaits that are in flight or queued leaves the connection usable,
    and every call is over by the time close() returns."""
    async def main() -> None:
        pool = virt.aio.WorkerPool(2)
        async with virt.aio.connect(libvirtd.test_uri, pool=pool) as conn:
            tasks = [asyncio.ensure_future(conn.list_all_domains()) for _ in range(50)]
            # One turn of the loop: every task has queued its call and the first
            # worker took one, but no outcome has reached a task yet (that takes a
            # turn more), so each cancel() below lands on a call in flight or queued.
            # (Waiting a fixed time instead let a fast machine finish all 50 first.)
            await asyncio.sleep(0)
            assert not any(task.done() for task in tasks)
            for task in tasks[::2]:
                task.cancel()
            done = await asyncio.gather(*tasks, return_exceptions=True)
            assert all(isinstance(r, asyncio.CancelledError) for r in done[::2])
            lists = [r for r in done[1::2] if isinstance(r, list)]
            assert len(lists) == 25 and all(len(r) == len(lists[0]) for r in lists)
            assert await conn.get_hostname()
        assert conn.pending == 0 and conn.closed

    run(main())


KILLED = """
import asyncio, json, sys, time, virt, virt.aio

async def main(uri):
    conn = await virt.aio.connect(uri)
    domains = await conn.list_all_domains()
    # Calls pending when the daemon dies: many, on a pool of 4.
    tasks = [asyncio.ensure_future(d.get_xml_desc()) for d in domains * 50]
    tasks += [asyncio.ensure_future(conn.get_all_domain_stats()) for _ in range(20)]
    print("ready", flush=True)
    sys.stdin.readline()  # the test kills the daemon now
    began = time.monotonic()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for _ in range(3):
        try:
            await conn.get_hostname()
        except Exception as error:
            results.append(error)
    errors = [r for r in results if isinstance(r, BaseException)]
    print(json.dumps({
        "total": len(results), "seconds": time.monotonic() - began,
        "errors": [[type(e).__name__, isinstance(e, virt.Error),
                    isinstance(e, ConnectionError), str(e)] for e in errors]}), flush=True)
    await conn.close()

virt.aio.set_default_pool(virt.aio.WorkerPool(4))
asyncio.run(main(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def killed_daemon_outcome() -> dict[str, Any]:
    """What the awaits pending on a daemon that is killed give (see KILLED)."""
    import json

    daemon = SessionDaemon()
    try:
        daemon.start()
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED, daemon.test_uri], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(TESTS.parent)})
        assert process.stdout is not None and process.stdin is not None
        assert process.stdout.readline().strip() == "ready"
        pid = daemon.pid
        assert pid is not None
        os.kill(pid, 9)
        process.stdin.write("\n")
        process.stdin.flush()
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        outcome: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return outcome
    finally:
        daemon.cleanup()


def test_the_daemon_killed_under_pending_calls(killed_daemon_outcome: dict[str, Any]) -> None:
    """Every await pending when the daemon dies, and every later one, raises a
    `virt.Error` promptly (no timeout is waited for)."""
    outcome = killed_daemon_outcome
    assert outcome["total"] == 73
    errors = outcome["errors"]
    assert len(errors) >= 3 and all(is_error for _, is_error, _, _ in errors), errors
    assert outcome["seconds"] < 5


def test_the_daemon_killed_gives_connection_errors(
        killed_daemon_outcome: dict[str, Any]) -> None:
    errors = killed_daemon_outcome["errors"]
    assert all(is_connection_error for _, _, is_connection_error, _ in errors), errors


EVENTS = """
import asyncio, sys, uuid, virt, virt.aio
sys.path.insert(0, {tests!r})
from rig import guest_xml

async def main(uri):
    virt.aio.register()
    async with virt.aio.connect(uri) as conn:
        domain = await conn.domain_define_xml(guest_xml("virt-aioapi-" + uuid.uuid4().hex[:6]))
        seen, infos = [], []
        try:
            async with conn.events(virt.DomainLifecycle, domain) as events:
                await domain.create()
                infos.append((await domain.get_info()).state.name)
                await domain.suspend()
                infos.append((await domain.get_info()).state.name)
                await domain.resume()
                await domain.destroy()
                async for event in events:
                    seen.append(event.event.name)
                    # calls interleaved with events, on the object the event names
                    infos.append(str(await conn.wrap(event.domain).is_active()))
                    if event.event is virt.DomainEventType.STOPPED:
                        break
        finally:
            if await domain.is_active():
                await domain.destroy()
            await domain.undefine()
    print(" ".join(seen))
    print(" ".join(infos))

asyncio.run(main(sys.argv[1]))
"""


def test_calls_interleaved_with_events(libvirtd: SessionDaemon, qemu_guest: Guest) -> None:
    """A QEMU guest driven with awaits while its lifecycle events arrive through
    virt.aio.register, in a fresh process (the event loop is per process)."""
    result = subprocess.run([sys.executable, "-c", EVENTS.format(tests=str(TESTS)),
                             libvirtd.qemu_uri], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(TESTS.parent)})
    assert result.returncode == 0, result.stderr
    lifecycle, infos = result.stdout.splitlines()[-2:]
    names = lifecycle.split()
    assert "STARTED" in names and "SUSPENDED" in names and names[-1] == "STOPPED"
    assert infos.split()[:2] == ["RUNNING", "PAUSED"]
    assert infos.split()[-1] == "False"  # after STOPPED the domain is inactive


CONSOLE = """
import asyncio, sys, virt, virt.aio

async def main(uri, name):
    async with virt.aio.connect(uri) as conn:
        domain = await conn.domain_lookup_by_name(name)
        console = await domain.open_console(flags=virt.DomainConsoleFlags.FORCE)
        await console.write(b"\\r\\n")
        reading = asyncio.ensure_future(console.read(64))
        await asyncio.sleep(0.2)
        reading.cancel()  # a cancelled read loses nothing
        try:
            await reading
            print("read-completed")
        except asyncio.CancelledError:
            print("read-cancelled")
        await console.close()  # does not wait for a pending read
        print("closed", console.closed)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_console_as_async_reader_and_writer(libvirtd: SessionDaemon, qemu_guest: Guest) -> None:
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-c", CONSOLE, libvirtd.qemu_uri, qemu_guest.name],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(TESTS.parent)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert lines[0] in ("read-cancelled", "read-completed") and lines[-1] == "True"
    assert time.monotonic() - began < 30


def test_volume_download_and_upload(libvirtd: SessionDaemon, tmp_path: Path) -> None:
    """``await vol.upload_from(path)`` / ``download_to(path)`` through the daemon."""
    data = os.urandom(3 << 20)
    source = tmp_path / "source.img"
    source.write_bytes(data)
    target = tmp_path / "target.img"

    async def main() -> None:
        async with virt.aio.connect(libvirtd.qemu_uri) as conn:
            pool = await conn.storage_pool_create_xml(
                f"<pool type='dir'><name>aioapi-{os.getpid()}</name>"
                f"<target><path>{libvirtd.images_dir}</path></target></pool>")
            try:
                vol = await pool.storage_vol_create_xml(
                    "<volume><name>aio.img</name><capacity>3145728</capacity>"
                    "<target><format type='raw'/></target></volume>")
                assert isinstance(vol, virt.aio.AsyncStorageVol)
                assert await vol.upload_from(source) == len(data)
                assert await vol.download_to(target) == len(data)
                assert await _read_with_cancellations(conn, vol) == data
                assert await _read_through_file(conn, vol) == data
                await vol.delete()
            finally:
                await pool.destroy()

    run(main())
    assert target.read_bytes() == data


async def _read_with_cancellations(conn: virt.aio.AsyncConnection,
                                   vol: virt.aio.AsyncStorageVol) -> bytes:
    """Download through an `AsyncStream`, cancelling every third read (queued, or
    under way): nothing is lost, what a cancelled read received comes next."""
    stream = await conn.new_stream()
    await vol.download(stream)
    received = bytearray()
    count = 0
    while True:
        count += 1
        read = asyncio.ensure_future(stream.read(65536))
        if count % 3 == 0:
            await asyncio.sleep(0.0005 * (count % 2))  # cancelled queued, or under way
            read.cancel()
            try:
                chunk = await read
            except asyncio.CancelledError:
                continue
        else:
            chunk = await read
        if not chunk:
            break
        received += chunk
    await stream.finish()
    await stream.close()
    return bytes(received)


async def _read_through_file(conn: virt.aio.AsyncConnection,
                             vol: virt.aio.AsyncStorageVol) -> bytes:
    stream = await conn.new_stream()
    await vol.download(stream)
    async with await stream.as_file() as file:
        assert isinstance(file, virt.aio.AsyncStreamFile)
        return await file.read()


@pytest.mark.parametrize("workers", [1, 4])
def test_pool_size_bounds_parallel_calls(libvirtd: SessionDaemon, workers: int) -> None:
    """Six connections with calls queued want six workers: the pool starts as
    many threads as its bound allows, no more, and every call completes."""
    pool = virt.aio.WorkerPool(workers)

    async def main() -> None:
        conns = [await virt.aio.connect(libvirtd.test_uri, pool=pool) for _ in range(6)]
        try:
            lists = await asyncio.gather(*(conn.list_all_domains()
                                           for conn in conns for _ in range(10)))
            assert len(lists) == 60 and all(isinstance(found, list) for found in lists)
        finally:
            for conn in conns:
                await conn.close()

    run(main())
    assert len(pool._threads) == workers


ADMIN = """
import asyncio, virt, virt.aio

async def main(uri):
    async with virt.aio.admin_connect(uri) as admin:
        servers = await admin.list_servers()
        assert all(isinstance(s, virt.aio.AsyncAdminServer) for s in servers)
        names = sorted([await s.get_name() for s in servers])
        limits = await servers[0].get_client_limits()
        clients = await servers[0].list_clients()
        print(" ".join(names), limits.nclients_max is not None,
              all(isinstance(c, virt.aio.AsyncAdminClient) for c in clients))

asyncio.run(main({uri!r}))
"""


def test_admin_connection(libvirtd: SessionDaemon) -> None:
    """The admin API (the daemon's own user only, hence run_python)."""
    result = libvirtd.run_python(ADMIN.format(uri=libvirtd.admin_uri))
    assert result.returncode == 0, result.stderr
    _, has_limit, typed = result.stdout.split()[-3:]
    assert "libvirtd" in result.stdout and has_limit == "True" and typed == "True"


# The serial echo guest of the stream tests: it sends back what it is sent, case flipped.
from test_stream_daemon import conn, echo_guest  # noqa: E402, F401, I001


async def _echo(uri: str, name: str, stream_flags: int) -> tuple[bytes, int]:
    async with virt.aio.connect(uri) as aconn:
        domain = await aconn.domain_lookup_by_name(name)
        console = await domain.open_console(flags=virt.DomainConsoleFlags.FORCE,
                                            stream_flags=stream_flags)
        most = [0]

        async def sample() -> None:  # the calls waiting in the pool while we read
            while True:
                most[0] = max(most[0], aconn.pending)
                await asyncio.sleep(0.001)

        async def ping() -> None:  # until the guest's echo loop runs (it may still boot)
            while True:
                await console.write(b"ping\x01")  # \x01 ^ 0x20 == "!"
                await asyncio.sleep(1)

        pinger = asyncio.ensure_future(ping())
        await asyncio.sleep(0)
        sampler = asyncio.ensure_future(sample())
        try:
            received = bytearray()
            async for chunk in console:  # a read and a write of one stream at once
                received += chunk
                if b"PING!" in received:
                    break
            return bytes(received), most[0]
        finally:
            pinger.cancel()
            sampler.cancel()
            await console.close()


@pytest.mark.parametrize("stream_flags", [0, virt.StreamFlags.NONBLOCK],
                         ids=["blocking", "nonblocking"])
def test_console_echo_as_async_reader_and_writer(libvirtd: SessionDaemon,
                                                 echo_guest: virt.Domain, default_loop: None,
                                                 stream_flags: int) -> None:
    """Write to the guest's serial console and read its echo with ``async for``;
    a non-blocking console is read in the loop's thread on libvirt's events, so
    no call waits in the pool meanwhile."""
    received, most_pending = run(asyncio.wait_for(
        _echo(libvirtd.qemu_uri, echo_guest.get_name(), stream_flags), 30))
    assert b"PING!" in received, received[-200:]
    assert (most_pending == 0) == bool(stream_flags), most_pending
