"""Exceptions raised by virt.

Every exception this package raises about libvirt derives from `Error`.
"""

from __future__ import annotations

__all__ = ["Error", "LibraryNotFoundError", "NotSupportedError"]


class Error(Exception):
    """Base class of every libvirt-related exception raised by virt."""


class NotSupportedError(Error):
    """The loaded libvirt lacks a function (it is older than the one that added it).

    :ivar function: the C function's name
    :ivar added: the libvirt version that added it, e.g. ``"9.0.0"``
    :ivar loaded: the version of the libvirt library in use
    """

    def __init__(self, function: str, added: str, loaded: str) -> None:
        super().__init__(
            f"{function}() needs libvirt >= {added}, but the loaded libvirt is {loaded}"
        )
        self.function = function
        self.added = added
        self.loaded = loaded

    def __reduce__(self) -> tuple[type[NotSupportedError], tuple[str, str, str]]:
        return type(self), (self.function, self.added, self.loaded)


class LibraryNotFoundError(Error, OSError):
    """The libvirt C library (or one of its companions) could not be loaded."""
