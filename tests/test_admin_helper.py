"""The admin helper process: errors cross it, it restarts, and it ends with its program."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import virt
from virt._admin_remote import Channel

NO_DAEMON = "libvirtd+unix:///session?socket=/nonexistent/virt-test-admin-sock"


def in_process_error() -> list[str]:
    """What libvirt-admin raises in-process for NO_DAEMON (in a fresh process):
    the exception's class name, code and domain."""
    code = textwrap.dedent(f"""
        import virt
        try:
            virt.admin.connect({NO_DAEMON!r}, in_process=True)
        except virt.Error as error:
            print(type(error).__name__, int(error.code), int(error.domain))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    return out


def test_an_error_in_the_helper_is_the_in_process_error() -> None:
    with pytest.raises(virt.Error) as raised:
        virt.admin.connect(NO_DAEMON)
    error = raised.value
    assert [type(error).__name__, str(int(error.code)), str(int(error.domain))] == \
        in_process_error()
    assert error.message


def test_bad_arguments_are_refused_before_the_helper() -> None:
    with pytest.raises(TypeError, match="uri"):
        virt.admin.connect(42)  # type: ignore[arg-type]
    with pytest.raises(OverflowError, match="flags"):
        virt.admin.connect(NO_DAEMON, flags=-1)


def test_a_killed_helper_fails_calls_and_is_restarted() -> None:
    assert virt.admin.get_version() == virt.get_version()
    channel = Channel.get()
    os.kill(channel.process.pid, signal.SIGKILL)
    channel.process.wait(timeout=10)
    channel._reader.join(timeout=10)
    with pytest.raises(virt.InternalError, match="helper process"):
        channel.request("version")
    assert virt.admin.get_version() == virt.get_version()  # a new helper
    assert Channel.get() is not channel


def test_the_helper_ends_with_its_program() -> None:
    code = "import virt; virt.admin.get_version(); import virt._admin_remote as r; " \
           "print(r.Channel.get().process.pid)"
    pid = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60, check=True).stdout)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            return
        time.sleep(0.05)
    pytest.fail(f"the helper {pid} outlived its program")
