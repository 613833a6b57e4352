"""Streams against the session libvirtd: volume transfers (plain and sparse), the
QEMU guest's screenshot and serial console, aborts, non-blocking streams under
both event loops, and a daemon killed mid-transfer.

The volumes live in a ``dir`` pool under the daemon's images directory.  The
console tests boot a guest from a one-sector disk whose code echoes each byte
it receives on the serial port with its ASCII case flipped, so what comes back
proves it went through the guest.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mmap
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import virt
import virt.events
from rig import Guest, SessionDaemon
from virt.stream import AT_HOLE, Stream, StreamConnectionLostError

ROOT = Path(__file__).resolve().parent.parent
MiB = 1 << 20
VOLUME_SIZE = 256 * MiB
#: Where the test source file has data; the rest (start and end included) is holes.
DATA_REGIONS = ((4 * MiB, MiB), (100 * MiB + 12345, 3 * MiB), (250 * MiB, MiB // 2))

# A boot sector (16-bit real mode) that echoes COM1 with bit 5 flipped:
#   cli
#   start: mov dx,0x3fd / wait: in al,dx / test al,1 / jz wait     ; byte received?
#          mov dx,0x3f8 / in al,dx / xor al,0x20 / mov bl,al       ; read, flip case
#          mov dx,0x3fd / tx: in al,dx / test al,0x20 / jz tx      ; room to send?
#          mov al,bl / mov dx,0x3f8 / out dx,al / jmp start        ; send it back
ECHO_CODE = bytes.fromhex("FA BAFD03 EC A801 74FB BAF803 EC 3420 88C3"
                          "BAFD03 EC A820 74FB 88D8 BAF803 EE EBE0")
BOOT_SECTOR = ECHO_CODE + bytes(510 - len(ECHO_CODE)) + b"\x55\xaa"


def wait_for(predicate: Callable[[], bool], timeout: float = 10, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def digest(path: Path | str) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as file:
        while True:
            chunk = file.read(4 * MiB)
            if not chunk:
                return sha.hexdigest()
            sha.update(chunk)


def allocated(path: Path | str) -> int:
    """Bytes the file system allocated for *path*."""
    return os.stat(path).st_blocks * 512


def open_by(pid: int, path: Path | str) -> bool:
    """Whether process *pid* has *path* open (the daemon working on a volume)."""
    target = str(path)
    try:
        entries = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for entry in entries:
        try:
            if os.readlink(f"/proc/{pid}/fd/{entry}") == target:
                return True
        except OSError:
            continue
    return False


def make_sparse_source(path: Path) -> tuple[str, int]:
    """A 256 MiB file of random data in `DATA_REGIONS` and holes elsewhere; its
    checksum and how many bytes of data it has."""
    with open(path, "wb") as file:
        file.truncate(VOLUME_SIZE)
        for offset, length in DATA_REGIONS:
            file.seek(offset)
            file.write(os.urandom(length))
    return digest(path), sum(length for _, length in DATA_REGIONS)


@pytest.fixture(scope="module", autouse=True)
def loop() -> Iterator[None]:
    """libvirt's default loop, before any connection of this module is opened
    (a connection uses the loop registered when it opens)."""
    virt.events.start_default_loop()
    yield
    virt.events.stop_default_loop()


@pytest.fixture(scope="module")
def conn(libvirtd: SessionDaemon) -> Iterator[virt.Connection]:
    connection = virt.connect(libvirtd.qemu_uri)
    yield connection
    connection.close()


def make_pool(conn: virt.Connection, daemon: SessionDaemon) -> virt.StoragePool:
    directory = daemon.images_dir / f"streams-{uuid.uuid4().hex[:8]}"
    directory.mkdir()
    os.chown(directory, daemon.uid, daemon.gid)
    return conn.storage_pool_create_xml(
        f"<pool type='dir'><name>{directory.name}</name>"
        f"<target><path>{directory}</path></target></pool>")


@pytest.fixture(scope="module")
def pool(conn: virt.Connection, libvirtd: SessionDaemon) -> Iterator[virt.StoragePool]:
    storage_pool = make_pool(conn, libvirtd)
    yield storage_pool
    for volume in storage_pool.list_all_volumes():
        volume.delete()
    storage_pool.destroy()


def make_volume(pool: virt.StoragePool, size: int = VOLUME_SIZE) -> virt.StorageVol:
    """A sparse raw volume: nothing allocated."""
    return pool.storage_vol_create_xml(
        f"<volume><name>vol-{uuid.uuid4().hex[:8]}.raw</name>"
        f"<capacity unit='bytes'>{size}</capacity><allocation>0</allocation>"
        f"<target><format type='raw'/></target></volume>")


@pytest.fixture
def volume(pool: virt.StoragePool) -> Iterator[virt.StorageVol]:
    vol = make_volume(pool)
    assert allocated(vol.get_path()) == 0
    yield vol
    vol.delete()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """The sparse source file, its checksum and its bytes of data."""
    path = tmp_path_factory.mktemp("streams") / "source.img"
    checksum, data = make_sparse_source(path)
    assert allocated(path) < 2 * data  # the file system keeps it sparse
    return path, checksum, data


# -- volumes: the whole job -------------------------------------------------------------


def test_upload_and_download(volume: virt.StorageVol, source: tuple[Path, str, int],
                             tmp_path: Path) -> None:
    path, checksum, _ = source
    assert volume.upload_from(path) == VOLUME_SIZE
    assert digest(volume.get_path()) == checksum
    assert allocated(volume.get_path()) >= VOLUME_SIZE  # not sparse: zeros were written

    output = tmp_path / "download.img"
    assert volume.download_to(output) == VOLUME_SIZE
    assert output.stat().st_size == VOLUME_SIZE
    assert digest(output) == checksum
    assert allocated(output) >= VOLUME_SIZE


def test_sparse_round_trip_keeps_the_holes(volume: virt.StorageVol,
                                           source: tuple[Path, str, int],
                                           tmp_path: Path) -> None:
    path, checksum, data = source
    slack = 64 * 1024  # a file system block at either end of each region, and then some
    assert volume.upload_from(path, sparse=True) == VOLUME_SIZE
    assert digest(volume.get_path()) == checksum
    assert data <= allocated(volume.get_path()) <= allocated(path) + slack

    output = tmp_path / "sparse.img"
    assert volume.download_to(output, sparse=True) == VOLUME_SIZE
    assert output.stat().st_size == VOLUME_SIZE  # the trailing hole is there too
    assert digest(output) == checksum
    assert data <= allocated(output) <= allocated(path) + slack

    # Overwriting an existing, larger, fully allocated file: truncated, then sparse.
    output.write_bytes(b"\xff" * (VOLUME_SIZE + MiB))
    assert volume.download_to(output, sparse=True) == VOLUME_SIZE
    assert digest(output) == checksum and allocated(output) <= allocated(path) + slack


def test_file_objects_offsets_and_lengths(volume: virt.StorageVol) -> None:
    payload = os.urandom(3 * MiB + 17)
    start = 10 * MiB + 5
    assert volume.upload_from(io.BytesIO(payload), offset=start) == len(payload)
    buffered = io.BufferedReader(io.BytesIO(payload))  # any readable binary file
    assert volume.upload_from(buffered, offset=start + MiB, length=MiB) == MiB

    output = io.BytesIO()
    output.write(b"header")  # written from the file's current position
    assert volume.download_to(output, offset=start - 100, length=len(payload) + 200) \
        == len(payload) + 200
    expected = bytes(100) + payload[:MiB] + payload[:MiB] + payload[2 * MiB:] + bytes(100)
    assert output.getvalue() == b"header" + expected

    sparse = io.BytesIO()
    assert volume.download_to(sparse, offset=start - MiB, length=6 * MiB, sparse=True) \
        == 6 * MiB
    assert sparse.getvalue() == bytes(MiB) + expected[100:-100] + bytes(2 * MiB - 17)

    # A file object without a file descriptor: runs of zeros become holes.
    assert volume.upload_from(io.BytesIO(bytes(4 * MiB)), offset=0, sparse=True) == 4 * MiB
    with pytest.raises(TypeError):
        volume.download_to(42)


# -- volumes: the stream itself ----------------------------------------------------------


def test_send_any_bytes_like_object(volume: virt.StorageVol, conn: virt.Connection,
                                    tmp_path: Path) -> None:
    pieces = [os.urandom(100_000 + i) for i in range(5)]
    mapped_file = tmp_path / "piece"
    mapped_file.write_bytes(pieces[4])
    with open(mapped_file, "rb") as file:
        read_only_map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    with conn.new_stream() as stream:
        volume.upload(stream)
        assert stream.send(pieces[0]) == len(pieces[0])
        assert stream.send(bytearray(pieces[1])) == len(pieces[1])
        assert stream.send(memoryview(b"xx" + pieces[2])[2:]) == len(pieces[2])
        assert stream.send(memoryview(bytearray(pieces[3]))) == len(pieces[3])
        assert stream.send(read_only_map) == len(pieces[4])
        big = os.urandom(3 * MiB + 1)  # more than one message: sent in pieces
        assert stream.send(big) == len(big)
    read_only_map.close()
    with open(volume.get_path(), "rb") as file:
        assert file.read(sum(map(len, pieces)) + len(big)) == b"".join(pieces) + big


def test_copyfileobj_both_ways(volume: virt.StorageVol, conn: virt.Connection,
                               source: tuple[Path, str, int], tmp_path: Path) -> None:
    path, checksum, _ = source
    with conn.new_stream() as stream:
        volume.upload(stream)
        with open(path, "rb") as input_file, stream.as_file("wb") as output:
            shutil.copyfileobj(input_file, output, MiB)
    assert digest(volume.get_path()) == checksum

    copy = tmp_path / "copy.img"
    with conn.new_stream() as stream:
        volume.download(stream)
        with stream.as_file() as input_stream, open(copy, "wb") as output_file:
            shutil.copyfileobj(input_stream, output_file, MiB)
    assert digest(copy) == checksum


def test_recv_flags_and_holes(volume: virt.StorageVol, conn: virt.Connection) -> None:
    data = os.urandom(MiB)
    volume.upload_from(io.BytesIO(data), offset=8 * MiB)
    with conn.new_stream() as stream:
        volume.download(stream, 0, 10 * MiB, flags=virt.StorageVolDownloadFlags.STREAM)
        assert stream.recv_flags(4096, flags=virt.StreamRecvFlags.HOLE) is AT_HOLE
        assert stream.recv_hole() == 8 * MiB
        received = bytearray()
        buffer = bytearray(100_000)
        while len(received) < MiB:
            got = stream.recv_flags(buffer, flags=virt.StreamRecvFlags.HOLE)
            assert isinstance(got, int) and got > 0
            received += buffer[:got]
        assert received == data
        assert stream.recv_flags(4096, flags=virt.StreamRecvFlags.HOLE) is AT_HOLE
        assert stream.recv_hole() == MiB
        assert stream.recv_flags(4096) == b""


def test_all_in_one_helpers(volume: virt.StorageVol, conn: virt.Connection,
                            pool: virt.StoragePool, source: tuple[Path, str, int],
                            tmp_path: Path) -> None:
    path, checksum, data = source
    # virStreamSendAll: a source giving at most what is asked
    asked: list[int] = []
    with open(path, "rb") as file, conn.new_stream() as stream:
        volume.upload(stream)

        def read(_stream: Stream, nbytes: int) -> bytes:
            asked.append(nbytes)
            return file.read(nbytes)

        stream.send_all(read)
    assert asked and digest(volume.get_path()) == checksum

    # virStreamRecvAll
    sha = hashlib.sha256()
    with conn.new_stream() as stream:
        volume.download(stream)
        stream.recv_all(lambda _stream, chunk: sha.update(chunk))
    assert sha.hexdigest() == checksum

    # virStreamSparseSendAll, from the source's own holes
    other = make_volume(pool)
    try:
        with open(path, "rb", buffering=0) as raw_file, conn.new_stream() as stream:
            other.upload(stream, flags=virt.StorageVolUploadFlags.STREAM)
            fd = raw_file.fileno()

            def section(_stream: Stream) -> tuple[bool, int]:
                position = os.lseek(fd, 0, os.SEEK_CUR)
                if position >= VOLUME_SIZE:
                    return False, 0  # the end
                try:
                    data_at = os.lseek(fd, position, os.SEEK_DATA)
                except OSError:  # only a hole left
                    data_at = VOLUME_SIZE
                hole_at = os.lseek(fd, position, os.SEEK_HOLE)
                os.lseek(fd, position, os.SEEK_SET)
                if data_at > position:
                    return False, data_at - position
                return True, hole_at - position

            def skip(_stream: Stream, length: int) -> None:
                os.lseek(fd, length, os.SEEK_CUR)

            stream.sparse_send_all(lambda _stream, nbytes: raw_file.read(nbytes), section, skip)
        assert digest(other.get_path()) == checksum
        assert allocated(other.get_path()) <= allocated(path) + 64 * 1024

        # virStreamSparseRecvAll, seeking over the holes
        output = tmp_path / "sparse-all.img"
        holes: list[int] = []
        with open(output, "wb") as out, conn.new_stream() as stream:
            other.download(stream, flags=virt.StorageVolDownloadFlags.STREAM)

            def hole(_stream: Stream, length: int) -> None:
                holes.append(length)
                out.seek(length, os.SEEK_CUR)

            stream.sparse_recv_all(lambda _stream, chunk: out.write(chunk), hole)
            out.truncate()
        assert len(holes) == len(DATA_REGIONS) + 1
        assert digest(output) == checksum and allocated(output) < 2 * data
    finally:
        other.delete()


# -- ending transfers early --------------------------------------------------------------


class Boom(Exception):
    pass


def test_an_exception_in_a_handler_aborts_the_transfer(volume: virt.StorageVol,
                                                       conn: virt.Connection,
                                                       libvirtd: SessionDaemon,
                                                       source: tuple[Path, str, int]) -> None:
    assert libvirtd.pid is not None
    calls = [0]

    def failing_source(stream: Stream, nbytes: int) -> bytes:
        calls[0] += 1
        if calls[0] == 5:
            assert open_by(libvirtd.pid or 0, volume.get_path())  # the daemon is writing
            raise Boom("the source broke")
        return b"\x01" * nbytes

    with conn.new_stream() as stream:
        volume.upload(stream)
        with pytest.raises(Boom, match="the source broke"):
            stream.send_all(failing_source)
        assert not stream._transfer_open
    wait_for(lambda: not open_by(libvirtd.pid or 0, volume.get_path()), 10,
             "the daemon to let go of the volume")

    # the daemon is ready for the next transfer
    path, checksum, _ = source
    volume.upload_from(path)
    assert digest(volume.get_path()) == checksum

    # a handler's exception inside download_to's own stream aborts it too
    class Broken(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise Boom("disk full")

    with pytest.raises(Boom, match="disk full"):
        volume.download_to(Broken())
    assert conn.is_alive()


@pytest.mark.parametrize("how", ["abort", "close", "garbage collection", "with block"])
def test_ending_an_upload_early_leaves_no_job(how: str, volume: virt.StorageVol,
                                              conn: virt.Connection,
                                              libvirtd: SessionDaemon,
                                              source: tuple[Path, str, int]) -> None:
    pid = libvirtd.pid
    assert pid is not None
    path = volume.get_path()
    stream = conn.new_stream()
    volume.upload(stream)
    stream.send(os.urandom(MiB))
    time.sleep(0.2)
    assert open_by(pid, path)  # the transfer holds the volume open...
    if how == "abort":
        stream.abort()
        stream.close()
    elif how == "close":
        stream.close()
    elif how == "garbage collection":
        del stream
    else:
        with pytest.raises(Boom), stream:
            raise Boom
    # ...until it is aborted
    wait_for(lambda: not open_by(pid, path), 10, "the daemon to let go of the volume")
    source_path, checksum, _ = source
    assert volume.upload_from(source_path) == VOLUME_SIZE
    assert digest(path) == checksum


def test_aborting_a_download(volume: virt.StorageVol, conn: virt.Connection,
                             source: tuple[Path, str, int], tmp_path: Path) -> None:
    path, checksum, _ = source
    volume.upload_from(path, sparse=True)
    for _ in range(3):
        stream = conn.new_stream()
        volume.download(stream)
        assert stream.recv(MiB)
        stream.abort()
        with pytest.raises(virt.Error):
            stream.recv(10)
        stream.close()
    assert conn.is_alive()
    output = tmp_path / "after-abort.img"
    volume.download_to(output, sparse=True)
    assert digest(output) == checksum


# -- non-blocking transfers --------------------------------------------------------------


def test_nonblocking_download_and_upload(volume: virt.StorageVol, conn: virt.Connection,
                                         source: tuple[Path, str, int]) -> None:
    """Driven by event callbacks in libvirt's default loop thread."""
    path, checksum, _ = source
    payload = path.read_bytes()
    would_block = [0, 0]
    done = threading.Event()
    errors: list[BaseException] = []
    position = [0]

    def on_writable(stream: Stream, events: virt.StreamEventType) -> None:
        try:
            while position[0] < len(payload):
                sent = stream.send(memoryview(payload)[position[0]:position[0] + MiB])
                if sent is None:
                    would_block[0] += 1
                    return
                position[0] += sent
            stream.event_remove_callback()
            stream.finish()
            done.set()
        except BaseException as error:
            errors.append(error)
            done.set()

    upload = conn.new_stream(flags=virt.StreamFlags.NONBLOCK)
    volume.upload(upload)
    upload.event_add_callback(virt.StreamEventType.WRITABLE, on_writable)
    assert done.wait(60) and not errors, errors
    upload.close()
    assert digest(volume.get_path()) == checksum

    sha = hashlib.sha256()
    buffer = bytearray(MiB)
    done.clear()

    def on_readable(stream: Stream, events: virt.StreamEventType) -> None:
        try:
            while True:
                got = stream.recv_into(buffer)
                if got is None:
                    would_block[1] += 1
                    return
                if got == 0:
                    stream.event_remove_callback()
                    stream.finish()
                    done.set()
                    return
                sha.update(memoryview(buffer)[:got])
        except BaseException as error:
            errors.append(error)
            done.set()

    download = conn.new_stream(flags=virt.StreamFlags.NONBLOCK)
    volume.download(download)
    download.event_add_callback(virt.StreamEventType.READABLE, on_readable)
    assert done.wait(60) and not errors, errors
    download.close()
    assert sha.hexdigest() == checksum


