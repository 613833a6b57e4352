"""Python functions that libvirt calls through ctypes, and their exceptions.

An exception must never unwind into C.  CPython's ctypes stops it at the
boundary and hands it to `sys.unraisablehook` (so a program, or pytest, sees
it); PyPy's prints the traceback to stderr itself, bypassing the hook.
`reported` gives every interpreter CPython's behaviour.  It imports nothing
from virt, so any module may use it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any, TypeVar

__all__ = ["reported"]

try:
    from __pypy__ import write_unraisable as _write_unraisable  # type: ignore[import-not-found]
except ImportError:  # CPython: ctypes reports through sys.unraisablehook itself
    _write_unraisable = None

if TYPE_CHECKING:
    F = TypeVar("F", bound=Callable[..., Any])


def reported(function: F, failed: Any = None) -> F:
    """*function*, made safe to be called from C: an exception it raises goes to
    `sys.unraisablehook`, and C gets *failed* (what the C callback returns on
    failure; None for a ``void`` callback).

    On CPython *function* itself is returned: ctypes already does this (and
    returns 0), at no cost per call.
    """
    write = _write_unraisable
    if write is None:
        return function

    @functools.wraps(function)
    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except Exception as error:
            write("in a callback from libvirt", error, function)
            return failed

    return guarded  # type: ignore[return-value]
