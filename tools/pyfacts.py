"""Extract facts about the official binding (libvirt-python) as data.

Run with the interpreter that has libvirt-python installed::

    .venv/bin/python tools/pyfacts.py tools/api/libvirt-python-12.8.0.json

It imports ``libvirt``, ``libvirt_qemu``, ``libvirt_lxc`` and ``libvirtaio``
and records what a program can see of them: public names, parameters and
defaults, constant values, and, read from the installed sources' syntax trees,
which ``libvirtmod*`` C-level functions each function or method calls.  No code
or prose of the binding is kept, only these facts.  The compat layer's
generator, its surface test and the stubs read them.

The JSON file has this shape (keys sorted)::

    {
      "package": "libvirt-python", "version": "12.8.0",
      "libvirt": "9.0.0",     # the libvirt loaded at extraction (the one it was built against)
      "modules": {
        "libvirt": {
          "constants": {"VIR_DOMAIN_RUNNING": {"type": "int", "value": 1}, ...},
          "functions": {"open": FUNCTION, ...},
          "classes": {"virDomain": {"bases": ["object"], "methods": {"info": FUNCTION, ...}}},
          "other": {"Any": "typing", "libvirtmod": "module", ...}   # the rest of dir()
        },
        "libvirt_qemu": {...}, "libvirt_lxc": {...}, "libvirtaio": {...}
      }
    }

where FUNCTION is::

    {"params": [{"name": "flags", "kind": "POSITIONAL_OR_KEYWORD", "default": 0}, ...],
     "calls": ["virDomainGetInfo", ...],    # libvirtmod* functions called, in order
     "module_calls": ["libvirtmod"],         # which C module(s) those are in
     "wraps": ["virDomain"],                 # classes of this module the body constructs
     "returns_none": true,                   # whether every return is bare / None
     "raises": true}                         # whether the body raises libvirtError

A parameter without a default has no ``"default"`` key; ``*args`` and
``**kwargs`` keep their kinds (``VAR_POSITIONAL``, ``VAR_KEYWORD``).  Public
means: not starting with ``_``, as ``dir()`` lists it.  Class methods include
dunders a program may rely on (``__init__``, ``__enter__``, ``__exit__``,
``__del__``) under their own names.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import sys
import types
from pathlib import Path
from typing import Any

MODULES = ("libvirt", "libvirt_qemu", "libvirt_lxc", "libvirtaio")
C_MODULES = ("libvirtmod", "libvirtmod_qemu", "libvirtmod_lxc")
#: dunders of the classes that programs call or rely on
DUNDERS = ("__init__", "__del__", "__enter__", "__exit__", "__iter__", "__next__",
           "__aiter__", "__anext__", "__await__")


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def signature_facts(func: Any) -> list[dict[str, Any]]:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    params = []
    for param in signature.parameters.values():
        entry: dict[str, Any] = {"name": param.name, "kind": param.kind.name}
        if param.default is not inspect.Parameter.empty:
            entry["default"] = _jsonable(param.default)
        params.append(entry)
    return params


class _BodyFacts(ast.NodeVisitor):
    """What one function body calls, constructs and returns."""

    def __init__(self, classes: set[str]) -> None:
        self.classes = classes
        self.calls: list[str] = []
        self.modules: list[str] = []
        self.wraps: list[str] = []
        self.returns_value = False
        self.raises = False

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        # nested functions (callbacks) are part of the body's behaviour too
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id in C_MODULES:
            if func.attr not in self.calls:
                self.calls.append(func.attr)
            if func.value.id not in self.modules:
                self.modules.append(func.value.id)
        name = None
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "libvirt":
            name = func.attr
        if name == "libvirtError":
            self.raises = True
        elif name in self.classes and name not in self.wraps:
            self.wraps.append(name)
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            self.returns_value = True
        self.generic_visit(node)


def _definitions(tree: ast.Module) -> dict[str, Any]:
    """Module-level functions and classes' methods, by dotted name."""
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = node  # the last definition wins, as at run time
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"{node.name}.{item.name}"] = item
    return found


def function_facts(func: Any, node: Any, classes: set[str]) -> dict[str, Any]:
    facts: dict[str, Any] = {"params": signature_facts(func)}
    if node is not None:
        body = _BodyFacts(classes)
        for statement in node.body:
            body.visit(statement)
        facts.update(calls=body.calls, module_calls=body.modules, wraps=body.wraps,
                     returns_none=not body.returns_value, raises=body.raises)
    return facts


def module_facts(name: str) -> dict[str, Any]:
    module = importlib.import_module(name)
    source = Path(inspect.getfile(module)).read_text()
    nodes = _definitions(ast.parse(source))
    own_classes = {n for n in dir(module) if inspect.isclass(getattr(module, n))
                   and getattr(module, n).__module__ == name}
    constants: dict[str, Any] = {}
    functions: dict[str, Any] = {}
    classes: dict[str, Any] = {}
    other: dict[str, str] = {}
    for public in sorted(n for n in dir(module) if not n.startswith("_")):
        value = getattr(module, public)
        if type(value) in (int, str) and public not in own_classes:
            constants[public] = {"type": type(value).__name__, "value": value}
        elif public in own_classes:
            methods = {}
            for attr in sorted(vars(value)):
                if attr.startswith("_") and attr not in DUNDERS:
                    continue
                member = vars(value)[attr]
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if not callable(member):
                    continue
                methods[attr] = function_facts(member, nodes.get(f"{public}.{attr}"),
                                               own_classes)
            classes[public] = {"bases": [b.__name__ for b in value.__bases__],
                               "methods": methods}
        elif isinstance(value, types.FunctionType) and value.__module__ == name:
            functions[public] = function_facts(value, nodes.get(public), own_classes)
        elif isinstance(value, types.ModuleType):
            other[public] = "module"
        else:
            origin = getattr(value, "__module__", None) or type(value).__module__
            other[public] = str(origin)
    return {"constants": constants, "functions": functions, "classes": classes,
            "other": other}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    from importlib import metadata

    built = importlib.import_module("libvirt").getVersion()
    facts = {
        "package": "libvirt-python",
        "version": metadata.version("libvirt-python"),
        "libvirt": f"{built // 1000000}.{built // 1000 % 1000}.{built % 1000}",
        "modules": {name: module_facts(name) for name in MODULES},
    }
    Path(argv[1]).write_text(json.dumps(facts, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
