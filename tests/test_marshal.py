"""One test per kind of argument: bad input raises before anything reaches C.

Each case calls a real wrapper on the test driver with a bad value and checks
the Python exception; where the check could be skipped silently (ctypes
truncating a string at NUL, wrapping an integer), the good value is also shown
to work, so the test fails if the check were missing or misplaced.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

import virt
from virt import _marshal


@pytest.fixture
def domain(conn: virt.Connection) -> virt.Domain:
    return conn.domain_lookup_by_name("test")


# -- strings -----------------------------------------------------------------------


def test_str_refuses_nul_none_and_bytes(conn: virt.Connection) -> None:
    with pytest.raises(ValueError, match="NUL"):
        conn.domain_lookup_by_name("test\0evil")
    with pytest.raises(TypeError, match="must be str"):
        conn.domain_lookup_by_name(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be str"):
        conn.domain_lookup_by_name(b"test")  # type: ignore[arg-type]
    assert conn.domain_lookup_by_name("test").get_name() == "test"


def test_optional_str_takes_none(conn: virt.Connection) -> None:
    names = conn.node_list_devices(None)
    assert "computer" in names
    with pytest.raises(ValueError, match="NUL"):
        conn.node_list_devices("sys\0tem")


def test_paths_take_pathlike_and_refuse_nul(domain: virt.Domain, tmp_path: Path) -> None:
    assert _marshal.check_path(tmp_path / "x", "to") == os.fsencode(tmp_path / "x")
    with pytest.raises(ValueError, match="NUL"):
        domain.save(str(tmp_path / "x\0y"))
    with pytest.raises(TypeError, match="path"):
        domain.save(42)  # type: ignore[arg-type]


def test_string_lists(domain: virt.Domain) -> None:
    with pytest.raises(TypeError, match="sequence of str"):
        domain.fs_freeze("/")  # a str is not a list of mount points
    with pytest.raises(ValueError, match=r"mountpoints\[1\]"):
        domain.fs_freeze(["/", "/bo\0ot"])
    with pytest.raises(TypeError, match=r"mountpoints\[0\]"):
        domain.fs_freeze([b"/"])  # type: ignore[list-item]


def test_output_strings_decode_with_surrogateescape() -> None:
    assert _marshal.decode(b"caf\xe9") == "caf\udce9"
    assert _marshal.decode(b"caf\xe9").encode("utf-8", "surrogateescape") == b"caf\xe9"


# -- integers ----------------------------------------------------------------------


@pytest.mark.parametrize(("ctype", "low", "high"), [
    ("int", -(2**31), 2**31 - 1),
    ("unsigned int", 0, 2**32 - 1),
    ("long long", -(2**63), 2**63 - 1),
    ("unsigned long", 0, 2**64 - 1),
    ("unsigned long long", 0, 2**64 - 1),
    ("size_t", 0, 2**64 - 1),
])
def test_integer_ranges(ctype: str, low: int, high: int) -> None:
    assert _marshal.check_int(low, "x", ctype) == low
    assert _marshal.check_int(high, "x", ctype) == high
    with pytest.raises(OverflowError, match=ctype):
        _marshal.check_int(low - 1, "x", ctype)
    with pytest.raises(OverflowError, match=ctype):
        _marshal.check_int(high + 1, "x", ctype)
    with pytest.raises(TypeError):
        _marshal.check_int("1", "x", ctype)
    with pytest.raises(TypeError):
        _marshal.check_int(1.0, "x", ctype)


def test_integer_arguments_of_methods(domain: virt.Domain) -> None:
    with pytest.raises(OverflowError, match="unsigned long"):
        domain.set_memory(-1)
    with pytest.raises(OverflowError, match="unsigned long"):
        domain.set_memory(2**64)
    with pytest.raises(TypeError):
        domain.set_memory("1024")  # type: ignore[arg-type]
    domain.set_memory(domain.get_info().memory)  # the good value goes through


def test_flags(conn: virt.Connection) -> None:
    with pytest.raises(OverflowError):
        conn.list_all_domains(flags=-1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        conn.list_all_domains(flags=None)  # type: ignore[arg-type]
    flags = virt.ConnectListAllDomainsFlags.ACTIVE | virt.ConnectListAllDomainsFlags.PERSISTENT
    assert len(conn.list_all_domains(flags=flags)) == 1
    assert len(conn.list_all_domains(flags=int(flags))) == 1  # type: ignore[arg-type]


def test_integer_arrays(domain: virt.Domain) -> None:
    with pytest.raises(OverflowError, match=r"keycodes\[0\]"):
        domain.send_key(virt.KeycodeSet.LINUX, 10, [-1])
    with pytest.raises(TypeError):
        domain.send_key(virt.KeycodeSet.LINUX, 10, "abc")  # type: ignore[arg-type]


# -- other kinds -------------------------------------------------------------------


def test_uuids(conn: virt.Connection, domain: virt.Domain) -> None:
    uid = domain.get_uuid()
    for form in (uid, str(uid), uid.bytes):
        assert conn.domain_lookup_by_uuid(form) == domain
    with pytest.raises(TypeError):
        conn.domain_lookup_by_uuid(uid.bytes[:8])
    with pytest.raises(ValueError):
        conn.domain_lookup_by_uuid("not-a-uuid")
    with pytest.raises(virt.NoDomainError):
        conn.domain_lookup_by_uuid(uuid.UUID(int=1))


def test_objects(conn: virt.Connection, domain: virt.Domain) -> None:
    pool = conn.storage_pool_lookup_by_name("default-pool")
    with pytest.raises(TypeError, match="virt.StorageVol"):
        pool.storage_vol_create_xml_from("<volume/>", domain)  # type: ignore[arg-type]
    other = conn.domain_lookup_by_name("test")
    other.close()
    with pytest.raises(virt.ClosedError):
        conn.domain_list_get_stats([other])


def test_cpumaps(domain: virt.Domain) -> None:
    with pytest.raises(TypeError, match="bools"):
        domain.pin_vcpu(0, 3)  # type: ignore[arg-type]
    buffer, maplen = _marshal.cpumap_from_bools([True, False, True] + [False] * 6)
    assert maplen == 2 and bytes(buffer) == b"\x05\x00"
    assert _marshal.cpumap_to_bools(b"\x05", 4) == (True, False, True, False)


def test_typed_parameters(domain: virt.Domain) -> None:
    with pytest.raises(TypeError):
        domain.set_memory_parameters({"hard_limit": "a lot"})
    with pytest.raises(OverflowError):
        domain.set_memory_parameters({"hard_limit": 2**64})
    with pytest.raises(ValueError, match="NUL"):
        domain.set_memory_parameters({"hard\0limit": 1})
    with pytest.raises(TypeError):
        domain.set_memory_parameters([("hard_limit", 1)])  # type: ignore[arg-type]


def test_bytes(conn: virt.Connection) -> None:
    with pytest.raises(TypeError, match="bytes-like"):
        virt.Secret.set_value(_any_secret(conn), "text")  # type: ignore[arg-type]


def _any_secret(conn: virt.Connection) -> virt.Secret:
    """A Secret object for the argument check (the test driver has no secrets:
    the check must fire before any C call would fail)."""
    secret = object.__new__(virt.Secret)
    secret._as_parameter_ = None
    return secret


def test_an_error_struct_with_code_0_is_a_failure_without_detail() -> None:
    """What a failure reads as when a finalizer's libvirt call reset the
    thread's error before it was read: never an error whose code says "no error"."""
    error = _marshal.error_from_struct(virt.raw.virError())  # zeroed: a reset struct
    assert type(error) is virt.InternalError and "without saying why" in str(error)


