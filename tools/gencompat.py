"""Generate virt.compat's constants and methods from the facts.

Called by ``tools/generate.py``; writes

``virt/compat/_constants.py``
    every constant of libvirt-python's ``libvirt`` and ``libvirt_qemu``
    modules, as plain ``int``/``str``, plus those libvirt 12.8 added since the
    libvirt the official binding was built against (the *additions*);
``virt/compat/_methods.py``, ``virt/compat/_methods_<group>.py``
    one mixin per compat class (``_virDomainMethods``), in the module of the
    class's group (``_base.GROUPS``: imported when first needed), with every official
    method that maps onto a core method: an alias when the core method has
    the official signature and result, otherwise a thin wrapper that moves
    ``flags`` to its keyword and converts the result to the official shape.

Inputs, all data: the official binding's facts (``tools/api/libvirt-python-
12.8.0.json``, by ``tools/pyfacts.py``: names, parameters, defaults and the C
function behind each method), libvirt's API facts (constants and versions),
the per-C-function core target (``virt._generated.mapping.MAPPING``, the same
values the resolved record carries), the core's method signatures (read from
the core's source, not imported), and the reviewed table
``tools/tables/compat.py`` for what cannot be derived.  Methods that the
hand-written compat classes (``virt/compat/_classes*.py``) or the event and
stream mixins (``_events.py``, ``_streams.py``) define are not generated.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

from tables import compat as table
from tables.params import PARAM_SETS

ROOT = Path(__file__).resolve().parent.parent
PYFACTS = ROOT / "tools" / "api" / "libvirt-python-12.8.0.json"
COMPAT = ROOT / "virt" / "compat"
CORE_SOURCES = ["virt/_stream_methods.py", "virt/connection.py", "virt/domain.py",
                "virt/_snapshots.py", "virt/network.py", "virt/storage.py", "virt/host.py",
                "virt/stream.py", "virt/_objects.py"]
def _groups() -> dict[str, tuple[str, ...]]:
    """``virt.compat._base.GROUPS``: the compat classes by group, each defined by
    ``_classes<suffix>.py`` on the generated ``_methods<suffix>.py``."""
    tree = ast.parse((COMPAT / "_base.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and \
                node.target.id == "GROUPS" and node.value is not None:
            groups: dict[str, tuple[str, ...]] = ast.literal_eval(node.value)
            return groups
    raise LookupError("virt/compat/_base.py defines no GROUPS")


GROUPS = _groups()
GROUP_OF = {cls: suffix for suffix, classes in GROUPS.items() for cls in classes}
HAND_SOURCES = ["virt/compat/_base.py", "virt/compat/_connect_events.py",
                "virt/compat/_events.py", "virt/compat/_streams.py",
                *(f"virt/compat/_classes{suffix}.py" for suffix in GROUPS)]

#: compat class -> core class
CLASSES = {
    "virConnect": "Connection", "virDomain": "Domain", "virDomainSnapshot": "DomainSnapshot",
    "virDomainCheckpoint": "DomainCheckpoint", "virNetwork": "Network",
    "virNetworkPort": "NetworkPort", "virInterface": "Interface",
    "virStoragePool": "StoragePool", "virStorageVol": "StorageVol",
    "virNodeDevice": "NodeDevice", "virSecret": "Secret", "virNWFilter": "NWFilter",
    "virNWFilterBinding": "NWFilterBinding", "virStream": "Stream",
}
#: The libvirt release the official binding's facts were extracted with: what
#: libvirt added after it is an addition of compat.
ORACLE_LIBVIRT = (9, 0, 0)
PLAIN = {"str", "int", "bytes", "float", "list[str]", "str | None", "int | None",
         "bytes | None", "list[int]"}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


# -- reading the core's source --------------------------------------------------------

class Signature:
    """A core method's parameters and result, read from its definition."""

    def __init__(self, node: ast.FunctionDef, generated: bool = False) -> None:
        #: generated methods build objects with ``self._wrappers``: on a compat
        #: object, compat objects already
        self.generated = generated
        args = node.args
        positional = args.posonlyargs + args.args
        self.positional = [a.arg for a in positional[1:]]  # without self
        self.required = len(positional) - 1 - len(args.defaults)
        self.keywords = [a.arg for a in args.kwonlyargs]
        self.result = ast.unparse(node.returns) if node.returns else "Any"
        self.varargs = args.vararg is not None or args.kwarg is not None


