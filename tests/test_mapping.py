"""Every C function is reachable from a documented Python name (or is known not to be yet)."""

from __future__ import annotations

import importlib
from typing import Any

import virt
import virt.raw as raw
from virt._generated.mapping import DEFERRED, MAPPING

#: Functions whose wrapper is still to be written (typed parameters, arrays of
#: structs, legacy name lists, …).  The set may only shrink: a function that
#: gains a wrapper must leave it, and nothing may be added.
NOT_YET = 24


def resolve(dotted: str) -> Any:
    module_name, _, rest = dotted.partition(".")
    obj: Any = importlib.import_module(module_name)
    for part in rest.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            obj = importlib.import_module(f"{obj.__name__}.{part}")
    return obj


def test_every_mapped_name_resolves_and_names_its_c_function() -> None:
    for function, dotted in MAPPING.items():
        target = resolve(dotted)
        assert callable(target), dotted
        assert target.__doc__, dotted
        generic = ("close", "from_pointer", "connect")
        if not dotted.endswith(generic):
            assert function in target.__doc__, (function, dotted)


def test_coverage_of_the_c_api() -> None:
    functions = set(raw.FUNCTIONS)
    mapped, deferred = set(MAPPING), set(DEFERRED)
    assert mapped <= functions and deferred <= functions and not mapped & deferred
    missing = functions - mapped - deferred
    from test_raw_coverage import REPORT

    REPORT.setdefault("core", {})["mapped functions"] = (len(mapped), len(functions))
    REPORT["core"]["deferred to events/streams"] = (len(deferred), len(functions))
    assert len(missing) <= NOT_YET, sorted(missing)


def test_public_classes_are_exported() -> None:
    for name in ("Connection", "Domain", "Network", "StoragePool", "StorageVol", "Secret",
                 "NodeDevice", "Interface", "NWFilter", "NWFilterBinding", "DomainSnapshot",
                 "DomainCheckpoint", "NetworkPort", "Stream", "AdminConnection"):
        assert isinstance(getattr(virt, name), type), name
