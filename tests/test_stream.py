"""Streams in process, on the test driver: its screenshot is the one stream it
offers (a local file stream: libvirt's ``test-screenshot.png``).

Non-blocking streams run under libvirt's default loop here; the asyncio loop
cannot share a process with it (libvirt takes one implementation per
process), so `test_nonblocking_stream_under_asyncio` runs in a fresh
interpreter.  Volume transfers, consoles, the QEMU guest and a dying daemon
are in test_stream_daemon.py.
"""

from __future__ import annotations

import array
import ctypes
import gc
import io
import mmap
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import virt
import virt.events
from rig import require
from virt import stream as streams
from virt.stream import AT_HOLE, Stream, StreamFile

ROOT = Path(__file__).resolve().parent.parent
PICTURE = Path("/usr/share/libvirt/test-screenshot.png")  # what the test driver sends

pytestmark = pytest.mark.usefixtures("default_loop")


def wait_for(predicate: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("timed out")


@pytest.fixture(scope="module")
def picture() -> bytes:
    require(PICTURE.exists(), f"{PICTURE} is missing: the test driver's screenshot "
                              f"comes with libvirt0 on Debian")
    return PICTURE.read_bytes()


@pytest.fixture
def domain(conn: virt.Connection) -> virt.Domain:
    return conn.domain_lookup_by_name("test")


def screenshot_stream(conn: virt.Connection, domain: virt.Domain, flags: int = 0) -> Stream:
    """A stream with the test driver's screenshot in it."""
    stream = conn.new_stream(flags=flags)
    assert domain.screenshot_stream(stream) == "image/png"
    return stream


# -- the whole job ----------------------------------------------------------------------


def test_screenshot_of_the_test_driver(domain: virt.Domain, picture: bytes) -> None:
    mime_type, data = domain.screenshot()
    assert mime_type == "image/png"
    assert data == picture and data.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(OverflowError):
        domain.screenshot(-1)
    with pytest.raises(OverflowError):
        domain.screenshot(flags=2**32)


# -- receiving ----------------------------------------------------------------------------


def test_recv_reads_to_the_end(conn: virt.Connection, domain: virt.Domain,
                               picture: bytes) -> None:
    with screenshot_stream(conn, domain) as stream:
        pieces = []
        while True:
            data = stream.recv(1000)
            assert data is not None and len(data) <= 1000
            if not data:
                break
            pieces.append(data)
        assert stream.recv(0) == b""
    assert b"".join(pieces) == picture
    assert stream.closed


def receive_into(stream: Stream, buffer: Any, size: int) -> bytes:
    """Everything in *stream*, read through *buffer* (of *size* bytes)."""
    data = bytearray()
    while True:
        got = stream.recv_into(buffer)
        assert got is not None and 0 <= got <= size
        if got == 0:
            return bytes(data)
        data += memoryview(buffer).cast("B")[:got]


def test_recv_into_writes_into_any_writable_buffer(conn: virt.Connection, domain: virt.Domain,
                                                   picture: bytes) -> None:
    anonymous = mmap.mmap(-1, 4096)
    buffers: list[tuple[Any, int]] = [
        (bytearray(4096), 4096),
        (memoryview(bytearray(5000))[100:4196], 4096),
        (anonymous, 4096),
        (array.array("B", bytes(3000)), 3000),
        (array.array("i", bytes(4096)), 4096),  # any format: bytes are bytes
        ((ctypes.c_char * 2048)(), 2048),
    ]
    for buffer, size in buffers:
        with screenshot_stream(conn, domain) as stream:
            assert receive_into(stream, buffer, size) == picture, type(buffer)
    anonymous.close()


def test_recv_into_writes_in_place(conn: virt.Connection, domain: virt.Domain,
                                   picture: bytes) -> None:
    """No copy: the bytes land in the caller's memory, where the view points."""
    backing = bytearray(b"\xee" * 300)
    with screenshot_stream(conn, domain) as stream:
        assert stream.recv_into(memoryview(backing)[100:200]) == 100
        assert stream.recv_into(backing, 10) == 10  # at most nbytes
        stream.abort()
    assert backing[:10] == picture[100:110]
    assert backing[10:100] == b"\xee" * 90
    assert backing[100:200] == picture[:100]
    assert backing[200:] == b"\xee" * 100


def test_recv_into_refuses_read_only_and_bad_buffers(conn: virt.Connection,
                                                     domain: virt.Domain,
                                                     picture: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ro"
    path.write_bytes(bytes(4096))
    with open(path, "rb") as file:
        read_only_map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    with screenshot_stream(conn, domain) as stream:
        for read_only in (b"x" * 100, memoryview(bytearray(100)).toreadonly(), read_only_map):
            with pytest.raises(TypeError, match="writable"):
                stream.recv_into(read_only)
        with pytest.raises(TypeError):
            stream.recv_into("text")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="contiguous"):
            stream.recv_into(memoryview(bytearray(100))[::2])
        with pytest.raises(ValueError, match="larger than the buffer"):
            stream.recv_into(bytearray(10), 11)
        with pytest.raises(OverflowError):
            stream.recv_into(bytearray(10), -1)
        assert stream.recv_into(bytearray(0)) == 0  # an empty buffer reads nothing
        # None of that reached C: the stream still has every byte.
        assert stream.read_all() == picture
    read_only_map.close()


def test_a_buffer_in_use_cannot_be_resized(conn: virt.Connection, domain: virt.Domain,
                                           picture: bytes) -> None:
    """While libvirt writes into a bytearray, the bytearray is exported: a
    resize fails instead of moving the memory away under libvirt.  Where
    exporting does not pin memory (PyPy), libvirt writes into a private array
    copied to the bytearray afterwards, so a resize cannot pull memory away."""
    buffer = bytearray(100)
    array, size, target = streams._writable(buffer, 0)  # what recv_into hands libvirt
    assert size == 100
    if streams._IN_PLACE:
        assert target is None
        with pytest.raises(BufferError):
            buffer.append(0)
        del array
        buffer.append(0)  # released after the call
    else:
        buffer.append(0)
        ctypes.memmove(array, b"data", 4)
        streams._copy_back(array, target, 4)
        assert buffer[:4] == b"data"

    # The same under fire: another thread resizing all along.
    buffer = bytearray(1 << 16)
    stop = threading.Event()
    refused = [0]

    def resizer() -> None:
        while not stop.is_set():
            for change in (lambda: buffer.append(0), buffer.pop):
                while True:
                    try:
                        change()
                        break
                    except BufferError:
                        refused[0] += 1

    thread = threading.Thread(target=resizer)
    thread.start()
    try:
        for _ in range(30):
            with screenshot_stream(conn, domain) as stream:
                received = bytearray()
                while True:
                    got = stream.recv_into(buffer, 1 << 16)
                    if not got:
                        break
                    received += buffer[:got]
                assert received == picture
    finally:
        stop.set()
        thread.join()
    assert len(buffer) == 1 << 16


def test_sizes_and_flags_are_range_checked(conn: virt.Connection, domain: virt.Domain) -> None:
    with screenshot_stream(conn, domain) as stream:
        for bad in (-1, 2**64):
            with pytest.raises(OverflowError):
                stream.recv(bad)
        with pytest.raises(TypeError):
            stream.recv("10")  # type: ignore[arg-type]
        with pytest.raises(OverflowError):
            stream.recv_flags(10, flags=-1)
        with pytest.raises(OverflowError):
            stream.recv_flags(10, flags=2**32)
        with pytest.raises(OverflowError):
            stream.send_hole(2**63)
        with pytest.raises(OverflowError):
            stream.recv_hole(flags=-1)
        with pytest.raises(OverflowError):
            stream.event_add_callback(2**31, lambda s, e: None)
        stream.abort()
    with pytest.raises(OverflowError):
        conn.new_stream(flags=-1)


def test_sparse_calls_on_a_local_stream_fail_cleanly(conn: virt.Connection,
                                                     domain: virt.Domain,
                                                     picture: bytes) -> None:
    """A local file stream (the test driver's) knows no holes: the sparse calls
    raise libvirt's error.  They are exercised on the daemon
    (test_stream_daemon.py), whose remote streams implement them."""
    with screenshot_stream(conn, domain) as stream:
        with pytest.raises(virt.NoSupportError):
            stream.recv_flags(16, flags=virt.StreamRecvFlags.HOLE)
        with pytest.raises(virt.NoSupportError):
            stream.recv_flags(bytearray(16))
    with screenshot_stream(conn, domain) as stream:
        with pytest.raises(virt.NoSupportError):
            stream.sparse_recv_all(lambda s, data: None, lambda s, length: None)
    assert repr(AT_HOLE) == "virt.stream.AT_HOLE" and Stream.AT_HOLE is AT_HOLE


# -- the all-in-one helpers ------------------------------------------------------------


def test_recv_all(conn: virt.Connection, domain: virt.Domain, picture: bytes) -> None:
    pieces: list[bytes] = []
    with screenshot_stream(conn, domain) as stream:
        stream.recv_all(lambda s, data: pieces.append(data))
        assert all(isinstance(piece, bytes) for piece in pieces)
    assert b"".join(pieces) == picture


class Boom(Exception):
    pass


def test_an_exception_in_a_handler_aborts_and_is_raised(conn: virt.Connection,
                                                       domain: virt.Domain) -> None:
    calls = []

    def sink(stream: Stream, data: bytes) -> None:
        calls.append(len(data))
        raise Boom("stop here")

    stream = screenshot_stream(conn, domain)
    with pytest.raises(Boom, match="stop here"):
        stream.recv_all(sink)
    assert len(calls) == 1  # libvirt stopped at the first failure
    assert not stream._transfer_open  # libvirt aborted it
    with pytest.raises(virt.Error):
        stream.recv(10)  # an aborted stream
    stream.close()

    # Through a ``with`` block, which must not hide the handler's exception
    # behind a failing abort.
    with pytest.raises(Boom), screenshot_stream(conn, domain) as other:
        other.recv_all(sink)
    assert other.closed

    # Exceptions that are not Exceptions are not swallowed either.
    def interrupt(stream: Stream, data: bytes) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), screenshot_stream(conn, domain) as third:
        third.recv_all(interrupt)