ASYNCIO_DOWNLOAD = """
import asyncio, hashlib, sys, virt, virt.aio
import virt.stream as streams

URI, VOLUME, CHECKSUM = sys.argv[1:4]

async def main():
    virt.aio.register()
    conn = virt.connect(URI)
    volume = conn.storage_vol_lookup_by_path(VOLUME)
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    sha = hashlib.sha256()
    buffer = bytearray(1 << 20)

    def on_readable(stream, events):
        assert asyncio.get_running_loop() is loop
        while True:
            got = stream.recv_into(buffer)
            if got is None:
                return
            if got == 0:
                stream.event_remove_callback()
                stream.finish()
                done.set_result(sha.hexdigest())
                return
            sha.update(memoryview(buffer)[:got])

    stream = conn.new_stream(flags=virt.StreamFlags.NONBLOCK)
    volume.download(stream)
    stream.event_add_callback(virt.StreamEventType.READABLE, on_readable)
    assert await asyncio.wait_for(done, 60) == CHECKSUM
    stream.close()
    assert not streams._handlers, streams._handlers
    conn.close()

asyncio.run(main())
print("ok")
"""


def test_nonblocking_download_under_asyncio(volume: virt.StorageVol, libvirtd: SessionDaemon,
                                            source: tuple[Path, str, int]) -> None:
    """virt.aio cannot share a process with the default loop: a fresh interpreter."""
    path, checksum, _ = source
    volume.upload_from(path, sparse=True)
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(ASYNCIO_DOWNLOAD), libvirtd.qemu_uri,
         volume.get_path(), checksum],
        capture_output=True, text=True, timeout=180, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok"


