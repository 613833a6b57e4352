"""Every symbol of libvirt's API is in `virt.raw`, with the right C types.

Two sources are checked: the committed facts of libvirt 12.8.0 (what the raw
layer is generated from) and the API XML of the libvirt installed on this
machine, read afresh.  The C types are interpreted here independently of the
generator: each argument, return value and struct field must have the size,
signedness, pointer depth and target of its C declaration.
"""

from __future__ import annotations

import ctypes
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import virt.raw as raw
from rig import require
from virt.raw import Handle, OwnedString

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import apifacts  # noqa: E402

SYSTEM_API = Path("/usr/share/libvirt/api")
FACTS_FILE = ROOT / "tools" / "api" / "libvirt-12.8.0.json"

#: What this test found, printed at the end of the run by conftest.py.
REPORT: dict[str, dict[str, tuple[int, int]]] = {}

_loaded: dict[str, dict[str, Any]] = {}


def load_facts(source: str) -> dict[str, Any]:
    if source not in _loaded:
        if source == "facts":
            _loaded[source] = json.loads(FACTS_FILE.read_text())
        else:
            require(SYSTEM_API.is_dir(), f"{SYSTEM_API} is missing: install libvirt-dev")
            _loaded[source] = apifacts.read_api(SYSTEM_API)
    return _loaded[source]


SOURCES = ["facts", "system"]

# -- an independent reading of C types ---------------------------------------------

#: C scalar -> (size in bytes, signed?); None: signedness not checked.
C_SCALARS: dict[str, tuple[int, bool | None]] = {
    "char": (1, None),
    "unsigned char": (1, False),
    "unsigned short": (2, False),
    "int": (4, True),
    "unsigned int": (4, False),
    "long": (ctypes.sizeof(ctypes.c_long), True),
    "unsigned long": (ctypes.sizeof(ctypes.c_long), False),
    "long long": (8, True),
    "long long int": (8, True),
    "unsigned long long": (8, False),
    "unsigned long long int": (8, False),
    "size_t": (ctypes.sizeof(ctypes.c_void_p), False),
    "double": (8, None),
}

Shape = tuple[Any, ...]


def c_shape(ctype: str, facts: dict[str, Any]) -> Shape:
    """(kind, identity, pointer depth) for a C type, following typedefs.

    The identity is (size, signed) for scalars, the tag for structs and the
    shapes of return value and arguments for callbacks."""
    text = ctype.replace("const", " ")
    depth = text.count("*")
    base = " ".join(text.replace("*", " ").split())
    while base in facts["typedefs"]:
        target = facts["typedefs"][base]["type"]
        if target == "enum":
            base = "int"
            break
        depth += target.count("*")
        base = " ".join(target.replace("*", " ").split())
    if base == "void":
        return ("void", None, depth)
    if base in facts["callbacks"]:
        callback = facts["callbacks"][base]
        signature = (c_shape(callback["return"], facts),
                     *(c_shape(arg_type, facts) for _, arg_type in callback["args"]))
        return ("callback", signature, depth)
    if base in facts["structs"]:
        return ("struct", facts["structs"][base]["tag"], depth)
    size, signed = C_SCALARS[base]
    return ("scalar", (size, signed), depth)


def ctypes_shape(ctype: Any, facts: dict[str, Any]) -> Shape:
    """The same description, read off a ctypes type."""
    depth = 0
    while True:
        if ctype is None:
            return ("void", None, depth)
        if ctype is ctypes.c_void_p:
            return ("void", None, depth + 1)
        if isinstance(ctype, type) and issubclass(ctype, Handle):
            struct = ctype.__name__.removesuffix("Ptr")
            return ("struct", facts["structs"][struct]["tag"], depth + 1)
        if ctype in (ctypes.c_char_p, OwnedString):
            ctype, depth = ctypes.c_char, depth + 1
            continue
        if issubclass(ctype, ctypes._Pointer):
            ctype, depth = ctype._type_, depth + 1
            continue
        if issubclass(ctype, ctypes.Structure):
            return ("struct", facts["structs"][ctype.__name__]["tag"], depth)
        if issubclass(ctype, ctypes._CFuncPtr):  # type: ignore[attr-defined]
            # ctypes shares one class among callback types of equal signature
            # (virEventUpdateHandleFunc is virEventUpdateTimeoutFunc), so the
            # signature is what identifies a callback type.
            signature = (ctypes_shape(ctype._restype_, facts),
                         *(ctypes_shape(arg, facts) for arg in ctype._argtypes_))
            return ("callback", signature, depth)
        size = ctypes.sizeof(ctype)
        if ctype in (ctypes.c_char, ctypes.c_double):
            return ("scalar", (size, None), depth)
        return ("scalar", (size, ctype(-1).value < 0), depth)


def fields_match(ctypes_struct: Any, fields: list[list[Any]], facts: dict[str, Any]) -> None:
    actual = ctypes_struct._fields_
    assert [f[0] for f in actual] == [f[0] for f in fields], ctypes_struct
    for (name, ctype, *_), field in zip(actual, fields):
        where = f"{ctypes_struct.__name__}.{name}"
        if field[1] == "union":
            assert issubclass(ctype, ctypes.Union), where
            fields_match(ctype, field[2], facts)
            continue
        array = re.fullmatch(r"(.*?)\s*\w+\[(\w+)\]", field[1])
        if array:
            assert issubclass(ctype, ctypes.Array), where
            length = array.group(2)
            assert ctype._length_ == (int(length) if length.isdigit() else getattr(raw, length))
            assert ctypes_shape(ctype._type_, facts) == c_shape(array.group(1), facts), where
        else:
            assert ctypes_shape(ctype, facts) == c_shape(field[1], facts), where


