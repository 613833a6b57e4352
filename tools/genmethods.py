"""Generation of the core's mechanical wrappers (``virt/_generated/methods.py``).

Each C function becomes one method of the class its first argument belongs
to (DESIGN.md "Conventions of the core"): ``virDomainGetXMLDesc`` →
``Domain.get_xml_desc``.  A wrapper is generated when every argument and the
result have a shape the rules below know; the rest are hand-written in the
core modules and listed, with their Python names, in ``HAND_WRITTEN`` of the
module that implements them.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

import genparams
from tables import methods as shapes

INT_TYPES = {"int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long",
             "size_t"}
OUT_SCALARS = {
    "int *": "c_int", "unsigned int *": "c_uint", "long long *": "c_longlong",
    "unsigned long *": "c_ulong", "unsigned long long *": "c_ulonglong",
    "double *": "c_double",
}


def snake(camel: str) -> str:
    """``GetXMLDesc`` -> ``get_xml_desc``, ``LookupByUUIDString`` -> ``lookup_by_uuid_string``."""
    for word, replacement in (("IOThread", "Iothread"), ("NWFilter", "Nwfilter"),
                              ("PMSuspend", "PmSuspend"), ("PMWakeup", "PmWakeup")):
        camel = camel.replace(word, replacement)
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[0-9]+", camel)
    return "_".join(w.lower() for w in words)


def method_name(function: str, stem: str) -> str:
    if function in shapes.RENAMES:
        return shapes.RENAMES[function]
    rest = function[3:]
    if rest.startswith(stem) and rest[len(stem):len(stem) + 1].isupper():
        rest = rest[len(stem):]
    name = snake(rest)
    return name + "_" if keyword.iskeyword(name) else name


@dataclass
class Wrapper:
    """What the generator knows about one C function's wrapper."""

    function: str
    cls: str
    name: str
    params: list[str] = field(default_factory=list)  # Python parameter declarations
    keyword_params: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # statements before the call
    call_args: list[str] = field(default_factory=list)
    outputs: list[tuple[str, str]] = field(default_factory=list)  # (expression, type)
    returns: str = "None"
    result_lines: list[str] = field(default_factory=list)
    pending_size: str = ""  # sizeof() of the struct a following ``size`` argument gives
    pending_count: str | None = None  # the length of the array before, for the next argument
    module_function: bool = False  # a function of virt.qemu / virt.lxc, not a method
    two_call: bool = False  # count first (PARAMS = NULL), then fill a buffer


#: What the generated wrappers use from virt._marshal, under their short names.
_MARSHAL_NAMES = [
    ("scheduler_param_count", "_scheduler_param_count"),
    ("pack_params", "_pack_params"),
    ("take_params", "_take_params"),
    ("take_param_buffer", "_take_param_buffer"),
    ("UUIDBuffer", "_UUIDBuffer"),
    ("UUIDStringBuffer", "_UUIDStringBuffer"),
    ("check_handle", "_handle"),
    ("check_int", "_int"),
    ("check_optional_str", "_optional_str"),
    ("check_path", "_path"),
    ("check_str", "_str"),
    ("check_uint", "_uint"),
    ("decode", "_decode"),
    ("raise_last_error", "_raise"),
    ("str_array", "_str_array"),
    ("take_objects", "_take_objects"),
    ("take_str", "_take_str"),
    ("take_names", "_take_names"),
    ("take_strings", "_take_strings"),
    ("to_uuid_bytes", "_uuid_in"),
]
MARSHAL_IMPORTS = [f"from .._marshal import {name} as {alias}" for name, alias in sorted(
    _MARSHAL_NAMES, key=lambda pair: (not pair[0][0].isupper(), pair[0].lower()))]

#: Libraries whose functions become module functions: library -> (module, C prefix).
MODULE_FUNCTIONS = {"libvirt-qemu": ("qemu", "DomainQemu"), "libvirt-lxc": ("lxc", "DomainLxc")}


#: Renamed functions that the object base class implements by hand.
LIFECYCLE = {"close", "from_pointer"}


class Unsupported(Exception):
    """This function needs a hand-written wrapper."""


