"""Generate ``stubs/``: type stubs for the libvirt-python API.

Called by ``tools/generate.py`` (``make generate``, ``make check-generated``).
The stubs describe the surface of the official binding, ``libvirt``,
``libvirt_qemu``, ``libvirt_lxc`` and ``libvirtaio``, which ``virt.compat``
implements too.  They are rendered from three sources:

``tools/api/libvirt-python-12.8.0.json`` (``tools/pyfacts.py``)
    every public name, class, method, parameter, default and constant value
    of the official binding, and the C function each method calls;
``tools/api/libvirt-12.8.0.json`` (``tools/apifacts.py``)
    the C prototype of that function, from which most parameter and result
    types follow (strings, integers, objects);
``tools/api/shapes-12.8.0.json`` (the resolved record)
    which of its arguments may be NULL (``str | None``);
``tools/tables/params.py`` (the typed-parameter families, via ``tools/genparams.py``)
    the types of the values a typed-parameter function takes or returns, so
    ``memoryParameters()`` is ``dict[str, int]`` rather than any value type;
``tools/tables/stubs.py``
    the reviewed table of what neither says: the shape of what the
    hand-written parts of the binding return and accept, callback types,
    event callbacks per event ID.

A name the rules cannot type and the table does not list stops the
generator with the list of such names: nothing is typed ``Any`` by default.
"""

from __future__ import annotations

import keyword
from pathlib import Path
from typing import Any

import genparams
from tables import stubs as table
from tables.params import PARAM_SETS

#: Scalar C types that are a Python ``int``.
INTEGERS = {
    "int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long",
    "long long int", "unsigned long long int", "size_t", "unsigned char", "unsigned short",
}
#: C types of arguments that are Python ``str``.
STRINGS = {"const char *", "char *"}


class Unresolved(Exception):
    """A name the rules cannot type and the table does not list."""


