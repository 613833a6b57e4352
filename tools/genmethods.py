"""The resolved record of every C function, and the core's wrappers rendered from it.

Two steps, kept apart so that every layer reads the same decisions:

`classify`
    decides, for one C function, what its Python wrapper is: the class and
    method name (or module function), each argument's *kind* (a row of
    `ARG_SHAPES`), the result's kind (`RESULT_KINDS`), the error convention,
    who owns what is returned, the libvirt version that added it — from the
    API facts and the reviewed tables in ``tools/tables/``.  `resolved_record`
    does it for all C functions; ``tools/api/shapes-<version>.json`` is that
    record, committed, and what compat, the stubs and the docs read.
`render`
    turns one record entry into Python source.  Each class's generated methods
    land in ``virt/_generated/methods/<class>.py``; nothing is rendered from
    anything but the record.

A function is generated when every argument and the result have a known shape;
the others are hand-written in the core modules, and the record names where
(``tables.methods.HAND_WRITTEN``) and why they could not be generated.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import genparams
from tables import methods as shapes
from tables.docs import METHOD_DOCS

INT_TYPES = frozenset({"int", "unsigned int", "long", "unsigned long", "long long",
                       "unsigned long long", "size_t"})
OUT_SCALARS = {
    "int *": "c_int", "unsigned int *": "c_uint", "long long *": "c_longlong",
    "unsigned long *": "c_ulong", "unsigned long long *": "c_ulonglong",
    "double *": "c_double",
}

#: Words that are spelt as one unit in snake case (``xmlCPUs`` -> ``xml_cpus``).
WORDS = (("IOThread", "Iothread"), ("NWFilter", "Nwfilter"), ("PMSuspend", "PmSuspend"),
         ("PMWakeup", "PmWakeup"), ("CPUs", "Cpus"), ("IDs", "Ids"), ("UUIDs", "Uuids"),
         ("VCPUs", "Vcpus"), ("ReAttach", "Reattach"))


def snake(camel: str) -> str:
    """``GetXMLDesc`` -> ``get_xml_desc``, ``LookupByUUIDString`` -> ``lookup_by_uuid_string``."""
    for word, replacement in WORDS:
        camel = camel.replace(word, replacement)
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[0-9]+", camel)
    return "_".join(w.lower() for w in words)


def parameter_name(name: str) -> str:
    """The Python name of C argument *name*."""
    if keyword.iskeyword(name):
        return name + "_"
    return snake(name[0].upper() + name[1:]) if name != name.lower() else name


def method_name(function: str, stem: str) -> str:
    if function in shapes.RENAMES:
        return shapes.RENAMES[function]
    rest = function[3:]
    if rest.startswith(stem) and rest[len(stem):len(stem) + 1].isupper():
        rest = rest[len(stem):]
    name = snake(rest)
    return name + "_" if keyword.iskeyword(name) else name


# -- the shapes of arguments ---------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One kind of argument: which C arguments have it (first matching row wins)."""

    kind: str
    c_types: frozenset[str] | None = None  # None: any C type
    names: frozenset[str] | None = None  # None: any argument name
    after: frozenset[str] | None = None  # the array argument waiting for this length
    when: str | None = None  # a further condition, one of `Classifier.CONDITIONS`
    doc: str = ""


def _set(*items: str) -> frozenset[str]:
    return frozenset(items)


#: Every kind of argument the generator knows, in the order they are tried.
ARG_SHAPES: tuple[Shape, ...] = (
    Shape("params-count-out", _set("int *", "unsigned int *"),
          after=_set("params-out", "params-buffer"),
          doc="the count that goes with a typed-parameter array before it"),
    Shape("flags", _set("unsigned int"), _set("flags"),
          doc="keyword-only, typed with the function's flag types, default 0"),
    Shape("array-length", INT_TYPES, after=_set("params-in", "str-array"),
          doc="the length of the array argument before it, from that array"),
    Shape("record-size", _set("size_t"), _set("size"), after=_set("record-out"),
          doc="sizeof() the struct the argument before it points to"),
    Shape("int", INT_TYPES, doc="an integer, range-checked against its C type"),
    Shape("path", _set("const char *"), when="path", doc="a file name: str or os.PathLike"),
    Shape("optional-str", _set("const char *"), when="nullable", doc="str, or None for NULL"),
    Shape("str", _set("const char *"), doc="str, UTF-8 encoded, NULs refused"),
    Shape("object", when="handle", doc="another libvirt object"),
    Shape("uuid-in", _set("const unsigned char *"), _set("uuid"),
          doc="a UUID as uuid.UUID, str or 16 bytes"),
    Shape("uuid-out", _set("unsigned char *"), _set("uuid"), doc="a 16-byte UUID buffer"),
    Shape("uuid-string-out", _set("char *"), _set("buf"), when="uuid-string",
          doc="a buffer for a UUID's text form"),
    Shape("out", frozenset(OUT_SCALARS), doc="a scalar out-parameter, returned"),
    Shape("record-out", when="record", doc="a struct out-parameter, returned as a NamedTuple"),
    Shape("params-in", _set("virTypedParameterPtr"), when="count-follows",
          doc="typed parameters in: a dataclass or a mapping"),
    Shape("params-buffer", _set("virTypedParameterPtr"), when="count-out-follows",
          doc="typed parameters out, into a caller's buffer (two calls)"),
    Shape("params-out", _set("virTypedParameterPtr *"),
          doc="typed parameters out, allocated by libvirt"),
    Shape("str-array", _set("const char **"), when="first-array", doc="a sequence of str"),
    Shape("strings-out", _set("char ***"), doc="a list of str allocated by libvirt"),
    Shape("string-out", _set("char **"), when="string-output",
          doc="one str allocated by libvirt"),
    Shape("objects-out", when="handle-array", doc="a list of objects allocated by libvirt"),
)

#: The kinds of result, with the convention by which each signals an error.
RESULT_KINDS: dict[str, tuple[str, str]] = {
    # kind: (error convention, ownership of the result)
    "status": ("negative", "none"),
    "count": ("negative", "none"),  # the length of an array out-parameter
    "optional-record": ("negative", "none"),  # 0: nothing to fill, the wrapper returns None
    "enum": ("negative", "none"),
    "bool": ("negative", "none"),
    "int": ("negative", "none"),
    "sentinel": ("sentinel", "none"),
    "owned-string": ("null", "caller frees (free)"),
    "static-string": ("null", "libvirt keeps it"),
    "object": ("null", "new reference (the wrapper frees it)"),
    "borrowed-object": ("null", "borrowed (no new reference)"),
}

