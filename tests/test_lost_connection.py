"""A daemon that goes away: every failure is a ConnectionError, close() stays quiet.

Each test here kills a session daemon of its own (the function-scoped
``doomed`` fixture), reached through its test driver
(``test+unix:///default?socket=…``), so the session-wide daemon the other
modules share keeps running.  libvirt's default event loop runs for the
module: it is what delivers `virt.ConnectionClosed` and runs keepalive.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import virt
from rig import SessionDaemon

pytestmark = pytest.mark.usefixtures("default_loop")

KILLS = [pytest.param(signal.SIGTERM, id="SIGTERM"), pytest.param(signal.SIGKILL, id="SIGKILL")]


@pytest.fixture
def doomed(libvirtd: SessionDaemon) -> Iterator[SessionDaemon]:
    """A session daemon for one test, which may kill it (the shared one seeds its caches)."""
    with SessionDaemon(capabilities_from=libvirtd) as daemon:
        yield daemon
        pid = daemon.pid
        if pid is not None:  # stopped by the test (SIGSTOP): end it without waiting
            os.kill(pid, signal.SIGKILL)


def kill(daemon: SessionDaemon, sig: signal.Signals) -> None:
    pid = daemon.pid
    assert pid is not None
    os.kill(pid, sig)
    deadline = time.monotonic() + 15
    while daemon.pid is not None:
        assert time.monotonic() < deadline, "the daemon did not die"
        time.sleep(0.02)


def wait_for(predicate: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("sig", KILLS)
def test_calls_after_the_daemon_died_raise_connection_errors(
        doomed: SessionDaemon, sig: signal.Signals) -> None:
    conn = virt.connect(doomed.test_uri)
    closed: list[virt.ConnectionClosed] = []
    conn.subscribe(virt.ConnectionClosed, closed.append)
    conn.subscribe(virt.DomainLifecycle, lambda event: None)
    conn.subscribe(virt.NetworkLifecycle, lambda event: None)
    assert conn.get_hostname()
    kill(doomed, sig)
    wait_for(lambda: bool(closed))
    assert closed[0].reason is virt.ConnectCloseReason.EOF
    for call in (conn.get_hostname, conn.list_all_domains, conn.get_version):
        with pytest.raises(ConnectionError) as caught:
            call()
        error = caught.value
        assert isinstance(error, virt.ClosedSocketError)
        assert isinstance(error, virt.InternalError)  # what libvirt's code says, still
        assert error.domain is virt.ErrorDomain.RPC
    conn.close()  # ends three subscriptions on a dead connection: no error
    assert conn.closed


def test_with_block_shows_the_error_that_ended_it(doomed: SessionDaemon) -> None:
    with pytest.raises(ConnectionError, match="socket is closed"):
        with virt.connect(doomed.test_uri) as conn, \
                conn.subscribe(virt.DomainLifecycle, lambda event: None):
            kill(doomed, signal.SIGKILL)
            wait_for(lambda: not conn.is_alive())
            conn.get_hostname()
    assert conn.closed


@pytest.mark.parametrize("sig", KILLS)
def test_a_call_in_flight_when_the_daemon_dies(doomed: SessionDaemon,
                                               sig: signal.Signals) -> None:
    conn = virt.connect(doomed.test_uri)
    conn.subscribe(virt.DomainLifecycle, lambda event: None)
    pid = doomed.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the call below is sent, and waits for its answer
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            conn.get_hostname()
        except BaseException as error:  # noqa: B036 - examined by the test
            outcome.append(error)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive()
    os.kill(pid, sig)
    if sig != signal.SIGKILL:  # (a killed process may be reaped already: no pid to signal)
        os.kill(pid, signal.SIGCONT)  # a stopped process acts on SIGTERM once continued
    thread.join(15)
    assert not thread.is_alive()
    if sig == signal.SIGKILL or outcome:
        assert len(outcome) == 1 and isinstance(outcome[0], ConnectionError), outcome
        assert isinstance(outcome[0], (virt.SocketSystemError, virt.ClosedSocketError))
    # (SIGTERM: libvirtd may answer the call in flight before it exits)
    wait_for(lambda: doomed.pid is None)
    with pytest.raises(ConnectionError):
        conn.get_hostname()
    conn.close()
    assert conn.closed


def test_keepalive_ends_a_call_to_a_daemon_that_hangs(doomed: SessionDaemon) -> None:
    conn = virt.connect(doomed.test_uri, keepalive=(1, 2))
    closed: list[virt.ConnectionClosed] = []
    conn.subscribe(virt.ConnectionClosed, closed.append)
    pid = doomed.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # alive but silent: only keepalive can tell
    began = time.monotonic()
    with pytest.raises(ConnectionError, match="keepalive"):
        conn.get_hostname()
    assert time.monotonic() - began < 1 * (2 + 1) + 3
    wait_for(lambda: bool(closed))
    assert closed[0].reason is virt.ConnectCloseReason.KEEPALIVE
    conn.close()


def test_keepalive_is_on_by_default(doomed: SessionDaemon, monkeypatch: pytest.MonkeyPatch) -> None:
    """`connect` without *keepalive* uses ``virt.connection.KEEPALIVE`` (5 s, 5
    probes; shortened here so that the test takes seconds, not 30)."""
    monkeypatch.setattr(virt.connection, "KEEPALIVE", (1, 1))
    conn = virt.connect(doomed.test_uri)
    pid = doomed.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    began = time.monotonic()
    with pytest.raises(ConnectionError, match="keepalive"):
        conn.list_all_domains()
    assert time.monotonic() - began < 1 * (1 + 1) + 3
    conn.close()


def test_keepalive_is_checked_and_skipped_where_libvirt_has_none() -> None:
    for bad, error in (((5,), TypeError), ([5, 5], TypeError), ((0, 5), ValueError),
                       ((5, -1), OverflowError), ((2**31, 5), OverflowError),
                       (("5", 5), TypeError)):
        with pytest.raises(error, match="keepalive"):
            virt.connect("test:///default", keepalive=bad)  # type: ignore[arg-type]
    # the test driver has no keepalive: connecting works and leaves no error behind
    with virt.connect("test:///default") as conn:
        assert conn.get_hostname()
    assert virt.errors.last_error() is None
    virt.connect("test:///default", keepalive=None).close()


def test_errors_meaning_the_connection_is_gone() -> None:
    """Decided by code and domain; by message only for the RPC layer's internal
    errors, which have no code of their own."""
    from virt._lost import error_class

    rpc, remote, storage = (int(virt.ErrorDomain.RPC), int(virt.ErrorDomain.REMOTE),
                            int(virt.ErrorDomain.STORAGE))
    system, internal = int(virt.ErrorNumber.SYSTEM_ERROR), int(virt.ErrorNumber.INTERNAL_ERROR)
    assert error_class(system, rpc, "Cannot recv data: Connection reset by peer") \
        is virt.SocketSystemError
    assert error_class(system, remote, "End of file while reading data") is virt.SocketSystemError
    assert error_class(system, storage, "cannot open volume") is virt.SystemCallError
    assert error_class(internal, rpc, "internal error: client socket is closed") \
        is virt.ClosedSocketError
    assert error_class(internal, rpc, "internal error: connection closed due to keepalive "
                                      "timeout") is virt.ClosedSocketError
    assert error_class(internal, rpc, "internal error: unexpected message") is virt.InternalError
    for code in (virt.ErrorNumber.RPC, virt.ErrorNumber.NO_CONNECT):
        assert issubclass(error_class(int(code), rpc, ""), ConnectionError)
    for cls in (virt.SocketSystemError, virt.ClosedSocketError):
        assert issubclass(cls, ConnectionError) and issubclass(cls, virt.ConnectionLostError)
        error = cls("gone", code=cls.code_number, domain=rpc)
        assert pickle.loads(pickle.dumps(error)).code == error.code