class Module:
    """Renders one stub module from its facts."""

    def __init__(self, name: str, facts: dict[str, Any], cfacts: dict[str, Any],
                 record: dict[str, Any], handles: dict[str, str], header: str) -> None:
        self.name = name
        self.facts = facts
        self.record: dict[str, Any] = record["functions"]
        self.cfacts = cfacts
        self.families = genparams.param_functions(cfacts)
        self.cfunctions: dict[str, Any] = cfacts["functions"]
        self.typedefs: dict[str, Any] = cfacts["typedefs"]
        self.handles = handles
        self.header = header
        self.qualify = "" if name == "libvirt" else "libvirt."
        self.missing: list[str] = []

    # -- types from the C prototype ----------------------------------------------

    def handle_class(self, ctype: str) -> str | None:
        cls = self.handles.get(ctype)
        return None if cls is None else self.qualify + cls

    def ctype_to_python(self, ctype: str) -> str | None:
        if ctype in STRINGS:
            return "str"
        if ctype in INTEGERS:
            return "int"
        if ctype == "double":
            return "float"
        return self.handle_class(ctype)

    def has_out_arguments(self, cname: str) -> bool:
        """Whether the C function hands results back through pointer arguments.

        The binding's hand-written C code turns those into Python return
        values whose shape the prototype does not say: the table types them.
        """
        for _, ctype in self.cfunctions[cname]["args"]:
            if ctype in self.handles or ctype == "const char *":
                continue
            if "*" in ctype or self.typedefs.get(ctype, {}).get("type", "").endswith("*"):
                return True
        return False

    # -- one function -------------------------------------------------------------

    def key(self, owner: str | None, name: str) -> str:
        prefix = "" if self.name == "libvirt" else self.name + "."
        return prefix + (f"{owner}.{name}" if owner else name)

    @staticmethod
    def cname(fn: dict[str, Any]) -> str | None:
        """The one C function *fn* calls, if it calls exactly one."""
        return fn["calls"][0] if len(fn["calls"]) == 1 else None

    def params_type(self, annotation: str, cname: str | None) -> str:
        """*annotation* with the table's ``_Params``/``_ParamsIn`` narrowed to the
        value types of C function *cname*'s typed-parameter family."""
        family = None if cname is None else self.families.get(cname)
        if family is None or "_Params" not in annotation:
            return annotation
        fields = genparams.family_fields(self.cfacts, PARAM_SETS[family], family)
        types = {genparams.ANNOTATIONS[f.type] for f in fields}
        values = [t for t in ("int", "float", "str", "bool") if t in types]
        # A parameter that may be given several times is given as a list of values.
        lists = [f"list[{t}]" for t in values
                 if any(f.multiple and genparams.ANNOTATIONS[f.type] == t for f in fields)]
        annotation = annotation.replace("_ParamsIn", f"Mapping[str, {' | '.join(values + lists)}]")
        return annotation.replace("_Params", f"dict[str, {' | '.join(values)}]")

    @staticmethod
    def lookup(entries: dict[str, str], key: str) -> str | None:
        """The table's entry for *key*, or for every class (``*.method``)."""
        if key in entries:
            return entries[key]
        parts = key.split(".")
        if len(parts) >= 2 and not parts[0].startswith("libvirt"):
            return entries.get(".".join(["*", *parts[1:]]))
        return None

    def param_type(self, key: str, fn: dict[str, Any], param: dict[str, Any]) -> str:
        explicit = self.lookup(table.PARAMS, f"{key}.{param['name']}")
        if explicit is not None:
            return self.params_type(explicit, self.cname(fn))
        kind = param["kind"]
        if kind == "VAR_POSITIONAL" or kind == "VAR_KEYWORD":
            raise Unresolved(f"{key}: *{param['name']}")
        cname = self.cname(fn)
        if cname is None or cname not in self.cfunctions:
            raise Unresolved(f"{key}.{param['name']}")
        cargs = self.cfunctions[cname]["args"]
        cname_arg = param["name"]
        if cname_arg not in dict(cargs) and len(cargs) == len(fn["params"]):
            # The binding renamed the argument (``from`` -> ``frm``): same place.
            cname_arg = cargs[fn["params"].index(param)][0]
        ctype = dict(cargs).get(cname_arg)
        python = None if ctype is None else self.ctype_to_python(ctype)
        if python is None:
            raise Unresolved(f"{key}.{param['name']} ({ctype})")
        if ("default" in param and param["default"] is None) \
                or cname_arg in self.nullable(cname):
            python += " | None"
        return python

    def nullable(self, cname: str) -> set[str]:
        """The arguments of C function *cname* that may be NULL (None in Python),
        as the resolved record says."""
        return {arg["name"] for arg in self.record[cname]["args"] if arg.get("nullable")}

    def return_type(self, key: str, fn: dict[str, Any]) -> str:
        explicit = self.lookup(table.RETURNS, key)
        if explicit is not None:
            return self.params_type(explicit, self.cname(fn))
        if fn["returns_none"]:
            return "None"
        cname = self.cname(fn)
        if cname is None or cname not in self.cfunctions or self.has_out_arguments(cname):
            raise Unresolved(f"{key} -> ?")
        ctype = self.cfunctions[cname]["return"]
        python = self.ctype_to_python(ctype)
        if python is None:
            raise Unresolved(f"{key} -> ? ({ctype})")
        return python

    @staticmethod
    def default(param: dict[str, Any]) -> str:
        value = param["default"]
        if isinstance(value, (bool, int, float)) or value is None:
            return repr(value)
        if isinstance(value, str) and not value.startswith(("[", "<", "(", "{")):
            return repr(value)
        return "..."

    def signature(self, owner: str | None, name: str, fn: dict[str, Any]) -> list[str]:
        """The ``def`` line(s) of one function or method."""
        key = self.key(owner, name)
        if key in table.SIGNATURES:
            return table.SIGNATURES[key].strip("\n").splitlines()
        if key in table.EVENT_CALLBACKS:
            return self.event_overloads(key, name, fn)
        params: list[str] = []
        star = False
        for param in fn["params"]:
            pname, kind = param["name"], param["kind"]
            if owner is not None and pname == "self" and not params:
                params.append("self")
                continue
            try:
                annotation = self.param_type(key, fn, param)
            except Unresolved as exc:
                self.missing.append(str(exc))
                annotation = "object"
            if kind == "VAR_POSITIONAL":
                params.append(f"*{pname}: {annotation}")
                star = True
                continue
            if kind == "VAR_KEYWORD":
                params.append(f"**{pname}: {annotation}")
                continue
            if kind == "KEYWORD_ONLY" and not star:
                params.append("*")
                star = True
            text = f"{pname}: {annotation}"
            if "default" in param:
                text += f" = {self.default(param)}"
            params.append(text)
        try:
            result = self.return_type(key, fn)
        except Unresolved as exc:
            self.missing.append(str(exc))
            result = "object"
        prefix = "async def" if key in table.ASYNC else "def"
        assert not keyword.iskeyword(name), name
        return [f"{prefix} {name}({', '.join(params)}) -> {result}: ..."]

    def event_overloads(self, key: str, name: str, fn: dict[str, Any]) -> list[str]:
        """One overload per event ID: the ID's literal value selects the callback type."""
        objparam, cls, callbacks = table.EVENT_CALLBACKS[key]
        names = [p["name"] for p in fn["params"]]
        if names != ["self", objparam, "eventID", "cb", "opaque"]:
            raise SystemExit(f"{key}: parameters {names} are not those of the table")
        constants = self.facts["constants"]
        prefix = next(iter(callbacks)).rsplit("_ID_", 1)[0] + "_ID_"
        lines = []
        ids = sorted((c for c in constants if c.startswith(prefix) and not c.endswith("_LAST")),
                     key=lambda c: int(constants[c]["value"]))
        for event in ids:
            if event not in callbacks:
                raise SystemExit(f"{key}: tools/tables/stubs.py has no callback for {event}")
            # (The table also lists IDs of libvirt releases newer than the binding's.)
            args = ", ".join(a for a in ("virConnect", cls, callbacks[event], "_T") if a)
            lines += [
                "@overload",
                f"def {name}(self, {objparam}: {cls} | None, "
                f"eventID: Literal[{constants[event]['value']}], "
                f"cb: Callable[[{args}], object], opaque: _T) -> int: ...  # {event}",
            ]
        if len(lines) == 2:
            del lines[0]  # one event ID (in this binding): a plain function
        return lines

    # -- the module ---------------------------------------------------------------

    def render(self) -> str:
        out = [self.header.rstrip("\n"), ""]
        out += table.PREAMBLE[self.name].strip("\n").splitlines()
        constants = self.facts["constants"]
        if constants:
            out.append("")
        for cname in sorted(constants):
            out.append(f"{cname}: Final = {constants[cname]['value']!r}")
        for fname in sorted(self.facts["functions"]):
            out.append("")
            out += self.signature(None, fname, self.facts["functions"][fname])
        for cls in self.class_order():
            info = self.facts["classes"][cls]
            bases = [table.BASES.get(self.key(cls, "")[:-1], b)
                     for b in info["bases"] if b != "object"]
            out.append("")
            out.append(f"class {cls}({', '.join(bases)}):" if bases else f"class {cls}:")
            body = table.CLASS_ATTRIBUTES.get(self.key(cls, "")[:-1], "").strip("\n")
            lines = ["    " + line if line else "" for line in body.splitlines()]
            for mname in sorted(info["methods"], key=lambda m: (not m.startswith("__"), m)):
                for line in self.signature(cls, mname, info["methods"][mname]):
                    lines.append("    " + line)
            out += lines or ["    ..."]
        return "\n".join(out) + "\n"

    def class_order(self) -> list[str]:
        """Classes with their bases (of this module) first."""
        order: list[str] = []
        classes = self.facts["classes"]

        def visit(cls: str) -> None:
            if cls in order:
                return
            for base in classes[cls]["bases"]:
                if base in classes:
                    visit(base)
            order.append(cls)

        for cls in sorted(classes):
            visit(cls)
        return order