def test_handlers_must_be_callable(conn: virt.Connection) -> None:
    with conn.new_stream() as stream:
        with pytest.raises(TypeError):
            stream.recv_all(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            stream.sparse_send_all(lambda s, n: b"", None,  # type: ignore[arg-type]
                                   lambda s, n: None)
        with pytest.raises(TypeError):
            stream.event_add_callback(virt.StreamEventType.READABLE, 42)  # type: ignore[arg-type]
        stream.abort()


# -- sending: the buffers, without a copy ------------------------------------------------


def address_of(data: bytes) -> int:
    return ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0


def test_send_takes_the_memory_of_any_bytes_like_object(tmp_path: Path) -> None:
    """What `Stream.send` hands libvirt: the object's own memory, no copy."""
    data = bytes(range(256)) * 40
    writable = bytearray(data)
    path = tmp_path / "map"
    path.write_bytes(data)
    with open(path, "rb") as file:
        read_only_map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    cases: list[tuple[Any, int | None]] = [
        (data, address_of(data)),
        (writable, ctypes.addressof((ctypes.c_char * len(writable)).from_buffer(writable))),
        (memoryview(writable)[10:], None),
        (memoryview(data)[10:], address_of(data) + 10),  # read-only: still no copy
        (read_only_map, None),
        (array.array("B", data), None),
    ]
    for obj, address in cases:
        expected = bytes(memoryview(obj).cast("B"))
        source = streams._Readable(obj)
        try:
            assert source.length == len(expected)
            assert ctypes.string_at(source.address, source.length) == expected
            assert ctypes.string_at(source.at(7), 5) == expected[7:12]
            if address is not None and streams._IN_PLACE:
                assert source.address == address, type(obj)
        finally:
            source.release()
    if sys.implementation.name == "cpython":
        # the read-only map is exported while sent from: it cannot close meanwhile
        source = streams._Readable(read_only_map)
        with pytest.raises(BufferError):
            read_only_map.close()
        source.release()
    read_only_map.close()
    with pytest.raises(TypeError, match="bytes-like"):
        streams._Readable("text")
    with pytest.raises(ValueError, match="contiguous"):
        streams._Readable(memoryview(data)[::2])


def test_send_on_a_stream_without_transfer_fails_cleanly(conn: virt.Connection) -> None:
    with conn.new_stream() as stream:
        with pytest.raises(virt.Error):
            stream.send(b"nobody listens")
        with pytest.raises(TypeError):
            stream.send("text")  # type: ignore[arg-type]
        assert stream.send(b"") == 0  # nothing to send reaches nothing


# -- life cycle -------------------------------------------------------------------------


def test_context_manager_finishes_or_aborts(conn: virt.Connection, domain: virt.Domain,
                                            picture: bytes) -> None:
    with screenshot_stream(conn, domain) as stream:
        assert stream.read_all() == picture
        assert stream._transfer_open
    assert stream.closed and not stream._transfer_open

    with pytest.raises(Boom), screenshot_stream(conn, domain) as stream:
        stream.recv(10)
        raise Boom
    assert stream.closed

    # finish() inside the block: nothing left to do at its end
    with screenshot_stream(conn, domain) as stream:
        stream.read_all()
        stream.finish()
    assert stream.closed


def test_a_closed_stream_refuses_everything(conn: virt.Connection, domain: virt.Domain) -> None:
    stream = screenshot_stream(conn, domain)
    stream.close()
    stream.close()  # idempotent
    assert stream.closed
    for use in (lambda: stream.recv(1), lambda: stream.recv_into(bytearray(1)),
                lambda: stream.send(b"x"), lambda: stream.finish(), lambda: stream.abort(),
                lambda: stream.event_add_callback(1, lambda s, e: None)):
        with pytest.raises(virt.ClosedError):
            use()
    with pytest.raises(virt.ClosedError):
        domain.screenshot_stream(stream)


def test_collected_streams_are_freed(conn: virt.Connection, domain: virt.Domain) -> None:
    """Dropping streams mid-transfer aborts and frees them (no exception, no leak)."""
    for _ in range(200):
        stream = screenshot_stream(conn, domain)
        stream.recv(10)
        del stream
    gc.collect()
    for _ in range(200):
        stream = conn.new_stream()
        del stream


def test_streams_come_from_connections() -> None:
    with pytest.raises(TypeError):
        Stream()
    with pytest.raises(ValueError):
        virt.raw.adopt(Stream, 0)


# -- non-blocking streams ------------------------------------------------------------------


def read_nonblocking(stream: Stream, timeout: float = 20) -> tuple[bytes, list[Any], int]:
    """Read *stream* to its end from its event callback (in the loop thread)."""
    data = bytearray()
    seen: list[Any] = []
    would_block = [0]
    done = threading.Event()
    buffer = bytearray(1024)

    def on_event(ready: Stream, events: virt.StreamEventType) -> None:
        assert ready is stream
        seen.append(events)
        while True:
            got = ready.recv_into(buffer)
            if got is None:  # would block: wait for the next event
                would_block[0] += 1
                return
            if got == 0:
                ready.event_remove_callback()
                ready.finish()
                done.set()
                return
            data.extend(buffer[:got])

    stream.event_add_callback(virt.StreamEventType.READABLE, on_event)
    assert done.wait(timeout), "the stream did not reach its end"
    return bytes(data), seen, would_block[0]


def test_nonblocking_stream_with_an_event_callback(conn: virt.Connection, domain: virt.Domain,
                                                   picture: bytes) -> None:
    baseline = len(streams._handlers)
    stream = screenshot_stream(conn, domain, virt.StreamFlags.NONBLOCK)
    data, seen, _ = read_nonblocking(stream)
    assert data == picture
    assert seen and all(virt.StreamEventType.READABLE in events for events in seen)
    assert len(streams._handlers) == baseline  # removed, not kept
    stream.close()


def test_update_and_remove_the_event_callback(conn: virt.Connection,
                                              domain: virt.Domain) -> None:
    fired = threading.Event()
    with screenshot_stream(conn, domain, virt.StreamFlags.NONBLOCK) as stream:
        stream.event_add_callback(0, lambda s, e: fired.set())  # waits for nothing yet
        with pytest.raises(ValueError, match="already"):
            stream.event_add_callback(1, lambda s, e: None)
        time.sleep(0.2)
        assert not fired.is_set()
        stream.event_update_callback(virt.StreamEventType.READABLE)
        assert fired.wait(10)
        stream.event_remove_callback()
        with pytest.raises(virt.Error):  # none left to remove
            stream.event_remove_callback()
        stream.abort()


def test_registrations_do_not_leak(conn: virt.Connection, domain: virt.Domain) -> None:
    baseline = len(streams._handlers)
    for i in range(300):
        stream = screenshot_stream(conn, domain, virt.StreamFlags.NONBLOCK)
        stream.event_add_callback(virt.StreamEventType.READABLE, lambda s, e: None)
        if i % 3 == 0:
            stream.event_remove_callback()
            stream.abort()
        elif i % 3 == 1:
            stream.close()  # removes the callback, aborts, frees
        else:
            del stream  # the same, from the finalizer
    gc.collect()
    wait_for(lambda: len(streams._handlers) <= baseline)


def test_an_exception_in_an_event_callback_is_reported(
        conn: virt.Connection, domain: virt.Domain, monkeypatch: pytest.MonkeyPatch,
        picture: bytes) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda args: reported.append(args.exc_value))

    def broken(stream: Stream, events: virt.StreamEventType) -> None:
        stream.event_remove_callback()
        raise Boom("in the loop")

    with screenshot_stream(conn, domain, virt.StreamFlags.NONBLOCK) as stream:
        stream.event_add_callback(virt.StreamEventType.READABLE, broken)
        wait_for(lambda: bool(reported))
        assert isinstance(reported[0], Boom)
        # the loop goes on: the stream can still be read to its end
        data, _, _ = read_nonblocking(stream)
        assert data == picture


