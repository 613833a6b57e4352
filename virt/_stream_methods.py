"""The stream methods of `virt.Connection`, `virt.Domain` and `virt.StorageVol`.

Mixed into those classes (they list these mixins first among their bases):
`Connection.new_stream`; `Domain.screenshot`, `Domain.screenshot_stream`,
`Domain.open_console`, `Domain.open_channel`; `StorageVol.download`,
`StorageVol.upload` and the conveniences that do a whole transfer,
`StorageVol.download_to` and `StorageVol.upload_from`.
"""

from __future__ import annotations

import errno
import io
import os

from . import raw
from ._exceptions import Error
from ._generated import enums as _enums
from ._marshal import (
    check_handle,
    check_int,
    check_optional_str,
    check_path,
    check_uint,
    guard_methods,
    last_error,
    raise_last_error,
    take_str,
)
from ._objects import CORE

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Literal

    from typing_extensions import TypeAlias  # annotations only: not imported at run time

    from ._generated.enums import (
        DomainChannelFlags,
        DomainConsoleFlags,
        StorageVolDownloadFlags,
        StorageVolInfoFlags,
        StorageVolUploadFlags,
        StreamFlags,
    )
    from ._generated.records import StorageVolInfo
    from .connection import Connection
    from .stream import Stream

__all__: list[str] = []

_ULLONG = "unsigned long long"

#: The buffer of `StorageVol.download_to` and `StorageVol.upload_from`.
TRANSFER_BUFFER = 1 << 20

#: What `download_to` and `upload_from` take: a path, or an open binary file.
PathOrFile: TypeAlias = "Any"

#: The *progress* callback of `download_to` and `upload_from`: called with the
#: bytes moved so far (holes included) and the total expected (0: unknown).
Progress: TypeAlias = "Callable[[int, int], object]"


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, bytes, os.PathLike))


def _write_all(write: Any, view: memoryview) -> None:
    """Write all of *view* with a file's ``write``, which may write less."""
    while view:
        written = write(view)
        if written is None:  # a writer that does not count: it took everything
            return
        view = view[written:]


def _new_stream(connection: Any, flags: int) -> Stream:
    """A new stream on *connection* (a `virt.Connection`).  Wraps :libvirt:`virStreamNew`."""
    flags = check_uint(flags, "flags")
    handle = raw.virStreamNew(connection._as_parameter_, flags).value
    if not handle:
        raise_last_error()
    stream: Stream = connection._wrappers.Stream._own(handle, connection)
    return stream


class _ConnectionStreamMethods:
    """`virt.Connection.new_stream`."""

    __slots__ = ()

    if TYPE_CHECKING:
        _as_parameter_: Any

    def new_stream(self, *, flags: StreamFlags | int = 0) -> Stream:
        """A new, unused stream, for one transfer: hand it to
        `virt.StorageVol.download`, `virt.Domain.open_console`, ….

        ``flags=StreamFlags.NONBLOCK`` makes it non-blocking (see
        `virt.Stream.event_add_callback`).  Wraps :libvirt:`virStreamNew`.
        """
        return _new_stream(self, flags)