def test_the_copied_last_error_is_the_last_error(test_uri: str) -> None:
    """PyPy reads errors from a copy of the thread's struct (`copied_last_error`);
    both ways give the same exception."""
    conn = virt.connect(test_uri)
    try:
        with pytest.raises(virt.NoDomainError):
            conn.domain_lookup_by_name("nowhere")
        live, copied = _marshal.last_error(), _marshal.copied_last_error(
            _marshal.error_from_struct)
        assert type(live) is type(copied) is virt.NoDomainError
        assert live.err == copied.err and live.code is copied.code
        virt.errors.reset_last_error()
        assert _marshal.copied_last_error(_marshal.error_from_struct) is None
        assert type(_marshal.last_error()) is virt.InternalError
    finally:
        conn.close()


def test_finalizers_running_amid_failures_never_give_a_code_0_error(test_uri: str) -> None:
    """Garbage holding libvirt objects in reference cycles, collected whenever the
    collector runs (often: a low threshold), while look-ups fail: each failure is
    its own error or, where a finalizer's free reset the thread's error before it
    was read, an `InternalError` without detail; never an error of code 0 (the
    PyPy tier once saw ``ErrorCodeOK``)."""
    import gc

    class Cycle:
        domain: Any
        me: Any

    conn = virt.connect(test_uri)
    thresholds = gc.get_threshold() if hasattr(gc, "get_threshold") else None
    if thresholds is not None:  # (PyPy's collector has no thresholds: it runs often anyway)
        gc.set_threshold(5, 1, 1)
    seen: dict[str, int] = {}
    try:
        for _ in range(3000):
            garbage = Cycle()
            garbage.me, garbage.domain = garbage, conn.domain_lookup_by_name("test")
            del garbage
            try:
                conn.domain_lookup_by_name("nowhere")
            except virt.Error as error:
                seen[type(error).__name__] = seen.get(type(error).__name__, 0) + 1
                assert error.code is not virt.ErrorNumber.OK
    finally:
        if thresholds is not None:
            gc.set_threshold(*thresholds)
        gc.collect()
        conn.close()
    assert set(seen) <= {"NoDomainError", "InternalError"} and seen["NoDomainError"] > 0, seen