def test_a_callback_does_not_keep_its_stream_alive(conn: virt.Connection,
                                                   domain: virt.Domain) -> None:
    stream = screenshot_stream(conn, domain, virt.StreamFlags.NONBLOCK)
    stream.event_add_callback(0, lambda s, e: None)
    reference = __import__("weakref").ref(stream)
    del stream
    gc.collect()
    assert reference() is None


ASYNCIO_CASE = """
import asyncio, gc, hashlib, sys, virt, virt.aio
from virt import stream as streams

PICTURE = open("/usr/share/libvirt/test-screenshot.png", "rb").read()

async def read_screenshot(conn, domain):
    stream = conn.new_stream(flags=virt.StreamFlags.NONBLOCK)
    assert domain.screenshot_stream(stream) == "image/png"
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    data = bytearray()
    seen = []

    def on_event(ready, events):
        seen.append(events)
        assert asyncio.get_running_loop() is loop  # called in the asyncio loop's thread
        while True:
            chunk = ready.recv(700)
            if chunk is None:
                return
            if not chunk:
                ready.event_remove_callback()
                ready.finish()
                done.set_result(bytes(data))
                return
            data.extend(chunk)

    stream.event_add_callback(virt.StreamEventType.READABLE, on_event)
    result = await asyncio.wait_for(done, 20)
    stream.close()
    return result, seen

async def main():
    virt.aio.register()
    conn = virt.connect("test:///default")
    domain = conn.domain_lookup_by_name("test")
    base = len(streams._handlers)
    for _ in range(3):
        data, seen = await read_screenshot(conn, domain)
        assert data == PICTURE, len(data)
        assert seen and all(virt.StreamEventType.READABLE in e for e in seen)
    # update, then remove without reading: nothing is kept
    stream = conn.new_stream(flags=virt.StreamFlags.NONBLOCK)
    domain.screenshot_stream(stream)
    fired = asyncio.Event()
    stream.event_add_callback(0, lambda s, e: fired.set())
    await asyncio.sleep(0.1)
    assert not fired.is_set()
    stream.event_update_callback(virt.StreamEventType.READABLE)
    await asyncio.wait_for(fired.wait(), 10)
    stream.close()
    for _ in range(100):
        await asyncio.sleep(0.01)
        if len(streams._handlers) <= base:
            break
    assert len(streams._handlers) <= base, streams._handlers
    conn.close()

asyncio.run(main())
print("ok")
"""