class MethodGenerator:
    def __init__(self, facts: dict[str, Any], enum_classes: dict[str, str]) -> None:
        self.facts = facts
        self.enum_classes = enum_classes  # C enum type -> Python class name
        self.handles = shapes.CLASSES
        self.param_classes: set[str] = set()  # typed-parameter dataclasses used

    def flag_type(self, function: str, arg: str) -> str:
        refs = self.facts["functions"][function].get("arg_enums", {}).get(arg, [])
        names = [self.enum_classes[r] for r in refs if r in self.enum_classes]
        return " | ".join([*names, "int"])

    def wrapper(self, function: str) -> Wrapper:
        fn = self.facts["functions"][function]
        args = fn["args"]
        if not args or args[0][1] not in self.handles:
            raise Unsupported("no object argument")
        cls, stem = self.handles[args[0][1]]
        if function in shapes.HAND_ONLY:
            raise Unsupported("hand-written")
        if function in shapes.LEGACY_LISTS:
            return self.legacy_list(function, fn, args)
        counts = [a for a, t in args if t in INT_TYPES and re.match(
            r"(n[a-z]|max[a-z]|.*(Count|Cells)$)", a)]
        if counts and any(t in OUT_SCALARS for _, t in args):
            # A pointer next to a count is an array, not a single value.
            raise Unsupported(f"array argument sized by {counts[0]}")
        module = MODULE_FUNCTIONS.get(fn["library"])
        if module:
            # libvirt-qemu and libvirt-lxc become functions of virt.qemu and virt.lxc,
            # taking the object as their first argument.
            prefix = "vir" + module[1]
            name = snake(function.removeprefix(prefix)).replace("c_group", "cgroup")
            w = Wrapper(function, module[0], name)
            first = args[0][0]
            w.params.append(f"{first}: {cls}")
            w.call_args.append(f'_handle({first}, {cls}, "{first}")')
            w.module_function = True
        else:
            w = Wrapper(function, cls, method_name(function, stem))
            w.call_args.append("OWNER._as_parameter_")
        nullable = self.nullable_args(function)
        for name, ctype in args[1:]:
            self.argument(w, function, name, ctype, nullable)
        self.result(w, function, fn["return"])
        return w

    def next_type(self, function: str, name: str) -> str | None:
        """The C type of the argument after *name*."""
        args = self.facts["functions"][function]["args"]
        names = [a for a, _ in args]
        index = names.index(name) + 1
        return str(args[index][1]) if index < len(args) else None

    def nullable_args(self, function: str) -> set[str]:
        """Arguments of *function* that may be NULL (None in Python)."""
        marked = self.facts["functions"][function].get("nullable", ())
        return set(marked) | {a for f, a in shapes.NULLABLE_ARGS if f == function}

    def legacy_list(self, function: str, fn: dict[str, Any], args: list[list[str]]) -> Wrapper:
        """``virConnectListDomains``-style: count first, then fill a buffer of that size."""
        cls, stem = self.handles[args[0][1]]
        w = Wrapper(function, cls, method_name(function, stem))
        counter = shapes.LEGACY_LISTS[function]
        count_args = ["OWNER._as_parameter_"]
        list_args = ["OWNER._as_parameter_"]
        nullable = self.nullable_args(function)
        for name, ctype in args[1:]:
            if ctype in ("char ** const", "char **", "int *"):
                if ctype == "int *":
                    w.before.append("buffer = (c_int * max(count, 1))()")
                    w.outputs.append(("buffer[:result]", "list[int]"))
                else:  # libvirt stores malloc()ed strings: read and free each
                    w.before.append("buffer = (c_char_p * max(count, 1))()")
                    w.outputs.append(("_take_names(buffer, result)", "list[str]"))
                list_args.append("buffer")
            elif ctype == "int" and (name.startswith("max") or name.endswith("len")):
                list_args.append("count")
            else:
                probe = Wrapper(function, cls, w.name)
                self.argument(probe, function, name, ctype, nullable)
                w.params += probe.params
                w.keyword_params += probe.keyword_params
                w.before = probe.before + w.before
                count_args += probe.call_args
                list_args += probe.call_args
        w.before.append(f"count = raw.{counter}({', '.join(count_args)})")
        w.before.append("if count < 0:")
        w.before.append("    _raise()")
        before_buffer = [line for line in w.before if not line.startswith("buffer")]
        w.before = before_buffer + [line for line in w.before if line.startswith("buffer")]
        w.call_args = list_args
        w.result_lines = ["if result < 0:", "    _raise()"]
        return w

    def argument(self, w: Wrapper, function: str, name: str, ctype: str,
                 nullable: set[str]) -> None:
        pname = name + "_" if keyword.iskeyword(name) else snake(name) if name != name.lower() \
            else name
        if ctype in ("int *", "unsigned int *") and w.pending_count in (
                "nparams_out", "byref(nparams_out)"):
            # The count that goes with a typed-parameter array before it.
            w.call_args.append(w.pending_count)
            w.pending_count = ""
        elif name == "flags" and ctype == "unsigned int":
            w.keyword_params.append(f"flags: {self.flag_type(function, name)} = 0")
            w.before.append('flags = _uint(flags, "flags")')
            w.call_args.append("flags")
        elif ctype in INT_TYPES and not (name == "size" and w.pending_size) and \
                not w.pending_count:
            refs = self.facts["functions"][function].get("arg_enums", {}).get(name)
            kind = " | ".join([*(self.enum_classes[r] for r in refs or ()
                                 if r in self.enum_classes), "int"])
            w.params.append(f"{pname}: {kind}")
            w.before.append(f'{pname} = _int({pname}, "{pname}", "{ctype}")')
            w.call_args.append(pname)
        elif ctype == "double":
            w.params.append(f"{pname}: float")
            w.call_args.append(f"float({pname})")
        elif ctype == "const char *":
            if (function, name) in shapes.PATH_ARGS:
                w.params.append(f"{pname}: str | os.PathLike[str]")
                w.before.append(f'{pname}_c = _path({pname}, "{pname}")')
            elif name in nullable:
                w.params.append(f"{pname}: str | None")
                w.before.append(f'{pname}_c = _optional_str({pname}, "{pname}")')
            else:
                w.params.append(f"{pname}: str")
                w.before.append(f'{pname}_c = _str({pname}, "{pname}")')
            w.call_args.append(f"{pname}_c")
        elif ctype in self.handles:
            other = self.handles[ctype][0]
            w.params.append(f"{pname}: {other}")
            w.call_args.append(f'_handle({pname}, {other}, "{pname}")')
        elif ctype == "const unsigned char *" and name == "uuid":
            w.params.append(f"{pname}: uuid.UUID | str | bytes")
            w.before.append(f'{pname}_c = _uuid_in({pname}, "{pname}")')
            w.call_args.append(f"{pname}_c")
        elif ctype == "unsigned char *" and name == "uuid":
            w.before.append("buffer = _UUIDBuffer()")
            w.call_args.append("buffer")
            w.outputs.append(("uuid.UUID(bytes=bytes(buffer))", "uuid.UUID"))
        elif ctype == "char *" and name == "buf" and "UUIDString" in function:
            w.before.append("buffer = _UUIDStringBuffer()")
            w.call_args.append("buffer")
            w.outputs.append(("_decode(buffer.value)", "str"))
        elif ctype in OUT_SCALARS:
            ctypes_name = OUT_SCALARS[ctype]
            w.before.append(f"{pname}_out = {ctypes_name}()")
            w.call_args.append(f"{pname}_out")  # ctypes passes it by reference
            if (function, name) in shapes.BOOL_OUTPUTS:
                w.outputs.append((f"bool({pname}_out.value)", "bool"))
            elif (function, name) in shapes.ENUM_OUTPUTS:
                enum = self.enum_classes[shapes.ENUM_OUTPUTS[function, name]]
                w.outputs.append((f"{enum}({pname}_out.value)", enum))
            else:
                w.outputs.append((f"{pname}_out.value",
                                  "float" if ctype == "double *" else "int"))
        elif struct := self.record_of(ctype):
            record = shapes.RECORDS[struct][0]
            w.before.append(f"{pname}_out = raw.{struct}()")
            w.call_args.append(f"{pname}_out")  # ctypes passes it by reference
            w.outputs.append((f"{record}._from_c({pname}_out)", record))
            w.pending_size = f"sizeof({pname}_out)"
        elif ctype == "size_t" and name == "size" and w.pending_size:
            w.call_args.append(w.pending_size)
        elif ctype == "virTypedParameterPtr" and self.next_type(function, name) in (
                "int", "unsigned int"):
            cls = genparams.PARAM_FUNCTIONS[function]
            self.param_classes.add(cls)
            w.params.append(f"{pname}: {cls} | Mapping[str, Any]")
            w.before.append(f"{pname}_c, {pname}_n = _pack_params({pname}, {cls})")
            w.call_args.append(f"{pname}_c")
            w.pending_count = f"{pname}_n"
        elif ctype == "virTypedParameterPtr" and self.next_type(function, name) == "int *":
            # Two calls: the first (params NULL) asks for the count, the second fills
            # a buffer of that size.  libvirt allocates the strings inside.
            cls = genparams.PARAM_FUNCTIONS[function]
            self.param_classes.add(cls)
            w.two_call = True
            w.call_args.append("PARAMS")
            w.outputs.append((f"_take_param_buffer({cls}, params_buffer, nparams_out.value)",
                              cls))
            w.pending_count = "nparams_out"
        elif ctype == "virTypedParameterPtr *":
            cls = genparams.PARAM_FUNCTIONS[function]
            self.param_classes.add(cls)
            counter = "c_uint" if self.next_type(function, name) == "unsigned int *" else "c_int"
            w.before.append("params_out = POINTER(raw.virTypedParameter)()")
            w.before.append(f"nparams_out = {counter}()")
            w.call_args.append("byref(params_out)")
            w.outputs.append((f"_take_params({cls}, params_out, nparams_out.value)", cls))
            w.pending_count = "byref(nparams_out)"
        elif ctype == "const char **" and w.pending_count is None:
            # A list of strings; the next argument is its length.
            w.params.append(f"{pname}: Sequence[str]")
            w.before.append(f'{pname}_c, {pname}_n = _str_array({pname}, "{pname}")')
            w.call_args.append(f"{pname}_c")
            w.pending_count = f"{pname}_n"
        elif ctype in INT_TYPES and w.pending_count:
            w.call_args.append(w.pending_count)
            w.pending_count = ""
        elif ctype == "char ***":
            w.before.append("strings = POINTER(c_char_p)()")
            w.call_args.append("byref(strings)")
            w.outputs.append(("_take_strings(strings, result)", "list[str]"))
            w.result_lines.append("COUNT")
        elif ctype == "char **" and function in shapes.STRING_OUTPUTS:
            w.before.append(f"{pname}_out = raw.OwnedString()")
            w.call_args.append(f"byref({pname}_out)")
            w.outputs.append((f"_take_str({pname}_out)", "str"))
        elif ctype.endswith(" **") and ctype[:-3] in self.handles:
            other = self.handles[ctype[:-3]][0]
            w.before.append(f"array = POINTER(raw.{ctype[:-3]})()")
            w.call_args.append("byref(array)")
            w.outputs.append((f"_take_objects(array, result, {other}, OWNER)",
                              f"list[{other}]"))
            w.result_lines.append("COUNT")
        else:
            raise Unsupported(f"argument {name}: {ctype}")

    def record_of(self, ctype: str) -> str | None:
        """The struct in ``shapes.RECORDS`` a ``fooPtr`` type points to, if any."""
        typedef = self.facts["typedefs"].get(ctype)
        if typedef and typedef["type"].endswith(" *"):
            struct = str(typedef["type"][:-2])
            return struct if struct in shapes.RECORDS else None
        return None

    def result(self, w: Wrapper, function: str, ctype: str) -> None:
        stem = function[3:]
        short = w.name
        if ctype == "int":
            if w.outputs and w.result_lines == ["COUNT"]:
                w.result_lines = ["if result < 0:", "    _raise()"]
            elif function in shapes.OPTIONAL_RECORDS:
                expression, record = w.outputs[0]
                w.result_lines = ["if result < 0:", "    _raise()", "if result == 0:",
                                  "    return None"]
                w.outputs[0] = (expression, f"{record} | None")
            elif function in shapes.ENUM_RESULTS:
                enum = self.enum_classes[shapes.ENUM_RESULTS[function]]
                w.result_lines = ["if result < 0:", "    _raise()"]
                w.outputs.insert(0, (f"{enum}(result)", enum))
            elif short.startswith(shapes.BOOL_RESULTS_PREFIXES):
                w.result_lines = ["if result < 0:", "    _raise()"]
                w.outputs.insert(0, ("bool(result)", "bool"))
            elif function in shapes.INT_RESULTS or "NumOf" in stem:
                w.result_lines = ["if result < 0:", "    _raise()"]
                w.outputs.insert(0, ("result", "int"))
            else:
                w.result_lines = ["if result < 0:", "    _raise()"]
        elif function in shapes.SENTINEL_RESULTS:
            sentinel = shapes.SENTINEL_RESULTS[function]
            w.result_lines = [f"if result == {sentinel}:", "    _raise()"]
            w.outputs.insert(0, ("result", "int"))
        elif ctype == "char *":
            if w.outputs:
                raise Unsupported("string result and out-parameters")
            w.outputs.append(("_take_str(result)", "str"))
        elif ctype == "const char *":
            if w.outputs:
                raise Unsupported("string result and out-parameters")
            w.result_lines = ["if result is None:", "    _raise()"]
            w.outputs.append(("_decode(result)", "str"))
        elif ctype in self.handles:
            other = self.handles[ctype][0]
            w.result_lines = ["if not result:", "    _raise()"]
            if function in shapes.BORROWED_RESULTS:
                # Not a new reference: find the wrapper that owns it, or take one.
                w.outputs.append((f"OWNER._borrowed(result, {other})", other))
            else:
                # A new object keeps the one it came from (and so its connection) alive.
                w.outputs.append((f"{other}._own(result, OWNER)", other))
        else:
            raise Unsupported(f"result {ctype}")

    def render(self, w: Wrapper) -> list[str]:
        """The source of *w*: a method, or for virt.qemu/virt.lxc a module function
        (named ``_qemu_<name>``, re-exported by those modules)."""
        fn = self.facts["functions"][w.function]
        if w.module_function:
            owner = w.params[0].split(":")[0]
            params, indent, name = list(w.params), "", f"_{w.cls}_{w.name}"
        else:
            owner, params, indent, name = "self", ["self", *w.params], "    ", w.name
        lines = self._render(w, fn, params, name)
        return [indent + line.replace("OWNER", owner) if line else line for line in lines]

    def _render(self, w: Wrapper, fn: dict[str, Any], params: list[str],
                name: str) -> list[str]:
        if w.keyword_params:
            params += ["*", *w.keyword_params]
        if not w.outputs:
            returns = "None"
        elif len(w.outputs) == 1:
            returns = w.outputs[0][1]
        else:
            returns = "tuple[" + ", ".join(t for _, t in w.outputs) + "]"
        signature = f"def {name}({', '.join(params)}) -> {returns}:"
        if len(signature) > 96:
            signature = f"def {name}(\n    " + ",\n    ".join(params) + f",\n) -> {returns}:"
        lines = [*signature.split("\n"), f'    """Wraps :libvirt:`{w.function}`."""']
        lines += [f"    {line}" for line in w.before]
        call = f"raw.{w.function}({', '.join(w.call_args)})"
        if w.two_call:
            count_source = shapes.PARAM_COUNTS.get(w.function)
            if count_source:
                lines.append(f"    nparams_out = c_int({count_source})")
            else:
                lines.append("    nparams_out = c_int(0)")
                lines.append(f"    if {call.replace('PARAMS', 'None')} < 0:")
                lines.append("        _raise()")
            lines.append("    params_buffer = "
                         "(raw.virTypedParameter * max(nparams_out.value, 1))()")
            call = call.replace("PARAMS", "params_buffer")
        result_used = bool(w.result_lines) or any("result" in e for e, _ in w.outputs)
        lines.append(f"    result = {call}" if result_used else f"    {call}")
        lines += [f"    {line}" for line in w.result_lines]
        if len(w.outputs) == 1:
            lines.append(f"    return {w.outputs[0][0]}")
        elif w.outputs:
            lines.append(f"    return ({', '.join(e for e, _ in w.outputs)})")
        return lines


