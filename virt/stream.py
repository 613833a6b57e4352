"""`Stream`: a channel for bytes between the client and libvirt.

libvirt moves bulk data through streams: volume upload and download
(`virt.StorageVol.download_to`, `virt.StorageVol.upload_from`), screenshots
(`virt.Domain.screenshot`), serial consoles and channels
(`virt.Domain.open_console`, `virt.Domain.open_channel`).  Make one with
`virt.Connection.new_stream`, hand it to one of those calls, then move the
bytes::

    with conn.new_stream() as stream:          # finishes, or aborts on an exception
        volume.download(stream)
        buffer = bytearray(1 << 20)
        while (count := stream.recv_into(buffer)):
            output.write(memoryview(buffer)[:count])

Return conventions (the same as `io.RawIOBase` and sockets):

- `Stream.recv` returns ``b""`` and `Stream.recv_into` returns ``0`` at the end
  of the stream; call `Stream.finish` then.
- On a non-blocking stream (``StreamFlags.NONBLOCK``) `Stream.recv`,
  `Stream.recv_into`, `Stream.recv_flags`, `Stream.recv_hole` and `Stream.send`
  return **None** when the call would block (libvirt's ``-2``): wait for
  `Stream.event_add_callback` to report the stream readable or writable, and
  try again.  Would-block is never an exception.
- `Stream.recv_flags` with ``StreamRecvFlags.HOLE`` returns `AT_HOLE` when
  the next thing in a sparse stream is a hole: `Stream.recv_hole` says how
  long it is.

Failures raise `virt.Error` subclasses; libvirt marks the stream aborted when a
transfer call fails.  When the failure is that the connection went away (the
daemon died), the exception is a `StreamConnectionLostError`, a
`ConnectionError`, whatever libvirt's own error code said.

Buffers are never copied on the way in: `Stream.recv_into` has libvirt write
straight into the caller's writable buffer (``bytearray``, ``memoryview``,
``mmap``, ``array``…), and `Stream.send` hands libvirt a pointer into any
bytes-like object.  Each buffer is held (exported) for the duration of the C
call, so it cannot be resized or freed underneath libvirt; libvirt's own
buffers are never exposed to Python code, so nothing can keep a view on memory
that libvirt frees.

`StreamFile` wraps a stream as an `io.RawIOBase`, for ``shutil.copyfileobj``
and anything else that wants a file.
"""

from __future__ import annotations

import ctypes
import enum
import io
import itertools
import sys
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NoReturn, overload

from . import _objects, raw
from ._callbacks import reported
from ._generated import enums as _enums
from ._generated.errors import ConnectionLostError
from ._generated.methods.stream import _StreamMethods
from ._lost import ClosedSocketError, SocketSystemError
from ._marshal import check_int, check_uint, guard_methods, last_error
from ._objects import ClosedError, LibvirtObject
from .errors import Error, log_callback_error

if TYPE_CHECKING:
    from typing_extensions import Buffer, Self  # annotations only: not needed at run time

    from ._generated.enums import StreamEventType, StreamRecvFlags

StreamEventCallback = Callable[["Stream", "StreamEventType"], object]

__all__ = [
    "AT_HOLE",
    "Hole",
    "SEND_CHUNK",
    "Stream",
    "StreamConnectionLostError",
    "StreamFile",
]

#: The most bytes one C call moves: libvirt returns them as an ``int``.
_INT_MAX = 2**31 - 1

#: The most `Stream.recv` and ``recv_flags(size)`` read in one call, so that a
#: huge size does not allocate a buffer of that size: a stream hands over at
#: most one message (256 KiB from a daemon) per call anyway.
RECV_MAX = 1 << 24
_LLONG = "long long"

#: `virt.Stream.send` hands libvirt at most this much per C call, one RPC message
#: of a remote stream (measured: 256 KiB uploads twice as fast as 1 MiB).
SEND_CHUNK = 256 * 1024

#: Buffer size of `Stream.read_all` and of the file adaptor's ``readall``.
_READ_CHUNK = 256 * 1024


class Hole(enum.Enum):
    """The type of `AT_HOLE`."""

    AT_HOLE = "at hole"

    def __repr__(self) -> str:
        return "virt.stream.AT_HOLE"


#: Returned by `Stream.recv_flags` with ``StreamRecvFlags.HOLE`` when the next
#: section of a sparse stream is a hole (libvirt's ``-3``): read its length with
#: `Stream.recv_hole`.
AT_HOLE = Hole.AT_HOLE


