"""The libvirt-lxc API: entering the namespaces and cgroup of an LXC container."""

from __future__ import annotations

from ._generated.methods import _lxc_enter_cgroup as enter_cgroup

__all__ = ["enter_cgroup"]