def records_module(facts: dict[str, Any], enum_classes: dict[str, str], header: str) -> str:
    """NamedTuples for the structs in ``shapes.RECORDS`` and their converters.

    ``_from_c`` is on the hot path of calls like ``Domain.get_info``: it builds
    the tuple with ``tuple.__new__`` and converts enums through a dictionary,
    about three times faster than the NamedTuple constructor and enum call.
    """
    out = [header, '"""Small C structs returned by libvirt, as typed NamedTuples."""', "",
           "from __future__ import annotations", "", "from typing import NamedTuple", "",
           "from .. import raw", "from .._enum import converter", "ENUM_IMPORTS", "",
           "_new = tuple.__new__", ""]
    names = []
    converters_needed: set[str] = set()
    for struct, (name, special) in shapes.RECORDS.items():
        fields = facts["structs"][struct]["fields"]
        out += ["", f"class {name}(NamedTuple):",
                f'    """C :libvirt:`{struct}`."""', ""]
        converters = []
        for field_name, ctype in fields:
            py = snake(field_name[0].upper() + field_name[1:])
            kind = special.get(field_name)
            if kind == "bool":
                annotation, expr = "bool", f"bool(s.{field_name})"
            elif kind:
                annotation = enum_classes[kind]
                expr = f"_to_{annotation}(s.{field_name})"
                converters_needed.add(annotation)
            elif ctype.startswith("char "):
                annotation, expr = "str", f"_decode(s.{field_name})"
            else:
                annotation, expr = "int", f"s.{field_name}"
            out.append(f"    {py}: {annotation}")
            converters.append(expr)
        out += ["", "    @classmethod",
                f"    def _from_c(cls, s: raw.{struct}) -> {name}:",
                "        return _new(cls, (" + ", ".join(converters) + "))"]
        names.append(name)
    out += ["", ""]
    out += [f"_to_{enum} = converter({enum})" for enum in sorted(converters_needed)]
    out += ["", "", "def _decode(value: bytes) -> str:",
            '    return value.decode("utf-8", "surrogateescape")', "", "",
            "__all__ = [", *[f'    "{n}",' for n in names], "]"]
    return _import_used("\n".join(out) + "\n", enum_classes, records=False)


