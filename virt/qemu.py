"""The libvirt-qemu API: talking to QEMU's monitor and guest agent directly.

These bypass libvirt's model of the domain (libvirt marks a domain it sees
touched this way as "tainted"); use them for what libvirt has no API for.
Commands and replies are JSON text: ``json.dumps`` what you send and
``json.loads`` what comes back.
"""

from __future__ import annotations

from ._generated.methods import _qemu_agent_command as agent_command
from ._generated.methods import _qemu_attach as attach
from ._generated.methods import _qemu_monitor_command as monitor_command

__all__ = ["agent_command", "attach", "monitor_command"]
