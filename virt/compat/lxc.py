"""libvirt-python's ``libvirt_lxc`` module on virt's core (``import virt.compat.lxc``).

The drop-in distribution installs this module as ``libvirt_lxc``.
"""

from __future__ import annotations

from typing import Any as _Any

from virt import lxc as _lxc

from .. import compat as libvirt

__all__ = ["lxcEnterCGroup", "lxcOpenNamespace"]


def lxcOpenNamespace(domain: _Any, flags: _Any) -> list[int]:  # noqa: N802
    """File descriptors of the container's namespaces (the caller owns them).

    Wraps :libvirt:`virDomainLxcOpenNamespace`.
    """
    return _lxc.open_namespace(domain, flags=flags)


def lxcEnterCGroup(domain: _Any, flags: _Any) -> int:  # noqa: N802
    """Move the calling process into the container's control groups.

    Wraps :libvirt:`virDomainLxcEnterCGroup`.
    """
    _lxc.enter_cgroup(domain, flags=flags)
    return 0


_ = libvirt  # the official module exposes ``libvirt_lxc.libvirt``

del annotations
