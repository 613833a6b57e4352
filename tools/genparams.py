"""Generation of the typed-parameter dataclasses (``virt/_generated/params.py``).

libvirt names each typed parameter with a string macro
(``VIR_DOMAIN_SCHEDULER_CPU_SHARES`` = ``"cpu_shares"``); the API facts
record each macro's value type (``param_type``) where libvirt's text states
it.  ``PARAM_SETS`` (in ``tools/tables/params.py``) is the reviewed table
that groups the macros into families, one frozen dataclass each, and says
which C functions take or return each family.  ``PARAM_FUNCTIONS`` is
derived from it: every C function with a ``virTypedParameterPtr`` argument ->
its dataclass.

What is not a field:

* numbered names (``*_PREFIX``, ``*_SUFFIX*`` macros: guest info's
  ``user.<n>.name``, domain statistics' ``block.<n>.rd.reqs``) and name
  templates (``cputune.vcpupin%u``): these parameters land in the
  dataclass's ``extra``; ``virt.typedparams.numbered`` splits them by number;
* the string macros of ``NOT_PARAMETERS`` (values, or names of other
  structs' fields), each with the reason.

The generator fails when the facts and the table disagree: a family without
fields, a macro without a type, an override that matches nothing, a function
that does not exist or takes no typed parameters, or a function (or string
macro) of the facts that the table does not account for.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gencore import enum_class_name
from tables.params import ENUM_PARAMETERS, NOT_PARAMETERS, PARAM_SETS, ParamFamily

#: Type word of the facts -> the constant ``virt.typedparams`` exports.
TYPE_CONSTANTS = {
    "int": "INT", "uint": "UINT", "llong": "LLONG", "ullong": "ULLONG",
    "double": "DOUBLE", "boolean": "BOOLEAN", "string": "STRING",
}
#: Type word -> the field's annotation.
ANNOTATIONS = {
    "int": "int", "uint": "int", "llong": "int", "ullong": "int",
    "double": "float", "boolean": "bool", "string": "str",
}


#: libvirt's generic helpers for typed-parameter arrays (virTypedParamsGet*,
#: Add*, Free, Clear): they take any family, so no dataclass.
HELPER_PREFIX = "virTypedParams"


def _is_numbered(name: str, value: str) -> bool:
    """A prefix, a suffix or a template of numbered parameter names."""
    return "_PREFIX" in name or "_SUFFIX" in name or "%" in value


def field_name(key: str) -> str:
    """A parameter name as a snake_case identifier: ``"throttle.read_iops_device"`` ->
    ``throttle_read_iops_device``, ``"nWorkers"`` -> ``n_workers``,
    ``"sev-api-major"`` -> ``sev_api_major``."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key)
    name = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").lower()
    if not name or name[0].isdigit():
        name = "p_" + name
    if keyword.iskeyword(name) or name in RESERVED:
        name += "_"
    return name


#: Names a field must not take: ParamSet's own attributes and the names the
#: generated annotations use.
RESERVED = {"extra", "from_mapping", "to_mapping", "int", "float", "bool", "str", "tuple",
            "mapping", "field"}


def has_typed_params(fn: Mapping[str, Any]) -> bool:
    return any(ctype.replace("const ", "").startswith("virTypedParameterPtr")
               for _, ctype in fn["args"])


@dataclass
class ParamField:
    key: str  # the parameter's name
    name: str  # the Python field
    type: str  # type word
    macro: str | None
    multiple: bool


def family_fields(facts: Mapping[str, Any], family: ParamFamily,
                  cls: str) -> list[ParamField]:
    """The fields of *family*, checked against the facts."""
    macros = facts["macros"]
    fields: list[ParamField] = []
    used_overrides: set[str] = set()
    for macro, entry in sorted(macros.items()):
        if "string" not in entry or not macro.startswith(family.prefixes):
            continue
        if macro.startswith(family.exclude) or _is_numbered(macro, entry["string"]):
            continue
        ptype = family.types.get(macro)
        if ptype is not None:
            used_overrides.add(macro)
        else:
            ptype = entry.get("param_type") or family.default_type
        if ptype not in TYPE_CONSTANTS:
            raise ValueError(f"{cls}: no type for {macro}: add it to PARAM_SETS")
        fields.append(ParamField(entry["string"], field_name(entry["string"]), ptype, macro,
                                 bool(entry.get("param_multiple"))))
    unused = set(family.types) - used_overrides
    if unused:
        raise ValueError(f"{cls}: type overrides for unknown macros {sorted(unused)}")
    for key, ptype in family.keys.items():
        fields.append(ParamField(key, field_name(key), ptype, None, False))
    if not fields:
        raise ValueError(f"{cls}: no fields (prefixes {family.prefixes})")
    for attr in ("key", "name"):
        values = [getattr(f, attr) for f in fields]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"{cls}: duplicate {attr}s {duplicates}")
    return fields


def param_functions(facts: Mapping[str, Any]) -> dict[str, str]:
    """C function -> dataclass, checked: every function of *facts* with a
    ``virTypedParameterPtr`` argument is either here or a generic helper."""
    functions = facts["functions"]
    table: dict[str, str] = {}
    for cls, family in PARAM_SETS.items():
        for name in family.functions:
            if name not in functions:
                raise ValueError(f"{cls}: no function {name} in the facts")
            if not has_typed_params(functions[name]):
                raise ValueError(f"{cls}: {name} has no virTypedParameterPtr argument")
            if name in table:
                raise ValueError(f"{name} is in both {table[name]} and {cls}")
            table[name] = cls
    missing = sorted(name for name, fn in functions.items()
                     if has_typed_params(fn) and name not in table
                     and not name.startswith(HELPER_PREFIX))
    if missing:
        raise ValueError(f"functions with typed parameters missing from PARAM_SETS: {missing}")
    return dict(sorted(table.items()))