class _DomainStreamMethods:
    """`virt.Domain.screenshot`, `screenshot_stream`, `open_console` and `open_channel`."""

    __slots__ = ()

    if TYPE_CHECKING:
        _as_parameter_: Any

        def get_connect(self) -> Connection: ...

    def screenshot(self, screen: int = 0, *, flags: int = 0) -> tuple[str, bytes]:
        """A picture of the guest's screen number *screen*: its MIME type (what
        the hypervisor chose, ``image/png`` or ``image/x-portable-pixmap``)
        and its bytes.

        Wraps :libvirt:`virDomainScreenshot`.
        """
        with _new_stream(self.get_connect(), 0) as stream:
            mime_type = self.screenshot_stream(stream, screen, flags=flags)
            data = stream.read_all()
        return mime_type, data

    def screenshot_stream(self, stream: Stream, screen: int = 0, *, flags: int = 0) -> str:
        """Start sending a screenshot of screen *screen* into *stream*, for
        reading it yourself (non-blocking, say); returns its MIME type.  Read
        *stream* to its end, then finish it.  `screenshot` does it all.

        Wraps :libvirt:`virDomainScreenshot`.
        """
        handle = check_handle(stream, CORE.Stream, "stream")
        screen = check_uint(screen, "screen")
        flags = check_uint(flags, "flags")
        return take_str(raw.virDomainScreenshot(self._as_parameter_, handle, screen, flags))

    def _open(self, function: Any, name: str | None, what: str, flags: int,
              stream_flags: int) -> Stream:
        name_c = check_optional_str(name, what)
        flags = check_uint(flags, "flags")
        stream = _new_stream(self.get_connect(), check_uint(stream_flags, "stream_flags"))
        if function(self._as_parameter_, name_c, stream._as_parameter_, flags) < 0:
            error = last_error()
            stream.close()
            raise error
        return stream

    def open_console(self, dev_name: str | None = None, *,
                     flags: DomainConsoleFlags | int = 0,
                     stream_flags: StreamFlags | int = 0) -> Stream:
        """A stream connected to the guest's console *dev_name* (None: the first
        console or serial port): what the guest writes arrives with
        `virt.Stream.recv`, what you `virt.Stream.send` reaches it.

        For interactive use pass ``stream_flags=StreamFlags.NONBLOCK`` and
        watch it with `virt.Stream.event_add_callback`, or read it blocking in
        a thread of its own.  ``flags=DomainConsoleFlags.FORCE`` takes the
        console from another client.  Close (or abort) the stream to let go.
        Wraps :libvirt:`virDomainOpenConsole`.
        """
        return self._open(raw.virDomainOpenConsole, dev_name, "dev_name", flags, stream_flags)

    def open_channel(self, name: str | None = None, *,
                     flags: DomainChannelFlags | int = 0,
                     stream_flags: StreamFlags | int = 0) -> Stream:
        """A stream connected to the guest's channel *name* (its target name, e.g.
        ``org.qemu.guest_agent.0``; None: the first channel); used like
        `open_console`.

        Wraps :libvirt:`virDomainOpenChannel`.
        """
        return self._open(raw.virDomainOpenChannel, name, "name", flags, stream_flags)


