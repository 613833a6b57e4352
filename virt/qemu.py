"""The libvirt-qemu API: talking to QEMU's monitor and guest agent directly.

These bypass libvirt's model of the domain (libvirt marks a domain it sees
touched this way as "tainted"); use them for what libvirt has no API for.
Commands and replies are JSON text: ``json.dumps`` what you send and
``json.loads`` what comes back.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import raw
from ._generated.methods.qemu import _qemu_agent_command as agent_command
from ._generated.methods.qemu import _qemu_attach as attach
from ._generated.methods.qemu import _qemu_monitor_command as monitor_command
from ._marshal import check_handle, check_str, check_uint, int_array, raise_last_error, take_str
from .domain import Domain

if TYPE_CHECKING:
    from ._generated.enums import DomainQemuMonitorCommandFlags

__all__ = ["agent_command", "attach", "monitor_command", "monitor_command_with_files"]


def monitor_command_with_files(domain: Domain, cmd: str, files: Sequence[int] = (), *,
                               flags: DomainQemuMonitorCommandFlags | int = 0,
                               ) -> tuple[str, list[int]]:
    """`monitor_command`, passing the open file descriptors *files* to QEMU; returns
    the reply and the descriptors QEMU passed back (the caller owns them).

    Wraps :libvirt:`virDomainQemuMonitorCommandWithFiles`.
    """
    handle = check_handle(domain, Domain, "domain")
    cmd_c = check_str(cmd, "cmd")
    infiles, ninfiles = int_array(files, "files", "int")
    flags = check_uint(flags, "flags")
    noutfiles = ctypes.c_uint()
    outfiles = raw.pointer_type(ctypes.c_int)()
    result = raw.OwnedString()
    if raw.virDomainQemuMonitorCommandWithFiles(
            handle, cmd_c, ninfiles, infiles if ninfiles else None, ctypes.byref(noutfiles),
            ctypes.byref(outfiles), ctypes.byref(result), flags) < 0:
        raise_last_error()
    try:
        returned = [outfiles[i] for i in range(noutfiles.value)]
    finally:
        if outfiles:
            raw.free(outfiles)
    return take_str(result), returned