class StreamConnectionLostError(ConnectionLostError):
    """A stream call failed because the stream's connection is gone (the daemon
    was killed, the socket closed).

    libvirt reports this with whatever code the failing layer used
    (``VIR_ERR_SYSTEM_ERROR`` "End of file while reading data", …); the
    stream layer checks the connection and raises this instead, so that
    ``except ConnectionError`` catches it.  The fields are libvirt's; the
    original exception is the ``__cause__``.
    """


#: Errors of the connection's socket, which a stream reports as its own loss.
_SOCKET_ERRORS = (SocketSystemError, ClosedSocketError)


def _lost_or(error: Error, parent: Any) -> Error:
    """*error*, or a `StreamConnectionLostError` when the connection *parent*
    (the stream's connection, if known) is no longer alive."""
    if isinstance(error, ConnectionError) and not isinstance(error, _SOCKET_ERRORS):
        return error
    if getattr(parent, "closed", True):
        return error
    if not isinstance(parent, _objects.CORE.Connection):
        return error
    handle = parent._as_parameter_
    if handle is None or raw.virConnectIsAlive(handle) != 0:
        return error
    lost = StreamConnectionLostError(
        error.message, code=error.code, domain=error.domain, level=error.level,
        str1=error.str1, str2=error.str2, str3=error.str3, int1=error.int1, int2=error.int2)
    lost.__cause__ = error
    return lost


# -- buffers ---------------------------------------------------------------------------


def _writable(buffer: Any, nbytes: int, name: str = "buffer") -> tuple[Any, int, Any]:
    """Where libvirt may write the data for writable *buffer*: a ``char`` array,
    how many bytes to use of it (*nbytes*, 0 for all, at most ``INT_MAX``), and
    the memory to copy the result to afterwards (`_copy_back`), or None.

    On CPython the array shares the buffer's memory (no copy) and holds an
    export of it while it lives, so the buffer cannot be resized or closed
    meanwhile.  Elsewhere (PyPy) exporting does not pin the memory: a resize
    would leave libvirt writing into freed memory, so libvirt gets a private
    array whose bytes are copied to the buffer after the call.
    """
    try:
        view = memoryview(buffer)
    except TypeError:
        raise TypeError(f"{name} must be a writable bytes-like object (bytearray, "
                        f"memoryview, mmap…), not {type(buffer).__name__}") from None
    if view.readonly:
        raise TypeError(f"{name} must be writable: a read-only {type(buffer).__name__} "
                        f"cannot receive data")
    if not view.c_contiguous:
        raise ValueError(f"{name} must be C-contiguous")
    size = view.nbytes
    if nbytes:
        nbytes = check_int(nbytes, "nbytes", "size_t")
        if nbytes > size:
            raise ValueError(f"nbytes={nbytes} is larger than the buffer ({size} bytes)")
        size = nbytes
    size = min(size, _INT_MAX)
    if size == 0:
        return None, 0, None
    if _IN_PLACE:
        return (ctypes.c_char * size).from_buffer(view), size, None
    return ctypes.create_string_buffer(size), size, view.cast("B")


def _copy_back(array: Any, target: Any, got: int) -> None:
    """Copy the *got* bytes libvirt wrote into *array* to *target* (see `_writable`)."""
    if target is not None and got > 0:
        target[:got] = memoryview(array).cast("B")[:got]