# -- the QEMU guest: screenshot, console, channel ------------------------------------------


def image_size(mime_type: str, data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or binary PPM, checking that it is whole."""
    if mime_type == "image/png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        position, chunks, size = 8, [], (0, 0)
        while position < len(data):
            length, kind = struct.unpack(">I4s", data[position:position + 8])
            body = data[position + 8:position + 8 + length]
            crc, = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
            assert zlib.crc32(kind + body) == crc, kind
            if kind == b"IHDR":
                size = struct.unpack(">II", body[:8])
            chunks.append(kind)
            position += 12 + length
        assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
        return size
    assert mime_type == "image/x-portable-pixmap", mime_type
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert header is not None, data[:20]
    width, height = int(header[1]), int(header[2])
    assert len(data) - header.end() == width * height * 3
    return width, height


def test_screenshot_of_the_qemu_guest(qemu_guest: Guest, conn: virt.Connection) -> None:
    domain = conn.domain_lookup_by_name(qemu_guest.name)
    mime_type, data = domain.screenshot()
    width, height = image_size(mime_type, data)
    assert 320 <= width <= 4096 and 200 <= height <= 4096
    with pytest.raises(virt.Error):  # a VGA card has one head
        domain.screenshot(5)


@pytest.fixture(scope="module")
def echo_guest(libvirtd: SessionDaemon, conn: virt.Connection,
               qemu_guest: Guest) -> Iterator[virt.Domain]:
    """A guest booting `BOOT_SECTOR` (the serial echo), with a channel too.

    It asks for ``qemu_guest`` for that fixture's checks of QEMU's presence.
    """
    disk = libvirtd.images_dir / f"echo-{uuid.uuid4().hex[:8]}.img"
    with open(disk, "wb") as file:
        file.write(BOOT_SECTOR)
        file.truncate(MiB)
    os.chown(disk, libvirtd.uid, libvirtd.gid)
    devices = (f"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
               f"<source file='{disk}'/><target dev='hda' bus='ide'/></disk>"
               f"<channel type='unix'><source mode='bind'/>"
               f"<target type='virtio' name='org.virt.test.0'/></channel>")
    with Guest(libvirtd, extra_devices=devices) as guest:
        domain = conn.domain_lookup_by_name(guest.name)
        wait_for_echo(domain)
        yield domain


def wait_for_echo(domain: virt.Domain, timeout: float = 180) -> None:
    """Return once the guest's serial echo answers (under TCG on a busy machine the
    boot sector can take a while; bytes sent before it runs are lost)."""
    received = bytearray()
    with domain.open_console() as console:
        def reader() -> None:
            buffer = bytearray(4096)
            with contextlib.suppress(virt.Error):
                while b"READY" not in received:
                    got = console.recv_into(buffer)
                    if not got:
                        return
                    received.extend(buffer[:got])

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout
        while b"READY" not in received and time.monotonic() < deadline:
            console.send(b"ready")
            thread.join(2)
        console.abort()
        thread.join(10)
    assert b"READY" in received, f"the echo guest never answered: {bytes(received[-300:])!r}"


def read_until(stream: Stream, wanted: bytes, timeout: float = 30) -> bytes:
    """Blocking reads from *stream* until *wanted* arrived (in a thread, so that a
    silent guest fails the test instead of hanging it)."""
    received = bytearray()
    failure: list[BaseException] = []

    def reader() -> None:
        buffer = bytearray(4096)
        try:
            while wanted not in received:
                got = stream.recv_into(buffer)
                if not got:
                    return
                received.extend(buffer[:got])
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not failure, failure
    assert wanted in received, bytes(received[-500:])
    return bytes(received)


def test_serial_console_interactively(echo_guest: virt.Domain) -> None:
    """Non-blocking, as a terminal program would use it: events say when to read."""
    console = echo_guest.open_console(stream_flags=virt.StreamFlags.NONBLOCK)
    received = bytearray()
    echoed = threading.Event()

    def on_event(stream: Stream, events: virt.StreamEventType) -> None:
        while True:
            data = stream.recv(4096)
            if data is None:  # would block: drained for now
                return
            if not data:
                echoed.set()
                return
            received.extend(data)
            if b"PING!" in received:
                echoed.set()

    console.event_add_callback(virt.StreamEventType.READABLE | virt.StreamEventType.ERROR
                               | virt.StreamEventType.HANGUP, on_event)
    assert console.send(b"ping\x01") == 5  # \x01 ^ 0x20 == "!"
    assert echoed.wait(30), bytes(received[-500:])
    # A second client is refused while this one holds the console...
    with pytest.raises(virt.OperationFailedError, match="[Aa]ctive console"):
        echo_guest.open_console()
    console.abort()  # ...and welcome once it let go: nothing stuck in the daemon
    console.close()

    with echo_guest.open_console() as blocking:
        assert blocking.send(b"Hello, World") == 12
        assert read_until(blocking, b"hELLO\x0c\x00wORLD").endswith(b"hELLO\x0c\x00wORLD")
        blocking.abort()
    # closing without finishing lets go too
    console = echo_guest.open_console()
    console.close()
    with echo_guest.open_console() as again:
        again.abort()
    # FORCE takes the console over from a client that holds it
    holder = echo_guest.open_console()
    with echo_guest.open_console(flags=virt.DomainConsoleFlags.FORCE) as forced:
        assert forced.send(b"x") == 1
        assert read_until(forced, b"X")
        forced.abort()
    holder.close()


def test_closing_a_console_under_a_blocked_reader(echo_guest: virt.Domain) -> None:
    """The way to stop a thread blocked in recv: close the stream from another
    thread.  The abort wakes the reader with an error; the reader's call keeps
    its own reference, so the stream is not freed under it."""
    for _ in range(10):
        console = echo_guest.open_console()
        outcome: list[BaseException | bytes | None] = []
        started = threading.Event()

        def reader(stream: Stream = console, result: list[Any] = outcome,
                   started: threading.Event = started) -> None:
            started.set()
            try:
                while True:
                    data = stream.recv(4096)
                    if not data:
                        result.append(data)
                        return
            except BaseException as error:
                result.append(error)

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        started.wait()
        time.sleep(0.05)
        console.close()
        thread.join(10)
        assert not thread.is_alive(), "the reader is still blocked"
        assert len(outcome) == 1 and isinstance(outcome[0], virt.Error), outcome
    with echo_guest.open_console() as again:  # nothing left holding the console
        again.abort()


def test_console_would_block_when_the_guest_is_quiet(echo_guest: virt.Domain) -> None:
    console = echo_guest.open_console(stream_flags=virt.StreamFlags.NONBLOCK)
    try:
        deadline = time.monotonic() + 10
        while console.recv(4096) is not None:  # what the guest said before
            assert time.monotonic() < deadline
        assert console.recv(4096) is None
        assert console.recv_into(bytearray(10)) is None
    finally:
        console.close()


def test_channel(echo_guest: virt.Domain) -> None:
    with echo_guest.open_channel("org.virt.test.0",
                                 stream_flags=virt.StreamFlags.NONBLOCK) as channel:
        assert channel.recv(100) is None  # nothing runs in the guest to answer
        assert channel.send(b"hello") == 5
        channel.abort()
    with pytest.raises(virt.Error):
        echo_guest.open_channel("org.virt.missing")
    with pytest.raises(ValueError):
        echo_guest.open_channel("bad\0name")


# -- a daemon that dies ------------------------------------------------------------------


KILLED_WITHOUT_LOOP = """
import sys, virt
from virt.stream import StreamConnectionLostError
conn = virt.connect(sys.argv[1])
stream = conn.new_stream()
conn.storage_vol_lookup_by_path(sys.argv[2]).download(stream)
assert stream.recv(1 << 20)
print("reading", flush=True)
sys.stdin.readline()  # the daemon is dead now
try:
    while stream.recv(1 << 20):
        pass
