"""Finding and loading the libvirt libraries, and binding functions lazily.

Nothing is loaded at import time.  The first function looked up in
``virt.raw`` loads ``libvirt.so.0`` (or the file named by the environment
variable ``VIRT_LIBVIRT_LIBRARY``), calls ``virInitialize()`` and silences
libvirt's default error printer; the companion libraries (``libvirt-qemu``,
``libvirt-lxc``, ``libvirt-admin``) are loaded when one of their functions is
first needed.
"""

from __future__ import annotations

import _thread  # not threading: ~0.5 ms to import, and a lock is all this needs
import ctypes
import os
import sys

from .._exceptions import LibraryNotFoundError, NotSupportedError
from . import _types
from ._base import Prototype, pointer_type

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any, Callable, NoReturn

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "bind",
    "free",
    "is_available",
    "library",
    "library_version",
]

#: Environment variable naming a ``libvirt.so.0`` to load instead of the system's.
ENVIRONMENT_VARIABLE = "VIRT_LIBVIRT_LIBRARY"

INSTALL_HINT = """\
Install libvirt's client library:
  Debian/Ubuntu:  apt install {debian}
  Fedora/RHEL:    dnf install {fedora}
  Arch:           pacman -S libvirt
or set {env} to the path of a libvirt.so.0."""

_PACKAGES = {  # library -> (Debian package, Fedora package)
    "libvirt": ("libvirt0", "libvirt-libs"),
    "libvirt-qemu": ("libvirt0", "libvirt-libs"),
    "libvirt-lxc": ("libvirt0", "libvirt-libs"),
    "libvirt-admin": ("libvirt0", "libvirt-admin"),
}

_lock = _thread.allocate_lock()
_loaded: dict[str, ctypes.CDLL] = {}
_failed: dict[str, LibraryNotFoundError] = {}
_version: list[int] = []  # [libvirt version number] once known


def _candidates(name: str) -> list[str]:
    """File names to try for library *name* (``"libvirt"``, ``"libvirt-qemu"``…)."""
    override = os.environ.get(ENVIRONMENT_VARIABLE)
    if sys.platform == "darwin":
        soname = f"{name}.0.dylib"
    elif sys.platform == "win32":
        soname = f"{name}-0.dll"
    else:
        soname = f"{name}.so.0"
    if override:
        if name == "libvirt":
            return [override]
        return [os.path.join(os.path.dirname(os.path.abspath(override)), soname)]
    found = None
    if sys.platform != "linux":  # ctypes.util costs ~10 ms to import (subprocess, tempfile)
        from ctypes.util import find_library

        found = find_library(name[3:])
    return [soname] + ([found] if found else [])


def _libc() -> Any:
    """The C library, for ``free``, ``strdup`` and ``dlopen``: one handle
    (each ctypes library object costs ~75 µs to make, a class of its own).

    Opened through PyDLL: its functions are called with the GIL held.
    free() never blocks, and releasing the GIL around it (what CDLL's
    functions do) lets another thread take it, for this one to wait for it
    back right after: in a program whose threads make calls concurrently, a
    wait per string.  (PyPy's ctypes has no PyDLL, and no GIL to release
    around a call.)
    """
    name = None
    if sys.platform != "linux":  # ctypes.util costs ~10 ms to import (subprocess, tempfile)
        from ctypes.util import find_library

        name = find_library("c")
    return getattr(ctypes, "PyDLL", ctypes.CDLL)(name)


_LIBC = _libc()


def _libc_dlopen() -> Any:
    """The C library's ``dlopen``, on CPython for Linux (None elsewhere).

    A ``CFUNCTYPE`` function: it releases the GIL while libvirt and the
    libraries it needs load."""
    if sys.implementation.name != "cpython" or not sys.platform.startswith("linux"):
        return None  # PyPy's ctypes cannot adopt a handle
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
    try:
        return prototype(("dlopen", _LIBC))
    except AttributeError:
        return None


def _load(path: str) -> ctypes.CDLL:
    """The library at *path*, loaded with lazy binding where it can be.

    ctypes adds ``RTLD_NOW`` to every load, which binds each call of every
    library libvirt depends on (GnuTLS, GLib, libxml2, libcurl, …) before the
    first is made: about an eighth of the time loading libvirt takes.  With
    ``RTLD_LAZY`` those bind when first called; libvirt itself is linked to bind
    at once (``BIND_NOW``), so a symbol it lacks still fails the load here.
    """
    dlopen = _libc_dlopen()
    if dlopen is not None:
        handle = dlopen(os.fsencode(path), os.RTLD_LAZY | os.RTLD_LOCAL)
        if handle:
            return ctypes.CDLL(path, handle=handle)
    return ctypes.CDLL(path)  # where it cannot, or to raise OSError with the loader's message


def _noop_error_handler(_user_data: Any, _error: Any) -> None:
    """Replaces libvirt's default handler, which prints every error to stderr."""


_silent: list[Any] = []  # kept for the life of the process: libvirt holds on to it


def silent_error_handler() -> Any:
    """The C error callback that discards libvirt's errors (made once)."""
    if not _silent:
        _silent.append(_types.virErrorFunc(_noop_error_handler))
    return _silent[0]


