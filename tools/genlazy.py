"""Generated modules whose classes and tables are built on first use.

Creating the ~400 enum, error, parameter, event and record classes costs tens of
milliseconds, which every ``import virt`` would pay although a short script
touches a handful of them.  So each generated module is written twice:

``<name>.pyi``
    the module as the generators write it, every class in full: what mypy,
    editors and readers see;
``<name>.py``
    the same statements, each class (and each table or function that reads a
    class or an imported name) moved into a factory function ``_build_<name>``
    that imports what it reads; a module ``__getattr__``
    (`virt._lazy.lazy_module`) runs the factory on first access, names the
    class as if it had been defined at module level and caches it.

The transformation is mechanical: the generators keep writing plain modules
and `split` derives both files from one, so the two cannot disagree.
"""

from __future__ import annotations

import ast
import textwrap

#: The generated modules made lazy (siblings in ``virt/_generated``).
LAZY_MODULES = ("enums", "errors", "events", "params", "records")

#: Imports a lazy module keeps at its top: cheap, and ``dataclasses`` looks for
#: ``ClassVar`` in the module of a class to tell class variables from fields.
#: Every other import moves into the factories that read its names.
KEPT_IMPORTS = ("collections.abc", "typing")


def _loaded_names(node: ast.AST) -> set[str]:
    """Names *node* reads at run time (annotations are strings: not read)."""
    names: set[str] = set()

    def visit(item: ast.AST) -> None:
        if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Load):
            names.add(item.id)
        for field, value in ast.iter_fields(item):
            if field in ("annotation", "returns"):
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    visit(child)

    visit(node)
    return names


def _bound_name(statement: ast.stmt) -> str | None:
    """The one module-level name a class, function or assignment defines."""
    if isinstance(statement, (ast.ClassDef, ast.FunctionDef)):
        return statement.name
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return statement.targets[0].id
    return None


def split(text: str, module: str, public: str = "virt") -> tuple[str, str]:
    """(lazy ``.py``, full ``.pyi``) for generated module *module* (e.g. ``"enums"``).

    Classes are always deferred; a function or an assignment is deferred when it
    reads a deferred name or an imported one (other than from ``KEPT_IMPORTS``),
    else kept as is.  Public classes report ``__module__ == public``.
    """
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)

    def source(node: ast.stmt) -> str:
        start = node.lineno - 1
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.decorator_list:
            start = node.decorator_list[0].lineno - 1
        return "".join(lines[start:node.end_lineno])

    head_end = 0  # the header comment, docstring and __future__ import stay in place
    imported: dict[str, str] = {}  # name -> the import statement for it alone
    kept: list[str] = []  # imports the module keeps at its top
    body: list[ast.stmt] = []
    for statement in tree.body:
        if (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
                and not body and not imported and not kept) or (
                isinstance(statement, ast.ImportFrom) and statement.module == "__future__"):
            head_end = statement.end_lineno or 0
        elif isinstance(statement, ast.ImportFrom) and statement.module in KEPT_IMPORTS:
            kept.append(source(statement))
        elif isinstance(statement, ast.ImportFrom):
            origin = "." * statement.level + (statement.module or "")
            for alias in statement.names:
                line = f"from {origin} import {alias.name}"
                if alias.asname:
                    line += f" as {alias.asname}"
                imported[alias.asname or alias.name] = line
        elif isinstance(statement, ast.Import):
            raise ValueError(f"line {statement.lineno} of {module}: use `from ... import`")
        else:
            body.append(statement)

    deferred: dict[str, ast.stmt] = {node.name: node for node in body
                                     if isinstance(node, ast.ClassDef)}
    changed = True
    while changed:  # until no definition reads a deferred name it would miss at run time
        changed = False
        for statement in body:
            name = _bound_name(statement)
            if name is not None and name not in deferred and \
                    _loaded_names(statement) & (set(deferred) | set(imported)):
                deferred[name] = statement
                changed = True
    for statement in body:  # a statement run at import imports what it reads there
        if _bound_name(statement) is None:
            if _loaded_names(statement) & set(deferred):
                raise ValueError(f"line {statement.lineno} of {module}: a statement that "
                                 "defines no name reads a deferred one")
            kept += sorted(imported[name] + "\n" for name in _loaded_names(statement)
                           if name in imported and imported[name] + "\n" not in kept)

    needs = {name: sorted((_loaded_names(node) - {name}) & (set(deferred) | set(imported)))
             for name, node in deferred.items()}
    _refuse_cycles(needs)

    out = ["".join(lines[:head_end]), "\n"]
    out += kept
    if kept:
        out.append("\n")
    out.append("from .._lazy import lazy_module\n")
    out.append(f"\n__getattr__, __dir__ = lazy_module(globals(), public={public!r})\n")
    for statement in body:
        name = _bound_name(statement)
        if name in deferred:
            assert name is not None
            out.append(f"\n\ndef _build_{name}():\n")
            lines_needed = sorted(imported[need] for need in needs[name] if need in imported)
            lines_needed += [f'{need} = __getattr__("{need}")' for need in needs[name]
                             if need not in imported]
            out += [f"    {line}\n" for line in lines_needed]
            out.append(textwrap.indent(source(statement), "    "))
            out.append(f"    return {name}\n")
        else:
            out.append("\n" + source(statement))
    return "".join(out), _stub(text, tree, lines)