def methods_module(facts: dict[str, Any], enum_classes: dict[str, str],
                   header: str) -> tuple[str, dict[str, str]]:
    """The mixin classes of generated wrappers, and C function -> Python name."""
    known = set(facts["functions"])
    tables = {"RENAMES": set(shapes.RENAMES), "INT_RESULTS": shapes.INT_RESULTS,
              "SENTINEL_RESULTS": set(shapes.SENTINEL_RESULTS),
              "ENUM_RESULTS": set(shapes.ENUM_RESULTS), "OPTIONAL_RECORDS": shapes.OPTIONAL_RECORDS,
              "HAND_ONLY": shapes.HAND_ONLY, "PARAM_COUNTS": set(shapes.PARAM_COUNTS),
              "HAND_WRITTEN": set(shapes.HAND_WRITTEN),
              "BORROWED_RESULTS": shapes.BORROWED_RESULTS,
              "BOOL_OUTPUTS": {f for f, _ in shapes.BOOL_OUTPUTS},
              "PATH_ARGS": {f for f, _ in shapes.PATH_ARGS},
              "NULLABLE_ARGS": {f for f, _ in shapes.NULLABLE_ARGS}}
    for table, names in tables.items():
        if names - known:
            raise ValueError(f"shapes.{table} names unknown functions: {sorted(names - known)}")
    for function, arg in shapes.BOOL_OUTPUTS | shapes.PATH_ARGS | shapes.NULLABLE_ARGS:
        if arg not in [a for a, _ in facts["functions"][function]["args"]]:
            raise ValueError(f"shapes: {function} has no argument {arg!r}")
    generator = MethodGenerator(facts, enum_classes)
    module_functions: list[Wrapper] = []
    by_class: dict[str, list[Wrapper]] = {}
    mapping: dict[str, str] = {}
    for function in sorted(facts["functions"]):
        if shapes.deferred(function) or shapes.RENAMES.get(function) in LIFECYCLE:
            continue
        try:
            wrapper = generator.wrapper(function)
        except Unsupported:
            continue
        by_class.setdefault(wrapper.cls, []).append(wrapper)
        mapping[function] = f"{wrapper.cls}.{wrapper.name}"
        if wrapper.module_function:
            module_functions.append(wrapper)
    classes = sorted({cls for cls, _ in shapes.CLASSES.values()})
    out = [
        header,
        '"""Generated wrappers, one method per C function, mixed into the object classes."""',
        "",
        "from __future__ import annotations",
        "",
        "import os",
        "import uuid",
        "from collections.abc import Mapping, Sequence",
        "CTYPES_IMPORTS",
        "from typing import TYPE_CHECKING, Any, TypeVar",
        "",
        "from .. import raw",
        *MARSHAL_IMPORTS,
        "ENUM_IMPORTS",
        "",
        '_T = TypeVar("_T")',
        "",
        "if TYPE_CHECKING:",
        *[f"    from .. import {cls} as {cls}" for cls in sorted(classes, key=str.lower)],
        "else:  # bound by virt/__init__.py once the classes exist",
        *[f"    {cls}: Any = None" for cls in classes],
        "",
    ]
    for cls in classes:
        out += ["", f"class _{cls}Methods:", f'    """The generated methods of `virt.{cls}`."""',
                "", "    __slots__ = ()", ""]
        out += ["    if TYPE_CHECKING:", "        _as_parameter_: Any", "",
                "        def _borrowed(self, handle: Any, cls: type[_T]) -> _T: ...", ""]
        for wrapper in by_class.get(cls, []):
            out += generator.render(wrapper)
            out.append("")
    for wrapper in module_functions:
        out += ["", *generator.render(wrapper), ""]
    out += ["", "def _bind(**classes: Any) -> None:",
            '    """Make the object classes visible to the wrappers above."""',
            "    globals().update(classes)", ""]
    text = "\n".join(out) + "\n"
    return _import_used(text, enum_classes), mapping