def _initialise(lib: ctypes.CDLL) -> None:
    lib.virInitialize.restype = ctypes.c_int
    lib.virInitialize.argtypes = ()
    if lib.virInitialize() < 0:
        raise LibraryNotFoundError("virInitialize() failed: libvirt cannot be used")
    lib.virSetErrorFunc.restype = None
    lib.virSetErrorFunc.argtypes = (ctypes.c_void_p, _types.virErrorFunc)
    lib.virSetErrorFunc(None, silent_error_handler())
    version = ctypes.c_ulong()
    lib.virGetVersion.restype = ctypes.c_int
    lib.virGetVersion.argtypes = (pointer_type(ctypes.c_ulong), ctypes.c_char_p,
                                  pointer_type(ctypes.c_ulong))
    if lib.virGetVersion(ctypes.byref(version), None, None) < 0:
        raise LibraryNotFoundError("virGetVersion() failed: libvirt cannot be used")
    _version.append(version.value)


def library(name: str = "libvirt") -> ctypes.CDLL:
    """The loaded library *name*, loading it (and libvirt itself) on first use.

    Loading libvirt calls :libvirt:`virInitialize` and silences libvirt's
    default error printer.

    :raises LibraryNotFoundError: it cannot be found or loaded.
    """
    lib = _loaded.get(name)
    if lib is not None:
        return lib
    if name != "libvirt":
        library("libvirt")  # the companions need libvirt itself, initialised
    with _lock:
        if name in _loaded:
            return _loaded[name]
        if name in _failed:
            raise _failed[name]
        errors = []
        for candidate in _candidates(name):
            try:
                lib = _load(candidate)
                break
            except OSError as exc:
                errors.append(str(exc))
        else:
            debian, fedora = _PACKAGES[name]
            hint = INSTALL_HINT.format(debian=debian, fedora=fedora, env=ENVIRONMENT_VARIABLE)
            _failed[name] = LibraryNotFoundError(
                f"cannot load {name} ({'; '.join(errors)}).\n{hint}")
            raise _failed[name]
        if name == "libvirt":
            _initialise(lib)
        _loaded[name] = lib
        hooks = _when_loaded[:] if name == "libvirt" else []
        del _when_loaded[:len(hooks)]
    for hook in hooks:  # outside the lock: a hook calls libvirt functions
        hook()
    return lib


#: What `when_loaded` deferred until libvirt is loaded.
_when_loaded: list[Callable[[], object]] = []


def when_loaded(function: Callable[[], object]) -> None:
    """Call *function* once libvirt is loaded and initialised: now if it is,
    else right after it loads (before the first call that needed it goes on).
    For what must follow the loader's own set-up (its silenced error
    printer) without loading libvirt sooner than its first use."""
    with _lock:
        if "libvirt" not in _loaded:
            _when_loaded.append(function)
            return
    function()


def _libc_free() -> Callable[[Any], None]:
    function: Callable[[Any], None] = _LIBC.free
    function.argtypes = (ctypes.c_void_p,)  # type: ignore[attr-defined]
    function.restype = None  # type: ignore[attr-defined]
    return function


#: The C library's ``free()``: memory libvirt hands over (strings, arrays) is
#: released with it.  Accepts ``OwnedString``, ctypes pointers and addresses.
free = _libc_free()

_strdup: list[Callable[[bytes], int]] = []


def strdup(data: bytes) -> int:
    """The address of a ``malloc``'d, NUL-terminated copy of *data*: for a
    string libvirt will release with free() (an answer to a credential)."""
    if not _strdup:
        function = _LIBC.strdup
        function.restype = ctypes.c_void_p
        function.argtypes = (ctypes.c_char_p,)
        _strdup.append(function)
    address: int | None = _strdup[0](data)
    if address is None:
        raise MemoryError("strdup() could not allocate a copy")
    return address


def library_version() -> tuple[int, int, int]:
    """The version of the loaded libvirt as ``(major, minor, micro)``."""
    if not _version:
        library()
    number = _version[0]
    return number // 1_000_000, number // 1_000 % 1_000, number % 1_000


def _version_text() -> str:
    return ".".join(map(str, library_version()))


def _stub(name: str, error: Callable[[], Exception]) -> Callable[..., NoReturn]:
    def unavailable(*_args: Any, **_kwargs: Any) -> NoReturn:
        raise error()

    unavailable.__name__ = unavailable.__qualname__ = name
    raised = type(error()).__name__
    unavailable.__doc__ = f"{name} is not available here: calling it raises {raised}."
    return unavailable


def bind(name: str, prototype: Prototype) -> Callable[..., Any]:
    """A callable for C function *name*: the ctypes function with its prototype
    applied, or, when it cannot be had, a stub raising `NotSupportedError`
    (function missing from the loaded library) or `LibraryNotFoundError`."""
    libname, added, restype, argtypes = prototype
    try:
        lib = library(libname)
    except LibraryNotFoundError as exc:
        failure = exc
        return _stub(name, lambda: failure)
    try:
        function = lib[name]
    except AttributeError:
        loaded = _version_text()
        return _stub(name, lambda: NotSupportedError(name, added, loaded))
    function.restype = restype
    function.argtypes = argtypes
    return function


def is_available(name: str) -> bool:
    """Whether the loaded libraries export C function *name*."""
    from ._functions import FUNCTIONS

    try:
        lib = library(FUNCTIONS[name][0])
    except (KeyError, LibraryNotFoundError):
        return False
    return hasattr(lib, name)


def variable(name: str, libname: str, ctype: Any) -> Any:
    """The exported C variable *name*, as a ctypes object living in the library."""
    return ctype.in_dll(library(libname), name)

