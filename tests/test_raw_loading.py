"""Loading libvirt: lazy binding, missing functions, missing library, error printing."""

from __future__ import annotations

import ctypes
import os
import pickle
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import virt
import virt.raw as raw
from rig import require

ROOT = Path(__file__).resolve().parent.parent
LIBVIRT_7 = ROOT / "build" / "libvirt-7.0"


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=environment,
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_functions_newer_than_the_loaded_libvirt_raise_not_supported() -> None:
    loaded = raw.library_version()
    loaded_text = ".".join(map(str, loaded))
    newer = sorted(name for name, prototype in raw.FUNCTIONS.items()
                   if version(prototype[1]) > loaded)
    if loaded < (12, 8, 0):
        assert newer, "an older libvirt must lack some 12.8.0 function"
    for name in newer:
        assert not raw.is_available(name), name
        function = getattr(raw, name)
        with pytest.raises(virt.NotSupportedError) as caught:
            function()
        error = caught.value
        assert (error.function, error.added, error.loaded) == (
            name, raw.FUNCTIONS[name][1], loaded_text)
        assert f"{name}() needs libvirt >= {error.added}" in str(error)
        assert loaded_text in str(error)


def test_every_function_the_loaded_libvirt_has_is_bound() -> None:
    loaded = raw.library_version()
    for name, (_, added, restype, argtypes) in raw.FUNCTIONS.items():
        if version(added) <= loaded:
            assert raw.is_available(name), name
            function = getattr(raw, name)
            assert tuple(function.argtypes) == argtypes and function.restype is restype, name


def test_not_supported_error_pickles() -> None:
    error = virt.NotSupportedError("virDomainFDAssociate", "9.0.0", "7.0.0")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is virt.NotSupportedError
    assert (copy.function, copy.added, copy.loaded, str(copy)) == (
        error.function, error.added, error.loaded, str(error))


def test_libvirt_7_lacks_newer_functions() -> None:
    """Against libvirt 7.0.0 a function added in 9.0.0 raises NotSupportedError."""
    libraries = list(LIBVIRT_7.rglob("libvirt.so.0")) if LIBVIRT_7.is_dir() else []
    require(bool(libraries), f"libvirt 7.0.0 is not unpacked in {LIBVIRT_7} (make test does it)")
    result = run_python("""
        import virt, virt.raw as raw
        assert raw.library_version() == (7, 0, 0), raw.library_version()
        conn = raw.virConnectOpen(b"test:///default")
        assert conn and raw.virConnectNumOfDomains(conn) == 1
        try:
            raw.virDomainFDAssociate(None, b"fd", 0, None, 0)
        except virt.NotSupportedError as error:
            print(error)
        qemu = raw.library("libvirt-qemu")._name
        print(qemu)
    """, VIRT_LIBVIRT_LIBRARY=str(libraries[0]))
    assert result.returncode == 0, result.stderr
    message, qemu = result.stdout.splitlines()
    assert message == ("virDomainFDAssociate() needs libvirt >= 9.0.0, "
                       "but the loaded libvirt is 7.0.0")
    # The companion libraries come from next to the overriding libvirt.so.0.
    assert qemu == str(libraries[0].parent / "libvirt-qemu.so.0")


def test_missing_library_fails_on_first_use_with_install_hints() -> None:
    result = run_python("""
        import virt, virt.raw as raw
        from virt.raw import virConnectOpen, VIR_DOMAIN_RUNNING
        assert VIR_DOMAIN_RUNNING == 1
        try:
            virConnectOpen(b"test:///default")
        except virt.LibraryNotFoundError as error:
            assert isinstance(error, OSError)
            print(error)
        else:
            raise AssertionError("no error")
    """, VIRT_LIBVIRT_LIBRARY="/nonexistent/libvirt.so.0")
    assert result.returncode == 0, result.stderr
    assert "/nonexistent/libvirt.so.0" in result.stdout
    for hint in ("apt install libvirt0", "dnf install libvirt-libs", "pacman -S libvirt",
                 "VIRT_LIBVIRT_LIBRARY"):
        assert hint in result.stdout


def test_errors_are_not_printed_to_stderr() -> None:
    """libvirt's default handler would print 'libvirt: ... Domain not found'."""
    result = run_python("""
        import virt.raw as raw
        conn = raw.virConnectOpen(b"test:///default")
        assert not raw.virDomainLookupByName(conn, b"no-such-domain")
        assert raw.virGetLastError().contents.code == raw.VIR_ERR_NO_DOMAIN
        raw.virConnectClose(conn)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_nothing_is_loaded_at_import() -> None:
    result = run_python("""
        import sys, virt, virt.raw
        from virt.raw import _library
        assert not _library._loaded, _library._loaded
        print(sorted(m for m in sys.modules if m.startswith("virt")))
    """)
    assert result.returncode == 0, result.stderr
    assert "virt.raw" in result.stdout


def test_threads_asking_at_once_for_a_pointer_type_get_one_class() -> None:
    # PyPy's ctypes.POINTER fills its cache without a lock: a few rounds in a
    # hundred then make two classes, and argtypes holding one refuse the other.
    for round_ in range(200):
        target = type(f"Target{round_}", (ctypes.Structure,), {"_fields_": [("x", ctypes.c_int)]})
        barrier = threading.Barrier(8)
        made: list[object] = []

        def make(target: object, barrier: threading.Barrier, made: list[object]) -> None:
            barrier.wait()
            made.append(raw.pointer_type(target))

        threads = [threading.Thread(target=make, args=(target, barrier, made)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(made) == 8 and all(kind is made[0] for kind in made), round_
        assert ctypes.POINTER(target) is made[0]  # and it is ctypes' own, for raw callers