class _PyBuffer(ctypes.Structure):
    """CPython's ``Py_buffer`` (stable since Python 3.0, part of the limited API
    since 3.11): the way to get at the memory of a read-only buffer without
    copying it.  Only ``buf`` and ``len`` are read."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p),
                ("len", ctypes.c_ssize_t), ("itemsize", ctypes.c_ssize_t),
                ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p),
                ("strides", ctypes.c_void_p), ("suboffsets", ctypes.c_void_p),
                ("internal", ctypes.c_void_p)]


try:
    _get_buffer: Any = ctypes.pythonapi.PyObject_GetBuffer
    _get_buffer.argtypes = (ctypes.py_object, raw.pointer_type(_PyBuffer), ctypes.c_int)
    _get_buffer.restype = ctypes.c_int
    _release_buffer: Any = ctypes.pythonapi.PyBuffer_Release
    _release_buffer.argtypes = (raw.pointer_type(_PyBuffer),)
    _release_buffer.restype = None
except (AttributeError, OSError):  # not CPython: buffers are copied
    _get_buffer = _release_buffer = None

#: Whether a buffer's own memory may be handed to libvirt: CPython pins an
#: exported buffer (a bytearray cannot be resized, an mmap not closed while it
#: is exported); PyPy does not, nor does it keep ``bytes`` at one address.
_IN_PLACE = sys.implementation.name == "cpython" and _get_buffer is not None


class _Readable:
    """The memory of a bytes-like object, for sending: its address and length,
    held (exported) until `release`.  Nothing is copied, except a read-only
    non-``bytes`` buffer on a Python without ``ctypes.pythonapi``."""

    __slots__ = ("address", "first", "keep", "length", "view")

    def __init__(self, data: Any, name: str = "data") -> None:
        self.view: _PyBuffer | None = None
        if _IN_PLACE and isinstance(data, bytes):
            self.first: Any = data  # a c_char_p argument takes bytes as they are
            self.length = len(data)
            self.keep: Any = data
            self.address = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0
            return
        try:
            view = memoryview(data)
        except TypeError:
            raise TypeError(f"{name} must be a bytes-like object, "
                            f"not {type(data).__name__}") from None
        if not view.c_contiguous:
            raise ValueError(f"{name} must be C-contiguous")
        self.length = view.nbytes
        if self.length == 0:
            self.first = self.keep = b""
            self.address = 0
        elif not _IN_PLACE:
            copy = (ctypes.c_char * self.length).from_buffer_copy(view)
            self.first = self.keep = copy
            self.address = ctypes.addressof(copy)
        elif not view.readonly:
            array = (ctypes.c_char * self.length).from_buffer(view)
            self.first = self.keep = array
            self.address = ctypes.addressof(array)
        else:
            exported = _PyBuffer()
            _get_buffer(view, ctypes.byref(exported), 0)  # PyBUF_SIMPLE; raises on failure
            self.view = exported
            self.keep = view
            self.address = exported.buf or 0
            self.first = ctypes.c_char_p(self.address)

    def at(self, offset: int) -> Any:
        """A ``char *`` argument *offset* bytes in."""
        return self.first if offset == 0 else ctypes.c_char_p(self.address + offset)

    def release(self) -> None:
        view, self.view = self.view, None
        if view is not None:
            _release_buffer(ctypes.byref(view))
        self.keep = self.first = None


# -- event callbacks -----------------------------------------------------------------
# One C callback serves every stream, alive for the process: libvirt's remote
# driver never calls the free callback of a stream event callback, and a
# callback may still be running in the loop thread while another thread
# removes it, so a ctypes callback per registration could never be freed
# safely.  What each registration keeps is Python data: the stream (weakly)
# and the user's callback, under a token that libvirt passes back as the
# opaque pointer.  Removing the registration drops it; a call that arrives
# after that finds nothing and does nothing.

#: token -> (the stream, weakly; the user's callback)
_handlers: dict[int, tuple[weakref.ref[Stream], StreamEventCallback]] = {}
_tokens = itertools.count(1)


def _dispatch(_stream: Any, events: int, opaque: Any) -> None:
    entry = _handlers.get(opaque or 0)
    if entry is None:
        return
    stream = entry[0]()
    if stream is not None and not stream.closed:
        try:
            entry[1](stream, _enums.StreamEventType(events))
        except BaseException:
            log_callback_error("stream event callback", entry[1])
            raise


def _release(opaque: Any) -> None:
    """libvirt's free callback: it will not call the callback of *opaque* again."""
    _handlers.pop(opaque or 0, None)


_EVENT_CALLBACK = raw.virStreamEventCallback(reported(_dispatch))  # alive for the process
_FREE = raw.virFreeCallback(_release)  # alive for the process

SinkHandler = Callable[["Stream", bytes], object]
HoleSinkHandler = Callable[["Stream", int], object]
SourceHandler = Callable[["Stream", int], "Buffer"]
HoleSourceHandler = Callable[["Stream"], "tuple[bool, int]"]
SkipHandler = Callable[["Stream", int], object]