def core_classes() -> dict[str, tuple[list[str], dict[str, Signature]]]:
    found: dict[str, tuple[list[str], dict[str, Signature]]] = {}
    generated = sorted((ROOT / "virt" / "_generated" / "methods").glob("*.py"))
    for path in [*generated, *(ROOT / source for source in CORE_SOURCES)]:
        tree = ast.parse(path.read_text())
        is_generated = path in generated
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                methods = {item.name: Signature(item, is_generated) for item in node.body
                           if isinstance(item, ast.FunctionDef)}
                bases = [ast.unparse(b) for b in node.bases]
                found[node.name] = (bases, methods)
    return found


def resolve(classes: dict[str, Any], cls: str, name: str) -> Signature | None:
    if cls not in classes:
        return None
    bases, methods = classes[cls]
    if name in methods:
        return methods[name]  # type: ignore[no-any-return]
    for base in bases:
        found = resolve(classes, base, name)
        if found is not None:
            return found
    return None


def _base_names(node: ast.expr) -> list[str]:
    """A class's base as written: ``x.Name``, or ``*_mixins(module, "Name", …)``."""
    if isinstance(node, ast.Starred) and isinstance(node.value, ast.Call):
        return [arg.value for arg in node.value.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return [ast.unparse(node).split(".")[-1]]


def hand_written() -> dict[str, set[str]]:
    """Method names the hand-written compat classes and mixins define, by class.

    A mixin counts for every class that lists it (by name) in its bases.
    """
    defined: dict[str, set[str]] = {}
    bases: dict[str, list[str]] = {}
    for source in HAND_SOURCES:
        path = ROOT / source
        if not path.exists():
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef):
                names = {item.name for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
                names |= {t.id for item in node.body if isinstance(item, ast.Assign)
                          for t in item.targets if isinstance(t, ast.Name)}
                defined[node.name] = names
                bases[node.name] = [name for b in node.bases for name in _base_names(b)]

    def closure(cls: str) -> set[str]:
        names = set(defined.get(cls, ()))
        for base in bases.get(cls, ()):
            names |= closure(base)
        return names

    return {cls: closure(cls) for cls in CLASSES}


def core_enums() -> set[str]:
    # The enums module builds its classes in factories (lazily); its stub
    # declares every one.
    tree = ast.parse((ROOT / "virt/_generated/enums.pyi").read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}


def core_mapping() -> dict[str, str]:
    """C function -> dotted core name (``virt.Domain.get_info``): the resolved
    record's ``target``, or ``MAPPING`` when there is no record."""
    shapes = ROOT / "tools" / "api" / "shapes-12.8.0.json"
    if shapes.exists():
        record = json.loads(shapes.read_text())
        return {c: entry["target"] for c, entry in record["functions"].items()
                if entry.get("target")}
    tree = ast.parse((ROOT / "virt/_generated/mapping.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "MAPPING" \
                and node.value is not None:
            return ast.literal_eval(node.value)  # type: ignore[no-any-return]
    raise LookupError("no MAPPING in virt/_generated/mapping.py")


# -- naming: how the official binding names a C function's method ----------------------

def official_name(cfunc: str, cls: str) -> str:
    """The method name libvirt-python gives C function *cfunc* on class *cls*.

    Its rule, read off the names it has: drop the class's prefix
    (``virDomain``), then a ``Get`` (except on ``virConnect``, which keeps
    ``get``), then lower the first letter unless an acronym starts the rest
    (``XMLDesc``, ``UUIDString``).
    """
    stem = cfunc[len(cls):] if cfunc.startswith(cls) else cfunc[3:]
    if cls != "virConnect" and stem.startswith("Get") and len(stem) > 3:
        stem = stem[3:]
    if len(stem) > 1 and stem[1].isupper():
        return stem
    return stem[0].lower() + stem[1:]


# -- the generated modules -------------------------------------------------------------

def _default(value: Any) -> str:
    return repr(value)


def _signature(params: list[dict[str, Any]]) -> str:
    parts = []
    for param in params:
        kind = param["kind"]
        text = param["name"] + ": Any"
        if kind == "VAR_POSITIONAL":
            text = "*" + text
        elif kind == "VAR_KEYWORD":
            text = "**" + text
        elif "default" in param:
            text += " = " + _default(param["default"])
        parts.append(text)
    return ", ".join(parts)


class MethodPlan:
    """How one official method reaches the core."""

    def __init__(self, cls: str, name: str, facts: dict[str, Any]) -> None:
        self.cls = cls
        self.name = name
        self.facts = facts
        self.code: list[str] = []
        self.reason = ""


def _result(expr: str, annotation: str, enums: set[str], returns_none: bool,
            kind: str | None, builds_compat: bool = False) -> str:
    """The return statement converting core result *expr* to the official shape."""
    if kind is not None:
        return f"return _convert.{kind}({expr})"
    if returns_none:
        return f"{expr}\n        return None"
    if annotation == "None":
        return f"{expr}\n        return 0"
    if annotation in PLAIN:
        return f"return {expr}"
    if annotation == "bool":
        return f"return 1 if {expr} else 0"
    bare = annotation.replace(" | None", "")
    objects = bare in CLASSES.values() or (
        re.fullmatch(r"list\[(\w+)\]", bare) is not None and bare[5:-1] in CLASSES.values())
    if objects and builds_compat:
        return f"return {expr}"
    if bare in CLASSES.values():
        return f"return _take({expr})"
    if objects:
        return f"return _take_all({expr})"
    if bare in enums and annotation == bare:
        return f"return int({expr})"
    if bare == "uuid.UUID":
        return f"return {expr}.bytes"
    if annotation in PARAM_SETS:
        # the rebound core method already unpacks to libvirt-python's dict
        return f"return _convert.params_dict({expr})"
    return f"return _convert.out({expr})"


def _compat_type(annotation: str) -> str:
    """The compat type of a core result annotation naming core classes, else Any."""
    by_core = {core: compat for compat, core in CLASSES.items()}
    bare = annotation.replace(" | None", "")
    inner = bare[5:-1] if bare.startswith("list[") else bare
    if inner not in by_core:
        return "Any"
    named = by_core[inner]
    text = f"list[{named}]" if bare.startswith("list[") else named
    return f"{text} | None" if annotation.endswith(" | None") else text


def _same_name(name: str) -> str:
    return name.replace("_", "").lower()


def plan_method(cls: str, name: str, facts: dict[str, Any], mapping: dict[str, str],
                core: dict[str, Any], enums: set[str]) -> MethodPlan:
    plan = MethodPlan(cls, name, facts)
    entry = table.METHODS.get((cls, name), {})
    calls = [c for c in facts.get("calls", []) if c in mapping]
    cfunc = entry.get("c", calls[0] if calls else None)
    if cfunc is None:
        plan.reason = "calls no C function the core maps"
        return plan
    target = entry.get("core", mapping[cfunc])
    parts = target.split(".")
    if len(parts) != 3 or parts[0] != "virt":
        plan.reason = f"{cfunc} maps to {target}, not a method"
        return plan
    core_cls, core_name = parts[1], parts[2]
    if core_cls != CLASSES[cls]:
        plan.reason = f"{cfunc} maps to {target}, on another class"
        return plan
    signature = resolve(core, core_cls, core_name)
    if signature is None:
        plan.reason = f"no core method {target}"
        return plan
    params = facts["params"][1:]
    if any(p["kind"].startswith("VAR") for p in params) or signature.varargs:
        plan.reason = "variadic"
        return plan
    official = [p["name"] for p in params]
    positional = [p for p in official if not (p == "flags" and "flags" in signature.keywords)]
    keywords = [p for p in official if p not in positional]
    renames = entry.get("args", {})
    if len(positional) > len(signature.positional) or len(positional) < signature.required:
        plan.reason = (f"{len(positional)} positional parameters for "
                       f"{core_cls}.{core_name}({', '.join(signature.positional)})")
        return plan
    for mine, theirs in zip(positional, signature.positional):
        if _same_name(mine) != _same_name(theirs) and (mine, theirs) not in table.SAME_PARAMETER:
            plan.reason = (f"parameter {mine!r} would go to {core_cls}.{core_name}'s "
                           f"{theirs!r}")
            return plan
    args = [renames.get(p, p) for p in positional] + [f"{k}={k}" for k in keywords]
    call = f"_{core_cls}.{core_name}(self{''.join(', ' + a for a in args)})"
    result = _result(call, signature.result, enums, facts.get("returns_none", False),
                     entry.get("convert"), signature.generated)
    alias = ("check" not in entry and not keywords and not renames
             and positional == signature.positional
             and result == f"return {call}" and all("default" not in p for p in params))
    returns = _compat_type(signature.result) if result.startswith(
        ("return _take", f"return {call}")) else "Any"
    if alias and returns != "Any":
        # mypy sees the compat class the alias returns on a compat object.
        plan.code = ["    if TYPE_CHECKING:",
                     f"        def {name}(self, *args: Any, **kwargs: Any) -> {returns}: ...",
                     "    else:",
                     f"        {name} = _{core_cls}.{core_name}"]
    elif alias:
        plan.code = [f"    {name} = _{core_cls}.{core_name}"]
    else:
        plan.code = [f"    def {name}({_signature(facts['params'])}) -> {returns}:",
                     f'        """Wraps :libvirt:`{cfunc}` (via `virt.{core_cls}.{core_name}`)."""']
        if "check" in entry:
            plan.code.append(f"        _convert.check_params(params, lambda: {entry['check']})")
        plan.code.append(f"        {result}")
    return plan


def additions(api: dict[str, Any], oracle: dict[str, Any], mapping: dict[str, str]
              ) -> dict[str, dict[str, str]]:
    """Methods for C functions libvirt added after the oracle's libvirt: class ->
    name -> C function."""
    used = set()
    for module in oracle["modules"].values():
        for cls in module["classes"].values():
            for method in cls["methods"].values():
                used.update(method.get("calls", []))
        for function in module["functions"].values():
            used.update(function.get("calls", []))
    added: dict[str, dict[str, str]] = {}
    by_core = {core: compat for compat, core in CLASSES.items()}
    for cfunc, info in sorted(api["functions"].items()):
        if cfunc in used or _version(info["version"]) <= ORACLE_LIBVIRT:
            continue
        if info["library"] != "libvirt" or cfunc not in mapping:
            continue
        parts = mapping[cfunc].split(".")
        if len(parts) == 3 and parts[1] in by_core:
            cls = by_core[parts[1]]
            added.setdefault(cls, {})[official_name(cfunc, cls)] = cfunc
    return added


def _addition_facts(api: dict[str, Any], cfunc: str, signature: Signature) -> dict[str, Any]:
    """Official-style parameters of an added method: the core's, flags last with 0."""
    params: list[dict[str, Any]] = [{"name": "self", "kind": "POSITIONAL_OR_KEYWORD"}]
    for i, name in enumerate(signature.positional):
        param: dict[str, Any] = {"name": name, "kind": "POSITIONAL_OR_KEYWORD"}
        if i >= signature.required:
            param["default"] = None
        params.append(param)
    if "flags" in signature.keywords:
        params.append({"name": "flags", "kind": "POSITIONAL_OR_KEYWORD", "default": 0})
    return {"params": params, "calls": [cfunc], "returns_none": False}


def _class_lines(cls: str, methods: dict[str, Any], mapping: dict[str, str],
                 core: dict[str, Any], enums: set[str], hand: dict[str, set[str]],
                 skipped: list[str]) -> list[str]:
    """The generated mixin of compat class *cls*; what cannot be generated goes to *skipped*."""
    out = ["", "", f"class _{cls}Methods:", f'    """The generated methods of `{cls}`."""', "",
           "    __slots__ = ()", ""]
    for name in sorted(methods):
        if name.startswith("__") or name in hand[cls] or name in table.HAND.get(cls, ()):
            continue
        plan = plan_method(cls, name, methods[name], mapping, core, enums)
        if plan.code:
            if len(plan.code) > 1 and out[-1] != "":
                out.append("")
            out += plan.code
            if len(plan.code) > 1:
                out.append("")
        else:
            skipped.append(f"{cls}.{name}: {plan.reason}")
    while out[-1] == "":
        out.pop()
    return out


def _group_module(header: str, suffix: str, body: list[str]) -> str:
    """The text of ``_methods<suffix>.py``: *body* with the imports it uses."""
    names = ", ".join(f"`{cls}`" for cls in GROUPS[suffix])
    text = "\n".join(body)
    imports = [line for helper, line in (
        ("_CoreFunctions(", "from ._base import CoreFunctions as _CoreFunctions"),
        ("_convert.", "from ._base import LazyModule as _LazyModule"),
        ("_take(", "from ._base import take as _take"),
        ("_take_all(", "from ._base import take_all as _take_all")) if helper in text]
    cores = sorted({c for c in set(CLASSES.values()) if f"_{c}." in text}, key=str.lower)
    if suffix and cores:
        imports.append("from ._methods import " + ", ".join(f"_{c}" for c in cores))
    used = [cls for cls in sorted(CLASSES, key=str.lower)
            if re.search(rf"-> (list\[)?{cls}\b", text)]
    checking = ["", "    from typing import Any"] if re.search(r"\bAny\b", text) else [""]
    for module in sorted({GROUP_OF[cls] for cls in used}):
        if checking[-1].endswith("Any"):
            checking.append("")
        checking += [f"    from ._classes{module} import (",
                     *(f"        {cls}," for cls in used if GROUP_OF[cls] == module), "    )"]
    out = [header, f'"""The generated methods of {names}: the official methods that map onto '
           'core methods."""', "", "from __future__ import annotations", "",
           *([*imports, ""] if imports else [])]
    lazy = "_convert." in text
    if lazy:  # for mypy the module; at run time imported when a result is first converted
        relative = [k for k, line in enumerate(checking) if line.startswith("    from .")]
        if relative:
            checking.insert(relative[0], "    from . import _convert")
        else:
            checking += [*([""] if checking[1:] else []), "    from . import _convert"]
    if checking[1:]:
        out += ["TYPE_CHECKING = False  # typing's, without importing typing: mypy knows the name",
                "if TYPE_CHECKING:", *checking[1:]]
        if lazy:
            out += ["else:", '    _convert = _LazyModule("virt.compat._convert")']
    else:
        out.pop()  # the body begins with its own blank lines
    out += body
    return "\n".join(out).rstrip("\n") + "\n"


def methods_modules(api: dict[str, Any], header: str) -> tuple[dict[str, str], list[str]]:
    """The text of each ``_methods<suffix>.py`` by suffix, and what was not generated."""
    oracle = json.loads(PYFACTS.read_text())
    mapping = core_mapping()
    core = core_classes()
    enums = core_enums()
    hand = hand_written()
    classes = oracle["modules"]["libvirt"]["classes"]
    added = additions(api, oracle, mapping)
    skipped: list[str] = []
    added_names: dict[str, list[str]] = {}
    bodies: dict[str, list[str]] = {suffix: [] for suffix in GROUPS}
    for cls in sorted(CLASSES):
        methods = dict(classes[cls]["methods"])
        for name, cfunc in added.get(cls, {}).items():
            signature = resolve(core, CLASSES[cls], mapping[cfunc].split(".")[2])
            if signature is not None and name not in methods:
                methods[name] = _addition_facts(api, cfunc, signature)
                added_names.setdefault(cls, []).append(name)
        bodies[GROUP_OF[cls]] += _class_lines(cls, methods, mapping, core, enums, hand, skipped)
    first = ["", "", "# The core classes' functions, by the class's name (its module is imported",
             "# when the first is needed); those that build objects are rebound to build",
             "# compat objects once the compat class exists (see _base.define)."]
    for core_cls in sorted(set(CLASSES.values())):
        first.append(f"_{core_cls}: Any = _CoreFunctions({core_cls!r})")
    first += ["", "#: The namespaces of each compat class's core class, by compat class.",
              "CORE_FUNCTIONS: dict[str, Any] = {"]
    first += [f"    {cls!r}: _{CLASSES[cls]}," for cls in sorted(CLASSES)]
    first += ["}", "",
              "#: Methods beyond libvirt-python's, for C functions added since the libvirt",
              "#: it was built against (named by its rules), by class.",
              "ADDED_METHODS: dict[str, tuple[str, ...]] = {"]
    for cls in sorted(added_names):
        first.append(f"    {cls!r}: {tuple(sorted(added_names[cls]))!r},")
    first += ["}", "", "#: Official methods neither generated nor hand-written, with the reason.",
              "NOT_GENERATED: tuple[str, ...] = ("]
    first += [f"    {entry!r}," for entry in skipped]
    first += [")"]
    texts = {suffix: _group_module(header, suffix, ([*first, *body] if not suffix else body))
             for suffix, body in bodies.items()}
    return texts, skipped


def constants_module(api: dict[str, Any], header: str) -> str:
    """Every official constant, plus libvirt's newer ones, as plain ints and strs."""
    oracle = json.loads(PYFACTS.read_text())
    modules = oracle["modules"]
    official = modules["libvirt"]["constants"]
    values: dict[str, Any] = {name: info["value"] for name, info in official.items()}
    added = []
    skip_files = {"libvirt-admin", "libvirt-qemu", "libvirt-lxc"}
    for name, info in api["enums"].items():
        if info["file"] in skip_files or name in values or name.endswith("_LAST"):
            continue
        if _version(info["version"]) > ORACLE_LIBVIRT:
            values[name] = info["value"]
            added.append(name)
    for name, info in api["macros"].items():
        if info["file"] in skip_files or name in values or "string" not in info:
            continue
        if _version(info["version"]) > ORACLE_LIBVIRT:
            values[name] = info["string"]
            added.append(name)
    out = [header, '"""libvirt-python\'s constants: plain ints and strs, by C name."""', "",
           "from __future__ import annotations", ""]
    for name in sorted(values):
        out.append(f"{name} = {values[name]!r}")
    out += ["", "#: Constants of libvirt's module since the libvirt the official binding was",
            "#: built against.", "_ADDED_CONSTANTS: tuple[str, ...] = ("]
    out += [f"    {name!r}," for name in sorted(added)]
    out += [")", "", "#: The constants of libvirt_qemu.", "_QEMU_CONSTANTS: dict[str, int] = {"]
    for name, info in sorted(modules["libvirt_qemu"]["constants"].items()):
        out.append(f"    {name!r}: {info['value']!r},")
    out += ["}", ""]
    return "\n".join(out)


def outputs(api: dict[str, Any], header: str) -> dict[Path, str]:
    methods, _skipped = methods_modules(api, header)
    return {COMPAT / "_constants.py": constants_module(api, header),
            **{COMPAT / f"_methods{suffix}.py": text for suffix, text in methods.items()}}
