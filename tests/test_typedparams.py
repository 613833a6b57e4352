"""Typed parameters: pack/unpack through libvirt itself, checks before C, the
generated parameter sets and the table of functions that take them."""

from __future__ import annotations

import ctypes
import gc
import json
import keyword
import operator
import sys
from collections.abc import Iterator
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_longlong, c_uint, c_ulonglong
from dataclasses import fields
from pathlib import Path
from typing import Any, cast

import pytest

import virt
import virt.raw as raw
from virt import typedparams as tp
from virt._generated import params
from virt._marshal import raise_last_error
from virt.typedparams import (
    BOOLEAN,
    DOUBLE,
    INT,
    LLONG,
    STRING,
    UINT,
    ULLONG,
    ParamSet,
    numbered,
    pack,
    pack_params,
    unpack,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import apifacts  # noqa: E402
import genparams  # noqa: E402
from tables.params import PARAM_SETS  # noqa: E402

FACTS = json.loads((ROOT / "tools" / "api" / "libvirt-12.8.0.json").read_text())
Param = raw.virTypedParameter
ParamPtr = POINTER(Param)

#: One value of every type, at the edges of the C types' ranges.
EVERY_TYPE: dict[str, tuple[int, Any]] = {
    "an.int": (INT, -(2**31)),
    "a.uint": (UINT, 2**32 - 1),
    "a.llong": (LLONG, -(2**63)),
    "a.ullong": (ULLONG, 2**64 - 1),
    "a.double": (DOUBLE, -1.25e300),
    "a.boolean": (BOOLEAN, True),
    "a.string": (STRING, "héllo wörld ✓"),
}


def every_type() -> tuple[dict[str, Any], dict[str, int]]:
    return ({name: value for name, (_, value) in EVERY_TYPE.items()},
            {name: code for name, (code, _) in EVERY_TYPE.items()})


# -- pack, read back by libvirt ------------------------------------------------------


def test_pack_every_type_is_read_back_by_libvirt() -> None:
    values, types = every_type()
    array, n = pack(values, types)
    assert n == len(EVERY_TYPE) and len(array) == n
    for (name, (code, _)), param in zip(EVERY_TYPE.items(), array):
        assert param.field == name.encode() and param.type == code
    i, u, ll, ull = c_int(), c_uint(), c_longlong(), c_ulonglong()
    d, b, s = c_double(), c_int(), c_char_p()
    assert raw.virTypedParamsGetInt(array, n, b"an.int", byref(i)) == 1
    assert raw.virTypedParamsGetUInt(array, n, b"a.uint", byref(u)) == 1
    assert raw.virTypedParamsGetLLong(array, n, b"a.llong", byref(ll)) == 1
    assert raw.virTypedParamsGetULLong(array, n, b"a.ullong", byref(ull)) == 1
    assert raw.virTypedParamsGetDouble(array, n, b"a.double", byref(d)) == 1
    assert raw.virTypedParamsGetBoolean(array, n, b"a.boolean", byref(b)) == 1
    assert raw.virTypedParamsGetString(array, n, b"a.string", byref(s)) == 1
    assert (i.value, u.value, ll.value, ull.value) == (-(2**31), 2**32 - 1, -(2**63), 2**64 - 1)
    assert d.value == -1.25e300 and b.value == 1
    assert s.value is not None and s.value.decode() == "héllo wörld ✓"
    # libvirt checks the type: the array says what pack was told.
    assert raw.virTypedParamsGetInt(array, n, b"a.ullong", byref(i)) == -1
    assert not raw.virTypedParamsGet(array, n, b"no.such.name")
    assert unpack(array, n) == values


def test_pack_keeps_its_strings_alive() -> None:
    def build() -> tuple[ctypes.Array[Param], int]:
        text = "".join(chr(0x41 + i % 26) for i in range(1000))
        return pack({"s1": text, "s2": text[::-1]})

    array, n = build()
    gc.collect()
    junk = [bytes(1000) for _ in range(1000)]  # reuse freed memory, if any was freed
    # the two strings (PyPy also records each element, as an empty entry)
    assert array._objects is not None
    kept: Any = array._objects
    assert len([value for value in kept.values() if value != {}]) == 2
    s = c_char_p()
    assert raw.virTypedParamsGetString(array, n, b"s2", byref(s)) == 1
    assert s.value == bytes(0x41 + i % 26 for i in range(1000))[::-1]
    assert unpack(array, n)["s1"].startswith("ABC")  # type: ignore[union-attr]
    del junk


def test_pack_list_values_repeat_the_name() -> None:
    array, n = pack({"migrate_disks": ["vda", "vdb", "sdc"], "bandwidth": 10},
                    {"migrate_disks": STRING, "bandwidth": ULLONG})
    assert n == 4
    assert [array[k].field for k in range(n)] == [b"migrate_disks"] * 3 + [b"bandwidth"]
    s = c_char_p()
    assert raw.virTypedParamsGetString(array, n, b"migrate_disks", byref(s)) == 1
    assert s.value == b"vda"  # libvirt returns the first one
    assert unpack(array, n) == {"migrate_disks": ["vda", "vdb", "sdc"], "bandwidth": 10}
    assert pack({"empty": []})[1] == 0
    assert unpack(*pack({"t": (1, 2)})) == {"t": [1, 2]}


def test_pack_infers_the_type_of_unknown_names() -> None:
    array, n = pack({"flag": True, "negative": -1, "count": 5, "ratio": 0.5, "text": "x",
                     "path": Path("/tmp/f"), "big": 2**64 - 1})
    assert [array[k].type for k in range(n)] == [BOOLEAN, LLONG, ULLONG, DOUBLE, STRING,
                                                 STRING, ULLONG]
    assert unpack(array, n) == {"flag": True, "negative": -1, "count": 5, "ratio": 0.5,
                                "text": "x", "path": "/tmp/f", "big": 2**64 - 1}
    # A known type wins over inference; ints are accepted for doubles.
    array, n = pack({"count": 5, "ratio": 2}, {"count": INT, "ratio": DOUBLE})
    assert [array[0].type, array[1].type] == [INT, DOUBLE]
    assert unpack(array, n) == {"count": 5, "ratio": 2.0}


class Index:
    """An integer-like object (like numpy's integers): accepted for integer types."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


def test_pack_accepts_index_objects_and_int_subclasses() -> None:
    array, n = pack({"a": Index(7), "b": virt.DomainState.RUNNING}, {"a": UINT, "b": INT})
    assert unpack(array, n) == {"a": 7, "b": 1}
    assert type(unpack(array, n)["b"]) is int


@pytest.mark.parametrize(("code", "value"), [
    (INT, 2**31), (INT, -(2**31) - 1), (UINT, -1), (UINT, 2**32),
    (LLONG, 2**63), (LLONG, -(2**63) - 1), (ULLONG, -1), (ULLONG, 2**64),
    (DOUBLE, 10**400), (UINT, Index(2**32)),
], ids=lambda value: repr(value)[:12])
def test_pack_rejects_values_out_of_range(code: int, value: Any) -> None:
    with pytest.raises(OverflowError, match="'p'"):
        pack({"p": value}, {"p": code})


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1])
def test_pack_rejects_inferred_ints_out_of_range(value: int) -> None:
    with pytest.raises(OverflowError):
        pack({"p": value})


@pytest.mark.parametrize(("code", "value"), [
    (INT, 1.5), (INT, "5"), (UINT, True), (LLONG, None), (ULLONG, b"5"),
    (DOUBLE, "1.0"), (DOUBLE, False), (BOOLEAN, 1), (BOOLEAN, "yes"), (BOOLEAN, None),
    (STRING, 5), (STRING, b"bytes"), (STRING, None), (INT, [1, [2]]),
])
def test_pack_rejects_values_of_the_wrong_type(code: int, value: Any) -> None:
    with pytest.raises(TypeError, match="'p'"):
        pack({"p": value}, {"p": code})


@pytest.mark.parametrize("value", [None, b"bytes", object(), {"a": 1}, 1j])
def test_pack_rejects_values_whose_type_cannot_be_inferred(value: Any) -> None:
    with pytest.raises(TypeError, match="'p'"):
        pack({"p": value})


def test_pack_checks_names() -> None:
    assert pack({"n" * 79: 1})[1] == 1
    with pytest.raises(ValueError, match="80 bytes long"):
        pack({"n" * 80: 1})
    with pytest.raises(ValueError, match="80 bytes long"):
        pack({"é" * 40: 1})  # 40 characters, 80 bytes in UTF-8
    with pytest.raises(ValueError, match="NUL"):
        pack({"a\0b": 1})
    with pytest.raises(ValueError, match="empty"):
        pack({"": 1})
    with pytest.raises(TypeError, match="names must be str"):
        pack({b"bytes": 1})  # type: ignore[dict-item]


def test_pack_checks_strings_type_codes_and_the_mapping() -> None:
    with pytest.raises(ValueError, match="NUL"):
        pack({"s": "a\0b"})
    with pytest.raises(ValueError, match="NUL"):
        pack({"s": ["ok", "a\0b"]})
    with pytest.raises(ValueError, match="NUL"):
        pack({"s": Path("/tmp/a\0b")})
    with pytest.raises(ValueError, match="unknown type code 99"):
        pack({"s": 1}, {"s": 99})
    with pytest.raises(TypeError, match="mapping"):
        pack([("s", 1)])  # type: ignore[arg-type]


def test_pack_checks_every_value_before_building_the_array() -> None:
    # The bad value comes last: nothing of the good ones may be half-built.
    with pytest.raises(OverflowError):
        pack({"a": "x" * 100, "b": [1, 2, 3], "c": 2**64}, {"b": UINT, "c": ULLONG})


def test_surrogates_round_trip() -> None:
    array, n = pack({"s": "caf\udce9"})  # an undecodable byte, as surrogateescape keeps it
    s = c_char_p()
    assert raw.virTypedParamsGetString(array, n, b"s", byref(s)) == 1
    assert s.value == b"caf\xe9"
    assert unpack(array, n) == {"s": "caf\udce9"}


# -- built by libvirt, read by unpack --------------------------------------------------


@pytest.fixture
def libvirt_params() -> Iterator[tuple[Any, c_int]]:
    """An array libvirt allocates with virTypedParamsAdd*; freed with virTypedParamsFree."""
    params, n, maximum = ParamPtr(), c_int(0), c_int(0)
    args = (byref(params), byref(n), byref(maximum))
    assert raw.virTypedParamsAddInt(*args, b"an.int", -(2**31)) == 0
    assert raw.virTypedParamsAddUInt(*args, b"a.uint", 2**32 - 1) == 0
    assert raw.virTypedParamsAddLLong(*args, b"a.llong", -(2**63)) == 0
    assert raw.virTypedParamsAddULLong(*args, b"a.ullong", 2**64 - 1) == 0
    assert raw.virTypedParamsAddDouble(*args, b"a.double", -1.25e300) == 0
    assert raw.virTypedParamsAddBoolean(*args, b"a.boolean", 1) == 0
    assert raw.virTypedParamsAddString(*args, b"a.string", "héllo wörld ✓".encode()) == 0
    disks = (c_char_p * 3)(b"vda", b"vdb", None)
    assert raw.virTypedParamsAddStringList(*args, b"migrate_disks", disks) == 0
    assert raw.virTypedParamsAddFromString(*args, b"from.string", UINT, b"42") == 0
    try:
        yield params, n
    finally:
        raw.virTypedParamsFree(params, n.value)


def test_unpack_reads_what_libvirt_built(libvirt_params: tuple[Any, c_int]) -> None:
    params, n = libvirt_params
    values, _ = every_type()
    expected = {**values, "migrate_disks": ["vda", "vdb"], "from.string": 42}
    assert n.value == 10
    result = unpack(params, n.value)
    assert result == expected and list(result) == list(expected)
    assert [type(v) for v in result.values()] == [int, int, int, int, float, bool, str, list, int]
    assert unpack(params, n.value) == expected  # the second time through the layout cache
    assert unpack(params, 3) == {"an.int": -(2**31), "a.uint": 2**32 - 1, "a.llong": -(2**63)}


def test_unpack_checks_its_arguments() -> None:
    array, n = pack({"a": 1, "b": "x"})
    assert unpack(array, 0) == {} and unpack(ParamPtr(), 0) == {}
    with pytest.raises(ValueError, match="NULL"):
        unpack(ParamPtr(), 1)
    with pytest.raises(ValueError, match="exceeds"):
        unpack(array, 3)
    with pytest.raises(ValueError, match="negative"):
        unpack(array, -1)
    with pytest.raises(TypeError, match="c_int"):
        unpack((c_int * 30)(), 1)
    with pytest.raises(TypeError, match="c_int"):
        unpack(ctypes.cast((c_int * 30)(), POINTER(c_int)), 1)
    with pytest.raises(TypeError, match="array or pointer"):
        unpack(12345, 1)
    for count in (None, "2", 2.0, [2]):
        with pytest.raises(TypeError, match="nparams must be int"):
            unpack(array, count)  # type: ignore[arg-type]
    assert unpack(array, operator.index(n)) == {"a": 1, "b": "x"}


def test_unpack_rejects_unknown_type_codes_and_reads_null_strings() -> None:
    array = (Param * 2)()
    array[0].field, array[0].type, array[0].value.s = b"null.string", STRING, None
    array[1].field, array[1].type = b"strange", 42
    assert unpack(array, 1) == {"null.string": ""}
    with pytest.raises(ValueError, match="'strange' has unknown type code 42"):
        unpack(array, 2)
    array[1].type = 0
    with pytest.raises(ValueError, match="unknown type code 0"):
        unpack(array, 2)


def test_unpack_layout_cache_tells_arrays_apart() -> None:
    """Arrays of the same length that differ only in one name, or only in one
    type, or that are changed in place, read back as they are."""
    values = {f"block.{i}.rd.reqs": i for i in range(20)}
    a, n = pack(values)
    assert unpack(a, n) == values
    renamed = {**values, "block.19.wr.reqs": values["block.19.rd.reqs"]}
    del renamed["block.19.rd.reqs"]
    b, _ = pack(renamed)
    assert unpack(b, n) == renamed
    c, _ = pack(values, {"block.0.rd.reqs": INT})
    assert unpack(c, n) == values and c[0].type == INT
    a[5].value.d, a[5].type = 2.5, DOUBLE
    a[6].field = b"other"
    result = unpack(a, n)
    assert result["block.5.rd.reqs"] == 2.5 and result["other"] == 6
    assert "block.6.rd.reqs" not in result
    # A name with bytes after its NUL is still the name before it.
    a[7].field = b"x\0garbage"
    assert "x" in unpack(a, n)


def test_unpack_long_arrays() -> None:
    values: dict[str, Any] = {f"vcpu.{i}.time": i * 1000 for i in range(5000)}
    values.update({f"vcpu.{i}.state": "running" for i in range(100)})
    array, n = pack(values)
    assert n == 5100 and unpack(array, n) == values


# -- parameter sets --------------------------------------------------------------------


def test_from_mapping_and_to_mapping_round_trip() -> None:
    mapping = {"cpu_shares": 1024, "vcpu_quota": -1, "weight": 5,
               "future_knob": "on", "vcpu.0.pin": [1, 2]}
    sched = params.SchedulerParameters.from_mapping(mapping)
    assert sched.cpu_shares == 1024 and sched.vcpu_quota == -1 and sched.weight == 5
    assert sched.cap is None and sched.limit is None
    assert sched.extra == {"future_knob": "on", "vcpu.0.pin": [1, 2]}
    assert sched.to_mapping() == mapping
    assert sched == params.SchedulerParameters(cpu_shares=1024, vcpu_quota=-1, weight=5,
                                               extra={"future_knob": "on",
                                                      "vcpu.0.pin": [1, 2]})
    assert repr(sched) == ("SchedulerParameters(cpu_shares=1024, vcpu_quota=-1, weight=5, "
                           "extra={'future_knob': 'on', 'vcpu.0.pin': [1, 2]})")
    assert repr(params.SchedulerParameters()) == "SchedulerParameters()"
    assert params.SchedulerParameters().to_mapping() == {}
    with pytest.raises(AttributeError):
        sched.weight = 6  # type: ignore[misc]
    assert hash(params.SchedulerParameters(weight=5)) == hash(params.SchedulerParameters(weight=5))


def test_multiple_fields_hold_tuples() -> None:
    m = params.MigrateParameters.from_mapping({"migrate_disks": ["vda", "vdb"],
                                               "compression": "zstd", "bandwidth": 100})
    assert m.migrate_disks == ("vda", "vdb") and m.compression == ("zstd",)
    assert m.to_mapping() == {"migrate_disks": ["vda", "vdb"], "compression": ["zstd"],
                              "bandwidth": 100}
    array, n = pack_params(m, params.MigrateParameters)
    assert n == 4
    assert params.MigrateParameters._unpack(array, n) == m
    assert "migrate_disks" in params.MigrateParameters.MULTIPLE


def test_pack_params_takes_instances_and_mappings_with_either_name() -> None:
    cls = params.InterfaceParameters
    by_field, n = pack_params({"inbound_average": 100, "outbound_peak": None}, cls)
    by_key, m = pack_params({"inbound.average": 100}, cls)
    from_instance, k = pack_params(cls(inbound_average=100), cls)
    for array, count in ((by_field, n), (by_key, m), (from_instance, k)):
        assert count == 1 and array[0].field == b"inbound.average" and array[0].type == UINT
    array, n = pack_params({"inbound_average": 1, "newer.knob": -3}, cls)
    assert unpack(array, n) == {"inbound.average": 1, "newer.knob": -3}
    assert array[1].type == LLONG  # not a known parameter: inferred
    with pytest.raises(ValueError, match="given twice"):
        pack_params({"inbound_average": 1, "inbound.average": 2}, cls)
    with pytest.raises(TypeError, match="values must be InterfaceParameters"):
        pack_params(params.NetworkPortParameters(inbound_average=1), cls)
    with pytest.raises(TypeError, match="mapping"):
        pack_params([("inbound.average", 1)], cls)  # type: ignore[arg-type]
    with pytest.raises(OverflowError, match="inbound.average"):
        pack_params(cls(inbound_average=2**32), cls)
    with pytest.raises(TypeError, match="inbound.average"):
        pack_params(cls(inbound_average="100"), cls)  # type: ignore[arg-type]


def test_numbered() -> None:
    info = params.GuestInfo.from_mapping({
        "user.count": 2, "user.0.name": "root", "user.0.login-time": 5, "user.1.name": "bob",
        "fs.count": 1, "fs.0.name": "sda1", "fs.0.disk.count": 1, "fs.0.disk.0.alias": "vda",
        "hostname": "guest", "os.id": "debian", "load.1m": 0.25, "timezone.offset": -3600,
        "iothread.7.poll-max-ns": 1,
    })
    assert (info.user_count, info.hostname, info.os_id, info.load_1m) == (2, "guest", "debian",
                                                                          0.25)
    assert info.timezone_offset == -3600 and info.fs_count == 1
    assert numbered(info.extra, "user.") == {0: {"name": "root", "login-time": 5},
                                             1: {"name": "bob"}}
    fs = numbered(info.extra, "fs.")
    assert fs == {0: {"name": "sda1", "disk.count": 1, "disk.0.alias": "vda"}}
    assert numbered(fs[0], "disk.") == {0: {"alias": "vda"}}
    assert numbered(info.extra, "iothread.") == {7: {"poll-max-ns": 1}}
    assert numbered(info.extra, "net.") == {}


# -- real calls on the test driver ------------------------------------------------------

DOMAIN_XML = """<domain type='test'>
  <name>typedparams-{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/disk.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>"""


@pytest.fixture
def domain(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A transient domain of its own on test:///default (the default node is
    shared by every connection of the process)."""
    conn = raw.virConnectOpen(b"test:///default")
    if not conn:
        raise_last_error()
    dom = raw.virDomainCreateXML(conn, DOMAIN_XML.format(name=request.node.name).encode(), 0)
    try:
        if not dom:
            raise_last_error()
        yield dom
    finally:
        if dom:
            raw.virDomainDestroy(dom)
            raw.virDomainFree(dom)
        raw.virConnectClose(conn)


def get_filled(function: Any, dom: Any, *before: Any) -> tuple[Any, int]:
    """The two-call pattern: ask for the count, then fill a Python-owned array.
    Skips when the loaded libvirt's test driver lacks the function."""
    n = c_int(0)
    try:
        if function(dom, *before, None, byref(n), 0) < 0:
            raise_last_error()
    except virt.NoSupportError as error:
        # libvirt 7.0's test driver lacks some getters; newer ones must have them.
        if raw.library_version() >= (9, 0, 0):
            raise
        pytest.skip(f"this libvirt's test driver: {error}")
    array = (Param * n.value)()
    if function(dom, *before, array, byref(n), 0) < 0:
        raise_last_error()
    return array, n.value


def test_scheduler_parameters_from_the_test_driver(domain: Any) -> None:
    n = c_int()
    kind = raw.virDomainGetSchedulerType(domain, byref(n))
    assert kind
    raw.free(kind)
    array = (Param * n.value)()
    if raw.virDomainGetSchedulerParameters(domain, array, byref(n)) < 0:
        raise_last_error()
    sched = params.SchedulerParameters._unpack(array, n.value)
    assert sched == params.SchedulerParameters(weight=50)
    # libvirt checks the types: the generated table has weight's right.
    packed, count = pack_params(params.SchedulerParameters(weight=100),
                                params.SchedulerParameters)
    assert packed[0].type == UINT
    assert raw.virDomainSetSchedulerParameters(domain, packed, count) == 0
    wrong, count = pack({"weight": 100}, {"weight": ULLONG})
    assert raw.virDomainSetSchedulerParameters(domain, wrong, count) == -1
    with pytest.raises(virt.InvalidArgError, match="invalid type 'ullong'.*'weight'"):
        raise_last_error()


def test_memory_parameters_round_trip_through_the_test_driver(domain: Any) -> None:
    values = params.MemoryParameters(hard_limit=1 << 20, soft_limit=1 << 19)
    array, n = pack_params(values, params.MemoryParameters)
    if raw.virDomainSetMemoryParameters(domain, array, n, 0) < 0:
        raise_last_error()
    array, n = get_filled(raw.virDomainGetMemoryParameters, domain)
    memory = params.MemoryParameters._unpack(array, n)
    assert memory.hard_limit == 1 << 20 and memory.soft_limit == 1 << 19
    assert memory.swap_hard_limit == raw.VIR_DOMAIN_MEMORY_PARAM_UNLIMITED
    assert memory.min_guarantee is None and memory.extra == {}


def test_blkio_parameters_from_the_test_driver(domain: Any) -> None:
    array, n = get_filled(raw.virDomainGetBlkioParameters, domain)
    blkio = params.BlkioParameters._unpack(array, n)
    assert isinstance(blkio.weight, int) and blkio.device_weight == "" and blkio.extra == {}


def test_numa_parameters_from_the_test_driver(domain: Any) -> None:
    array, n = get_filled(raw.virDomainGetNumaParameters, domain)
    numa = params.NumaParameters._unpack(array, n)
    assert isinstance(numa.numa_mode, int) and isinstance(numa.numa_nodeset, str)
    assert numa.extra == {}


def test_block_iotune_from_the_test_driver(domain: Any) -> None:
    array, n = get_filled(raw.virDomainGetBlockIoTune, domain, b"vda")
    iotune = params.BlockIoTuneParameters._unpack(array, n)
    assert iotune.total_bytes_sec == 0 and isinstance(iotune.group_name, str)
    assert iotune.extra == {}


def test_cpu_stats_from_the_test_driver(domain: Any) -> None:
    ncpus = raw.virDomainGetCPUStats(domain, None, 0, -1, 1, 0)
    if ncpus < 0:
        try:
            raise_last_error()
        except virt.NoSupportError as error:
            if raw.library_version() >= (9, 0, 0):
                raise
            pytest.skip(f"this libvirt's test driver: {error}")
    array = (Param * ncpus)()
    assert raw.virDomainGetCPUStats(domain, array, ncpus, -1, 1, 0) == ncpus
    cpu = params.CPUStats._unpack(array, ncpus)
    assert isinstance(cpu.cpu_time, int) and cpu.cpu_time > 0


def test_perf_events_allocated_by_libvirt(domain: Any) -> None:
    enable, n = pack_params({"cmt": True, "cpu_cycles": False}, params.PerfEvents)
    if raw.virDomainSetPerfEvents(domain, enable, n, 0) < 0:
        raise_last_error()
    array, count = ParamPtr(), c_int()
    if raw.virDomainGetPerfEvents(domain, byref(array), byref(count), 0) < 0:
        raise_last_error()
    try:
        perf = params.PerfEvents._unpack(array, count.value)
    finally:
        raw.virTypedParamsFree(array, count.value)
    assert perf.cmt is True and perf.cpu_cycles is False and perf.extra == {}
    assert all(isinstance(getattr(perf, name), bool) for name in params.PerfEvents.KEYS)


# -- the generated sets and the tables ---------------------------------------------------

SETS = [getattr(params, name) for name in params.__all__]
CODES = {INT, UINT, LLONG, ULLONG, DOUBLE, BOOLEAN, STRING}


@pytest.mark.parametrize("cls", SETS, ids=lambda cls: cls.__name__)
def test_generated_sets(cls: type[ParamSet]) -> None:
    assert issubclass(cls, ParamSet) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert cls.PARAMS, f"{cls.__name__} has no field"
    assert [f.name for f in fields(cast(Any, cls))] == [*cls.KEYS, "extra"]
    literal_keys = PARAM_SETS[cls.__name__].keys
    for key, name, code, macro, _multiple in cls.PARAMS:
        assert name.isidentifier() and not keyword.iskeyword(name)
        assert code in CODES
        if macro is None:
            assert key in literal_keys
        else:
            assert getattr(raw, macro) == key, macro
            assert FACTS["macros"][macro]["string"] == key
    instance = cls()
    assert instance.extra == {} and instance.to_mapping() == {}
    assert all(getattr(instance, name) is None for name in cls.KEYS)
    assert cls.__doc__ and "https://libvirt.org/html/libvirt-" in cls.__doc__


#: Parameter names a daemon could report that look like Python: each must read
#: back as the name it is, in a dict and in a parameter set's extra.
HOSTILE_NAMES = ["k0", "values[0]", "extra", "__dict__", "self", "a}; raise SystemExit; {",
                 "\\", "'", '"""', "x\ny", "cls"]
SAMPLE_VALUES = {INT: -5, UINT: 7, LLONG: -9, ULLONG: 11, DOUBLE: 1.5, BOOLEAN: True,
                 STRING: "s"}


@pytest.mark.parametrize("padding", [0, 20], ids=["short", "long"])  # display or zip
def test_names_that_look_like_code_read_back_as_themselves(padding: int) -> None:
    values = {name: i for i, name in enumerate(HOSTILE_NAMES + [f"n{i}" for i in range(padding)])}
    array, n = pack(values)
    for _ in range(2):  # the second time through the cached layout's plan
        assert unpack(array, n) == values
        stats = params.DomainStats._unpack(array, n)
        assert stats.extra == values and stats.state_state is None


@pytest.mark.parametrize("cls", SETS, ids=lambda cls: cls.__name__)
def test_a_sets_plan_builds_what_its_mapping_builds(cls: type[ParamSet]) -> None:
    """Every field of every set, and names it does not know, read through the
    layout's compiled plan give the instance `from_mapping` gives."""
    mapping: dict[str, Any] = {}
    for key, _, code, _, multiple in cls.PARAMS:
        value = 1 if code in (INT, UINT, LLONG, ULLONG) else SAMPLE_VALUES[code]
        mapping[key] = [value, value] if multiple else value
    mapping.update({name: 3 for name in HOSTILE_NAMES})
    array, n = pack(mapping, cls.TYPES)
    expected = cls.from_mapping(unpack(array, n))
    for _ in range(2):
        built = cls._unpack(array, n)
        assert built == expected and built.extra == {name: 3 for name in HOSTILE_NAMES}
        assert {name: type(value) for name, value in vars(built).items()} == \
            {name: type(value) for name, value in vars(expected).items()}
    address = ctypes.addressof(array)
    assert cls._unpack_many_at([(address, n), (address, n)]) == [expected, expected]


def test_generated_field_names_and_types() -> None:
    assert params.BlkioParameters.FIELDS["device_read_iops_sec"] == "device_read_iops_sec"
    assert params.DomainTunables.FIELDS["blkdeviotune.read_iops_sec"] == \
        "blkdeviotune_read_iops_sec"
    assert params.ThreadPoolParameters.FIELDS["jobQueueDepth"] == "job_queue_depth"
    assert params.LaunchSecurityInfo.FIELDS["sev-api-major"] == "sev_api_major"
    assert params.DomainStats.FIELDS["balloon.last-update"] == "balloon_last_update"
    assert params.SchedulerParameters.TYPES == {
        "cap": UINT, "cpu_shares": ULLONG, "emulator_period": ULLONG, "emulator_quota": LLONG,
        "global_period": ULLONG, "global_quota": LLONG, "iothread_period": ULLONG,
        "iothread_quota": LLONG, "limit": LLONG, "reservation": LLONG, "shares": INT,
        "vcpu_period": ULLONG, "vcpu_quota": LLONG, "weight": UINT,
    }
    assert params.NodeMemoryParameters.TYPES["shm_merge_across_nodes"] == UINT
    assert set(params.PerfEvents.TYPES.values()) == {BOOLEAN}
    assert params.GuestVcpus.MACROS == {"vcpus": None, "online": None, "offlinable": None}
    assert params.SchedulerParameters.MACROS["weight"] == "VIR_DOMAIN_SCHEDULER_WEIGHT"
    # Numbered names and templates are not fields.
    assert not any("%" in key for cls in SETS for key in cls.FIELDS)
    assert "user.count" in params.GuestInfo.FIELDS
    assert not any(key.startswith(".") for key in params.GuestInfo.FIELDS)


def typed_param_arguments(prototype: Any) -> bool:
    argtypes = prototype[3]
    return any(t in (ParamPtr, POINTER(ParamPtr)) for t in argtypes)


def test_param_functions_table() -> None:
    table = genparams.PARAM_FUNCTIONS
    assert table["virDomainGetSchedulerParametersFlags"] == "SchedulerParameters"
    assert table["virDomainMigrate3"] == "MigrateParameters"
    for function, cls in table.items():
        assert function in raw.FUNCTIONS, function
        assert typed_param_arguments(raw.FUNCTIONS[function]), function
        assert cls in params.__all__
    in_facts = {name for name, fn in FACTS["functions"].items()
                if any("virTypedParameterPtr" in ctype for _, ctype in fn["args"])}
    helpers = {name for name in in_facts if name.startswith("virTypedParams")}
    assert helpers and all(name.startswith("virTypedParams") for name in helpers)
    assert set(table) == in_facts - helpers
    in_raw = {name for name, proto in raw.FUNCTIONS.items() if typed_param_arguments(proto)}
    assert set(table) == in_raw - helpers
    assert genparams.param_functions(FACTS) == dict(sorted(table.items()))
    assert genparams.PARAM_CALLBACKS == {
        "virConnectDomainEventJobCompletedCallback": "JobStats",
        "virConnectDomainEventTunableCallback": "DomainTunables",
    }


def test_facts_record_parameter_types() -> None:
    macros = FACTS["macros"]
    assert macros["VIR_DOMAIN_SCHEDULER_CPU_SHARES"]["param_type"] == "ullong"
    assert macros["VIR_DOMAIN_SCHEDULER_VCPU_QUOTA"]["param_type"] == "llong"
    assert macros["VIR_DOMAIN_BLKIO_WEIGHT"]["param_type"] == "uint"
    assert macros["VIR_DOMAIN_BLKIO_DEVICE_WEIGHT"]["param_type"] == "string"
    assert macros["VIR_DOMAIN_JOB_SUCCESS"]["param_type"] == "boolean"
    assert macros["VIR_DOMAIN_GUEST_INFO_LOAD_1M"]["param_type"] == "double"
    assert macros["VIR_MIGRATE_PARAM_MIGRATE_DISKS"]["param_multiple"] is True
    assert "param_type" not in macros["VIR_DOMAIN_GUEST_INFO_USER_PREFIX"]
    assert "param_type" not in macros["VIR_DOMAIN_SAVE_PARAM_IMAGE_FORMAT_ZSTD"]
    for entry in macros.values():  # only the type word, never text
        assert entry.get("param_type") in (None, *genparams.TYPE_CONSTANTS)


@pytest.mark.parametrize(("text", "expected"), [
    ("… as a ullong.", "ullong"), ("… as an llong.", "llong"), ("… as a uint.", "uint"),
    ("… as an int containing …", "int"), ("… as unsigned int.", "uint"),
    ("… as a unsigned int.", "uint"), ("… as an unsigned long long.", "ullong"),
    ("… as long long.", "llong"), ("… as a string.", "string"), ("… as string.", "string"),
    ("… as a boolean, …", "boolean"), ("… as double", "double"),
    ("… with a type of ullong.", "ullong"), ("… has type int, …", "int"),
    ("… as VIR_TYPED_PARAM_ULLONG.", "ullong"), ("… as an VIR_TYPED_PARAM_LLONG.", "llong"),
    ("… as VIR_TYPED_PARAMS_STRING.", "string"),
    ("Accepted type is VIR_TYPED_PARAM_UINT or since 9.3.0 VIR_TYPED_PARAM_ULLONG.", "uint"),
    ("… the entry number formatted as an unsigned integer …", None),
    ("… in nanoseconds.", None),
])
def test_apifacts_reads_the_type_word(text: str, expected: str | None) -> None:
    assert apifacts._param_facts(text).get("param_type") == expected


def test_typedparams_module_constants() -> None:
    assert (INT, UINT, LLONG, ULLONG, DOUBLE, BOOLEAN, STRING) == (1, 2, 3, 4, 5, 6, 7)
    assert set(tp.TYPE_NAMES) == CODES


def test_unpack_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tp, "_CACHE_PARAMS_MAX", 50)
    for cache in ("_layouts", "_last", "_key_readers"):
        monkeypatch.setattr(tp, cache, {})
    monkeypatch.setattr(tp, "_cached", {"layouts": 0, "key_readers": 0})
    for round_ in range(2):
        for i in range(40):
            values = {f"p{i}.{j}": j + round_ for j in range(i % 7 + 1)}
            array, n = pack(values)
            assert unpack(array, n) == values
            assert tp._cached["layouts"] <= 50 and tp._cached["key_readers"] <= 50
    assert sum(len(known) for known in tp._layouts.values()) <= 50


def test_typed_param_list_uses_libvirts_helpers() -> None:
    from virt.typedparams import TypedParamList

    with TypedParamList() as lst:
        lst.add_int("a", -5)
        lst.add_uint("b", 5)
        lst.add_llong("c", -(2**40))
        lst.add_ullong("d", 2**63)
        lst.add_double("e", 1.5)
        lst.add_boolean("f", True)
        lst.add_string("g", "h\u00e9")
        lst.add_string_list("h", ["x", "y"])
        lst.add_from_string("i", raw.VIR_TYPED_PARAM_UINT, "42")
        assert len(lst) == lst.nparams == 10
        assert lst.to_mapping() == {"a": -5, "b": 5, "c": -(2**40), "d": 2**63, "e": 1.5,
                                    "f": True, "g": "h\u00e9", "h": ["x", "y"], "i": 42}
        assert (lst.get_int("a"), lst.get_uint("b"), lst.get_llong("c"),
                lst.get_ullong("d")) == (-5, 5, -(2**40), 2**63)
        assert (lst.get_double("e"), lst.get_boolean("f"), lst.get_string("g")) == (
            1.5, True, "h\u00e9")
        assert lst.get("i") == 42 and lst.get("missing") is None
        assert lst.get_int("missing") is None
        with pytest.raises(virt.InvalidArgError):
            lst.get_int("b")  # libvirt checks the type
        with pytest.raises(OverflowError):
            lst.add_uint("x", -1)
        with pytest.raises(ValueError):
            lst.add_from_string("x", 99, "1")
        with pytest.raises(virt.Error):
            lst.add_from_string("x", raw.VIR_TYPED_PARAM_INT, "not a number")
        lst.clear()
        assert len(lst) == 0 and lst.to_mapping() == {}