@guard_methods
class Stream(_StreamMethods, LibvirtObject):
    """A data stream (C ``virStreamPtr``), from `virt.Connection.new_stream`.

    Closing it (`close`, garbage collection) removes its event callback and,
    if a transfer was neither finished nor aborted, aborts it before
    releasing the stream: the daemon is never left with a half-done job.  As
    a context manager it finishes the transfer when the block ends normally
    and aborts it when the block raises, then closes.

    Threads: each call holds a libvirt reference of its own for its
    duration, so `close` from another thread (to stop a reader blocked in
    `recv`: the abort wakes it with an error) never frees the stream under a
    call in flight.
    """

    __slots__ = ("_callback_token", "_lock", "_transfer_open")
    _free_function = "virStreamFree"
    _shared_after_fork = True
    _ref_function = "virStreamRef"
    _handle_type = raw.virStreamPtr

    #: See `AT_HOLE`.
    AT_HOLE = AT_HOLE

    _transfer_open: bool  # neither finished nor aborted (nor failed) yet
    _callback_token: int | None  # the key of its event callback in _handlers, if one is set
    _lock: threading.Lock  # orders taking a call's reference against close()

    @classmethod
    def _own(cls, handle: int, parent: Any) -> Self:
        self = super()._own(handle, parent)
        self._transfer_open = True
        self._callback_token = None
        self._lock = threading.Lock()
        return self

    # -- references and errors

    def _hold(self) -> Any:
        """The handle, with a reference for the caller, who drops it with
        ``virStreamFree`` when its C call is over."""
        with self._lock:
            if self.closed:
                raise ClosedError("this Stream is closed")
            handle = self._as_parameter_
            raw.virStreamRef(handle)
        return handle

    def _fail(self, aborted: bool = True) -> NoReturn:
        """Raise libvirt's error for the call that just failed (before the call's
        reference is dropped: that resets the error).  *aborted*: the failure
        ended the transfer (libvirt marks the stream aborted)."""
        error = last_error()
        if aborted:
            self._transfer_open = False
        raise _lost_or(error, self._parent)

    # -- receiving

    def recv(self, nbytes: int) -> bytes | None:
        """Read up to *nbytes* bytes (and at most ``RECV_MAX``, 16 MiB, per call):
        ``b""`` at the end of the stream, None when a non-blocking stream has
        nothing yet.

        Wraps :libvirt:`virStreamRecv`.
        """
        nbytes = min(check_int(nbytes, "nbytes", "size_t"), RECV_MAX)
        if nbytes == 0:
            return b""
        buffer = ctypes.create_string_buffer(nbytes)
        handle = self._hold()
        try:
            got = raw.virStreamRecv(handle, buffer, nbytes)
            if got >= 0:
                return buffer.raw if got == nbytes else ctypes.string_at(buffer, got)
            if got == -2:
                return None
            self._fail()
        finally:
            raw.virStreamFree(handle)

    def recv_into(self, buffer: Buffer, nbytes: int = 0) -> int | None:
        """Read into *buffer* (writable: ``bytearray``, ``memoryview``, ``mmap``…)
        without a copy, at most *nbytes* bytes (0: the buffer's size).

        Returns how many bytes arrived: 0 at the end of the stream, None when
        a non-blocking stream has nothing yet.  A read-only buffer raises
        `TypeError`.  Wraps :libvirt:`virStreamRecv`.
        """
        array, size, target = _writable(buffer, nbytes)
        if size == 0:
            return 0
        handle = self._hold()
        try:
            got = raw.virStreamRecv(handle, array, size)
            if got >= 0:
                _copy_back(array, target, got)
                return int(got)
            if got == -2:
                return None
            self._fail()
        finally:
            raw.virStreamFree(handle)

    @overload
    def recv_flags(self, data: int, *, flags: StreamRecvFlags | int = 0
                   ) -> bytes | Literal[Hole.AT_HOLE] | None: ...

    @overload
    def recv_flags(self, data: Buffer, *, flags: StreamRecvFlags | int = 0
                   ) -> int | Literal[Hole.AT_HOLE] | None: ...

    def recv_flags(self, data: int | Buffer, *, flags: StreamRecvFlags | int = 0
                   ) -> bytes | int | Hole | None:
        """`recv` (when *data* is a size) or `recv_into` (when it is a writable
        buffer) with flags: with ``StreamRecvFlags.HOLE`` (libvirt's
        ``VIR_STREAM_RECV_STOP_AT_HOLE``) a sparse stream stops at holes and
        this returns `AT_HOLE` when the next section is one.

        Wraps :libvirt:`virStreamRecvFlags`.
        """
        flags = check_uint(flags, "flags")
        sized = isinstance(data, int)
        if sized:
            size = min(check_int(data, "data", "size_t"), RECV_MAX)
            array: Any = ctypes.create_string_buffer(max(size, 1))
            target = None
        else:
            array, size, target = _writable(data, 0, "data")
        handle = self._hold()
        try:
            got = raw.virStreamRecvFlags(handle, array, size, flags)
            if got >= 0:
                if not sized:
                    _copy_back(array, target, got)
                    return int(got)
                return array.raw if got == size > 0 else ctypes.string_at(array, got)
            if got == -2:
                return None
            if got == -3:
                return AT_HOLE
            self._fail()
        finally:
            raw.virStreamFree(handle)

    def recv_hole(self, *, flags: int = 0) -> int | None:
        """The length of the hole the sparse stream is at (after `recv_flags`
        returned `AT_HOLE`); None when a non-blocking stream would block.

        Wraps :libvirt:`virStreamRecvHole`.
        """
        flags = check_uint(flags, "flags")
        length = ctypes.c_longlong()
        handle = self._hold()
        try:
            result = raw.virStreamRecvHole(handle, ctypes.byref(length), flags)
            if result == -2:
                return None
            if result < 0:
                self._fail()
            return length.value
        finally:
            raw.virStreamFree(handle)

    def read_all(self) -> bytes:
        """Everything up to the end of the stream (blocking streams), with
        `recv_into`; the transfer is not finished (see `finish`).

        Wraps :libvirt:`virStreamRecv`.
        """
        data = bytearray()
        chunk = bytearray(_READ_CHUNK)
        view = memoryview(chunk)
        while True:
            got = self.recv_into(view)
            if got is None:
                raise BlockingIOError("read_all() needs a blocking stream")
            if got == 0:
                return bytes(data)
            data += view[:got]

    # -- sending

    def send(self, data: Buffer) -> int | None:
        """Send *data*, any bytes-like object (``bytes``, ``bytearray``,
        ``memoryview``, ``mmap``…), without copying it.

        A blocking stream sends all of it and returns its length.  A
        non-blocking one sends what it can: the number of bytes sent, or None
        when it could send nothing.  Large data goes in pieces of
        `virt.stream.SEND_CHUNK` bytes.  Wraps :libvirt:`virStreamSend`.
        """
        source = _Readable(data)
        try:
            length, sent = source.length, 0
            if length == 0:
                return 0
            handle = self._hold()
            try:
                while sent < length:
                    count = min(length - sent, SEND_CHUNK)
                    result = raw.virStreamSend(handle, source.at(sent), count)
                    if result > 0:
                        sent += result
                    elif result == -2:
                        return sent or None
                    elif result < 0:
                        self._fail()
                    else:  # nothing taken and no error: do not spin
                        break
            finally:
                raw.virStreamFree(handle)
        finally:
            source.release()
        return sent

    def send_hole(self, length: int, *, flags: int = 0) -> None:
        """Skip *length* bytes of a sparse stream: the receiver makes a hole.

        Wraps :libvirt:`virStreamSendHole`.
        """
        length = check_int(length, "length", _LLONG)
        flags = check_uint(flags, "flags")
        handle = self._hold()
        try:
            if raw.virStreamSendHole(handle, length, flags) < 0:
                self._fail()
        finally:
            raw.virStreamFree(handle)

    # -- ending

    def finish(self) -> None:
        """Complete the transfer: after the end of the stream when receiving, after
        the last `send` when sending (this waits for the other end to confirm).

        Wraps :libvirt:`virStreamFinish`.
        """
        handle = self._hold()
        try:
            if raw.virStreamFinish(handle) < 0:
                self._fail(aborted=False)
            self._transfer_open = False
        finally:
            raw.virStreamFree(handle)

    def abort(self) -> None:
        """Cancel the transfer before its end.  An event callback is removed first
        (libvirt requires it).

        Wraps :libvirt:`virStreamAbort`.
        """
        handle = self._hold()
        try:
            if self._callback_token is not None:
                self._remove_callback(handle)
            if raw.virStreamAbort(handle) < 0:
                self._fail()
            self._transfer_open = False
        finally:
            raw.virStreamFree(handle)

    def _wind_down(self, handle: Any) -> None:
        """Before freeing: no callback left, no transfer left open.  Errors are
        ignored (the connection may be gone)."""
        token = self._callback_token
        if token is not None:
            self._callback_token = None
            raw.virStreamEventRemoveCallback(handle)
            _handlers.pop(token, None)
        if self._transfer_open:
            self._transfer_open = False
            raw.virStreamAbort(handle)

    def close(self) -> None:
        """Release the stream, aborting a transfer still open (see the class).

        Calling it again does nothing.
        """
        with self._lock:
            if self.closed:  # by another thread meanwhile
                return
            handle = self._as_parameter_
            if self._generation == _objects._generation[0]:  # not the parent's, after fork()
                self._wind_down(handle)
            super().close()

    def __del__(self, _generations: list[int] = _objects._GENERATION) -> None:
        # No call can be in flight (it would hold the object), so no lock.
        # (*_generations* is bound when defined, for interpreter shutdown.)
        handle = self._as_parameter_
        if handle is not None and self._generation == _generations[0]:
            try:
                self._wind_down(handle)
            except Exception:  # a finalizer reports nothing: freeing comes next anyway
                pass
        super().__del__()

    def __exit__(self, *exc_info: object) -> None:
        try:
            if not self.closed and self._transfer_open:
                if exc_info[0] is None:
                    self.finish()
                else:
                    try:
                        self.abort()
                    except Error:
                        pass  # the exception in flight is the one to see
        finally:
            self.close()

    # -- non-blocking use

    def event_add_callback(self, events: StreamEventType | int,
                           callback: StreamEventCallback) -> None:
        """Call ``callback(stream, events)`` from the event loop whenever the
        stream has one of *events* (`virt.StreamEventType`: readable,
        writable, error, hangup).  One callback per stream.

        An event loop must run (`virt.events.start_default_loop`, or
        ``virt.aio.register``).  An exception in *callback* is reported
        through ``sys.unraisablehook``.  Wraps :libvirt:`virStreamEventAddCallback`.
        """
        events = check_int(events, "events", "int")
        if not callable(callback):
            raise TypeError("callback must be callable")
        if self._callback_token is not None:
            raise ValueError("this stream has an event callback already: use "
                             "event_update_callback, or event_remove_callback first")
        handle = self._hold()
        token = next(_tokens)
        _handlers[token] = (weakref.ref(self), callback)  # the stream itself: weakly
        # Set before libvirt knows the callback: the loop may call it, and it
        # may remove itself, before virStreamEventAddCallback even returns.
        self._callback_token = token
        try:
            if raw.virStreamEventAddCallback(handle, events, _EVENT_CALLBACK, token, _FREE) < 0:
                _handlers.pop(token, None)
                self._callback_token = None
                self._fail(aborted=False)
        finally:
            raw.virStreamFree(handle)

    def event_update_callback(self, events: StreamEventType | int) -> None:
        """Change the events the callback waits for (0: none, for now).

        Wraps :libvirt:`virStreamEventUpdateCallback`.
        """
        events = check_int(events, "events", "int")
        handle = self._hold()
        try:
            if raw.virStreamEventUpdateCallback(handle, events) < 0:
                self._fail(aborted=False)
        finally:
            raw.virStreamFree(handle)

    def event_remove_callback(self) -> None:
        """Remove the event callback.  Wraps :libvirt:`virStreamEventRemoveCallback`."""
        handle = self._hold()
        try:
            self._remove_callback(handle)
        finally:
            raw.virStreamFree(handle)

    def _remove_callback(self, handle: Any) -> None:
        token = self._callback_token
        if raw.virStreamEventRemoveCallback(handle) < 0:
            self._fail(aborted=False)
        self._callback_token = None
        if token is not None:
            _handlers.pop(token, None)

    # -- the all-in-one helpers

    def recv_all(self, sink: SinkHandler) -> None:
        """Receive to the end of the stream, calling ``sink(stream, data)`` with
        each piece (``bytes``; the sink must consume it all).

        An exception in *sink* aborts the stream and is raised here.  The
        transfer still needs `finish`.  Wraps :libvirt:`virStreamRecvAll`.
        """
        if not callable(sink):
            raise TypeError("sink must be callable")
        failure: list[BaseException] = []
        c_sink = raw.virStreamSinkFunc(self._sink_function(sink, failure))
        self._run_all_with(raw.virStreamRecvAll, failure, c_sink)

    def sparse_recv_all(self, sink: SinkHandler, hole: HoleSinkHandler) -> None:
        """`recv_all` for a sparse stream: ``hole(stream, length)`` is called for
        each hole (seek the output forward by *length*).

        An exception in either handler aborts the stream and is raised here.
        Wraps :libvirt:`virStreamSparseRecvAll`.
        """
        if not callable(sink) or not callable(hole):
            raise TypeError("sink and hole must be callable")
        failure: list[BaseException] = []
        c_sink = raw.virStreamSinkFunc(self._sink_function(sink, failure))
        c_hole = raw.virStreamSinkHoleFunc(self._length_function(hole, failure))
        self._run_all_with(raw.virStreamSparseRecvAll, failure, c_sink, c_hole)

    def send_all(self, source: SourceHandler) -> None:
        """Send everything ``source(stream, nbytes)`` returns: each call gives at
        most *nbytes* bytes (any bytes-like object), an empty one at the end.

        An exception in *source* aborts the stream and is raised here.  The
        transfer still needs `finish`.  Wraps :libvirt:`virStreamSendAll`.
        """
        if not callable(source):
            raise TypeError("source must be callable")
        failure: list[BaseException] = []
        c_source = raw.virStreamSourceFunc(self._source_function(source, failure))
        self._run_all_with(raw.virStreamSendAll, failure, c_source)

    def sparse_send_all(self, source: SourceHandler, hole: HoleSourceHandler,
                        skip: SkipHandler) -> None:
        """`send_all` for a sparse stream.  ``hole(stream)`` returns
        ``(in_data, length)``: whether the source is in data or in a hole at
        its current position, and how many bytes that section has left
        (``(False, 0)`` at the end); ``skip(stream, length)`` moves the source
        past a hole of *length* bytes, which is sent as a hole.

        An exception in any handler aborts the stream and is raised here.
        Wraps :libvirt:`virStreamSparseSendAll`.
        """
        if not (callable(source) and callable(hole) and callable(skip)):
            raise TypeError("source, hole and skip must be callable")
        failure: list[BaseException] = []

        def on_hole(_stream: Any, in_data: Any, length: Any, _opaque: Any) -> int:
            try:
                data, size = hole(self)
                in_data[0] = 1 if data else 0
                length[0] = check_int(size, "length", _LLONG)
                return 0
            except BaseException as error:  # noqa: B036 - re-raised after the C call
                failure.append(error)
                return -1

        c_source = raw.virStreamSourceFunc(self._source_function(source, failure))
        c_hole = raw.virStreamSourceHoleFunc(on_hole)
        c_skip = raw.virStreamSourceSkipFunc(self._length_function(skip, failure))
        self._run_all_with(raw.virStreamSparseSendAll, failure, c_source, c_hole, c_skip)

    def _length_function(self, handler: Callable[[Stream, int], object],
                         failure: list[BaseException]) -> Callable[..., int]:
        """A C callback passing a length to ``handler(stream, length)`` (a sink's
        hole, a source's skip); an exception is kept in *failure* for the caller."""

        def on_length(_stream: Any, length: int, _opaque: Any) -> int:
            try:
                handler(self, length)
                return 0
            except BaseException as error:  # noqa: B036 - re-raised after the C call
                failure.append(error)
                return -1

        return on_length

    def _run_all_with(self, function: Any, failure: list[BaseException],
                      *callbacks: Any) -> None:
        """Call ``virStream*All`` with *callbacks* (alive until it returns; libvirt
        calls them only meanwhile, in this thread); then re-raise a handler's
        exception (libvirt aborted the stream), or libvirt's error."""
        handle = self._hold()
        try:
            result = function(handle, *callbacks, None)
            if failure:
                self._transfer_open = False
                try:
                    raise failure[0]
                finally:
                    failure.clear()  # no reference cycle through the traceback
            if result < 0:
                self._fail()
        finally:
            raw.virStreamFree(handle)

    def _sink_function(self, sink: SinkHandler,
                       failure: list[BaseException]) -> Callable[..., int]:
        def on_data(_stream: Any, data: Any, nbytes: int, _opaque: Any) -> int:
            try:
                # a copy: libvirt's buffer must not outlive this call in Python's hands
                sink(self, ctypes.string_at(data, nbytes))
                return nbytes
            except BaseException as error:  # noqa: B036 - re-raised after the C call
                failure.append(error)
                return -1

        return on_data

    def _source_function(self, source: SourceHandler,
                         failure: list[BaseException]) -> Callable[..., int]:
        def on_data(_stream: Any, data: Any, nbytes: int, _opaque: Any) -> int:
            try:
                chunk = _Readable(source(self, nbytes), "the source's result")
                try:
                    if chunk.length > nbytes:
                        raise ValueError(f"the source returned {chunk.length} bytes where "
                                         f"at most {nbytes} were asked for")
                    if chunk.length:
                        ctypes.memmove(data, chunk.address, chunk.length)
                    return chunk.length
                finally:
                    chunk.release()
            except BaseException as error:  # noqa: B036 - re-raised after the C call
                failure.append(error)
                return -1

        return on_data

    # -- files

    def as_file(self, mode: str = "rb") -> StreamFile:
        """This stream as a file (`virt.StreamFile`): ``"rb"`` to read, ``"wb"`` to write."""
        return StreamFile(self, mode)


