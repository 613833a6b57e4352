"""An exception raised by a user's callback that libvirt calls goes to the
``virt`` logger (level ERROR, with the traceback) and to ``sys.unraisablehook``.

On the test driver, in process, with libvirt's default loop in a thread.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

import pytest

import virt

DOMAIN_XML = ("<domain type='test'><name>{name}</name><memory>65536</memory>"
              "<os><type>hvm</type></os></domain>")

pytestmark = pytest.mark.usefixtures("default_loop")

#: Whether ctypes reports an exception escaping a callback to sys.unraisablehook
#: (PyPy's prints it to standard error itself).
CPYTHON = sys.implementation.name == "cpython"


def wait_for(predicate: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[BaseException | None]:
    """What reaches ``sys.unraisablehook`` during the test (instead of pytest's hook)."""
    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda args: reported.append(args.exc_value))
    return reported


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "virt" and r.levelno == logging.ERROR]


def test_an_event_callback_error_is_logged_and_unraisable(
        conn: virt.Connection, caplog: pytest.LogCaptureFixture,
        unraisable: list[BaseException | None]) -> None:
    def broken(event: virt.DomainLifecycle) -> None:
        raise RuntimeError(f"broken on {event.event.name}")

    with caplog.at_level(logging.ERROR, logger="virt"), \
            conn.subscribe(virt.DomainLifecycle, broken):
        conn.domain_define_xml(DOMAIN_XML.format(name="logged")).undefine()
        wait_for(lambda: len(errors_logged(caplog)) >= 2)
    record = errors_logged(caplog)[0]
    assert "event callback" in record.getMessage()
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
    assert "broken on DEFINED" in str(record.exc_info[1])
    if CPYTHON:  # PyPy's ctypes prints the traceback itself instead
        assert all(isinstance(error, RuntimeError) for error in unraisable)


def test_an_error_handler_error_is_logged(
        conn: virt.Connection, caplog: pytest.LogCaptureFixture,
        unraisable: list[BaseException | None]) -> None:
    def broken(error: virt.Error) -> None:
        raise KeyError(error.message)

    virt.errors.set_error_handler(broken)
    try:
        with caplog.at_level(logging.ERROR, logger="virt"), \
                pytest.raises(virt.NoDomainError):
            conn.domain_lookup_by_name("no-such-domain")
    finally:
        virt.errors.set_error_handler(None)
    logged = errors_logged(caplog)
    assert logged and "error handler" in logged[0].getMessage()
    assert logged[0].exc_info is not None and isinstance(logged[0].exc_info[1], KeyError)
    if CPYTHON:
        assert any(isinstance(error, KeyError) for error in unraisable)


#: A program whose event callback raises once, then exits.
FAILING_CALLBACK = textwrap.dedent("""
    import time, virt, virt.events
    virt.events.start_default_loop()
    conn = virt.connect("test:///default")
    done = []
    def broken(event):
        done.append(event)
        raise RuntimeError("callback failed")
    with conn.subscribe(virt.DomainLifecycle, broken):
        conn.domain_define_xml(
            "<domain type='test'><name>x</name><memory>65536</memory>"
            "<os><type>hvm</type></os></domain>")
        while not done:
            time.sleep(0.01)
        time.sleep(0.2)
""")


def run_failing_callback(prelude: str = "") -> str:
    """The standard error of `FAILING_CALLBACK` after *prelude*."""
    result = subprocess.run([sys.executable, "-c", prelude + FAILING_CALLBACK],
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stderr


def test_nothing_is_printed_twice_without_logging_configured() -> None:
    # The virt logger has a NullHandler: logging's last-resort handler does
    # not print the record too; the unraisable hook prints it once.
    stderr = run_failing_callback()
    assert stderr.count("RuntimeError: callback failed") == 1, stderr


def test_logging_configured_shows_the_traceback() -> None:
    stderr = run_failing_callback(
        "import logging\nlogging.basicConfig(format='%(name)s %(levelname)s %(message)s')\n")
    assert "virt ERROR exception in event callback" in stderr, stderr
    assert stderr.count("RuntimeError: callback failed") == 2, stderr
