"""The drop-in's one job: make ``libvirt`` & co. *be* the virt.compat modules.

Each of ``libvirt``, ``libvirt_qemu``, ``libvirt_lxc`` and ``libvirtaio``
replaces itself in ``sys.modules`` with the matching ``virt.compat`` module,
so state (error handlers, event loops, module attributes a program sets) is
shared, and ``libvirt.virDomain is virt.compat.virDomain``.

libvirt-python installs modules of the same names.  When both are installed
one has overwritten the other's files; what is left may be a mix.  The first
import says so, once, with a warning naming both distributions.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import warnings
from types import ModuleType

_TARGETS = {"libvirt": "virt.compat", "libvirt_qemu": "virt.compat.qemu",
            "libvirt_lxc": "virt.compat.lxc", "libvirtaio": "virt.compat.aio"}
_warned: list[bool] = []


def _official_binding() -> str | None:
    """What of libvirt-python is installed too, or None.

    Its metadata directory is looked for in the import path by name, as
    pip leaves it (``importlib.metadata`` would cost some 30 ms of every
    ``import libvirt``), then its C extension.
    """
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # not a directory (a zip file), or gone
            continue
        for name in names:
            if name.startswith(_DIST_INFO[0]) and name.endswith(_DIST_INFO[1]):
                return f"libvirt-python {name[len(_DIST_INFO[0]):-len(_DIST_INFO[1])]}"
    if importlib.util.find_spec("libvirtmod") is not None:
        return "libvirt-python's C extension (libvirtmod)"
    return None


_DIST_INFO = ("libvirt_python-", ".dist-info")


def install(name: str) -> ModuleType:
    """Put the virt.compat module for *name* in its place in ``sys.modules``."""
    if not _warned:
        _warned.append(True)
        official = _official_binding()
        if official is not None:
            warnings.warn(
                f"both virt-libvirt-compat and {official} are installed and both provide "
                f"`import libvirt`; this process uses virt.compat, but the two have "
                f"overwritten each other's files and either may be broken: uninstall one "
                f"(pip uninstall libvirt-python, or pip uninstall virt-libvirt-compat)",
                RuntimeWarning, stacklevel=3)
    module = importlib.import_module(_TARGETS[name])
    sys.modules[name] = module
    return module
