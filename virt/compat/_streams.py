"""libvirt-python's streams: ``virStream`` and the stream methods of
``virConnect``, ``virDomain`` and ``virStorageVol``, as mixins of the compat
classes, on the core's `virt.Stream`.

The official return conventions: ``recv`` and ``recvFlags`` return ``bytes``
(``b""`` at the end), ``-2`` when a non-blocking stream would block and
(``recvFlags`` with ``VIR_STREAM_RECV_STOP_AT_HOLE``) ``-3`` at a hole;
the other calls return ``0`` or raise.  The all-in-one helpers call
``handler(stream, …, opaque)``; a handler that returns a negative number
or raises aborts the stream, and the error comes out of the helper.  Like
the official binding's, they loop over ``recv``/``send`` (not libvirt's
``virStream*All``, which refuses non-blocking streams outright), asking for
`BUFFER_SIZE` bytes at a time.
"""

from __future__ import annotations

import virt
from virt import raw
from virt._marshal import (
    check_handle,
    check_optional_str,
    check_uint,
    raise_last_error,
    refuse_self,
)
from virt._stream_methods import _DomainStreamMethods, _StorageVolStreamMethods

from ._base import CoreFunctions, compat_class, libvirtError
from ._base import report as _report

TYPE_CHECKING = False  # typing's, without importing typing (~2 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["ConnectStreamMixin", "DomainStreamMixin", "StorageVolStreamMixin", "StreamMixin"]

#: The core class, untyped: the mixins call its methods on compat instances.
_Stream: Any = CoreFunctions("Stream")  # virt.stream is imported on first use
_Domain: Any = _DomainStreamMethods
_Volume: Any = _StorageVolStreamMethods


#: The most bytes the all-in-one helpers ask for at a time (libvirt-python's
#: ``virStorageVol.streamBufSize``: one RPC message of payload).
BUFFER_SIZE = 262120


def _callable(value: Any, name: str) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable, not {type(value).__name__}")