def factories_name(module: str) -> str:
    """The sibling module holding the factories of lazy module *module*."""
    return f"_{module}_factories"


def detach(lazy: str, module: str, package: str = "virt._generated") -> tuple[str, str]:
    """(module, factories) from the *lazy* text `split` made for *module*.

    The factories move into a sibling module (`factories_name`), which the
    module imports when a name is first built: unmarshalling their code was
    most of what importing the module cost.  They import what they read of
    the module (its ``__getattr__`` for other deferred names, kept tables);
    the module keeps the imports its own statements read.
    """
    tree = ast.parse(lazy)
    lines = lazy.splitlines(keepends=True)
    builders = [node for node in tree.body
                if isinstance(node, ast.FunctionDef) and node.name.startswith("_build_")]
    imports = [node for node in tree.body if isinstance(node, ast.ImportFrom)
               and node.module in KEPT_IMPORTS]
    future = next(node for node in tree.body
                  if isinstance(node, ast.ImportFrom) and node.module == "__future__")
    rest = [node for node in tree.body[tree.body.index(future) + 1:]
            if node not in builders and node not in imports]
    if not builders:
        raise ValueError(f"{module} has no factories")
    def text(node: ast.stmt) -> str:
        return "".join(lines[node.lineno - 1:node.end_lineno])

    used = set().union(*(_loaded_names(node) for node in rest))
    dropped = {*builders, *(node for node in imports  # imports the module's statements need stay
                            if not {a.asname or a.name for a in node.names} & used)}
    keep = [True] * len(lines)
    for node in dropped:
        end = node.end_lineno or node.lineno
        keep[node.lineno - 1:end] = [False] * (end - node.lineno + 1)
    module_text = "".join(line for line, kept in zip(lines, keep) if kept)
    module_text = module_text.replace(
        "lazy_module(globals(), public=",
        f"lazy_module(globals(), factories={package + '.' + factories_name(module)!r}, "
        "public=", 1)

    kept_names = {_bound_name(node) for node in rest} | {"__getattr__"}  # for other names
    reads = set().union(*(_loaded_names(node) for node in builders))
    shared = sorted(name for name in reads & kept_names if name)
    comment = "".join(line for line in lines[:future.lineno] if line.startswith("#"))
    factories = [comment, "\n",
                 f'"""The factories of `{package}.{module}`\'s classes, imported when the '
                 'first one is built."""\n\n',
                 "from __future__ import annotations\n\n",
                 *(text(node) for node in imports)]  # ClassVar for dataclasses, as before
    if shared:
        factories.append(f"\nfrom .{module} import {', '.join(shared)}\n")
    factories += ["\n\n" + text(node) for node in builders]
    return _tidy(module_text), _tidy("".join(factories))


def _tidy(text: str) -> str:
    """At most two blank lines in a row, one newline at the end."""
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.rstrip("\n") + "\n"


def _stub(text: str, tree: ast.Module, lines: list[str]) -> str:
    """*text* without the statements it runs at import (the ``.pyi`` declares only)."""
    drop: set[int] = set()
    docstring = ast.get_docstring(tree, clean=False) is not None
    for statement in tree.body[1 if docstring else 0:]:
        if isinstance(statement, ast.Expr) and statement.end_lineno is not None:
            drop.update(range(statement.lineno - 1, statement.end_lineno))
    kept = [line for number, line in enumerate(lines) if number not in drop]
    return "".join(kept).rstrip("\n") + "\n" if drop else text


def _refuse_cycles(needs: dict[str, list[str]]) -> None:
    """Fail when deferred definitions need each other: a factory would recurse."""
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise ValueError("deferred definitions need each other: " + " -> ".join(path))
        state[name] = 1
        for need in needs.get(name, []):
            visit(need, [*path, need])
        state[name] = 2

    for name in needs:
        visit(name, [name])
