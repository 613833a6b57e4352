"""virt.compat's streams against the official binding, on the test driver.

The test driver's screenshot is a real stream (a local file behind it): read
blocking with ``recv`` and ``recvAll``, and non-blocking with
``eventAddCallback``, through both bindings in fresh processes
(tests/compat_event_scenarios.py).  Volume transfers, sparse streams and
consoles need the daemon: tests/test_compat_stream_daemon.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from differential import same

import virt
import virt.compat as libvirt
import virt.events


def test_screenshot_recv_and_recv_all(oracle: Any) -> None:
    result = same("stream_screenshot")
    assert result["stream"] == ["virStream", True, True]
    assert result["mime"] == ["str", "image/png"]
    assert result["data"][0] > 1000
    assert result["after the end"] == ["bytes", ""]
    assert result["finish"] == ["int", 0] and result["abort"] == ["int", 0]
    assert result["pieces"][0] == result["data"][0]
    assert result["raising"][0] == "ZeroDivisionError"
    assert result["negative"] == ["RuntimeError", "recvAll handler returned -1"]
    assert result["send without transfer"][0] == "libvirtError"


def test_nonblocking_stream_with_an_event_callback(oracle: Any) -> None:
    result = same("stream_nonblocking")
    assert result["done"] and result["received"] > 1000
    assert result["callback shapes"] == ['[true, "int", "nb"]']


# -- in process ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def conn() -> Iterator[Any]:
    virt.events.start_default_loop()
    connection = libvirt.open("test:///default")
    yield connection
    connection.close()
    virt.events.stop_default_loop()


def screenshot_stream(conn: Any, flags: int = 0) -> Any:
    stream = conn.newStream(flags)
    assert conn.lookupByName("test").screenshot(stream, 0) == "image/png"
    return stream


def test_compat_streams_are_core_streams(conn: Any) -> None:
    stream = screenshot_stream(conn)
    assert issubclass(type(stream), virt.Stream) and type(stream).__module__ == "libvirt"
    first = stream.recv(8)
    assert first == b"\x89PNG\r\n\x1a\n"
    buffer = bytearray(16)
    assert stream.recv_into(buffer) == 16  # the core's method, on the same object
    stream.attribute = "programs may set attributes"
    assert stream.attribute == "programs may set attributes"
    assert stream.abort() == 0
    stream.close()


def test_text_is_sent_as_utf8_and_bad_input_is_refused(conn: Any) -> None:
    stream = conn.newStream(0)
    with pytest.raises(libvirt.libvirtError):
        stream.send("text")  # accepted as UTF-8, then refused by the test driver
    with pytest.raises(TypeError):
        stream.send(42)
    with pytest.raises(OverflowError):
        stream.recv(-1)
    with pytest.raises(TypeError, match="handler must be callable"):
        stream.recvAll(None, None)
    with pytest.raises(TypeError, match="skipHandler must be callable"):
        stream.sparseSendAll(print, print, None, None)
    with pytest.raises(TypeError, match="cb must be callable"):
        stream.eventAddCallback(libvirt.VIR_STREAM_EVENT_READABLE, None, None)
    with pytest.raises(TypeError, match="st must be"):
        conn.lookupByName("test").openConsole(None, "not a stream", 0)
    with pytest.raises(OverflowError, match="flags"):
        conn.newStream(-1)
    stream.abort()


def test_an_exception_in_a_stream_callback_is_printed(conn: Any,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    stream = screenshot_stream(conn, libvirt.VIR_STREAM_NONBLOCK)
    called = threading.Event()

    def callback(st: Any, events: int, opaque: Any) -> None:
        st.eventRemoveCallback()
        called.set()
        raise ValueError(f"boom in a stream callback: {opaque}")

    stream.eventAddCallback(libvirt.VIR_STREAM_EVENT_READABLE, callback, "op")
    assert called.wait(10)
    printed = ""
    deadline = time.monotonic() + 10  # printed by the loop's thread, after the raise
    while "ValueError: boom in a stream callback: op" not in printed:
        assert time.monotonic() < deadline, printed
        time.sleep(0.01)
        printed += capsys.readouterr().err
    stream.abort()
    stream.close()


def test_the_handlers_of_a_sparse_receive(conn: Any) -> None:
    """On a local stream libvirt refuses to stop at holes: the error comes out
    of sparseRecvAll, and the handlers were not called."""
    stream = screenshot_stream(conn)
    calls: list[Any] = []
    with pytest.raises(libvirt.libvirtError):
        stream.sparseRecvAll(lambda *args: calls.append(args), lambda *args: calls.append(args),
                             None)
    assert calls == []