#: Libraries whose functions become module functions: library -> (module, C prefix).
MODULE_FUNCTIONS = {"libvirt-qemu": ("qemu", "DomainQemu"), "libvirt-lxc": ("lxc", "DomainLxc")}

#: Renamed functions that the object base class or the raw layer implement.
LIFECYCLE = {"close": "the wrapper's own close()", "adopt": "virt.raw.adopt()"}


class Unsupported(Exception):
    """This function needs a hand-written wrapper."""


@dataclass
class _State:
    """What classifying one function's arguments has seen so far."""

    waiting: str | None = None  # an array argument whose length comes next
    arrays: int = 0
    record: bool = False  # a struct argument was seen: a ``size`` may follow


class Classifier:
    """Decides the record entry of each C function."""

    CONDITIONS = ("path", "nullable", "handle", "uuid-string", "record", "count-follows",
                  "count-out-follows", "first-array", "string-output", "handle-array")

    def __init__(self, facts: dict[str, Any], enum_classes: dict[str, str]) -> None:
        self.facts = facts
        self.enum_classes = enum_classes  # C enum type -> Python class name
        self.handles = shapes.CLASSES

    # -- one argument --------------------------------------------------------------

    def enums_of(self, function: str, arg: str) -> list[str]:
        refs = self.facts["functions"][function].get("arg_enums", {}).get(arg, [])
        return [r for r in refs if r in self.enum_classes]

    def condition(self, when: str, function: str, index: int, name: str, ctype: str,
                  state: _State) -> bool:
        args = self.facts["functions"][function]["args"]
        following = str(args[index + 1][1]) if index + 1 < len(args) else None
        if when == "path":
            return (function, name) in shapes.PATH_ARGS
        if when == "nullable":
            return name in self.nullable_args(function)
        if when == "handle":
            return ctype in self.handles
        if when == "uuid-string":
            return "UUIDString" in function
        if when == "record":
            return self.record_of(ctype) is not None
        if when == "count-follows":
            return following in ("int", "unsigned int")
        if when == "count-out-follows":
            return following == "int *"
        if when == "first-array":
            return state.arrays == 0
        if when == "string-output":
            return function in shapes.STRING_OUTPUTS
        if when == "handle-array":
            return ctype.endswith(" **") and ctype[:-3] in self.handles
        raise ValueError(f"unknown condition {when!r}")

    def shape_of(self, function: str, index: int, name: str, ctype: str,
                 state: _State) -> Shape:
        for shape in ARG_SHAPES:
            if shape.c_types is not None and ctype not in shape.c_types:
                continue
            if shape.names is not None and name not in shape.names:
                continue
            if shape.after is not None:
                seen = "record-out" if state.record else state.waiting
                if state.waiting not in shape.after and seen not in shape.after:
                    continue
            if shape.kind == "int" and state.waiting in ("params-in", "str-array"):
                continue  # an array's length is not a value of its own
            if shape.when and not self.condition(shape.when, function, index, name, ctype,
                                                 state):
                continue
            return shape
        raise Unsupported(f"argument {name}: {ctype}")

    def argument(self, function: str, index: int, name: str, ctype: str,
                 state: _State) -> dict[str, Any]:
        shape = self.shape_of(function, index, name, ctype, state)
        kind = shape.kind
        arg: dict[str, Any] = {"name": name, "c_type": ctype, "kind": kind}
        enums = self.enums_of(function, name)
        if enums:
            arg["enums"] = enums
        if name in self.nullable_args(function):
            arg["nullable"] = True
        python = parameter_name(name)
        if kind == "flags":
            arg["python"] = "flags"
            arg["type"] = " | ".join(self.enum_classes[e] for e in enums) or "int"
        elif kind == "int":
            arg["python"] = python
            arg["type"] = " | ".join([*(self.enum_classes[e] for e in enums), "int"])
        elif kind == "path":
            arg.update(python=python, type="str | os.PathLike[str]")
        elif kind == "optional-str":
            arg.update(python=python, type="str | None")
        elif kind == "str":
            arg.update(python=python, type="str")
        elif kind == "object":
            arg.update(python=python, type=self.handles[ctype][0], handle=ctype)
        elif kind == "uuid-in":
            arg.update(python=python, type="uuid.UUID | str | bytes")
        elif kind == "uuid-out":
            arg.update(output="uuid.UUID")
        elif kind == "uuid-string-out":
            arg.update(output="str")
        elif kind == "out":
            arg["ctypes"] = OUT_SCALARS[ctype]
            arg["python"] = python
            if (function, name) in shapes.BOOL_OUTPUTS:
                arg["output"] = "bool"
            elif (function, name) in shapes.DEPENDENT_OUTPUTS:
                output, other, converter = shapes.DEPENDENT_OUTPUTS[function, name]
                arg.update(output=output, depends_on=other, converter=converter)
            elif (function, name) in shapes.ENUM_OUTPUTS:
                arg["output"] = self.enum_classes[shapes.ENUM_OUTPUTS[function, name]]
                arg["enum"] = shapes.ENUM_OUTPUTS[function, name]
            else:
                arg["output"] = "float" if ctype == "double *" else "int"
        elif kind == "record-out":
            struct = self.record_of(ctype)
            assert struct is not None
            values = [expr for _, _, expr in record_fields(self.facts, self.enum_classes, struct)]
            arg.update(python=python, struct=struct, output=shapes.RECORDS[struct][0],
                       values=values)
        elif kind in ("params-in", "params-buffer", "params-out"):
            arg["params"] = genparams.PARAM_FUNCTIONS[function]
            if kind == "params-in":
                arg.update(python=python, type=f"{arg['params']} | Mapping[str, Any]")
            else:
                arg["output"] = arg["params"]
            if kind == "params-out":
                args = self.facts["functions"][function]["args"]
                following = args[index + 1][1] if index + 1 < len(args) else None
                arg["count_ctypes"] = "c_uint" if following == "unsigned int *" else "c_int"
        elif kind == "str-array":
            arg.update(python=python, type="Sequence[str]")
        elif kind == "strings-out":
            arg["output"] = "list[str]"
        elif kind == "string-out":
            arg.update(python=python, output="str")
        elif kind == "objects-out":
            arg.update(handle=ctype[:-3], output=f"list[{self.handles[ctype[:-3]][0]}]")
        # What the next arguments will see.
        if kind in ("params-in", "params-buffer", "params-out", "str-array"):
            state.waiting = kind
            state.arrays += 1
        elif kind in ("params-count-out", "array-length"):
            state.waiting = None
        elif kind == "record-out":
            state.record = True
        return arg

    # -- one function --------------------------------------------------------------

    def nullable_args(self, function: str) -> set[str]:
        """Arguments of *function* that may be NULL (None in Python)."""
        marked = self.facts["functions"][function].get("nullable", ())
        return set(marked) | {a for f, a in shapes.NULLABLE_ARGS if f == function}

    def record_of(self, ctype: str) -> str | None:
        """The struct in ``shapes.RECORDS`` a ``fooPtr`` type points to, if any."""
        typedef = self.facts["typedefs"].get(ctype)
        if typedef and typedef["type"].endswith(" *"):
            struct = str(typedef["type"][:-2])
            return struct if struct in shapes.RECORDS else None
        return None

    def entry(self, function: str, generated_names: dict[str, set[str]]) -> dict[str, Any]:
        """The record entry of *function*."""
        fn = self.facts["functions"][function]
        entry: dict[str, Any] = {"library": fn["library"], "since": fn.get("version")}
        args = fn["args"]
        owner = args[0][1] if args and args[0][1] in self.handles else None
        if owner:
            entry["class"] = self.handles[owner][0]
        try:
            how, target, reason = "generated", None, None
            if function in shapes.HAND_WRITTEN:
                how, target, reason = "hand-written", shapes.HAND_WRITTEN[function], \
                    "its arguments or result need more than the generator's shapes"
            elif shapes.RENAMES.get(function) in LIFECYCLE:
                method = shapes.RENAMES[function]
                how, reason = "lifecycle", LIFECYCLE[method]
                target = "virt.raw.adopt" if method == "adopt" else \
                    f"virt.{entry['class']}.{method}"
            self.generated(function, entry)
            if how == "generated":
                target = entry["target"]
        except Unsupported as why:
            entry["args"] = [{"name": n, "c_type": t, "kind": "unclassified"} for n, t in args]
            entry["result"] = {"c_type": fn["return"], "kind": "unclassified"}
            if how == "generated":
                raise ValueError(f"{function} is neither generated ({why}) nor listed in "
                                 "tables.methods.HAND_WRITTEN") from None
            reason = f"{reason} ({why})"
        entry["how"] = how
        entry["target"] = target
        if how == "generated" and function in METHOD_DOCS:
            entry["doc"] = METHOD_DOCS[function]
        assert target is not None, function
        if how != "generated":
            for key in ("module", "shape", "counter", "param_count", "error", "ownership"):
                entry.pop(key, None)
            entry["name"] = target.rsplit(".", 1)[1]
        if reason:
            entry["reason"] = reason
        if how == "generated":
            cls, name = entry.get("class"), entry["name"]
            generated_names.setdefault(str(entry.get("module") or cls), set()).add(name)
        return entry

    def generated(self, function: str, entry: dict[str, Any]) -> dict[str, Any]:
        """Fill *entry* with the wrapper's shape; raise `Unsupported` if there is none."""
        fn = self.facts["functions"][function]
        args = fn["args"]
        if not args or args[0][1] not in self.handles:
            raise Unsupported("no object argument")
        if function in shapes.HAND_ONLY:
            raise Unsupported(shapes.HAND_ONLY[function])
        cls, stem = self.handles[args[0][1]]
        counts = [a for a, t in args if t in INT_TYPES and re.match(
            r"(n[a-z]|max[a-z]|.*(Count|Cells)$)", a)]
        if counts and any(t in OUT_SCALARS for _, t in args) and \
                function not in shapes.LEGACY_LISTS:
            raise Unsupported(f"array argument sized by {counts[0]}")
        module = MODULE_FUNCTIONS.get(fn["library"])
        if module:
            # libvirt-qemu and libvirt-lxc functions become functions of virt.qemu
            # and virt.lxc, taking the object as their first argument.
            name = snake(function.removeprefix("vir" + module[1])).replace("c_group", "cgroup")
            entry.update(module=module[0], name=name, target=f"virt.{module[0]}.{name}")
            first = {"name": args[0][0], "c_type": args[0][1], "kind": "object",
                     "python": parameter_name(args[0][0]), "type": cls, "handle": args[0][1]}
        else:
            name = method_name(function, stem)
            entry.update(name=name, target=f"virt.{cls}.{name}")
            first = {"name": args[0][0], "c_type": args[0][1], "kind": "self"}
        if function in shapes.LEGACY_LISTS:
            entry["shape"] = "legacy-list"
            entry["counter"] = shapes.LEGACY_LISTS[function]
            entry["args"] = [first, *self.legacy_arguments(function, args)]
            entry["result"] = {"c_type": fn["return"], "kind": "count"}
        else:
            state = _State()
            entry["shape"] = "call"
            entry["args"] = [first, *(self.argument(function, i, n, t, state)
                                      for i, (n, t) in enumerate(args) if i)]
            if state.waiting:
                raise Unsupported(f"the {state.waiting} argument has no length after it")
            entry["result"] = self.result(function, fn["return"], entry["args"])
            if function in shapes.PARAM_COUNTS:
                entry["param_count"] = shapes.PARAM_COUNTS[function]
        kind = entry["result"]["kind"]
        entry["error"], entry["ownership"] = RESULT_KINDS[kind]
        if kind == "sentinel":
            entry["error"] = f"== {entry['result']['sentinel']}"
        return entry

    def legacy_arguments(self, function: str, args: list[list[str]]) -> list[dict[str, Any]]:
        """``virConnectListDomains``-style: count first, then fill a buffer of that size."""
        out = []
        state = _State()
        for index, (name, ctype) in enumerate(args):
            if not index:
                continue
            if ctype == "int *":
                out.append({"name": name, "c_type": ctype, "kind": "ids-buffer",
                            "output": "list[int]"})
            elif ctype in ("char ** const", "char **"):
                out.append({"name": name, "c_type": ctype, "kind": "names-buffer",
                            "output": "list[str]"})
            elif ctype == "int" and (name.startswith("max") or name.endswith("len")):
                out.append({"name": name, "c_type": ctype, "kind": "buffer-length"})
            else:
                out.append(self.argument(function, index, name, ctype, state))
        return out

    def result(self, function: str, ctype: str, args: list[dict[str, Any]]) -> dict[str, Any]:
        outputs = [a for a in args if "output" in a]
        arrays = [a for a in args if a["kind"] in ("strings-out", "objects-out")]
        result: dict[str, Any] = {"c_type": ctype}
        name = self.facts["functions"][function]["args"][0][1]
        short = method_name(function, self.handles[name][1])
        if ctype == "int":
            if arrays:
                kind = "count"
            elif function in shapes.OPTIONAL_RECORDS:
                kind = "optional-record"
            elif function in shapes.ENUM_RESULTS:
                kind = "enum"
                result["enum"] = shapes.ENUM_RESULTS[function]
                result["type"] = self.enum_classes[result["enum"]]
            elif short.startswith(shapes.BOOL_RESULTS_PREFIXES):
                kind = "bool"
            elif function in shapes.INT_RESULTS or "NumOf" in function:
                kind = "int"
            else:
                kind = "status"
        elif function in shapes.SENTINEL_RESULTS:
            kind = "sentinel"
            result["sentinel"] = shapes.SENTINEL_RESULTS[function]
            if function in shapes.OPTIONAL_SENTINELS:
                result["none_when"] = shapes.OPTIONAL_SENTINELS[function]
        elif ctype in ("char *", "const char *"):
            if outputs:
                raise Unsupported("string result and out-parameters")
            kind = "owned-string" if ctype == "char *" else "static-string"
        elif ctype in self.handles:
            kind = "borrowed-object" if function in shapes.BORROWED_RESULTS else "object"
            result["type"] = self.handles[ctype][0]
        else:
            raise Unsupported(f"result {ctype}")
        result["kind"] = kind
        return result