def c_value(expression: str, facts: dict[str, Any]) -> Any:
    """Evaluate a value-like macro's C expression (numbers, + and names)."""
    text = re.sub(r"/\*.*?\*/", "", expression)
    text = re.sub(r"\b(\d+)LL\b", r"\1", text).strip()
    if re.fullmatch(r"\w+", text) and not text.isdigit():
        if text in facts["enums"]:
            return facts["enums"][text]["value"]
        if text in facts["macros"]:
            return c_value(facts["macros"][text]["raw"], facts)
        return text  # a struct tag
    assert re.fullmatch(r"[\d\s()+]+", text), expression
    return eval(text)  # digits, spaces, parentheses and + only


# -- the tests ----------------------------------------------------------------------


def record(source: str, kind: str, found: int, total: int) -> None:
    REPORT.setdefault(source, {})[kind] = (found, total)


@pytest.mark.parametrize("source", SOURCES)
def test_every_function_is_bound_with_its_c_prototype(source: str) -> None:
    facts = load_facts(source)
    found = 0
    for name, function in sorted(facts["functions"].items()):
        assert callable(getattr(raw, name)), name
        library, added, restype, argtypes = raw.FUNCTIONS[name]
        assert library == function["library"], name
        assert added == function["version"], name
        assert ctypes_shape(restype, facts) == c_shape(function["return"], facts), name
        assert len(argtypes) == len(function["args"]), name
        for ctype, (arg, c_type) in zip(argtypes, function["args"]):
            assert ctypes_shape(ctype, facts) == c_shape(c_type, facts), f"{name}({arg})"
        found += 1
    record(source, "functions", found, len(facts["functions"]))
    if source == "facts":
        assert found == len(raw.FUNCTIONS) == 568


@pytest.mark.parametrize("source", SOURCES)
def test_every_enum_value(source: str) -> None:
    facts = load_facts(source)
    for name, enum in facts["enums"].items():
        value = getattr(raw, name)
        if name.endswith("_LAST") and source != "facts":
            # *_LAST grows with every release; only the newest value holds.
            assert value >= enum["value"], name
        else:
            assert value == enum["value"], name
    record(source, "enum values", len(facts["enums"]), len(facts["enums"]))


@pytest.mark.parametrize("source", SOURCES)
def test_every_macro(source: str) -> None:
    facts = load_facts(source)
    for name, macro in facts["macros"].items():
        value = getattr(raw, name)
        if "params" in macro:
            assert callable(value), name
        elif "string" in macro:
            assert value == macro["string"], name
        elif name == "LIBVIR_VERSION_NUMBER":
            assert value == 12008000
        else:
            expected = c_value(macro["raw"], facts)
            if isinstance(expected, str):  # `#define _virSchedParameter _virTypedParameter`
                assert value is raw.virTypedParameter, name
            else:
                assert value == expected, name
    record(source, "macros", len(facts["macros"]), len(facts["macros"]))


@pytest.mark.parametrize("source", SOURCES)
def test_every_struct_with_its_fields(source: str) -> None:
    facts = load_facts(source)
    for name, struct in facts["structs"].items():
        ctype = getattr(raw, name)
        assert issubclass(ctype, ctypes.Structure), name
        assert facts["structs"][ctype.__name__]["tag"] == struct["tag"], name
        if "fields" in struct:
            fields_match(ctype, struct["fields"], facts)
    record(source, "structs", len(facts["structs"]), len(facts["structs"]))


@pytest.mark.parametrize("source", SOURCES)
def test_every_callback_type(source: str) -> None:
    facts = load_facts(source)
    for name, callback in facts["callbacks"].items():
        ctype = getattr(raw, name)
        assert issubclass(ctype, ctypes._CFuncPtr), name  # type: ignore[attr-defined]
        assert ctypes_shape(ctype._restype_, facts) == c_shape(callback["return"], facts), name
        assert len(ctype._argtypes_) == len(callback["args"]), name
        for argtype, (arg, c_type) in zip(ctype._argtypes_, callback["args"]):
            assert ctypes_shape(argtype, facts) == c_shape(c_type, facts), f"{name}({arg})"
    record(source, "callback types", len(facts["callbacks"]), len(facts["callbacks"]))


@pytest.mark.parametrize("source", SOURCES)
def test_every_typedef_and_variable(source: str) -> None:
    facts = load_facts(source)
    for name in [*facts["typedefs"], *facts["variables"]]:
        assert name in dir(raw), name
    assert isinstance(raw.virConnectAuthPtrDefault, ctypes.POINTER(raw.virConnectAuth))


def test_system_api_is_a_subset_of_the_facts() -> None:
    """The installed libvirt is older than 12.8.0: nothing in it may be unknown."""
    system, facts = load_facts("system"), load_facts("facts")
    for section in ("functions", "callbacks", "enums", "macros", "structs", "typedefs"):
        assert set(system[section]) <= set(facts[section]), section


def test_version_of_the_facts() -> None:
    assert load_facts("facts")["version"] == "12.8.0"
    assert raw.LIBVIR_CHECK_VERSION(12, 8, 0)
    assert not raw.LIBVIR_CHECK_VERSION(12, 8, 1)


def test_facts_file_is_what_apifacts_writes() -> None:
    """The committed facts round-trip through the tool's serialiser unchanged."""
    facts = load_facts("facts")
    assert apifacts.dumps(facts) == FACTS_FILE.read_text()


def test_dir_lists_functions_without_binding_them() -> None:
    names = dir(raw)
    assert "virDomainGetXMLDesc" in names and "VIR_DOMAIN_RUNNING" in names
    with pytest.raises(AttributeError, match="virNoSuchFunction"):
        raw.virNoSuchFunction  # noqa: B018
