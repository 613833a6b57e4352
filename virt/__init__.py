"""virt: a pure-Python binding to libvirt.

``virt.raw`` holds libvirt's C API as ctypes declarations; this package holds
the typed layer built on it: enums and flags (``virt.DomainState``), one
exception class per libvirt error code (``virt.NoDomainError``), …
"""

from __future__ import annotations

from ._generated.enums import *  # noqa: F403
from ._generated.enums import __all__ as _enums_all
from ._generated.errors import *  # noqa: F403
from ._generated.errors import __all__ as _errors_all
from .errors import Error, LibraryNotFoundError, NotSupportedError, error_class

__all__ = [
    "Error",
    "LibraryNotFoundError",
    "NotSupportedError",
    "__version__",
    "error_class",
    *_enums_all,
    *_errors_all,
]

__version__ = "0.1.0.dev0"
