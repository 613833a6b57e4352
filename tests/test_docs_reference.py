"""The API reference: a nitpicky build of the docs, and what its index holds.

Builds the Sphinx site once (``sphinx-build -n -W``, as ``make docs`` does: any
unresolved reference fails it), reads the built ``objects.inv`` and checks that
every public name of the documented modules is in it (with the methods of every
class, the members of every enum and the fields of every record), that no
method's docstring is only the link to its C function, and that the migration
table has a row for every method of the official binding.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["virt", "virt.events", "virt.aio", "virt.qemu", "virt.lxc", "virt.admin",
           "virt.compat", "virt.compat.qemu", "virt.compat.lxc", "virt.compat.aio"]
PYTHON_INVENTORY = ROOT / "build/python-doc/usr/share/doc/python3.11/html/objects.inv"


def read_inventory(path: Path) -> dict[str, str]:
    """``objects.inv`` (version 2) as {name: domain:role}."""
    data = path.read_bytes()
    for _ in range(4):  # the four header lines
        data = data[data.index(b"\n") + 1:]
    entries: dict[str, str] = {}
    for line in zlib.decompress(data).decode().splitlines():
        match = re.match(r"(.+?)\s+(\S+:\S+)\s+-?\d+\s+\S+\s+.*", line)
        if match:
            entries[match.group(1)] = match.group(2)
    return entries


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    assert PYTHON_INVENTORY.exists(), "run `make docs` once: it unpacks Python's inventory"
    out = tmp_path_factory.mktemp("html")
    process = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-n", "-W", "-b", "html",
                              str(ROOT / "docs"), str(out)],
                             capture_output=True, text=True, check=False, cwd=ROOT)
    assert process.returncode == 0, f"the nitpicky build failed:\n{process.stderr[-4000:]}"
    return read_inventory(out / "objects.inv")


def public_objects() -> list[tuple[str, Any]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if not inspect.ismodule(obj):
                found.append((f"{name}.{attr}", obj))
    return found


def test_every_public_name_is_in_the_index(inventory: dict[str, str]) -> None:
    documented = {}
    for name, obj in public_objects():
        if name in inventory:
            documented[id(obj)] = name
    missing = [name for name, obj in public_objects()
               if name not in inventory and id(obj) not in documented]
    assert missing == []
    assert len(public_objects()) > 500


def test_the_index_has_the_kinds_the_issue_counts(inventory: dict[str, str]) -> None:
    import virt

    roles: dict[str, int] = {}
    for name in virt.__all__:
        role = inventory.get(f"virt.{name}")
        if role is not None:
            roles[role] = roles.get(role, 0) + 1
    assert roles.get("py:exception", 0) >= 126
    enums = [n for n in virt.__all__ if isinstance(getattr(virt, n), type)
             and issubclass(getattr(virt, n), enum.Enum)]
    assert len(enums) >= 181
    assert all(f"virt.{n}" in inventory for n in enums)


def _classes() -> list[tuple[str, type]]:
    return [(name, obj) for name, obj in public_objects() if isinstance(obj, type)]


def _members(cls: type) -> set[str]:
    """The public members a reader must find: not those of a built-in base."""
    if issubclass(cls, enum.Enum):
        return set(cls.__members__)
    names = {m for m in dir(cls) if not m.startswith("_")}
    names |= set(getattr(cls, "__dataclass_fields__", ())) | set(getattr(cls, "_fields", ()))
    if cls.__module__.startswith("virt.compat"):
        names = {m for m in names if not m.isupper()}  # VIR_* constants as attributes
    return {m for m in names if not m.startswith("_")
            and not any(m in vars(base) for base in cls.__mro__ if base.__module__ == "builtins")}


def test_every_method_member_and_field_is_in_the_index(inventory: dict[str, str]) -> None:
    names: dict[int, list[str]] = {}
    for name, obj in public_objects():
        if name in inventory:
            names.setdefault(id(obj), []).append(name)
    missing = []
    for name, cls in _classes():
        if names.get(id(cls), [None])[0] != name:
            continue  # checked under its first name
        for member in sorted(_members(cls)):
            # on the class's page, or on the page of a public base that defines it
            owners = [n for base in cls.__mro__ for n in names.get(id(base), ())
                      if member in vars(base) or base is cls]
            if not any(f"{owner}.{member}" in inventory for owner in owners):
                missing.append(f"{name}.{member}")
    assert missing == []


C_LINK_ONLY = re.compile(r"(Wraps\s+)?:libvirt:`\w+`\.?")


def test_no_method_docstring_is_only_the_c_link() -> None:
    bare = []
    checked = 0
    for name, cls in _classes():
        if issubclass(cls, (enum.Enum, BaseException)):
            continue
        for attr in dir(cls):
            member = getattr(cls, attr, None)
            if attr.startswith("_") or not callable(member) \
                    or not (getattr(member, "__module__", None) or "").startswith("virt"):
                continue  # private, or a built-in base's (io.RawIOBase.read)
            checked += 1
            doc = inspect.getdoc(member) or ""
            if not doc or C_LINK_ONLY.fullmatch(doc.strip()):
                bare.append(f"{name}.{attr}: {doc!r}")
    assert checked > 1000
    assert bare == []


def test_the_c_link_only_pattern_catches_what_it_must() -> None:
    assert C_LINK_ONLY.fullmatch("Wraps :libvirt:`virDomainCreate`.")
    assert not C_LINK_ONLY.fullmatch("Start the domain.  Wraps :libvirt:`virDomainCreate`.")


def test_the_migration_table_has_every_official_method() -> None:
    facts = json.loads((ROOT / "tools/api/libvirt-python-12.8.0.json").read_text())
    table = (ROOT / "docs/reference/migration-table.rst").read_text()
    rows = dict(re.findall(r"   \* - ``([\w.]+)``\n     - (.*)\n", table))
    expected = []
    for module, info in facts["modules"].items():
        expected += [f"{module}.{name}" for name in info["functions"]]
        for cls, cls_info in info.get("classes", {}).items():
            expected.append(f"{module}.{cls}")
            expected += [f"{cls}.{m}" for m in cls_info["methods"] if not m.startswith("__")]
    assert sorted(set(expected) - set(rows)) == []
    # every row of a method the core can do names the core method
    assert rows["virDomain.info"] == ":py:obj:`virt.Domain.get_info`"
    assert rows["virConnect.listAllDomains"] == ":py:obj:`virt.Connection.list_all_domains`"
    with_core = [name for name in expected if "." in name and rows[name]]
    assert len(with_core) > 450
