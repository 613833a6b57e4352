"""The libvirt-python API on virt's typed core (in progress)."""

from __future__ import annotations

from ._base import as_compat, libvirtError

__all__ = ["as_compat", "libvirtError"]