def _import_used(text: str, enum_classes: dict[str, str], records: bool = True) -> str:
    """Replace the ``ENUM_IMPORTS`` line by imports of the enums and records used."""
    body = text.split("ENUM_IMPORTS", 1)[1]
    used = set(re.findall(r"\b[A-Z]\w+\b", body))
    enums = sorted(used & set(enum_classes.values()))
    record_names = sorted(used & {name for name, _ in shapes.RECORDS.values()}) if records else []
    param_names = sorted(used & set(genparams.PARAM_FUNCTIONS.values())) if records else []
    lines = [import_lines(f".{module}", names)
             for module, names in (("enums", enums), ("params", param_names),
                                   ("records", record_names)) if names]
    text = text.replace("ENUM_IMPORTS", "\n".join(lines), 1)
    if "CTYPES_IMPORTS" in text:
        body = text.split("CTYPES_IMPORTS", 1)[1]
        used = set(re.findall(r"\b(POINTER|byref|sizeof|c_[a-z]+(?:_p)?)\b", body))
        text = text.replace("CTYPES_IMPORTS", import_lines("ctypes", sorted(used)), 1)
    return text


def import_lines(module: str, names: list[str]) -> str:
    """``from module import (...)``, one name a line, in the order ruff's isort wants."""
    def order(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
        return kind, name.lower()

    ordered = sorted(set(names), key=order)
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in ordered) + ")"


def mapping_module(facts: dict[str, Any], generated: dict[str, str], header: str) -> str:
    """The table of every C function and the Python name that reaches it."""
    mapping: dict[str, str] = {}
    for function, python in generated.items():
        mapping[function] = f"virt.{python}"
    for function, method in shapes.RENAMES.items():
        if method in LIFECYCLE:
            cls = shapes.CLASSES[facts["functions"][function]["args"][0][1]][0]
            mapping[function] = f"virt.{cls}.{method}"
    mapping.update(shapes.HAND_WRITTEN)
    deferred = sorted(f for f in facts["functions"] if shapes.deferred(f) and f not in mapping)
    out = [header, '"""Every libvirt C function and the Python name that reaches it."""', "",
           "#: C function -> dotted Python name", "MAPPING: dict[str, str] = {"]
    out += [f'    "{function}": "{python}",' for function, python in sorted(mapping.items())]
    out += ["}", "", "#: Functions the event and stream layers will wrap",
            "DEFERRED: list[str] = ["]
    out += [f'    "{function}",' for function in deferred]
    out += ["]"]
    return "\n".join(out) + "\n"
