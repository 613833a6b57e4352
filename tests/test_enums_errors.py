"""Generated enums, flags and error classes against the API facts."""

from __future__ import annotations

import enum
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

import virt
import virt.raw as raw

FACTS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent.parent / "tools/api/libvirt-12.8.0.json").read_text())


def enum_types() -> dict[str, list[str]]:
    types: dict[str, list[str]] = {}
    for name, enum_fact in FACTS["enums"].items():
        if not name.endswith("_LAST"):
            types.setdefault(enum_fact["type"], []).append(name)
    return types


def test_every_c_enum_is_a_python_enum_with_every_value() -> None:
    classes = {str(cls.__doc__).split("`")[1]: cls
               for cls in (getattr(virt, name) for name in virt.__all__)
               if isinstance(cls, type) and issubclass(cls, enum.Enum)}
    types = enum_types()
    assert set(classes) == set(types)
    for ctype, names in types.items():
        cls = classes[ctype]
        flag = any("bitshift" in FACTS["enums"][n] for n in names) or "Flag" in ctype
        assert issubclass(cls, enum.IntFlag if flag else enum.IntEnum), ctype
        for name in names:
            member = cls(FACTS["enums"][name]["value"])
            assert member == getattr(raw, name), name
            assert cls.__members__.get(str(member.name)) == member, name  # a real member


def test_members_drop_the_common_prefix() -> None:
    assert virt.DomainState.RUNNING == raw.VIR_DOMAIN_RUNNING
    assert virt.ConnectListAllDomainsFlags.ACTIVE == raw.VIR_CONNECT_LIST_DOMAINS_ACTIVE
    assert virt.ErrorNumber.NO_DOMAIN == raw.VIR_ERR_NO_DOMAIN
    assert virt.ErrorNumber.WAR_NO_NETWORK == raw.VIR_WAR_NO_NETWORK
    assert virt.DomainShutdownFlags.ACPI_POWER_BTN == raw.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN


def test_unknown_values_become_pseudo_members() -> None:
    state = virt.DomainState(4242)
    assert state == 4242 and isinstance(state, virt.DomainState)
    assert state.name == "UNKNOWN_4242"
    flags = virt.ConnectListAllDomainsFlags(1 << 30 | 1)
    assert int(flags) == (1 << 30 | 1)
    assert virt.ConnectListAllDomainsFlags.ACTIVE in flags
    with pytest.raises(ValueError):
        virt.DomainState("running")  # type: ignore[arg-type]


def test_one_error_class_per_code() -> None:
    codes = {n: e["value"] for n, e in FACTS["enums"].items()
             if e["type"] == "virErrorNumber" and not n.endswith("_LAST") and n != "VIR_ERR_OK"}
    classes = {virt.error_class(value) for value in codes.values()}
    assert len(classes) == len(codes)
    for name, value in codes.items():
        cls = virt.error_class(value)
        assert cls.code_number == value and cls.__doc__ and name in cls.__doc__
        assert getattr(virt, cls.__name__) is cls
    assert virt.error_class(99999) is virt.Error


@pytest.mark.parametrize(("cls", "builtin"), [
    (virt.NoDomainError, LookupError),
    (virt.NoStoragePoolError, LookupError),
    (virt.InvalidArgError, ValueError),
    (virt.XMLError, ValueError),
    (virt.AuthFailedError, PermissionError),
    (virt.AccessDeniedError, PermissionError),
    (virt.NoConnectError, ConnectionError),
    (virt.OperationTimeoutError, TimeoutError),
    (virt.NoSupportError, NotImplementedError),
    (virt.DomExistError, FileExistsError),
])
def test_groups_derive_from_builtins(cls: type[virt.Error], builtin: type[Exception]) -> None:
    assert issubclass(cls, virt.Error) and issubclass(cls, builtin)


def test_errors_pickle_with_every_field() -> None:
    error = virt.error_class(42)("Domain not found: x", code=42, domain=12, level=2,
                                 str1="a", str2=None, str3="c", int1=-1, int2=7)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is virt.NoDomainError
    assert (copy.message, copy.code, copy.domain, copy.level) == (
        "Domain not found: x", virt.ErrorNumber.NO_DOMAIN, virt.ErrorDomain.TEST,
        virt.ErrorLevel.ERROR)
    assert (copy.str1, copy.str2, copy.str3, copy.int1, copy.int2) == ("a", None, "c", -1, 7)
    missing = pickle.loads(pickle.dumps(virt.LibraryNotFoundError("gone")))
    assert isinstance(missing, OSError) and str(missing) == "gone"


