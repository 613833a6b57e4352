"""virt.compat's surface against libvirt-python's, both ways.

The oracle's surface is read from the committed facts
(``tools/api/libvirt-python-12.8.0.json``, extracted from the installed
official binding by ``tools/pyfacts.py``); `test_facts_match_the_installed_oracle`
proves the facts still describe the installed libvirt-python.

One way: every public name of ``libvirt``, ``libvirt_qemu``, ``libvirt_lxc``
and ``libvirtaio`` exists in the compat module, with the same parameter names,
kinds and defaults, and every constant with the same value and type.  The
other way: compat has no public name the oracle lacks beyond the documented
additions (`ADDITIONS`): newer libvirt's constants and methods (generated, by
the official naming rules), the core's own methods that every compat object
also has (``dom.get_info()``), and `as_compat`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import virt
import virt.compat
import virt.compat.aio
import virt.compat.lxc
import virt.compat.qemu
from virt.compat import _constants, _methods

ROOT = Path(__file__).resolve().parent.parent
FACTS = json.loads((ROOT / "tools" / "api" / "libvirt-python-12.8.0.json").read_text())
MODULES = {"libvirt": virt.compat, "libvirt_qemu": virt.compat.qemu,
           "libvirt_lxc": virt.compat.lxc, "libvirtaio": virt.compat.aio}

#: Names of the official modules that compat leaves out on purpose: the C
#: extension modules themselves.
OMITTED = {"libvirt": {"libvirtmod"}, "libvirt_qemu": {"libvirtmod_qemu"},
           "libvirt_lxc": {"libvirtmod_lxc"}, "libvirtaio": set()}

#: Module-level names compat adds, by module.
ADDITIONS: dict[str, set[str]] = {
    # as_compat, and the submodules of the package virt.compat
    "libvirt": {"as_compat", "aio", "lxc", "qemu", *_constants._ADDED_CONSTANTS},
    "libvirt_qemu": set(), "libvirt_lxc": set(), "libvirtaio": set(),
}

sys.path.insert(0, str(ROOT / "tools"))
pyfacts: Any = importlib.import_module("pyfacts")


def _public(module: types.ModuleType) -> set[str]:
    return {name for name in dir(module) if not name.startswith("_")}


def _params(func: Any) -> list[dict[str, Any]]:
    return pyfacts.signature_facts(func)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_official_name_exists(name: str) -> None:
    facts = FACTS["modules"][name]
    module = MODULES[name]
    wanted = (set(facts["constants"]) | set(facts["functions"]) | set(facts["classes"])
              | set(facts["other"])) - OMITTED[name]
    missing = sorted(wanted - _public(module))
    assert missing == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_name_beyond_the_documented_additions(name: str) -> None:
    facts = FACTS["modules"][name]
    official = (set(facts["constants"]) | set(facts["functions"]) | set(facts["classes"])
                | set(facts["other"]))
    extra = sorted(_public(MODULES[name]) - official - ADDITIONS[name])
    assert extra == []


def test_constants_are_plain_and_equal() -> None:
    for name, facts in FACTS["modules"].items():
        module = MODULES[name]
        wrong = [(c, info["value"], getattr(module, c, None))
                 for c, info in facts["constants"].items()
                 if type(getattr(module, c, None)).__name__ != info["type"]
                 or getattr(module, c) != info["value"]]
        assert wrong == [], name
    assert type(virt.compat.VIR_DOMAIN_RUNNING) is int
    assert type(virt.compat.VIR_DOMAIN_SCHEDULER_CPU_SHARES) is str


def test_added_constants_are_newer_libvirt_values() -> None:
    api = json.loads((ROOT / "tools" / "api" / "libvirt-12.8.0.json").read_text())
    for name in _constants._ADDED_CONSTANTS:
        value = getattr(virt.compat, name)
        if name in api["enums"]:
            assert value == api["enums"][name]["value"], name
        else:
            assert value == api["macros"][name]["string"], name
    assert "VIR_DOMAIN_LAST" not in dir(virt.compat)  # *_LAST values stay out, as officially


@pytest.mark.parametrize("name", sorted(MODULES))
def test_function_parameters_match(name: str) -> None:
    module = MODULES[name]
    wrong = {}
    for function, facts in FACTS["modules"][name]["functions"].items():
        got = _params(getattr(module, function))
        if got != facts["params"]:
            wrong[function] = (facts["params"], got)
    assert wrong == {}


@pytest.mark.parametrize("cls", sorted(FACTS["modules"]["libvirt"]["classes"]))
def test_method_parameters_match(cls: str) -> None:
    facts = FACTS["modules"]["libvirt"]["classes"][cls]
    compat_cls = getattr(virt.compat, cls)
    wrong = {}
    for method, info in facts["methods"].items():
        if method == "__del__":
            continue  # the core's finaliser: not called by programs
        got = _params(getattr(compat_cls, method))
        if got != info["params"]:
            wrong[method] = (info["params"], got)
    assert wrong == {}


def test_aio_classes_match() -> None:
    for cls, facts in FACTS["modules"]["libvirtaio"]["classes"].items():
        compat_cls = getattr(virt.compat.aio, cls)
        missing = sorted(set(facts["methods"]) - set(dir(compat_cls)))
        assert missing == [], cls


@pytest.mark.parametrize("cls", sorted(n for n in FACTS["modules"]["libvirt"]["classes"]
                                       if n != "libvirtError"))
def test_class_adds_only_core_methods_and_newer_functions(cls: str) -> None:
    compat_cls = getattr(virt.compat, cls)
    core_cls = next(base for base in compat_cls.__mro__ if base.__module__.startswith("virt.")
                    and issubclass(base, virt.LibvirtObject)
                    and not base.__module__.startswith("virt.compat"))
    official = set(FACTS["modules"]["libvirt"]["classes"][cls]["methods"])
    extra = {name for name in dir(compat_cls) if not name.startswith("_")} - official
    extra -= set(dir(core_cls))  # the core's methods: every compat object is a core object
    added = set(_methods.ADDED_METHODS.get(cls, ()))
    assert sorted(extra - added) == []
    assert sorted(added - set(dir(compat_cls))) == []


def test_classes_report_the_libvirt_module() -> None:
    for cls in FACTS["modules"]["libvirt"]["classes"]:
        assert getattr(virt.compat, cls).__module__ == "libvirt", cls
        assert getattr(virt.compat, cls).__name__ == cls


def test_every_method_is_reachable() -> None:
    """Nothing the generator planned was dropped for lack of a core target."""
    assert _methods.NOT_GENERATED == ()


def test_added_methods_follow_the_official_names() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    gencompat: Any = importlib.import_module("gencompat")
    # The rule reproduces the names the official binding gives.
    samples = {("virDomainGetXMLDesc", "virDomain"): "XMLDesc",
               ("virDomainGetInfo", "virDomain"): "info",
               ("virDomainGetAutostart", "virDomain"): "autostart",
               ("virDomainSetMetadata", "virDomain"): "setMetadata",
               ("virConnectGetHostname", "virConnect"): "getHostname",
               ("virNetworkGetBridgeName", "virNetwork"): "bridgeName",
               ("virNodeDeviceCreate", "virNodeDevice"): "create",
               ("virDomainGetUUIDString", "virDomain"): "UUIDString"}
    for (cfunc, cls), name in samples.items():
        assert gencompat.official_name(cfunc, cls) == name
    assert "autostartOnce" in _methods.ADDED_METHODS["virDomain"]
    assert "metadata" in _methods.ADDED_METHODS["virNetwork"]


def test_facts_match_the_installed_oracle(oracle: Any) -> None:
    for name in MODULES:
        assert pyfacts.module_facts(name) == FACTS["modules"][name], name
    assert inspect.getfile(oracle).endswith("site-packages/libvirt.py")
