#!/usr/bin/env python3
"""Reduce libvirt's published API XML to a compact, prose-free facts file.

libvirt describes its public API in four XML files (``libvirt-api.xml``,
``libvirt-qemu-api.xml``, ``libvirt-lxc-api.xml``, ``libvirt-admin-api.xml``),
shipped by Debian's ``libvirt-dev`` under ``/usr/share/libvirt/api/``.  This
tool keeps only the facts the generator needs — names, C types, values, the
library each function lives in and the version that added it, and for each
typed-parameter name macro the type word of its value (``param_type``) — and
drops the documentation prose, which is not ours to copy.

Usage::

    python3 tools/apifacts.py API_DIR OUT.json     # write the facts
    python3 tools/apifacts.py API_DIR OUT.json --check

``read_api(api_dir)`` is also what the coverage test uses to read the XML of
the libvirt installed on the machine.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

#: API XML file -> the shared library whose symbols it describes.
MODULES = {
    "libvirt-api.xml": "libvirt",
    "libvirt-qemu-api.xml": "libvirt-qemu",
    "libvirt-lxc-api.xml": "libvirt-lxc",
    "libvirt-admin-api.xml": "libvirt-admin",
}

Facts = dict[str, Any]


def _signature(elem: ET.Element, enum_types: set[str] | None = None) -> dict[str, Any]:
    ret = elem.find("return")
    signature: dict[str, Any] = {
        "return": ret.get("type") if ret is not None else "void",
        "args": [[a.get("name"), a.get("type")] for a in elem.findall("arg")],
    }
    if enum_types is not None:
        # Two facts the C types do not carry: which enum or flags types an
        # argument takes its values from, and which pointer arguments may be
        # NULL.  Only the names are kept, never the text around them.
        enums, nullable = {}, []
        for arg in elem.findall("arg"):
            info, name = arg.get("info", ""), arg.get("name", "")
            refs = sorted({ref for ref in re.findall(r"\bvir\w+", info) if ref in enum_types})
            if refs:
                enums[name] = refs
            if "*" in arg.get("type", "") and re.search(r"\bNULL\b", info):
                nullable.append(name)
        if enums:
            signature["arg_enums"] = enums
        if nullable:
            signature["nullable"] = nullable
    return signature


#: How libvirt's documentation of a typed-parameter name macro states the
#: value's type ("as VIR_TYPED_PARAM_ULLONG", "as a ullong", "as an unsigned
#: int", "with a type of ullong", …) -> the type word kept in the facts.
_PARAM_TYPE = re.compile(
    r"\bVIR_TYPED_PARAMS?_(INT|UINT|LLONG|ULLONG|DOUBLE|BOOLEAN|STRING)\b"
    r"|\b(?:as|with a type of|has type)\s+(?:an?\s+)?"
    r"(unsigned long long|unsigned int|long long|ullong|llong|uint|int|double|boolean|string)\b",
    re.IGNORECASE,
)
_PARAM_TYPE_WORDS = {
    "int": "int", "uint": "uint", "unsigned int": "uint",
    "llong": "llong", "long long": "llong",
    "ullong": "ullong", "unsigned long long": "ullong",
    "double": "double", "boolean": "boolean", "string": "string",
}


def _param_facts(info: str) -> dict[str, Any]:
    """The value type a typed-parameter name macro documents (the first one its
    text states) and whether the parameter may occur several times.  Only
    these words are kept, never the text."""
    facts: dict[str, Any] = {}
    match = _PARAM_TYPE.search(info)
    if match:
        facts["param_type"] = _PARAM_TYPE_WORDS[(match.group(1) or match.group(2)).lower()]
    if re.search(r"\bparams multiple field\b", info):
        facts["param_multiple"] = True
    return facts


def _fields(elem: ET.Element) -> list[list[Any]]:
    fields: list[list[Any]] = []
    for field in elem.findall("field"):
        union = field.find("union")
        if union is not None:
            fields.append([field.get("name"), "union", _fields(union)])
        else:
            fields.append([field.get("name"), field.get("type")])
    return fields


def _merge(table: dict[str, Any], name: str, entry: dict[str, Any]) -> None:
    if name in table and table[name] != entry:
        raise ValueError(f"{name} is described twice, differently")
    table[name] = entry


def _resolve_enums(enums: dict[str, Any]) -> None:
    """Replace values that name another enum value (``VIR_DOMAIN_VCPU_LIVE =
    VIR_DOMAIN_AFFECT_LIVE``) by the number, remembering the alias."""

    def value(name: str, seen: tuple[str, ...] = ()) -> int:
        raw = enums[name]["value"]
        if isinstance(raw, int):
            return raw
        try:
            return int(raw, 0)
        except ValueError:
            if raw in seen or raw not in enums:
                raise ValueError(f"{name} = {raw}: cannot resolve") from None
            return value(raw, (*seen, name))

    resolved = {name: value(name) for name in enums}
    for name, number in resolved.items():
        raw = enums[name]["value"]
        if isinstance(raw, str) and not raw.lstrip("-").isdigit():
            enums[name]["alias"] = raw
        enums[name]["value"] = number


def read_api(api_dir: Path | str) -> Facts:
    """Read the four API XML files in *api_dir* and return their facts."""
    facts: Facts = {
        "version": None,
        "functions": {},
        "callbacks": {},
        "enums": {},
        "macros": {},
        "structs": {},
        "typedefs": {},
        "variables": {},
    }
    roots = {filename: ET.parse(Path(api_dir) / filename).getroot() for filename in MODULES}
    enum_types = {typedef.get("name", "") for root in roots.values()
                  for typedef in root.iter("typedef") if typedef.get("type") == "enum"}
    for filename, library in MODULES.items():
        root = roots[filename]
        symbols = root.find("symbols")
        assert symbols is not None, filename
        for elem in symbols:
            name = elem.get("name")
            assert name is not None
            version = elem.get("version")
            header = elem.get("file")  # libvirt-domain, virterror, …: the page in the API docs
            if elem.tag == "function":
                entry = {"library": library, "file": header, "version": version,
                         **_signature(elem, enum_types)}
                _merge(facts["functions"], name, entry)
            elif elem.tag == "functype":
                _merge(facts["callbacks"], name,
                       {"file": header, "version": version, **_signature(elem)})
            elif elem.tag == "enum":
                # A value may name another enum value; _resolve_enums() fixes it up.
                entry = {"type": elem.get("type"), "value": elem.get("value"),
                         "file": header, "version": version}
                if elem.get("value_bitshift") is not None:  # written as 1 << n: a flag
                    entry["bitshift"] = int(elem.get("value_bitshift", ""))
                _merge(facts["enums"], name, entry)
            elif elem.tag == "macro":
                entry = {"file": header, "version": version}
                if elem.get("string") is not None:
                    entry["string"] = elem.get("string")
                    entry.update(_param_facts(" ".join(elem.findtext("info", "").split())))
                else:
                    entry["raw"] = elem.get("raw")
                    if elem.get("params") is not None:
                        entry["params"] = elem.get("params", "").split(",")
                _merge(facts["macros"], name, entry)
            elif elem.tag == "struct":
                entry = {"tag": elem.get("type"), "file": header, "version": version}
                if elem.find("field") is not None:
                    entry["fields"] = _fields(elem)
                _merge(facts["structs"], name, entry)
            elif elem.tag == "typedef":
                _merge(facts["typedefs"], name,
                       {"type": elem.get("type"), "file": header, "version": version})
            elif elem.tag == "variable":
                _merge(facts["variables"], name,
                       {"type": elem.get("type"), "file": header, "version": version})
            else:
                raise ValueError(f"{filename}: unknown element <{elem.tag}> {name}")
    _resolve_enums(facts["enums"])
    number = int(facts["macros"]["LIBVIR_VERSION_NUMBER"]["raw"])
    facts["version"] = f"{number // 1000000}.{number // 1000 % 1000}.{number % 1000}"
    return facts


def dumps(facts: Facts) -> str:
    """Serialise *facts* with one entry per line, so diffs stay readable."""
    lines = ["{", f'  "version": {json.dumps(facts["version"])},']
    sections = [key for key in facts if key != "version"]
    for i, section in enumerate(sections):
        lines.append(f'  "{section}": {{')
        items = sorted(facts[section].items())
        for j, (name, entry) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(f"    {json.dumps(name)}: {json.dumps(entry, sort_keys=True)}{comma}")
        lines.append("  }" + ("," if i < len(sections) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("api_dir", type=Path, help="directory holding libvirt-*api.xml")
    parser.add_argument("output", type=Path, help="facts file to write")
    parser.add_argument("--check", action="store_true",
                        help="fail if OUTPUT differs from what would be written")
    args = parser.parse_args(argv)
    text = dumps(read_api(args.api_dir))
    if args.check:
        if not args.output.exists() or args.output.read_text() != text:
            print(f"{args.output} is out of date: run `make facts`", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