def resolved_record(facts: dict[str, Any], enum_classes: dict[str, str],
                    reserved: dict[str, set[str]]) -> dict[str, Any]:
    """The record of every C function (see the module docstring).

    *reserved* maps each class (and ``qemu``/``lxc``) to the names its base
    classes and hand-written code define: a generated name among them is refused.
    """
    check_tables(facts)
    classifier = Classifier(facts, enum_classes)
    names: dict[str, set[str]] = {}
    functions = {f: classifier.entry(f, names) for f in sorted(facts["functions"])}
    clashes = sorted(f"{owner}.{name}" for owner, generated in names.items()
                     for name in generated & reserved.get(owner or "", set()))
    if clashes:
        raise ValueError("generated names shadow a base-class or hand-written attribute "
                         f"(rename them in tables.methods.RENAMES): {clashes}")
    return {
        "version": facts["version"],
        "about": "One entry per C function: how virt wraps it. Generated by "
                 "tools/generate.py from the API facts and tools/tables/; do not edit.",
        "arg_kinds": {s.kind: s.doc for s in ARG_SHAPES},
        "result_kinds": {k: {"error": e, "ownership": o} for k, (e, o) in RESULT_KINDS.items()},
        "functions": functions,
    }


def check_tables(facts: dict[str, Any]) -> None:
    """Refuse table entries that name functions or arguments the facts do not have."""
    known = set(facts["functions"])
    tables = {"RENAMES": set(shapes.RENAMES), "INT_RESULTS": shapes.INT_RESULTS,
              "SENTINEL_RESULTS": set(shapes.SENTINEL_RESULTS),
              "ENUM_RESULTS": set(shapes.ENUM_RESULTS), "OPTIONAL_RECORDS": shapes.OPTIONAL_RECORDS,
              "HAND_ONLY": set(shapes.HAND_ONLY), "PARAM_COUNTS": set(shapes.PARAM_COUNTS),
              "HAND_WRITTEN": set(shapes.HAND_WRITTEN),
              "OPTIONAL_SENTINELS": set(shapes.OPTIONAL_SENTINELS),
              "BORROWED_RESULTS": shapes.BORROWED_RESULTS,
              "LEGACY_LISTS": set(shapes.LEGACY_LISTS),
              "BOOL_OUTPUTS": {f for f, _ in shapes.BOOL_OUTPUTS},
              "PATH_ARGS": {f for f, _ in shapes.PATH_ARGS},
              "NULLABLE_ARGS": {f for f, _ in shapes.NULLABLE_ARGS}}
    for table, names in tables.items():
        if names - known:
            raise ValueError(f"shapes.{table} names unknown functions: {sorted(names - known)}")
    if set(shapes.OPTIONAL_SENTINELS) - set(shapes.SENTINEL_RESULTS):
        raise ValueError("shapes.OPTIONAL_SENTINELS names functions without a sentinel")
    pairs = shapes.BOOL_OUTPUTS | shapes.PATH_ARGS | shapes.NULLABLE_ARGS | \
        set(shapes.DEPENDENT_OUTPUTS) | set(shapes.ENUM_OUTPUTS)
    for function, arg in pairs:
        if arg not in [a for a, _ in facts["functions"][function]["args"]]:
            raise ValueError(f"shapes: {function} has no argument {arg!r}")


