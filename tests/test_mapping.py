"""Every C function is reachable from a documented Python name, or left to the
event and stream layers."""

from __future__ import annotations

import importlib
from typing import Any

import virt
import virt.raw as raw
from virt._generated.mapping import MAPPING


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
        generic = ("close", "adopt", "connect")
        if not dotted.endswith(generic):
            assert function in target.__doc__, (function, dotted)


def test_coverage_of_the_c_api() -> None:
    functions = set(raw.FUNCTIONS)
    mapped = set(MAPPING)
    assert mapped <= functions
    missing = functions - mapped
    from test_raw_coverage import REPORT

    core = REPORT.setdefault("core", {})
    core["functions reachable from Python"] = (len(mapped), len(functions))
    assert not missing, sorted(missing)
    assert len(mapped) == len(functions) == 568


def test_public_classes_are_exported() -> None:
    for name in ("Connection", "Domain", "Network", "StoragePool", "StorageVol", "Secret",
                 "NodeDevice", "Interface", "NWFilter", "NWFilterBinding", "DomainSnapshot",
                 "DomainCheckpoint", "NetworkPort", "Stream", "AdminConnection"):
        assert isinstance(getattr(virt, name), type), name
