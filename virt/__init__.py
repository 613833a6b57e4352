"""virt: a pure-Python binding to libvirt.

``virt.raw`` holds libvirt's C API as ctypes declarations; the typed,
idiomatic layer is built on top of it.
"""

from __future__ import annotations

from .errors import Error, LibraryNotFoundError, NotSupportedError

__all__ = ["Error", "LibraryNotFoundError", "NotSupportedError", "__version__"]

__version__ = "0.1.0.dev0"