def test_no_exported_name_shadows_a_builtin_it_is_not() -> None:
    """``from virt import *`` (or from a submodule) must not change what a
    built-in name means, unless the name is a subclass of that built-in."""
    import builtins

    import virt.aio
    import virt.errors
    import virt.events
    import virt.stream
    import virt.typedparams

    for module in (virt, virt.errors, virt.events, virt.stream, virt.typedparams, virt.aio,
                   virt.qemu, virt.lxc, virt.admin):
        for name in module.__all__:
            if hasattr(builtins, name):
                ours, builtin = getattr(module, name), getattr(builtins, name)
                assert isinstance(ours, type) and isinstance(builtin, type) and \
                    issubclass(ours, builtin), f"{module.__name__}.{name} shadows a built-in"
    # VIR_ERR_OVERFLOW's class: a clear name, and caught by except OverflowError
    assert virt.error_class(raw.VIR_ERR_OVERFLOW) is virt.ValueOverflowError
    assert issubclass(virt.ValueOverflowError, OverflowError)
    assert "OverflowError" not in virt.__all__


class _OwnInit(virt.NoDomainError):
    """A subclass with an ``__init__`` of its own, setting an attribute first."""

    def __init__(self, message: str, **fields: Any) -> None:
        self.seen = True
        super().__init__(message, **fields)


@pytest.mark.parametrize("cls", [virt.Error, virt.NoDomainError, virt.SystemCallError,
                                 virt._lost.SocketSystemError, virt._lost.ClosedSocketError,
                                 _OwnInit], ids=lambda cls: cls.__name__)
def test_an_error_read_from_libvirt_is_what_its_constructor_makes(cls: type[virt.Error]) -> None:
    fields = dict(code=38, domain=7, level=2, str1="a", str2=None, str3="c", int1=-1, int2=5)
    made = cls("it failed", **fields)  # type: ignore[arg-type]
    reported = {name: value.encode() if isinstance(value, str) else value
                for name, value in fields.items()}  # libvirt's strings are bytes
    read = virt._exceptions.new_error(cls, "it failed", *reported.values())  # type: ignore[arg-type]
    assert type(read) is cls and read.args == made.args == ("it failed",)
    assert read.err == made.err  # (made from the values as libvirt gave them)
    assert str(read) == str(made) and repr(read) == repr(made)
    for name in fields:
        assert getattr(read, name) == getattr(made, name), name
        assert type(getattr(read, name)) is type(getattr(made, name)), name
    assert {name: value for name, value in vars(read).items() if name != "_reported"} == vars(made)
    assert type(read.code) is virt.ErrorNumber and read.err == made.err
    assert pickle.loads(pickle.dumps(read)).err == made.err
    assert not hasattr(virt.Error, "code")  # an instance attribute, as before


def test_the_fields_of_an_error_read_from_libvirt_are_made_one_at_a_time(test_uri: str) -> None:
    """A failure keeps libvirt's values until a field is read; each read field
    is then a plain attribute, and the others wait."""
    conn = virt.connect(test_uri)
    with pytest.raises(virt.NoDomainError) as caught:
        conn.domain_lookup_by_name("nowhere")
    error = caught.value
    assert set(vars(error)) == {"message", "_reported"}
    assert error.err is not None and error.err[:2] == (42, virt.ErrorDomain.TEST)
    assert set(vars(error)) == {"message", "_reported"}  # the 9-tuple made without the fields
    assert error.code is virt.ErrorNumber.NO_DOMAIN and "code" in vars(error)
    assert "domain" not in vars(error) and error.domain is virt.ErrorDomain.TEST
    assert error.level is virt.ErrorLevel.ERROR and error.int1 == -1
    assert error.str1 == "Domain not found" and error.str2 is None
    assert error.get_error_code() == 42 and error.get_error_message() == error.message
    error.code = virt.ErrorNumber.INTERNAL_ERROR  # a plain attribute, once made
    assert error.code is virt.ErrorNumber.INTERNAL_ERROR and error.get_error_code() == 1
    conn.close()


class _NoBaseInit(virt.NoDomainError):
    def __init__(self) -> None:  # Error's __init__ never runs
        Exception.__init__(self, "bare")


def test_a_field_never_set_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'_NoBaseInit' object has no attribute 'code'"):
        _NoBaseInit().code  # noqa: B018