def reserved_names(root: Path) -> dict[str, set[str]]:
    """The attributes each class gets from hand-written code, read from the sources.

    Every name defined in the class body of a hand-written core class, in
    `virt.LibvirtObject`, and at module level in virt/qemu.py and virt/lxc.py.
    """
    virt = root / "virt"
    base: set[str] = set()
    per_class: dict[str, set[str]] = {}
    for path in sorted(virt.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                defined = {n.name for n in node.body
                           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
                defined |= {t.id for n in node.body if isinstance(n, ast.Assign)
                            for t in n.targets if isinstance(t, ast.Name)}
                defined |= {n.target.id for n in node.body
                            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
                if node.name == "LibvirtObject":
                    base |= defined
                else:
                    per_class.setdefault(node.name, set()).update(defined)
        if path.stem in ("qemu", "lxc"):
            per_class[path.stem] = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {cls for cls, _ in shapes.CLASSES.values()}
    reserved = {cls: base | per_class.get(cls, set()) for cls in classes}
    reserved.update({m: per_class.get(m, set()) for m in ("qemu", "lxc")})
    return reserved


# -- rendering -------------------------------------------------------------------


@dataclass
class Code:
    """The pieces of one wrapper's source, filled argument by argument."""

    params: list[str] = field(default_factory=list)
    keyword_params: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    call_args: list[str] = field(default_factory=list)
    outputs: list[tuple[str, str]] = field(default_factory=list)  # (expression, type)
    result_lines: list[str] = field(default_factory=list)
    waiting: str = ""  # the length expression of the array argument before
    size: str = ""  # the sizeof() expression of the struct argument before
    two_call: bool = False
    result_address: bool = False  # the result is a handle: keep its address (an int)


def _argument(code: Code, arg: dict[str, Any]) -> None:
    """Add the source pieces for one argument (a record entry's ``args`` item)."""
    kind, p = arg["kind"], arg.get("python", "")
    if kind == "self":
        code.call_args.append("OWNER._as_parameter_")
    elif kind == "object":
        code.params.append(f"{p}: {arg['type']}")
        code.call_args.append(f'_handle({p}, _CORE.{arg["type"]}, "{p}")')
    elif kind == "params-count-out":
        code.call_args.append(code.waiting)
    elif kind == "flags":
        flag_type = arg["type"]
        annotation = "int" if flag_type == "int" else f"{flag_type} | Literal[0]"
        code.keyword_params.append(f"flags: {annotation} = 0")
        code.before.append('flags_c = _uint(flags, "flags")')
        code.call_args.append("flags_c")
    elif kind in ("array-length", "record-size"):
        code.call_args.append(code.waiting if kind == "array-length" else code.size)
    elif kind == "int":
        code.params.append(f"{p}: {arg['type']}")
        code.before.append(f'{p} = _int({p}, "{p}", "{arg["c_type"]}")')
        code.call_args.append(p)
    elif kind in ("path", "optional-str", "str"):
        check = {"path": "_path", "optional-str": "_optional_str", "str": "_str"}[kind]
        code.params.append(f"{p}: {arg['type']}")
        code.before.append(f'{p}_c = {check}({p}, "{p}")')
        code.call_args.append(f"{p}_c")
    elif kind == "uuid-in":
        code.params.append(f"{p}: {arg['type']}")
        code.before.append(f'{p}_c = _uuid_in({p}, "{p}")')
        code.call_args.append(f"{p}_c")
    elif kind == "uuid-out":
        code.before.append("buffer = _UUIDBuffer()")
        code.call_args.append("buffer")
        code.outputs.append(("_uuid_out(buffer)", "uuid.UUID"))
    elif kind == "uuid-string-out":
        code.before.append("buffer = _UUIDStringBuffer()")
        code.call_args.append("buffer")
        # decode inline: a call of _decode costs a tenth of these getters
        code.outputs.append(('buffer.value.decode("utf-8", "surrogateescape")', "str"))
    elif kind == "out":
        code.before.append(f"{p}_out = {arg['ctypes']}()")
        code.call_args.append(f"{p}_out")  # ctypes passes it by reference
        output = arg["output"]
        if output == "bool":
            code.outputs.append((f"bool({p}_out.value)", "bool"))
        elif "converter" in arg:
            other = parameter_name(arg["depends_on"])
            code.outputs.append((f"_hand_records.{arg['converter']}({other}_out.value, "
                                 f"{p}_out.value)", output))
        elif "enum" in arg:
            code.outputs.append((f"_to.{output}[{p}_out.value]", output))
        else:
            code.outputs.append((f"{p}_out.value", output))
    elif kind == "record-out":
        code.before.append(f"{p}_out = raw.{arg['struct']}()")
        code.call_args.append(f"{p}_out")  # ctypes passes it by reference
        # the record's tuple made here: `_from_c`'s call costs a tenth of get_info
        values = ", ".join(value.format(f"{p}_out") for value in arg["values"])
        code.outputs.append((f"_new_record(_records.{arg['output']}, ({values}))",
                             arg["output"]))
        code.size = f"sizeof({p}_out)"
    elif kind == "params-in":
        code.params.append(f"{p}: {arg['type']}")
        code.before.append(f"{p}_c, {p}_n = _pack_params({p}, _params.{arg['params']}, "
                           f'"{p}")')
        code.call_args.append(f"{p}_c")
        code.waiting = f"{p}_n"
    elif kind == "params-buffer":
        # Two calls: the first (params NULL) asks for the count, the second fills
        # a buffer of that size.  libvirt allocates the strings inside.
        code.two_call = True
        code.call_args.append("PARAMS")
        code.outputs.append((f"_take_param_buffer(_params.{arg['params']}, params_buffer, "
                             "nparams_out.value)", arg["params"]))
        code.waiting = "nparams_out"
    elif kind == "params-out":
        code.before.append("params_out = raw.pointer_type(raw.virTypedParameter)()")
        code.before.append(f"nparams_out = {arg['count_ctypes']}()")
        code.call_args.append("byref(params_out)")
        code.outputs.append((f"_take_params(_params.{arg['params']}, params_out, "
                             "nparams_out.value)", arg["params"]))
        code.waiting = "byref(nparams_out)"
    elif kind == "str-array":
        code.params.append(f"{p}: Sequence[str]")
        code.before.append(f'{p}_c, {p}_n = _str_array({p}, "{p}")')
        code.call_args.append(f"{p}_c")
        code.waiting = f"{p}_n"
    elif kind == "strings-out":
        code.before.append("strings = raw.pointer_type(c_char_p)()")
        code.call_args.append("byref(strings)")
        code.outputs.append(("_take_strings(strings, result)", "list[str]"))
    elif kind == "string-out":
        code.before.append(f"{p}_out = raw.OwnedString()")
        code.call_args.append(f"byref({p}_out)")
        code.outputs.append((f"_take_str({p}_out)", "str"))
    elif kind == "objects-out":
        element = arg["output"][5:-1]
        code.before.append(f"array = raw.pointer_type(raw.{arg['handle']})()")
        code.call_args.append("byref(array)")
        code.outputs.append((f"_take_objects(array, result, OWNER._wrappers.{element}, OWNER)",
                             arg["output"]))
    else:
        raise ValueError(f"no rendering for argument kind {kind!r}")


def _result(code: Code, result: dict[str, Any]) -> None:
    kind = result["kind"]
    negative = ["if result < 0:", "    raise _error()"]
    if kind in ("status", "count"):
        code.result_lines = negative
    elif kind == "optional-record":
        expression, record = code.outputs[0]
        code.result_lines = [*negative, "if result == 0:", "    return None"]
        code.outputs[0] = (expression, f"{record} | None")
    elif kind == "enum":
        code.result_lines = negative
        # `_member` (typed by its class argument) where the member is the whole
        # result: mypy --strict refuses to return the Any of `_to.X[...]`
        code.outputs.insert(0, (f"_member(_enums.{result['type']}, result)", result["type"]))
    elif kind == "bool":
        code.result_lines = negative
        code.outputs.insert(0, ("bool(result)", "bool"))
    elif kind == "int":
        code.result_lines = negative
        code.outputs.insert(0, ("result", "int"))
    elif kind == "sentinel" and "none_when" in result:
        # Without an error set, the sentinel is an answer: None.
        code.result_lines = [f"if result == {result['sentinel']}:", "    _raise_if_set()",
                             "    return None"]
        code.outputs.insert(0, ("result", "int | None"))
    elif kind == "sentinel":
        code.result_lines = [f"if result == {result['sentinel']}:", "    raise _error()"]
        code.outputs.insert(0, ("result", "int"))
    elif kind == "owned-string":
        code.outputs.append(("_take_str(result)", "str"))
    elif kind == "static-string":
        code.result_lines = ["if result is None:", "    raise _error()"]
        code.outputs.append(('result.decode("utf-8", "surrogateescape")', "str"))
    elif kind == "object":
        # A new object keeps the one it came from (and so its connection) alive.
        # Wrappers keep the address (an int): virt.raw._addresses returns it.
        code.result_address = True
        code.result_lines = ["if not result:", "    raise _error()"]
        code.outputs.append((f"OWNER._wrappers.{result['type']}._own(result, OWNER)",
                             result["type"]))
    elif kind == "borrowed-object":
        # Not a new reference: find the wrapper that owns it, or take one.
        code.result_address = True
        code.result_lines = ["if not result:", "    raise _error()"]
        code.outputs.append((f"OWNER._borrowed(result, OWNER._wrappers.{result['type']})",
                             result["type"]))
    else:
        raise ValueError(f"no rendering for result kind {kind!r}")


def _legacy_list(code: Code, function: str, entry: dict[str, Any]) -> None:
    """A count call sizes a buffer that the list call fills."""
    count_args, list_args = [], []
    buffers = []
    for arg in entry["args"]:
        kind = arg["kind"]
        if kind == "ids-buffer":
            buffers.append("buffer = (c_int * max(count, 1))()")
            code.outputs.append(("buffer[:result]", "list[int]"))
            list_args.append("buffer")
        elif kind == "names-buffer":  # libvirt stores malloc()ed strings: read and free each
            buffers.append("buffer = (c_char_p * max(count, 1))()")
            code.outputs.append(("_take_names(buffer, result)", "list[str]"))
            list_args.append("buffer")
        elif kind == "buffer-length":
            list_args.append("count")
        else:
            before = len(code.call_args)
            _argument(code, arg)
            count_args += code.call_args[before:]
            list_args += code.call_args[before:]
    code.before += [f"count = raw.{entry['counter']}({', '.join(count_args)})",
                    "if count < 0:", "    raise _error()", *buffers]
    code.call_args = list_args
    code.result_lines = ["if result < 0:", "    raise _error()"]


def _docstring(function: str, entry: dict[str, Any]) -> list[str]:
    """The docstring lines of *entry*'s wrapper: our prose, then the C function."""
    link = f":libvirt:`{function}`"
    if entry.get("since"):
        link += f" (libvirt {entry['since']})"
    prose = entry.get("doc")
    if not prose:
        return [f'    """Wraps {link}."""']
    paragraphs = [textwrap.fill(" ".join(p.split()), 88, initial_indent="    ",
                                subsequent_indent="    ")
                  for p in prose.strip().split("\n\n")]
    first, *rest = "\n\n".join(paragraphs).split("\n")  # one line each: the caller indents
    return [f'    """{first[4:]}', *rest, "", f"    Wraps {link}.", '    """']


def render(function: str, entry: dict[str, Any]) -> list[str]:
    """The source of *entry*'s wrapper: a method, or for virt.qemu/virt.lxc a module
    function (named ``_qemu_<name>``, re-exported by those modules)."""
    code = Code()
    if entry["shape"] == "legacy-list":
        _legacy_list(code, function, entry)
    else:
        for arg in entry["args"]:
            _argument(code, arg)
        _result(code, entry["result"])
    if entry.get("module"):
        owner = entry["args"][0]["python"]
        params, indent, name = list(code.params), "", f"_{entry['module']}_{entry['name']}"
    else:
        owner, params, indent, name = "self", ["self", *code.params], "    ", entry["name"]
    if code.keyword_params:
        params += ["*", *code.keyword_params]
    if not code.outputs:
        returns = "None"
    elif len(code.outputs) == 1:
        returns = code.outputs[0][1]
    else:
        returns = "tuple[" + ", ".join(t for _, t in code.outputs) + "]"
    signature = f"def {name}({', '.join(params)}) -> {returns}:"
    if len(signature) > 96:
        signature = f"def {name}(\n    " + ",\n    ".join(params) + f",\n) -> {returns}:"
    lines = [*signature.split("\n"), *_docstring(function, entry)]
    lines += [f"    {line}" for line in code.before]
    call = f"raw.{function}({', '.join(code.call_args)})"
    if code.two_call:
        count_source = entry.get("param_count")
        if count_source:
            lines.append(f"    nparams_out = c_int({count_source})")
        else:
            lines.append("    nparams_out = c_int(0)")
            lines.append(f"    if {call.replace('PARAMS', 'None')} < 0:")
            lines.append("        raise _error()")
        lines.append("    params_buffer = (raw.virTypedParameter * max(nparams_out.value, 1))()")
        call = call.replace("PARAMS", "params_buffer")
    result_used = bool(code.result_lines) or any("result" in e for e, _ in code.outputs)
    if code.result_address:  # the function bound to return the address itself
        call = call.replace("raw.", "_address.", 1)
    lines.append(f"    result = {call}" if result_used else f"    {call}")
    lines += [f"    {line}" for line in code.result_lines]
    if len(code.outputs) == 1 and code.outputs[0][0].endswith(_DECODE):
        # Strict UTF-8 first: ``decode()`` without arguments costs 40 ns less
        # (a seventh of get_name) and gives the same text wherever it succeeds.
        data = code.outputs[0][0][:-len(_DECODE)]
        lines += ["    try:", f"        return {data}.decode()",
                  "    except UnicodeDecodeError:  # not UTF-8: those bytes as surrogates",
                  f"        return {data}{_DECODE}"]
    elif len(code.outputs) == 1:
        lines.append(f"    return {code.outputs[0][0]}")
    elif code.outputs:
        lines.append(f"    return ({', '.join(e for e, _ in code.outputs)})")
    if owner == "self":
        lines = _guard_self(lines, entry["class"])
    return [indent + line.replace("OWNER", owner) if line else line for line in lines]


_DECODE = '.decode("utf-8", "surrogateescape")'


def _guard_self(lines: list[str], cls: str) -> list[str]:
    """A method's *lines* with a test of ``self`` first: a handle is an int,
    which ctypes passes for any handle type, so ``virt.Domain.get_name(network)``
    must be refused before the call (libvirt-admin, for one, does not check)."""
    opening = lines.index(next(line for line in lines if line.startswith('    """')))
    body = opening + 1
    if not (len(lines[opening]) > 10 and lines[opening].endswith('"""')):  # several lines
        body = next(i for i in range(body, len(lines)) if lines[i].endswith('"""')) + 1
    return [*lines[:body], f"    if not isinstance(self, _{cls}Methods):",
            f"        _not_self(self, _{cls}Methods)", *lines[body:]]


#: What the generated wrappers use from virt._marshal, under their short names.
_MARSHAL_NAMES = {
    "_not_self": "not_self",
    "_UUIDBuffer": "UUIDBuffer", "_UUIDStringBuffer": "UUIDStringBuffer",
    "_handle": "check_handle", "_int": "check_int", "_optional_str": "check_optional_str",
    "_path": "check_path", "_str": "check_str", "_uint": "check_uint", "_decode": "decode",
    "_raise_if_set": "raise_error_if_set", "_error": "last_error",
    "_str_array": "str_array", "_take_objects": "take_objects",
    "_take_str": "take_str", "_take_names": "take_names", "_take_strings": "take_strings",
    "_uuid_in": "to_uuid_bytes", "_uuid_out": "uuid_from_buffer", "_take_params": "take_params",
    "_take_param_buffer": "take_param_buffer", "_scheduler_param_count": "scheduler_param_count",
    "_member": "enum_member", "_new_record": "new_record",
}


def _module_file(owner: str) -> str:
    """``DomainSnapshot`` -> ``domain_snapshot``; ``NWFilter`` -> ``nwfilter``."""
    return snake(owner)


def methods_modules(record: dict[str, Any], enum_classes: dict[str, str],
                    header: str) -> dict[str, str]:
    """The generated methods, one file per class (and one each for qemu and lxc)."""
    by_owner: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for function, entry in record["functions"].items():
        if entry["how"] == "generated":
            owner = entry.get("module") or entry["class"]
            by_owner.setdefault(owner, []).append((function, entry))
    files = {"__init__.py": f'{header}\n"""The generated methods of each object class, one '
                            'module per class (see tools/genmethods.py)."""\n'}
    classes = sorted({cls for cls, _ in shapes.CLASSES.values()})
    for owner in [*classes, "lxc", "qemu"]:
        body: list[str] = []
        if owner in classes:
            body += [f"class _{owner}Methods:",
                     f'    """The generated methods of `virt.{owner}`."""', "",
                     "    __slots__ = ()", "",
                     "    if TYPE_CHECKING:", "        _as_parameter_: Any",
                     "        _wrappers: Wrappers", "",
                     "        def _borrowed(self, handle: Any, cls: type[_T]) -> _T: ...", ""]
            for function, entry in by_owner.get(owner, []):
                body += [*render(function, entry), ""]
        else:
            for function, entry in by_owner.get(owner, []):
                body += ["", *render(function, entry), ""]
        doc = f"`virt.{owner}`" if owner in classes else f"`virt.{owner}`'s module functions"
        files[f"{_module_file(owner)}.py"] = _methods_file(header, doc, "\n".join(body),
                                                           enum_classes)
    return files


#: The generated modules read ``typing`` under ``TYPE_CHECKING`` only: importing
#: it costs ~1.5 ms of ``import virt``, and their annotations are text.
_NO_TYPING = "TYPE_CHECKING = False  # typing's, without importing typing: mypy knows the name"

#: The generated modules' packing of typed parameters: `virt.typedparams` is
#: imported by the first parameter set class, which a method builds
#: (``_params.X``) before it packs, so ``import virt`` need not import it.
_PACK_PARAMS = [
    "def _pack_params(values: Any, cls: Any, name: str) -> Any:",
    '    """`virt.typedparams.pack_params`, imported on first use."""',
    "    from ...typedparams import pack_params",
    "",
    "    return pack_params(values, cls, name)",
]

def _methods_file(header: str, doc: str, body: str, enum_classes: dict[str, str]) -> str:
    """One generated methods module: *body* and the imports it uses."""
    code = re.sub(r'"""(?:[^"]|"(?!""))*"""', "", body)  # names in docstrings are not code
    # `_to.DomainState[...]` names an enum without using the class: not an import
    used = set(re.findall(r"\b_?[A-Za-z]\w*\b", re.sub(r"\b_to\.\w+", "_to", code)))
    runtime = set(re.findall(r"\b_(enums|params|records)\.", body))
    annotations = sorted(used & (set(enum_classes.values())
                                 | set(genparams.PARAM_FUNCTIONS.values())
                                 | {name for name, _ in shapes.RECORDS.values()}))
    classes = sorted(used & {cls for cls, _ in shapes.CLASSES.values()}, key=str.lower)
    if "_pack_params" in used:
        used.add("Any")
    typing_names = sorted({"Any", "Literal"} & used | ({"TypeVar"} if "_T" in used else set()))
    lines = [header, f'"""Generated wrappers: the methods of {doc}."""', "",
             "from __future__ import annotations", ""]
    stdlib = ["import os"] if re.search(r"\bos\.", body) else []
    if stdlib:
        lines += stdlib
    ctypes_used = sorted(set(re.findall(r"\b(POINTER|byref|sizeof|c_[a-z]+(?:_p)?)\b", body)))
    if ctypes_used:
        lines.append(import_lines("ctypes", ctypes_used))
    lines.append("")
    if "raw." in code:
        lines.append("from ... import raw")
    if "_hand_records." in code:
        lines.append("from ... import records as _hand_records")
    if "_to" in used:  # enum members by value: `virt._enum.Members`
        lines.append("from ..._enum import to as _to")
    marshal = sorted((_MARSHAL_NAMES[a], a) for a in _MARSHAL_NAMES if a in used)
    marshal.sort(key=lambda pair: (not pair[0][0].isupper(), pair[0].lower()))
    lines += [f"from ..._marshal import {name} as {alias}" for name, alias in marshal]
    if "_CORE" in used:
        lines.append("from ..._objects import CORE as _CORE")
    if "_address." in code:
        lines.append("from ...raw import _addresses as _address")
    for module in sorted(runtime):
        lines.append(f"from .. import {module} as _{module}")
    checking = ["if TYPE_CHECKING:"]
    if re.search(r"\buuid\.", body):  # annotations only: uuid (and platform) cost ~1.5 ms
        checking.append("    import uuid")
    abc = [n for n in ("Mapping", "Sequence") if n in used]
    if abc:
        checking.append(f"    from collections.abc import {', '.join(abc)}")
    if typing_names:
        checking.append(f"    from typing import {', '.join(typing_names)}")
    checking.append("")
    for names, module in ((classes, "..."), (["Wrappers"], "..._objects")):
        names = [n for n in names if n in used]
        line = f"    from {module} import {', '.join(names)}"
        if len(line) > 100:
            line = "    " + import_lines(module, names).replace("\n", "\n    ").rstrip()
        if names:
            checking.append(line)
    if "DomainStateReason" in used:
        checking.append("    from ...records import DomainStateReason")
    for module, names in (("enums", list(enum_classes.values())),
                          ("params", list(genparams.PARAM_FUNCTIONS.values())),
                          ("records", [n for n, _ in shapes.RECORDS.values()])):
        chosen = sorted(set(annotations) & set(names), key=lambda n: (n.lower()))
        if chosen:
            checking.append("    " + import_lines(f"..{module}", chosen).replace("\n", "\n    ")
                            .rstrip())
    while not lines[-1]:
        lines.pop()
    if "_T" in used:
        checking += ["", '    _T = TypeVar("_T")']
    lines += ["", _NO_TYPING, *checking]
    if "_pack_params" in used:
        lines += ["", "", *_PACK_PARAMS]
    lines += ["", "", body.strip("\n"), ""]
    text = "\n".join(lines)
    return re.sub(r"\n{4,}", "\n\n\n", text)


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


def record_fields(facts: dict[str, Any], enum_classes: dict[str, str], struct: str
                  ) -> list[tuple[str, str, str]]:
    """(field, annotation, value) of each field of the NamedTuple of *struct*,
    the value an expression in which ``{}`` stands for the C struct (enum
    members through `virt._enum.to`, strings through ``_decode``)."""
    special = shapes.RECORDS[struct][1]
    fields = []
    for field_name, ctype in facts["structs"][struct]["fields"]:
        py = snake(field_name[0].upper() + field_name[1:])
        kind = special.get(field_name)
        if kind == "bool":
            annotation, expr = "bool", f"bool({{}}.{field_name})"
        elif kind:
            annotation = enum_classes[kind]
            expr = f"_to.{annotation}[{{}}.{field_name}]"
        elif ctype.startswith("char "):
            annotation, expr = "str", f"_decode({{}}.{field_name})"
        else:
            annotation, expr = "int", f"{{}}.{field_name}"
        fields.append((py, annotation, expr))
    return fields


def records_module(facts: dict[str, Any], enum_classes: dict[str, str], header: str) -> str:
    """NamedTuples for the structs in ``shapes.RECORDS`` and their converters.

    ``_from_c`` builds the tuple with ``tuple.__new__`` and converts enums
    through a dictionary, about three times faster than the NamedTuple
    constructor and enum call (for hand-written code: the generated methods
    make the tuple inline, from the same `record_fields`).
    """
    out = [header, '"""Small C structs returned by libvirt, as typed NamedTuples."""', "",
           "from __future__ import annotations", "", "from typing import NamedTuple", "",
           "from .. import raw", "from .._enum import converter",
           "from .._marshal import decode as _decode", "ENUM_IMPORTS", "",
           "_new = tuple.__new__", ""]
    names = []
    converters_needed: set[str] = set()
    for struct, (name, _) in shapes.RECORDS.items():
        out += ["", f"class {name}(NamedTuple):",
                f'    """C :libvirt:`{struct}`."""', ""]
        converters = []
        for py, annotation, expr in record_fields(facts, enum_classes, struct):
            if expr.startswith("_to."):
                expr = "_to_" + expr[len("_to."):]  # bound in the factory
                converters_needed.add(annotation)
            out.append(f"    {py}: {annotation}")
            converters.append(expr.format("s"))
        out += ["", "    @classmethod",
                f"    def _from_c(cls, s: raw.{struct}) -> {name}:",
                "        return _new(cls, (" + ", ".join(converters) + "))"]
        names.append(name)
    out += ["", ""]
    out += [f"_to_{enum} = converter({enum})" for enum in sorted(converters_needed)]
    out += ["", "", "__all__ = [", *[f'    "{n}",' for n in names], "]"]
    return _import_used("\n".join(out) + "\n", enum_classes, records=False)


def mapping_module(record: dict[str, Any], header: str) -> str:
    """The table of every C function and the Python name that reaches it."""
    mapping = {f: e["target"] for f, e in record["functions"].items() if e["target"]}
    out = [header, '"""Every libvirt C function and the Python name that reaches it.', "",
           "Derived from the resolved record, ``tools/api/shapes-<version>.json``.", '"""', "",
           "#: C function -> dotted Python name", "MAPPING: dict[str, str] = {"]
    out += [f'    "{function}": "{python}",' for function, python in sorted(mapping.items())]
    out += ["}"]
    return "\n".join(out) + "\n"


def record_json(record: dict[str, Any]) -> str:
    """The record as committed: one function per line block, stable order."""
    return json.dumps(record, indent=1, sort_keys=False) + "\n"