def test_nonblocking_stream_under_asyncio(picture: bytes) -> None:
    """The same under virt.aio, in a process of its own (see the module docstring)."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(ASYNCIO_CASE)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok"


# -- the file adaptor -------------------------------------------------------------------


def test_copyfileobj_from_a_stream(conn: virt.Connection, domain: virt.Domain,
                                   picture: bytes) -> None:
    output = io.BytesIO()
    with screenshot_stream(conn, domain) as stream:
        with stream.as_file() as source:
            assert isinstance(source, io.RawIOBase) and source.readable()
            assert not source.writable() and not source.seekable()
            shutil.copyfileobj(source, output, 1000)
        assert not stream._transfer_open  # read to its end, then finished
    assert output.getvalue() == picture


def test_a_stream_file_reads_like_a_file(conn: virt.Connection, domain: virt.Domain,
                                         picture: bytes) -> None:
    with screenshot_stream(conn, domain) as stream:
        file = io.BufferedReader(StreamFile(stream))
        assert file.read(8) == picture[:8]
        assert file.readline()  # anything io offers on top of readinto
        rest = file.read()
        assert picture.endswith(rest) and len(rest) > 1000
        file.close()
    with screenshot_stream(conn, domain) as stream, StreamFile(stream, "r") as raw_file:
        assert raw_file.readall() == picture
        assert raw_file.read(10) == b""


def test_closing_a_stream_file_early_aborts(conn: virt.Connection, domain: virt.Domain) -> None:
    with screenshot_stream(conn, domain) as stream:
        file = stream.as_file()
        assert file.read(10)
        file.close()  # before the end: aborted, not finished
        assert not stream._transfer_open
        with pytest.raises(ValueError, match="closed file"):
            file.read(10)
        with pytest.raises(virt.Error):
            stream.recv(10)

    with screenshot_stream(conn, domain) as stream:
        with pytest.raises(Boom), stream.as_file() as file:
            raise Boom
        assert file.closed and not stream._transfer_open


def test_stream_file_modes(conn: virt.Connection) -> None:
    with conn.new_stream() as stream:
        with pytest.raises(ValueError):
            StreamFile(stream, "r+")
        with pytest.raises(TypeError):
            StreamFile("not a stream", "rb")  # type: ignore[arg-type]
        writer = stream.as_file("wb")
        assert writer.writable() and not writer.readable()
        with pytest.raises(io.UnsupportedOperation):
            writer.read(1)
        with pytest.raises(io.UnsupportedOperation):
            writer.fileno()
        writer.abort()
        assert writer.closed
        reader = stream.as_file("rb")
        with pytest.raises(io.UnsupportedOperation):
            reader.write(b"x")
        assert "StreamFile" in repr(reader)
        reader.close()


def test_errors_name_their_class() -> None:
    assert issubclass(streams.StreamConnectionLostError, ConnectionError)
    assert issubclass(streams.StreamConnectionLostError, virt.Error)


def test_a_stream_file_whose_init_failed_is_collected_quietly(tmp_path: Path) -> None:
    # io's finalizer closes even a file whose __init__ raised; Python 3.13 (and
    # any version in development mode) reports what close() raises then.
    script = tmp_path / "collect.py"
    script.write_text(textwrap.dedent("""
        import gc, virt
        from virt.stream import StreamFile
        conn = virt.connect("test:///default")
        stream = conn.new_stream()
        for mode, target in (("r+", stream), ("rb", "not a stream")):
            try:
                StreamFile(target, mode)
            except (ValueError, TypeError):
                pass
        gc.collect()
        stream.close()
        conn.close()
    """))
    result = subprocess.run([sys.executable, "-X", "dev", str(script)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert "Exception ignored" not in result.stderr, result.stderr