class _StorageVolStreamMethods:
    """`virt.StorageVol.download`, `upload`, `download_to` and `upload_from`."""

    __slots__ = ()

    if TYPE_CHECKING:
        _as_parameter_: Any

        def get_connect(self) -> Connection: ...
        def get_info(self) -> StorageVolInfo: ...
        def get_info_flags(self, *, flags: StorageVolInfoFlags | Literal[0] = 0
                           ) -> StorageVolInfo: ...

    def download(self, stream: Stream, offset: int = 0, length: int = 0, *,
                 flags: StorageVolDownloadFlags | int = 0) -> None:
        """Start sending the volume's bytes from *offset* (*length* of them; 0: to
        the end) into *stream*; read them with `virt.Stream.recv_into` and
        finish the stream.  ``StorageVolDownloadFlags.STREAM`` (libvirt's
        ``VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM``) sends holes as holes.

        See `download_to` for the whole job.  Wraps :libvirt:`virStorageVolDownload`.
        """
        handle = check_handle(stream, CORE.Stream, "stream")
        offset = check_int(offset, "offset", _ULLONG)
        length = check_int(length, "length", _ULLONG)
        flags = check_uint(flags, "flags")
        if raw.virStorageVolDownload(self._as_parameter_, handle, offset, length, flags) < 0:
            raise_last_error()

    def upload(self, stream: Stream, offset: int = 0, length: int = 0, *,
               flags: StorageVolUploadFlags | int = 0) -> None:
        """Start writing what is sent into *stream* to the volume, from *offset*
        (at most *length* bytes; 0: no limit); send with `virt.Stream.send`
        and finish the stream.  ``StorageVolUploadFlags.STREAM`` (libvirt's
        ``VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM``) accepts holes
        (`virt.Stream.send_hole`).

        See `upload_from` for the whole job.  Wraps :libvirt:`virStorageVolUpload`.
        """
        handle = check_handle(stream, CORE.Stream, "stream")
        offset = check_int(offset, "offset", _ULLONG)
        length = check_int(length, "length", _ULLONG)
        flags = check_uint(flags, "flags")
        if raw.virStorageVolUpload(self._as_parameter_, handle, offset, length, flags) < 0:
            raise_last_error()

    def download_to(self, path_or_file: PathOrFile, offset: int = 0, length: int = 0,
                    sparse: bool = False, *, progress: Progress | None = None) -> int:
        """Download the volume (from *offset*, *length* bytes, 0: to its end) to a
        file: a path (created or truncated) or a binary file open for writing
        (written from its current position).  Returns the number of bytes
        downloaded, holes included.

        With *sparse*, holes in the volume stay holes in the file (the file
        is seeked over them rather than written; a file object must be
        seekable).  *progress*, if given, is called after each piece with
        the bytes done so far and the total expected (*length*, or the
        volume's size on disk less *offset*; 0 when unknown); an exception it
        raises stops the transfer and propagates.  The transfer is aborted
        if anything fails.  Wraps :libvirt:`virStorageVolDownload` and
        :libvirt:`virStreamRecvFlags` (:libvirt:`virStreamRecv`,
        :libvirt:`virStreamRecvHole`).
        """
        offset = check_int(offset, "offset", _ULLONG)
        length = check_int(length, "length", _ULLONG)
        _check_progress(progress)
        flags = _enums.StorageVolDownloadFlags.STREAM if sparse else 0
        if not _is_path(path_or_file) and not callable(getattr(path_or_file, "write", None)):
            raise TypeError(f"path_or_file must be a path or a binary file open for writing, "
                            f"not {type(path_or_file).__name__}")
        output = open(check_path(path_or_file, "path_or_file"), "wb", buffering=0) \
            if _is_path(path_or_file) \
            else path_or_file
        try:
            expected = length or (self._size_on_disk() - offset if progress else 0)
            with _new_stream(self.get_connect(), 0) as stream:
                self.download(stream, offset, length, flags=flags)
                return _receive(stream, output, sparse, progress, max(expected, 0))
        finally:
            if output is not path_or_file:
                output.close()

    def upload_from(self, path_or_file: PathOrFile, offset: int = 0, length: int = 0,
                    sparse: bool = False, *, progress: Progress | None = None) -> int:
        """Upload a file into the volume at *offset* (at most *length* bytes; 0: all
        of the file): a path, or a binary file open for reading (read from
        its current position).  Returns the number of bytes uploaded, holes
        included.

        With *sparse*, the file's holes (``SEEK_HOLE``; for a file object
        without a file descriptor, runs of zeros) are sent as holes, which
        the daemon skips rather than writes: the volume keeps what it had
        there, zeros in a new volume, which stays sparse (as with ``virsh
        vol-upload --sparse``).  *progress* is as for `download_to`, the total
        being *length* or what is left of the file (0 when unknown).  The
        transfer is aborted if anything fails.  Wraps
        :libvirt:`virStorageVolUpload`, :libvirt:`virStreamSend` and
        :libvirt:`virStreamSendHole`.
        """
        offset = check_int(offset, "offset", _ULLONG)
        length = check_int(length, "length", _ULLONG)
        _check_progress(progress)
        flags = _enums.StorageVolUploadFlags.STREAM if sparse else 0
        if not _is_path(path_or_file) and not callable(getattr(path_or_file, "read", None)):
            raise TypeError(f"path_or_file must be a path or a binary file open for reading, "
                            f"not {type(path_or_file).__name__}")
        source = open(check_path(path_or_file, "path_or_file"), "rb", buffering=0) \
            if _is_path(path_or_file) \
            else path_or_file
        try:
            with _new_stream(self.get_connect(), 0) as stream:
                self.upload(stream, offset, length, flags=flags)
                return _send(stream, source, length, sparse, progress)
        finally:
            if source is not path_or_file:
                source.close()

    def _size_on_disk(self) -> int:
        """What a download of the whole volume sends: its physical size (a qcow2
        file's, not the guest's capacity), or its capacity where the driver
        cannot say."""
        try:
            physical = self.get_info_flags(flags=_enums.StorageVolInfoFlags.GET_PHYSICAL)
            return int(physical.allocation)
        except Error:
            return int(self.get_info().capacity)


def _check_progress(progress: Any) -> None:
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable (done, total) or None, "
                        f"not {type(progress).__name__}")