class StreamMixin:
    """The methods of ``virStream``."""

    __slots__ = ()

    def recv(self, nbytes: int) -> bytes | int:
        """Up to *nbytes* bytes: ``b""`` at the end of the stream, ``-2`` when a
        non-blocking stream has nothing yet.  Wraps :libvirt:`virStreamRecv`."""
        data = _Stream.recv(self, nbytes)
        return -2 if data is None else data

    def recvFlags(self, nbytes: int, flags: int = 0) -> bytes | int:  # noqa: N802
        """`recv` with *flags*: with ``VIR_STREAM_RECV_STOP_AT_HOLE``, ``-3`` when
        the stream is at a hole (see `recvHole`).  Wraps :libvirt:`virStreamRecvFlags`."""
        data = _Stream.recv_flags(self, nbytes, flags=flags)
        if data is None:
            return -2
        if data is virt.stream.AT_HOLE:
            return -3
        return data  # type: ignore[no-any-return]

    def recvHole(self, flags: int = 0) -> int:  # noqa: N802
        """The length of the hole the stream is at.  Wraps :libvirt:`virStreamRecvHole`."""
        length = _Stream.recv_hole(self, flags=flags)
        return -2 if length is None else length

    def send(self, data: bytes) -> int:
        """Send *data*; returns how many bytes went (``-2``: none, a
        non-blocking stream would block).  Wraps :libvirt:`virStreamSend`."""
        if isinstance(data, str):  # the official binding takes text as UTF-8
            data = data.encode()
        sent = _Stream.send(self, data)
        return -2 if sent is None else sent

    def sendHole(self, length: int, flags: int = 0) -> int:  # noqa: N802
        """Have the receiver make a hole of *length* bytes.  Wraps :libvirt:`virStreamSendHole`."""
        _Stream.send_hole(self, length, flags=flags)
        return 0

    def finish(self) -> int:
        """Complete the transfer.  Wraps :libvirt:`virStreamFinish`."""
        _Stream.finish(self)
        return 0

    def abort(self) -> int:
        """Cancel the transfer.  Wraps :libvirt:`virStreamAbort`."""
        _Stream.abort(self)
        return 0

    # -- non-blocking use

    def eventAddCallback(self, events: int, cb: Callable[[Any, int, Any], object],  # noqa: N802
                         opaque: Any) -> None:
        """Call ``cb(stream, events, opaque)`` from the event loop when the
        stream has one of *events* (``VIR_STREAM_EVENT_*``).  Wraps
        :libvirt:`virStreamEventAddCallback`."""
        _callable(cb, "cb")

        def deliver(stream: Any, ready: int) -> None:
            try:
                cb(stream, int(ready), opaque)
            except BaseException:  # noqa: B036 - printed, as the official binding does
                _report()

        _Stream.event_add_callback(self, events, deliver)
        self.__dict__["cb"] = cb  # libvirt-python keeps it there

    def eventUpdateCallback(self, events: int) -> int:  # noqa: N802
        """Change the events the callback waits for.  Wraps
        :libvirt:`virStreamEventUpdateCallback`."""
        _Stream.event_update_callback(self, events)
        return 0

    def eventRemoveCallback(self) -> int:  # noqa: N802
        """Remove the event callback.  Wraps :libvirt:`virStreamEventRemoveCallback`."""
        _Stream.event_remove_callback(self)
        self.__dict__.pop("cb", None)
        return 0

    # -- the all-in-one helpers (blocking streams; loops over recv and send, so
    # that a non-blocking stream fails only when it would actually block)

    def _abort_quietly(self) -> None:
        try:
            _Stream.abort(self)
        except Exception:  # the exception of the handler is the one to see
            pass

    def _fail_handler(self, what: str, result: Any) -> Any:
        """*result* of a user's handler, which failed if it is a negative number."""
        if isinstance(result, int) and not isinstance(result, bool) and result < 0:
            self._abort_quietly()
            raise RuntimeError(f"{what} returned {result}")
        return result

    def recvAll(self, handler: Callable[[Any, bytes, Any], Any], opaque: Any) -> None:  # noqa: N802
        """Receive to the end of the stream, calling ``handler(stream, data,
        opaque)`` with each piece.  The stream still needs `finish`.  Wraps
        :libvirt:`virStreamRecv`."""
        if not isinstance(self, virt.Stream):
            refuse_self(self, "virStream")
        _callable(handler, "handler")
        while True:
            data = self.recv(BUFFER_SIZE)
            if isinstance(data, int):  # -2
                raise libvirtError("cannot use recvAll with nonblocking stream")
            if not data:
                return
            try:
                result = handler(self, data, opaque)
            except BaseException:
                self._abort_quietly()
                raise
            self._fail_handler("recvAll handler", result)

    def sendAll(self, handler: Callable[[Any, int, Any], Any], opaque: Any) -> None:  # noqa: N802
        """Send what ``handler(stream, nbytes, opaque)`` returns until it returns
        nothing.  The stream still needs `finish`.  Wraps :libvirt:`virStreamSend`."""
        if not isinstance(self, virt.Stream):
            refuse_self(self, "virStream")
        _callable(handler, "handler")
        while True:
            try:
                data = handler(self, BUFFER_SIZE, opaque)
            except BaseException:
                self._abort_quietly()
                raise
            if not data:
                return
            if self.send(data) == -2:
                raise libvirtError("cannot use sendAll with nonblocking stream")

    def sparseRecvAll(self, handler: Callable[[Any, bytes, Any], Any],  # noqa: N802
                      holeHandler: Callable[[Any, int, Any], Any],  # noqa: N803
                      opaque: Any) -> None:
        """`recvAll` for a sparse stream; ``holeHandler(stream, length, opaque)``
        for each hole.  Wraps :libvirt:`virStreamRecvFlags` and
        :libvirt:`virStreamRecvHole`."""
        if not isinstance(self, virt.Stream):
            refuse_self(self, "virStream")
        _callable(handler, "handler")
        _callable(holeHandler, "holeHandler")
        while True:
            data = self.recvFlags(BUFFER_SIZE, raw.VIR_STREAM_RECV_STOP_AT_HOLE)
            if data == -2:
                raise libvirtError("cannot use sparseRecvAll with nonblocking stream")
            try:
                if isinstance(data, int):  # -3
                    self._fail_handler("holeHandler handler",
                                       holeHandler(self, self.recvHole(), opaque))
                    continue
                if not data:
                    return
                result = handler(self, data, opaque)
            except BaseException:
                self._abort_quietly()
                raise
            self._fail_handler("sparseRecvAll handler", result)

    def sparseSendAll(self, handler: Callable[[Any, int, Any], Any],  # noqa: N802
                      holeHandler: Callable[[Any, Any], Any],  # noqa: N803
                      skipHandler: Callable[[Any, int, Any], Any],  # noqa: N803
                      opaque: Any) -> None:
        """`sendAll` for a sparse stream: ``holeHandler(stream, opaque)`` returns
        ``[inData, sectionLen]`` for the source's position, ``skipHandler(stream,
        length, opaque)`` moves it past a hole, ``handler(stream, nbytes,
        opaque)`` reads data.  Wraps :libvirt:`virStreamSend` and
        :libvirt:`virStreamSendHole`."""
        if not isinstance(self, virt.Stream):
            refuse_self(self, "virStream")
        _callable(handler, "handler")
        _callable(holeHandler, "holeHandler")
        _callable(skipHandler, "skipHandler")
        while True:
            try:
                in_data, length = holeHandler(self, opaque)
                if not in_data and length > 0:
                    self.sendHole(length)
                    self._fail_handler("skipHandler handler", skipHandler(self, length, opaque))
                    continue
                data = handler(self, min(BUFFER_SIZE, length), opaque)
            except BaseException:
                self._abort_quietly()
                raise
            self._fail_handler("sparseSendAll handler", data)
            if not data:
                return
            if self.send(data) == -2:
                raise libvirtError("cannot use sparseSendAll with nonblocking stream")


