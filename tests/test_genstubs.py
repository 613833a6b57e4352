"""tools/genstubs.py: what it derives, and that it types nothing by default."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import genstubs  # noqa: E402
from generate import FACTS, PYFACTS, RECORD  # noqa: E402
from tables import stubs as table  # noqa: E402

PY: dict[str, Any] = json.loads(PYFACTS.read_text())
C: dict[str, Any] = json.loads(FACTS.read_text())
REC: dict[str, Any] = json.loads(RECORD.read_text())


def _render(tmp_path: Path) -> dict[str, str]:
    files = genstubs.stub_files(PY, C, REC, tmp_path, "# header\n")
    return {path.parent.name: text for path, text in files.items()}


def test_a_name_neither_the_rules_nor_the_table_type_stops_the_generator(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    returns = dict(table.RETURNS)
    del returns["virDomain.info"]
    monkeypatch.setattr(table, "RETURNS", returns)
    with pytest.raises(SystemExit, match=r"virDomain\.info -> \?"):
        _render(tmp_path)


def test_simple_methods_are_typed_from_the_c_prototype(tmp_path: Path) -> None:
    stub = _render(tmp_path)["libvirt-stubs"]
    # Not in the table: derived from virDomainGetXMLDesc, virConnectGetHostname,
    # virDomainLookupByName, and the record's NULL-able "cap" of virNodeListDevices.
    assert "def XMLDesc(self, flags: int = 0) -> str: ..." in stub
    assert "def getHostname(self) -> str: ..." in stub
    assert "def lookupByName(self, name: str) -> virDomain: ..." in stub
    assert "def numOfDevices(self, cap: str | None, flags: int = 0) -> int: ..." in stub
    for name in ("XMLDesc", "getHostname", "lookupByName", "numOfDevices"):
        assert not any(key.endswith(f".{name}") for key in table.RETURNS)


def test_every_event_id_of_the_binding_has_its_overload(tmp_path: Path) -> None:
    stub = _render(tmp_path)["libvirt-stubs"]
    constants = PY["modules"]["libvirt"]["constants"]
    for register, (_, _, callbacks) in table.EVENT_CALLBACKS.items():
        prefix = next(iter(callbacks)).rsplit("_ID_", 1)[0] + "_ID_"
        ids = [c for c in constants if c.startswith(prefix) and not c.endswith("_LAST")]
        assert ids
        for event in ids:
            assert f"eventID: Literal[{constants[event]['value']}]" in stub
            assert f"# {event}\n" in stub, (register, event)


def test_typed_parameters_have_their_familys_value_types(tmp_path: Path) -> None:
    stub = _render(tmp_path)["libvirt-stubs"]
    assert "def memoryParameters(self, flags: int = 0) -> dict[str, int]: ..." in stub
    assert "def perfEvents(self, flags: int = 0) -> dict[str, bool]: ..." in stub
    assert "params: Mapping[str, int | str | list[str]]" in stub  # migrate3's migrate_disks