except ConnectionError as error:
    print(type(error).__name__, isinstance(error, StreamConnectionLostError), error.code.name)
stream.close()
"""


def test_daemon_killed_mid_transfer(libvirtd: SessionDaemon) -> None:
    """A daemon of its own, killed while a download and an upload run: both fail
    at once with a ConnectionError, none hangs; no event loop is needed."""
    daemon = SessionDaemon(capabilities_from=libvirtd)
    try:
        daemon.start()
        connection = virt.connect(daemon.qemu_uri)
        pool = make_pool(connection, daemon)
        download_volume = make_volume(pool)
        upload_volume = make_volume(pool)
        download_volume.upload_from(io.BytesIO(os.urandom(8 * MiB)))

        # the same in a process without an event loop: the first error is then
        # libvirt's "End of file while reading data" (a system error)
        other = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(KILLED_WITHOUT_LOOP), daemon.qemu_uri,
             download_volume.get_path()], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ,
                                                             "PYTHONPATH": str(ROOT)})
        assert other.stdout is not None and other.stdin is not None
        assert other.stdout.readline().strip() == "reading"

        downloading = connection.new_stream()
        download_volume.download(downloading)
        assert downloading.recv(MiB)
        uploading = connection.new_stream()
        upload_volume.upload(uploading)
        uploading.send(os.urandom(MiB))

        pid = daemon.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        began = time.monotonic()

        outcomes: dict[str, BaseException | None] = {}

        def drain(name: str, step: Callable[[], object]) -> None:
            try:
                for _ in range(100_000):
                    step()
                outcomes[name] = None
            except BaseException as error:
                outcomes[name] = error

        buffer = bytearray(MiB)
        chunk = os.urandom(MiB)
        workers = [threading.Thread(target=drain, args=("download",
                                                        lambda: downloading.recv_into(buffer)),
                                    daemon=True),
                   threading.Thread(target=drain, args=("upload", lambda: uploading.send(chunk)),
                                    daemon=True)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        elapsed = time.monotonic() - began
        assert not any(worker.is_alive() for worker in workers), "a transfer hangs"
        assert elapsed < 10, elapsed
        for name in ("download", "upload"):
            error = outcomes[name]
            assert isinstance(error, ConnectionError), (name, error)
            assert isinstance(error, StreamConnectionLostError) or \
                isinstance(error, virt.ConnectionLostError), (name, error)
        with pytest.raises(ConnectionError):
            uploading.finish()
        with pytest.raises(ConnectionError):
            downloading.abort()
        downloading.close()  # never raises
        uploading.close()

        out, err = other.communicate("\n", timeout=30)
        assert out.split() == ["StreamConnectionLostError", "True", "SYSTEM_ERROR"], out + err
        connection.close()
    finally:
        daemon.cleanup()