@guard_methods
class StreamFile(io.RawIOBase):
    """A `Stream` as an unbuffered binary file, for ``shutil.copyfileobj`` and
    anything else that reads or writes files::

        with volume_stream.as_file("wb") as out, open(path, "rb") as source:
            shutil.copyfileobj(source, out)

    ``readinto`` is `Stream.recv_into` (no copy), ``write`` is `Stream.send`;
    on a non-blocking stream they return None when they would block, as
    `io.RawIOBase` specifies.  Closing the file ends the transfer: it is
    finished, unless a read-mode file is closed before the end of the stream,
    or the ``with`` block raised, or `abort` was called — then it is aborted.
    The `Stream` itself stays open (its owner closes it).
    """

    #: Until __init__ succeeds: a file refused by it has no transfer to end
    #: when its finalizer closes it (Python 3.13's io reports errors there).
    _ended = True

    def __init__(self, stream: Stream, mode: str = "rb") -> None:
        super().__init__()
        if mode not in ("r", "rb", "w", "wb"):
            raise ValueError(f"mode must be 'rb' or 'wb', not {mode!r}")
        if not isinstance(stream, Stream):
            raise TypeError(f"stream must be a virt.Stream, not {type(stream).__name__}")
        if stream.closed:
            raise ClosedError("stream is a closed Stream")
        self.stream = stream
        self.mode = mode if mode.endswith("b") else mode + "b"
        self._eof = False
        self._ended = False

    def readable(self) -> bool:
        return self.mode == "rb"

    def writable(self) -> bool:
        return self.mode == "wb"

    def readinto(self, buffer: Buffer) -> int | None:
        """`Stream.recv_into`: the bytes read, 0 at the end, None if it would block."""
        if self.closed:
            raise ValueError("I/O operation on closed file")
        if not self.readable():
            raise io.UnsupportedOperation("not readable")
        got = self.stream.recv_into(buffer)
        if got == 0 and memoryview(buffer).nbytes:
            self._eof = True
        return got

    def readall(self) -> bytes:
        """Everything to the end of the stream, in large pieces."""
        data = bytearray()
        chunk = bytearray(_READ_CHUNK)
        view = memoryview(chunk)
        while True:
            got = self.readinto(view)
            if got is None:
                if data:
                    break
                return None  # type: ignore[return-value]  # io's convention
            if got == 0:
                break
            data += view[:got]
        return bytes(data)

    def write(self, data: Buffer) -> int | None:
        """`Stream.send`: the bytes written (all of them on a blocking stream)."""
        if self.closed:
            raise ValueError("I/O operation on closed file")
        if not self.writable():
            raise io.UnsupportedOperation("not writable")
        return self.stream.send(data)

    def abort(self) -> None:
        """Abort the transfer, and close."""
        if not self._ended:
            self._ended = True
            self.stream.abort()
        super().close()

    def close(self) -> None:
        """End the transfer (see the class) and close the file."""
        if self.closed:
            return
        try:
            if not self._ended and not self.stream.closed:  # a closed stream has ended
                self._ended = True
                if self.readable() and not self._eof:
                    self.stream.abort()
                else:
                    self.stream.finish()
        finally:
            super().close()

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        if exc_type is not None and not self.closed:
            try:
                self.abort()
            except Error:
                super().close()  # the exception in flight is the one to see
        else:
            self.close()

    def __repr__(self) -> str:
        return f"<virt.StreamFile mode={self.mode!r} {self.stream!r}>"