#: Distribution directory and package of each module's stubs.
PACKAGES = {
    "libvirt": "libvirt-stubs",
    "libvirt_qemu": "libvirt_qemu-stubs",
    "libvirt_lxc": "libvirt_lxc-stubs",
    "libvirtaio": "libvirtaio-stubs",
}


def stub_files(pyfacts: dict[str, Any], cfacts: dict[str, Any], record: dict[str, Any],
               root: Path, header: str) -> dict[Path, str]:
    """Every generated file of ``stubs/``, by path."""
    classes = set(pyfacts["modules"]["libvirt"]["classes"])
    handles = {}
    for typedef, info in cfacts["typedefs"].items():
        target = info["type"]
        if typedef.endswith("Ptr") and target.endswith(" *") and typedef[:-3] in classes:
            handles[typedef] = typedef[:-3]
    files: dict[Path, str] = {}
    missing: list[str] = []
    for module, package in PACKAGES.items():
        renderer = Module(module, pyfacts["modules"][module], cfacts, record, handles, header)
        files[root / "stubs" / package / "__init__.pyi"] = renderer.render()
        missing += renderer.missing
    if missing:
        raise SystemExit("tools/tables/stubs.py must type these (the rules cannot):\n  "
                         + "\n  ".join(missing))
    return files
