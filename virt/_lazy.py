"""Module attributes built on first use: what the generated modules rely on.

Each lazy generated module (see ``tools/genlazy.py``) keeps every class in a
factory ``_build_<name>`` and installs the ``__getattr__`` made here, so
``import virt`` does not pay for the hundreds of classes a script never uses.
The first access to a name runs its factory once (under one lock, so two
threads get the same class), gives the class the name, qualified name and
public module it would have had if defined at module level (tracebacks, `repr`
and `pickle` show ``virt.NoDomainError``) and caches it in the module, so later
accesses are plain attribute look-ups.
"""

from __future__ import annotations

import _thread  # not threading: ~0.5 ms to import, and a lock is all this needs
import sys

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

__all__ = ["import_module", "lazy_module", "names_from"]


def import_module(name: str) -> Any:
    """The module of absolute name *name*, imported if it is not yet:
    `importlib.import_module` without importing `importlib` (and the
    `warnings` it imports), which nothing else of a first connection needs."""
    __import__(name)
    return sys.modules[name]


def names_from(namespace: dict[str, Any], module: str, names: Iterable[str]
               ) -> Callable[[str], Any]:
    """The ``__getattr__`` of the module whose globals are *namespace* and
    whose *names* are defined in *module* (an absolute name): imported by the
    first access to one of them, each then kept in *namespace*, so that later
    accesses are plain attribute look-ups."""
    module_name = namespace["__name__"]
    known = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name not in known:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = namespace[name] = getattr(import_module(module), name)
        return value

    return __getattr__


_PREFIX = "_build_"
# One lock for every lazy module: a factory may need names of another module
# (an event class needs enums), and one re-entrant lock cannot deadlock.
_lock = _thread.RLock()


def _rename(cls: type, name: str, module: str) -> None:
    """Make *cls*, created inside its factory, look defined at module level."""
    local = cls.__qualname__ + "."
    cls.__qualname__ = name
    cls.__module__ = module
    for attribute in vars(cls).values():
        function = getattr(attribute, "__func__", attribute)  # classmethod, staticmethod
        function = getattr(function, "fget", function)  # property
        qualname = getattr(function, "__qualname__", None)
        if isinstance(qualname, str) and qualname.startswith(local):
            function.__qualname__ = f"{name}.{qualname[len(local):]}"


def lazy_module(namespace: dict[str, Any], public: str, factories: str | None = None
                ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the module whose globals are *namespace*.

    Public classes (those in the module's ``__all__``) report *public* as their
    module; the others keep the module they are built in.  *factories*: the
    module holding the factories, imported when the first name is built (its
    code is most of what importing the module would cost); by default they
    are in *namespace* itself.
    """
    module_name = namespace["__name__"]
    builders: dict[str, Any] = namespace if factories is None else {}

    def factory(name: str) -> Any:
        if not builders:
            assert factories is not None
            builders.update(vars(import_module(factories)))
        return builders.get(_PREFIX + name)

    def __getattr__(name: str) -> Any:
        build = None if name.startswith("__") else factory(name)
        if build is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        with _lock:
            if name in namespace:  # built by another thread meanwhile
                return namespace[name]
            value = build()
            if isinstance(value, type):
                exported = name in namespace.get("__all__", ())
                _rename(value, name, public if exported else module_name)
            namespace[name] = value
        return value

    def __dir__() -> list[str]:
        factory("")
        return sorted({*(n for n in namespace if not n.startswith(_PREFIX)),
                       *(n[len(_PREFIX):] for n in builders if n.startswith(_PREFIX))})

    return __getattr__, __dir__
