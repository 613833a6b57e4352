"""Generation of the core's mechanical parts: enums, flags and error classes.

Called by ``tools/generate.py``; the rules are here, the exceptions to them in
the reviewed tables ``tools/tables/enums.py`` and ``tools/tables/errors.py``.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

from tables.enums import ENUM_RENAMES, MEMBER_PREFIXES
from tables.errors import ERROR_BUILTINS, ERROR_GROUPS, ERROR_RENAMES


def enum_class_name(ctype: str) -> str:
    return ENUM_RENAMES.get(ctype, ctype[3:] if ctype.startswith("vir") else ctype)


def _split_members(names: list[str]) -> tuple[str, list[str]]:
    """The common ``VIR_..._`` prefix of *names* and what is left of each."""
    parts = [name.split("_") for name in names]
    prefix: list[str] = []
    for column in zip(*parts):
        if len(set(column)) != 1:
            break
        prefix.append(column[0])
    shortest = min(len(p) for p in parts)
    if len(prefix) >= shortest:  # a member would be left empty
        prefix = prefix[: shortest - 1]
    return "_".join(prefix) + "_", ["_".join(p[len(prefix):]) for p in parts]


def enum_types(facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """C enum type -> {class name, flag?, members [(python name, c name, value)], file}."""
    grouped: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, enum in facts["enums"].items():
        grouped.setdefault(enum["type"], []).append((name, enum))
    types = {}
    for ctype, entries in sorted(grouped.items()):
        entries = [(n, e) for n, e in entries if not n.endswith("_LAST")]
        if not entries:
            continue
        entries.sort(key=lambda item: (item[1]["value"], item[0]))
        if ctype in MEMBER_PREFIXES:
            prefix = MEMBER_PREFIXES[ctype]
            members = [n.removeprefix(prefix).removeprefix("VIR_") for n, _ in entries]
        else:
            _, members = _split_members([n for n, _ in entries])
        is_flag = "Flag" in ctype or any("bitshift" in e for _, e in entries)
        types[ctype] = {
            "class": enum_class_name(ctype),
            "flag": is_flag,
            "file": entries[0][1]["file"],
            "members": [(py, c, e["value"]) for py, (c, e) in zip(members, entries)],
        }
    return types


def enums_module(facts: dict[str, Any], header: str) -> str:
    out = [
        header,
        '"""Every C enum of libvirt as an ``IntEnum``, every flags type as an ``IntFlag``."""',
        "",
        "from __future__ import annotations",
        "",
        "from .._enum import Enum, Flag",
        "",
    ]
    types = enum_types(facts)
    for ctype, info in types.items():
        base = "Flag" if info["flag"] else "Enum"
        out += ["", f"class {info['class']}({base}):",
                f'    """C :libvirt:`{ctype}`."""', ""]
        for python_name, c_name, value in info["members"]:
            out.append(f"    {python_name} = {value}")
            out.append(f'    """``{c_name}``"""')
        out.append("")
    out.append("")
    out.append("__all__ = [")
    out += [f'    "{info["class"]}",' for info in types.values()]
    out.append("]")
    return "\n".join(out) + "\n"


def error_class_name(code: str) -> str:
    if code in ERROR_RENAMES:
        return ERROR_RENAMES[code]
    name = _mechanical_error_name(code)
    if hasattr(builtins, name):
        raise ValueError(f"{code} would be named {name}, a built-in: add it to ERROR_RENAMES")
    return name


def _mechanical_error_name(code: str) -> str:
    words = code.removeprefix("VIR_").removeprefix("ERR_").split("_")
    name = "".join(w.capitalize() for w in words)
    for old, new in (("Nwfilter", "NWFilter"), ("Xml", "XML"), ("Mac", "MAC"), ("Rpc", "RPC"),
                     ("Dbus", "DBus"), ("Gnutls", "GnuTLS"), ("Http", "HTTP"), ("Ssh", "SSH"),
                     ("Libssh", "LibSSH"), ("Encr", "Encryption"), ("Os", "OS"),
                     ("Cpu", "CPU"), ("Sexpr", "SExpr")):
        name = re.sub(rf"{old}(?=[A-Z]|$)", new, name)
    return name if name.endswith("Error") else name + "Error"


def errors_module(facts: dict[str, Any], header: str) -> str:
    codes = sorted(((e["value"], n) for n, e in facts["enums"].items()
                    if e["type"] == "virErrorNumber" and not n.endswith("_LAST")
                    and n != "VIR_ERR_OK"))
    group_of = {f"VIR_ERR_{code}": group
                for group, (_, _, members) in ERROR_GROUPS.items() for code in members}
    unknown = set(group_of) - {n for _, n in codes}
    if unknown:
        raise ValueError(f"ERROR_GROUPS names unknown codes: {sorted(unknown)}")
    out = [
        header,
        '"""One exception class per libvirt error code (``virErrorNumber``)."""',
        "",
        "from __future__ import annotations",
        "",
        "from .._exceptions import Error",
        "",
    ]
    names = []
    by_code: list[tuple[int, str]] = []
    for group, (builtin, doc, _) in ERROR_GROUPS.items():
        out += ["", f"class {group}(Error, {builtin}):", f'    """{doc}"""', ""]
        names.append(group)
    for value, code in codes:
        cls = error_class_name(code)
        base = group_of.get(code, "Error")
        if code in ERROR_BUILTINS:
            base += ", " + ERROR_BUILTINS[code]
        out += ["", f"class {cls}({base}, code={value}):",
                f'    """Error code ``{code}`` of :libvirt:`virErrorNumber`."""', ""]
        names.append(cls)
        by_code.append((value, cls))
    out += ["", "", "#: Error code -> the name of the class raised for it.", "_CODES = {"]
    out += [f'    {value}: "{cls}",' for value, cls in by_code]
    out += ["}", "", "",
            "def _class_of(code: int) -> type[Error] | None:",
            '    """The class of error *code*, built on first use (None: unknown)."""',
            "    import sys",
            "",
            "    name = _CODES.get(code)",
            "    if name is None:",
            "        return None",
            "    cls: type[Error] = getattr(sys.modules[__name__], name)",
            "    return cls",
            "",
            "",
            "def _register_codes() -> None:",
            "    from .._exceptions import _GENERATED_CLASS",
            "",
            "    _GENERATED_CLASS.append(_class_of)",
            "",
            "",
            "_register_codes()"]
    out.append("")
    out.append("__all__ = [")
    out += [f'    "{n}",' for n in names]
    out.append("]")
    return "\n".join(out) + "\n"
