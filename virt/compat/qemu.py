"""libvirt-python's ``libvirt_qemu`` module on virt's core (``import virt.compat.qemu``).

The QEMU-specific calls: monitor and guest-agent commands, attaching to a
running QEMU, and QEMU monitor events.  The drop-in distribution installs this
module as ``libvirt_qemu``.
"""

from __future__ import annotations

import os as _os
from typing import IO, Any, Callable, Optional

from virt import qemu as _qemu

from .. import compat as libvirt
from ._base import take as _take
from ._constants import _QEMU_CONSTANTS
from ._events import qemuMonitorEventDeregister, qemuMonitorEventRegister

# libvirt-python's module also shows these typing names.
_TYPING = (IO, Any, Callable, Optional)

__all__ = ["qemuAgentCommand", "qemuAttach", "qemuMonitorCommand", "qemuMonitorCommandWithFiles",
           "qemuMonitorEventDeregister", "qemuMonitorEventRegister", *_QEMU_CONSTANTS]

globals().update(_QEMU_CONSTANTS)


def qemuMonitorCommand(domain: Any, cmd: str, flags: Any) -> str:  # noqa: N802
    """Send *cmd* to the domain's QEMU monitor; its reply.

    Wraps :libvirt:`virDomainQemuMonitorCommand`.
    """
    return _qemu.monitor_command(domain, cmd, flags=flags)


def qemuMonitorCommandWithFiles(domain: Any, cmd: str, files: list[int] = [],  # noqa: B006, N802
                                flags: Any = 0) -> tuple[str, list[IO[bytes]]]:
    """`qemuMonitorCommand`, passing the file descriptors *files*; the reply and
    the files QEMU passed back, as unbuffered binary file objects that own their
    descriptors (opened for reading, writing or both as the descriptor is).

    Wraps :libvirt:`virDomainQemuMonitorCommandWithFiles`.
    """
    reply, fds = _qemu.monitor_command_with_files(domain, cmd, files, flags=flags)
    return reply, [_file(fd) for fd in fds]


def _file(fd: int) -> IO[bytes]:
    import fcntl

    access = fcntl.fcntl(fd, fcntl.F_GETFL) & (_os.O_ACCMODE | _os.O_APPEND)
    mode = {_os.O_RDONLY: "rb", _os.O_WRONLY: "wb", _os.O_WRONLY | _os.O_APPEND: "ab",
            _os.O_RDWR | _os.O_APPEND: "a+b"}.get(access, "r+b")
    return open(fd, mode, buffering=0, closefd=True)  # noqa: SIM115 - the caller's


def qemuAgentCommand(domain: Any, cmd: str, timeout: int, flags: Any) -> str:  # noqa: N802
    """Send *cmd* to the guest agent and wait up to *timeout* seconds for the reply.

    Wraps :libvirt:`virDomainQemuAgentCommand`.
    """
    return _qemu.agent_command(domain, cmd, timeout, flags=flags)


def qemuAttach(conn: Any, pid_value: int, flags: Any) -> Any:  # noqa: N802
    """Adopt the QEMU process *pid_value* as a domain.  Wraps :libvirt:`virDomainQemuAttach`."""
    return _take(_qemu.attach(conn, pid_value, flags=flags))


_ = libvirt  # the official module exposes ``libvirt_qemu.libvirt``

del annotations