class ConnectStreamMixin:
    """``virConnect.newStream``."""

    __slots__ = ()

    _as_parameter_: Any

    def newStream(self, flags: int = 0) -> Any:  # noqa: N802
        """A new stream (``VIR_STREAM_NONBLOCK``: non-blocking).  Wraps :libvirt:`virStreamNew`."""
        if not isinstance(self, virt.Connection):
            refuse_self(self, "virConnect")
        handle = raw.virStreamNew(self._as_parameter_, check_uint(flags, "flags")).value
        if not handle:
            raise_last_error()
        # The stream's own _own sets up its state (its lock, its transfer flag).
        return compat_class(virt.Stream)._own(handle, self)


class DomainStreamMixin:
    """``virDomain.screenshot``, ``openConsole`` and ``openChannel``."""

    __slots__ = ()

    _as_parameter_: Any

    def screenshot(self, stream: Any, screen: int, flags: int = 0) -> str:
        """Start sending a screenshot of *screen* into *stream*; returns its
        MIME type.  Wraps :libvirt:`virDomainScreenshot`."""
        mime_type: str = _Domain.screenshot_stream(self, stream, screen, flags=flags)
        return mime_type

    def _open(self, function: Any, name: str | None, what: str, stream: Any,
              flags: int) -> int:
        if not isinstance(self, virt.Domain):  # (openConsole's or openChannel's self)
            refuse_self(self, "virDomain")
        name_c = check_optional_str(name, what)
        handle = check_handle(stream, _Stream._core, "st")
        if function(self._as_parameter_, name_c, handle, check_uint(flags, "flags")) < 0:
            raise_last_error()
        return 0

    def openConsole(self, dev_name: str | None, st: Any, flags: int = 0) -> int:  # noqa: N802
        """Connect *st* to the console *dev_name* (None: the first).  Wraps
        :libvirt:`virDomainOpenConsole`."""
        return DomainStreamMixin._open(self, raw.virDomainOpenConsole, dev_name, "dev_name", st,
                                       flags)

    def openChannel(self, name: str | None, st: Any, flags: int = 0) -> int:  # noqa: N802
        """Connect *st* to the channel *name* (None: the first).  Wraps
        :libvirt:`virDomainOpenChannel`."""
        return DomainStreamMixin._open(self, raw.virDomainOpenChannel, name, "name", st, flags)


class StorageVolStreamMixin:
    """``virStorageVol.download`` and ``upload``."""

    __slots__ = ()

    def download(self, stream: Any, offset: int, length: int, flags: int = 0) -> int:
        """Start sending the volume's bytes into *stream*.  Wraps
        :libvirt:`virStorageVolDownload`."""
        _Volume.download(self, stream, offset, length,
                                          flags=flags)
        return 0

    def upload(self, stream: Any, offset: int, length: int, flags: int = 0) -> int:
        """Start writing what *stream* receives into the volume.  Wraps
        :libvirt:`virStorageVolUpload`."""
        _Volume.upload(self, stream, offset, length,
                                        flags=flags)
        return 0