def _receive(stream: Stream, output: Any, sparse: bool, progress: Progress | None = None,
             expected: int = 0) -> int:
    """Copy *stream* to *output* up to its end; returns the bytes, holes included.
    *progress* is called with (bytes so far, *expected*) after each piece."""
    # Each piece is written as soon as it arrives: libvirt hands over one RPC
    # message (at most 256 KiB) a call, and the daemon sends the next one only
    # as the socket drains, so filling the buffer before writing would only
    # make the daemon wait (measured: 10-40 % slower than writing each piece).
    buffer = bytearray(TRANSFER_BUFFER)
    view = memoryview(buffer)
    write = output.write
    total = 0
    if not sparse:
        recv_into = stream.recv_into
        while True:
            got = recv_into(view)
            if not got:
                return total
            _write_all(write, view[:got])
            total += got
            if progress is not None:
                progress(total, expected)
    from .stream import AT_HOLE  # the stream module is imported with the first stream

    hole_at_end = False
    while True:
        result = stream.recv_flags(view, flags=_enums.StreamRecvFlags.HOLE)
        if result is AT_HOLE:
            skip = stream.recv_hole() or 0
            output.seek(skip, io.SEEK_CUR)
            total += skip
            hole_at_end = True
        elif not result:
            break
        else:
            _write_all(write, view[:result])
            total += result
            hole_at_end = False
        if progress is not None:
            progress(total, expected)
    if hole_at_end:  # a hole at the end: the file must still reach that far
        position = output.tell()
        if output.seek(0, io.SEEK_END) < position:
            output.truncate(position)  # a hole, where the file can grow this way
            if output.seek(0, io.SEEK_END) < position:  # BytesIO and the like cannot
                output.seek(position - 1)
                _write_all(write, memoryview(b"\0"))
        output.seek(position)
    return total


def _data_and_holes(fd: int, position: int, end: int) -> list[tuple[bool, int, int]]:
    """The sections of file *fd* from *position* to *end*: (is data, start, end)."""
    sections: list[tuple[bool, int, int]] = []
    while position < end:
        try:
            data = min(os.lseek(fd, position, os.SEEK_DATA), end)
        except OSError as error:
            if error.errno != errno.ENXIO:  # SEEK_DATA unsupported here: all data
                sections.append((True, position, end))
                break
            data = end  # only a hole is left
        if data > position:
            sections.append((False, position, data))
            position = data
            continue
        hole = min(os.lseek(fd, position, os.SEEK_HOLE), end)
        sections.append((True, position, hole))
        position = hole
    return sections


def _remaining(source: Any) -> int:
    """How many bytes of *source* are left to read, 0 when it cannot say."""
    try:
        return max(os.fstat(source.fileno()).st_size - int(source.tell()), 0)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    try:
        position = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(position)
        return max(int(end) - int(position), 0)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return 0


def _send(stream: Stream, source: Any, length: int, sparse: bool,
          progress: Progress | None = None) -> int:
    """Send *source* (at most *length* bytes, 0: all) into *stream*; returns the
    bytes, holes included.  *progress*: see `_receive`."""
    expected = 0
    if progress is not None:
        left = _remaining(source)
        expected = min(length, left) if length and left else (length or left)
    buffer = bytearray(TRANSFER_BUFFER)
    view = memoryview(buffer)
    send = stream.send
    fd = -1
    if sparse:
        try:
            fd = source.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            fd = -1
    if fd >= 0:
        start = source.tell()
        end = os.fstat(fd).st_size
        if length:
            end = min(end, start + length)
        for is_data, position, stop in _data_and_holes(fd, start, end):
            if not is_data:
                stream.send_hole(stop - position)
                if progress is not None:
                    progress(stop - start, expected)
                continue
            while position < stop:
                got = os.preadv(fd, [view[:min(stop - position, len(view))]], position)
                if got == 0:
                    break  # the file shrank meanwhile
                send(view[:got])
                position += got
                if progress is not None:
                    progress(position - start, expected)
        source.seek(end)
        return int(end - start)
    readinto = getattr(source, "readinto", None)
    total = 0
    while not length or total < length:
        want = len(view) if not length else min(len(view), length - total)
        if readinto is not None:
            got = readinto(view[:want])
        else:
            data = source.read(want)
            got = len(data)
            view[:got] = data
        if not got:
            break
        if sparse and buffer.count(0, 0, got) == got:
            stream.send_hole(got)
        else:
            send(view[:got])
        total += got
        if progress is not None:
            progress(total, expected)
    return total


guard_methods(_ConnectionStreamMethods, "Connection")
guard_methods(_DomainStreamMethods, "Domain")
guard_methods(_StorageVolStreamMethods, "StorageVol")