def check_coverage(facts: Mapping[str, Any]) -> None:
    """Every string macro is a field, a numbered name, or in NOT_PARAMETERS."""
    claimed = [(family.prefixes, family.exclude) for family in PARAM_SETS.values()]
    for macro, entry in sorted(facts["macros"].items()):
        if "string" not in entry or macro.startswith(tuple(NOT_PARAMETERS)):
            continue
        if not any(macro.startswith(prefixes) and not macro.startswith(exclude)
                   for prefixes, exclude in claimed):
            raise ValueError(f"string macro {macro} ({entry['string']!r}) belongs to no "
                             f"family of PARAM_SETS and is not in NOT_PARAMETERS")


def _literal(value: str | None) -> str:
    """A Python literal (double-quoted) for *value*."""
    return "None" if value is None else json.dumps(value)


def _doc_link(facts: Mapping[str, Any], symbol: str) -> str:
    entry = facts["functions"].get(symbol) or facts["callbacks"][symbol]
    return f"`{symbol} <https://libvirt.org/html/libvirt-{entry['file']}.html#{symbol}>`_"


def params_module(facts: Mapping[str, Any], header: str) -> str:
    """The text of ``virt/_generated/params.py``."""
    param_functions(facts)
    check_coverage(facts)
    body: list[str] = []
    used_types: set[str] = set()
    enums: set[str] = set()
    unused_enums = set(ENUM_PARAMETERS)
    for cls, family in PARAM_SETS.items():
        fields = family_fields(facts, family, cls)
        doc = [f'    """{family.summary}', ""]
        symbols = [*family.functions, *family.delivered_by]
        doc.append("    Taken or returned by " if family.functions else "    Delivered by ")
        links = [_doc_link(facts, s) for s in symbols]
        doc[-1] += ", ".join(links[:1])
        for link in links[1:]:
            doc[-1] += ","
            doc.append(f"    {link}")
        doc[-1] += "."
        if family.numbered:
            doc.append("")
            text = family.numbered
            while text:
                cut = len(text) if len(text) <= 84 else text.rfind(" ", 0, 84)
                doc.append(f"    {text[:cut].rstrip()}")
                text = text[cut:].lstrip()
        doc.append('    """')
        body += ["", "", "@dataclass(frozen=True, repr=False)", f"class {cls}(ParamSet):", *doc, ""]
        rows = []
        converted = []
        for f in fields:
            used_types.add(f.type)
            annotation = ANNOTATIONS[f.type]
            if f.macro in ENUM_PARAMETERS:
                annotation = enum_class_name(ENUM_PARAMETERS[f.macro])
                converted.append((f.name, annotation))
                unused_enums.discard(f.macro)
            if f.multiple:
                annotation = f"tuple[{annotation}, ...]"
            origin = f"``{f.macro}``" if f.macro else "no macro"
            multiple = ", may occur several times" if f.multiple else ""
            body.append(f"    #: ``{json.dumps(f.key)}``, {f.type}{multiple} ({origin})")
            body.append(f"    {f.name}: {annotation} | None = None")
            rows.append(f"        ({json.dumps(f.key)}, {json.dumps(f.name)}, "
                        f"{TYPE_CONSTANTS[f.type]}, {_literal(f.macro)}, {f.multiple}),")
        body.append("    #: Parameters this package does not know, by name.")
        body.append("    extra: Mapping[str, Values] = field(default_factory=dict, hash=False)")
        body.append("")
        body.append("    PARAMS: ClassVar[tuple[ParamRow, ...]] = (")
        body += rows
        body.append("    )")
        if converted:
            body += ["", "    _CONVERTERS: ClassVar[tuple[tuple[str, Mapping[int, Any]], ...]] = ("]
            for name, enum in converted:
                enums.add(enum)
                body.append(f'        ("{name}", _to_{enum}),')
            body.append("    )")
    if unused_enums:
        raise ValueError(f"ENUM_PARAMETERS names no field: {sorted(unused_enums)}")
    constants = sorted(TYPE_CONSTANTS[t] for t in used_types)
    out = [
        header.rstrip("\n"),
        '"""Typed-parameter sets: one frozen dataclass per family of libvirt typed parameters.',
        "",
        "Each field is a documented parameter (``None`` when absent); parameters this",
        "package does not know are kept in ``extra``.  See `virt.typedparams.ParamSet`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping",
        "from dataclasses import dataclass, field",
        "from typing import Any, ClassVar",
        "",
        "from .._enum import converter",
        "from ..typedparams import (",
        *(f"    {name}," for name in constants),
        "    ParamRow,",
        "    ParamSet,",
        "    Values,",
        ")",
        *(f"from .enums import {enum}" for enum in sorted(enums)),
        "",
        "__all__ = [",
        *(f'    "{cls}",' for cls in sorted(PARAM_SETS)),
        "]",
        "",
        *(f"_to_{enum} = converter({enum})" for enum in sorted(enums)),
        *body,
    ]
    return "\n".join(out) + "\n"


#: C function -> the dataclass it takes or returns, for every C function with
#: a ``virTypedParameterPtr`` argument except the generic ``virTypedParams*``
#: helpers.  Checked against the facts when the module is generated.
PARAM_FUNCTIONS: dict[str, str] = {
    name: cls for cls, family in PARAM_SETS.items() for name in family.functions
}
#: Event callback -> the dataclass its typed parameters fill.
PARAM_CALLBACKS: dict[str, str] = {
    name: cls for cls, family in PARAM_SETS.items()
    for name in family.delivered_by if name.endswith("Callback")
}
