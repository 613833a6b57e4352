"""libvirt-python's streams: ``virStream`` and the stream methods of
``virConnect``, ``virDomain`` and ``virStorageVol``, as mixins of the compat
classes, on the core's `virt.Stream`.

The official return conventions: ``recv`` and ``recvFlags`` return ``bytes``
(``b""`` at the end), ``-2`` when a non-blocking stream would block and
(``recvFlags`` with ``VIR_STREAM_RECV_STOP_AT_HOLE``) ``-3`` at a hole;
the other calls return ``0`` or raise.  The all-in-one helpers call
``handler(stream, …, opaque)``; a handler that returns a negative number
or raises aborts the stream, and the error comes out of the helper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import virt
from virt import raw
from virt._marshal import check_handle, check_optional_str, check_uint, raise_last_error
from virt._stream_methods import _DomainStreamMethods, _StorageVolStreamMethods

from ._base import libvirtError, take

__all__ = ["ConnectStreamMixin", "DomainStreamMixin", "StorageVolStreamMixin", "StreamMixin"]

#: The core class, untyped: the mixins call its methods on compat instances.
_Stream: Any = virt.Stream
_Domain: Any = _DomainStreamMethods
_Volume: Any = _StorageVolStreamMethods
_Connection: Any = virt.Connection


def _checked(result: Any, what: str) -> Any:
    """*result* of a user's handler; a negative number is a failure."""
    if isinstance(result, int) and not isinstance(result, bool) and result < 0:
        raise RuntimeError(f"{what} returned {result}")
    return result


def _report() -> None:
    import sys

    sys.excepthook(*sys.exc_info())


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
        if not callable(cb):
            raise TypeError(f"cb must be callable, not {type(cb).__name__}")

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

    # -- the all-in-one helpers

    def recvAll(self, handler: Callable[[Any, bytes, Any], Any], opaque: Any) -> None:  # noqa: N802
        """Receive to the end of the stream, calling ``handler(stream, data,
        opaque)`` with each piece.  The stream still needs `finish`.  Wraps
        :libvirt:`virStreamRecvAll`."""
        if not callable(handler):
            raise TypeError("handler must be callable")
        self._blocking("recvAll")
        _Stream.recv_all(self, lambda stream, data: _checked(
            handler(stream, data, opaque), "recvAll handler"))

    def sendAll(self, handler: Callable[[Any, int, Any], Any], opaque: Any) -> None:  # noqa: N802
        """Send what ``handler(stream, nbytes, opaque)`` returns until it returns
        nothing.  The stream still needs `finish`.  Wraps :libvirt:`virStreamSendAll`."""
        if not callable(handler):
            raise TypeError("handler must be callable")
        self._blocking("sendAll")

        def source(stream: Any, nbytes: int) -> Any:
            data = _checked(handler(stream, nbytes, opaque), "sendAll handler")
            return data.encode() if isinstance(data, str) else data

        _Stream.send_all(self, source)

    def sparseRecvAll(self, handler: Callable[[Any, bytes, Any], Any],  # noqa: N802
                      holeHandler: Callable[[Any, int, Any], Any],  # noqa: N803
                      opaque: Any) -> None:
        """`recvAll` for a sparse stream; ``holeHandler(stream, length, opaque)``
        for each hole.  Wraps :libvirt:`virStreamSparseRecvAll`."""
        if not callable(handler) or not callable(holeHandler):
            raise TypeError("handler and holeHandler must be callable")
        self._blocking("sparseRecvAll")
        _Stream.sparse_recv_all(
            self,
            lambda stream, data: _checked(handler(stream, data, opaque),
                                          "sparseRecvAll handler"),
            lambda stream, length: _checked(holeHandler(stream, length, opaque),
                                            "holeHandler handler"))

    def sparseSendAll(self, handler: Callable[[Any, int, Any], Any],  # noqa: N802
                      holeHandler: Callable[[Any, Any], Any],  # noqa: N803
                      skipHandler: Callable[[Any, int, Any], Any],  # noqa: N803
                      opaque: Any) -> None:
        """`sendAll` for a sparse stream: ``holeHandler(stream, opaque)`` returns
        ``[inData, sectionLen]``, ``skipHandler(stream, length, opaque)`` moves
        past a hole.  Wraps :libvirt:`virStreamSparseSendAll`."""
        if not (callable(handler) and callable(holeHandler) and callable(skipHandler)):
            raise TypeError("handler, holeHandler and skipHandler must be callable")
        self._blocking("sparseSendAll")

        def source(stream: Any, nbytes: int) -> Any:
            data = _checked(handler(stream, nbytes, opaque), "sparseSendAll handler")
            return data.encode() if isinstance(data, str) else data

        def hole(stream: Any) -> tuple[bool, int]:
            in_data, length = holeHandler(stream, opaque)
            return bool(in_data), length

        _Stream.sparse_send_all(
            self, source, hole,
            lambda stream, length: _checked(skipHandler(stream, length, opaque),
                                            "skipHandler handler"))

    def _blocking(self, name: str) -> None:
        """libvirt-python's all-in-one helpers refuse non-blocking streams."""
        flags = self.__dict__.get("_compat_flags", 0)
        if flags & raw.VIR_STREAM_NONBLOCK:
            raise libvirtError(f"cannot use {name} with nonblocking stream")


class ConnectStreamMixin:
    """``virConnect.newStream``."""

    __slots__ = ()

    def newStream(self, flags: int = 0) -> Any:  # noqa: N802
        """A new stream (``VIR_STREAM_NONBLOCK``: non-blocking).  Wraps :libvirt:`virStreamNew`."""
        stream = take(_Connection.new_stream(self, flags=flags))
        stream.__dict__["_compat_flags"] = flags
        return stream


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
        name_c = check_optional_str(name, what)
        handle = check_handle(stream, _Stream, "st")
        if function(self._as_parameter_, name_c, handle, check_uint(flags, "flags")) < 0:
            raise_last_error()
        return 0

    def openConsole(self, dev_name: str | None, st: Any, flags: int = 0) -> int:  # noqa: N802
        """Connect *st* to the console *dev_name* (None: the first).  Wraps
        :libvirt:`virDomainOpenConsole`."""
        return self._open(raw.virDomainOpenConsole, dev_name, "dev_name", st, flags)

    def openChannel(self, name: str | None, st: Any, flags: int = 0) -> int:  # noqa: N802
        """Connect *st* to the channel *name* (None: the first).  Wraps
        :libvirt:`virDomainOpenChannel`."""
        return self._open(raw.virDomainOpenChannel, name, "name", st, flags)


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
