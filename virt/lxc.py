"""The libvirt-lxc API: entering the namespaces and cgroup of an LXC container.

These act on the calling process: after `enter_namespace` it runs inside the
container's namespaces.  Use them in a child process made for that purpose.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import raw
from ._generated import records as _records
from ._generated.methods.lxc import _lxc_enter_cgroup as enter_cgroup
from ._marshal import check_handle, check_str, check_uint, int_array, raise_last_error
from .domain import Domain

if TYPE_CHECKING:
    from ._generated.records import SecurityLabel

__all__ = ["enter_cgroup", "enter_namespace", "enter_security_label", "open_namespace"]


def _take_fds(array: ctypes._Pointer[ctypes.c_int], count: int) -> list[int]:
    try:
        return [array[i] for i in range(count)]
    finally:
        if array:
            raw.free(array)


def open_namespace(domain: Domain, *, flags: int = 0) -> list[int]:
    """Open the namespaces of the container *domain*: one file descriptor each,
    which the caller owns (close them with ``os.close``).

    Wraps :libvirt:`virDomainLxcOpenNamespace`.
    """
    handle = check_handle(domain, Domain, "domain")
    flags = check_uint(flags, "flags")
    fds = raw.pointer_type(ctypes.c_int)()
    count = raw.virDomainLxcOpenNamespace(handle, ctypes.byref(fds), flags)
    if count < 0:
        raise_last_error()
    return _take_fds(fds, count)


def enter_namespace(domain: Domain, fds: Sequence[int], *, flags: int = 0) -> list[int]:
    """Move the calling process into the namespaces *fds* (from `open_namespace`);
    returns descriptors of the namespaces it left.

    Wraps :libvirt:`virDomainLxcEnterNamespace`.
    """
    handle = check_handle(domain, Domain, "domain")
    array, count = int_array(fds, "fds", "int")
    flags = check_uint(flags, "flags")
    nold = ctypes.c_uint()
    old = raw.pointer_type(ctypes.c_int)()
    if raw.virDomainLxcEnterNamespace(handle, count, array, ctypes.byref(nold),
                                      ctypes.byref(old), flags) < 0:
        raise_last_error()
    return _take_fds(old, nold.value)


def enter_security_label(model: str, doi: str, label: str, *,
                         flags: int = 0) -> SecurityLabel:
    """Give the calling process the security *label* of *model* (e.g. ``"selinux"``);
    returns the label it had.

    Wraps :libvirt:`virDomainLxcEnterSecurityLabel`.
    """
    c_model, c_label, old = raw.virSecurityModel(), raw.virSecurityLabel(), raw.virSecurityLabel()
    for name, value, size in (("model", model, raw.VIR_SECURITY_MODEL_BUFLEN),
                              ("doi", doi, raw.VIR_SECURITY_DOI_BUFLEN),
                              ("label", label, raw.VIR_SECURITY_LABEL_BUFLEN)):
        if len(check_str(value, name)) >= size:
            raise ValueError(f"{name} must be shorter than {size} bytes")
    c_model.model, c_model.doi = check_str(model, "model"), check_str(doi, "doi")
    c_label.label = check_str(label, "label")
    flags = check_uint(flags, "flags")
    if raw.virDomainLxcEnterSecurityLabel(ctypes.byref(c_model), ctypes.byref(c_label),
                                          ctypes.byref(old), flags) < 0:
        raise_last_error()
    return _records.SecurityLabel._from_c(old)

