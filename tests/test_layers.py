"""The package's layers import one way, bottom to top (DESIGN.md "Layers").

Every module of ``virt`` is parsed, and every import of a ``virt`` module is
collected — function-local ones included, those under ``if TYPE_CHECKING:``
left out (they never run).  A module may import modules of its own layer or of
lower ones, never of a higher one, and the imports have no cycle.  A module
that belongs to no layer fails the test, so a new module gets a place.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "virt"

#: Bottom to top.  Patterns are module names, ``*`` for any submodule.
LAYERS: list[tuple[str, list[str]]] = [
    ("foundation: base exceptions, enum bases, the enums and error classes", [
        "virt._enum", "virt._enum_bases", "virt._exceptions", "virt._libvirt_error", "virt._lazy",
        "virt._generated", "virt._generated.enums", "virt._generated.errors",
        "virt._generated._enums_factories", "virt._generated._errors_factories",
        "virt._generated.mapping", "virt._lost", "virt._callbacks"]),
    ("raw: ctypes declarations and the loader", ["virt.raw", "virt.raw.*"]),
    ("values: marshalling, typed parameters, records, event records", [
        "virt._marshal", "virt.typedparams", "virt._generated.params",
        "virt._generated.records", "virt.records", "virt._array_records", "virt._event_base",
        "virt._generated.events", "virt._generated._params_factories",
        "virt._generated._records_factories", "virt._generated._events_factories"]),
    ("objects: the object base", ["virt._objects"]),
    ("generated methods", ["virt._generated.methods", "virt._generated.methods.*"]),
    ("core: the hand-written modules", [
        "virt._coexist", "virt._stream_methods", "virt.errors", "virt.connection",
        "virt._snapshots", "virt.domain", "virt.network", "virt.storage", "virt.host",
        "virt.stream", "virt.events", "virt._admin_remote", "virt.admin", "virt.qemu", "virt.lxc"]),
    ("the package", ["virt"]),
    ("on the package: the command line, compat, the async API", [
        "virt.__main__", "virt._admin_helper", "virt.compat", "virt.compat.*", "virt.aio",
        "virt._async", "virt._async.*", "virt._generated.async_*"]),
]


def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer_of(module: str) -> int:
    for index, (_, patterns) in enumerate(LAYERS):
        if any(fnmatch.fnmatchcase(module, p) for p in patterns):
            return index
    raise LookupError(module)


class _Imports(ast.NodeVisitor):
    """The ``virt`` modules one module imports at run time, with line numbers."""

    def __init__(self, module: str, package: bool, known: set[str]) -> None:
        self.module, self.package, self.known = module, package, known
        self.found: list[tuple[str, int]] = []

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else \
            test.attr if isinstance(test, ast.Attribute) else None
        if name == "TYPE_CHECKING":
            for statement in node.orelse:
                self.visit(statement)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "virt" or alias.name.startswith("virt."):
                self.found.append((alias.name, node.lineno))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.package:
                base.pop()
            base = base[:len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
        else:
            target = node.module or ""
        if not (target == "virt" or target.startswith("virt.")):
            return
        for alias in node.names:
            full = f"{target}.{alias.name}"
            self.found.append((full if full in self.known else target, node.lineno))


def import_graph() -> dict[str, list[tuple[str, int]]]:
    found = modules()
    graph = {}
    for module, path in found.items():
        visitor = _Imports(module, path.name == "__init__.py", set(found))
        visitor.visit(ast.parse(path.read_text(), str(path)))
        graph[module] = [(t, line) for t, line in visitor.found if t != module]
    return graph


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for module in modules():
        try:
            layer_of(module)
        except LookupError:
            unplaced.append(module)
    assert not unplaced, f"add these modules to a layer in {__file__}: {unplaced}"


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for module, imports in import_graph().items():
        for target, line in imports:
            if layer_of(target) > layer_of(module):
                upward.append(f"{module}:{line} imports {target} "
                              f"({LAYERS[layer_of(target)][0].split(':')[0]})")
    assert not upward, "\n".join(upward)


def test_imports_have_no_cycle() -> None:
    graph = {m: sorted({t for t, _ in imports}) for m, imports in import_graph().items()}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in graph.get(node, []):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_function_local_imports(tmp_path: Path) -> None:
    """The visitor finds an import hidden in a function, and skips TYPE_CHECKING."""
    source = ("from typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    from . import connection\n"
              "def f():\n    from .domain import Domain\n")
    visitor = _Imports("virt._marshal", False, {"virt.domain", "virt.connection"})
    visitor.visit(ast.parse(source))
    assert visitor.found == [("virt.domain", 5)]


@pytest.mark.parametrize("module", ["virt._exceptions", "virt._generated.enums"])
def test_the_bottom_layer_imports_nothing_above_it(module: str) -> None:
    assert all(layer_of(t) == 0 for t, _ in import_graph()[module])
