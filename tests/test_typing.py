"""Values libvirt defines as enums come back as enums, and mypy knows it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import virt
from virt._enum import Enum
from virt._generated import events

ROOT = Path(__file__).resolve().parent.parent

USES = """
import virt

def on_lifecycle(event: virt.DomainLifecycle) -> None:
    name: str = event.detail.name
    value: int = event.detail.value
    print(event.event.name, name, value)

def on_job(event: virt.DomainJobCompleted) -> None:
    operation = event.params.operation
    if operation is not None:
        print(operation.name)

with virt.connect("test:///default") as conn:
    conn.subscribe(virt.DomainLifecycle, on_lifecycle)
    for record in conn.get_all_domain_stats():
        state = record.stats.state_state
        if state is not None:
            print(state.name, state is virt.DomainState.RUNNING)
"""


def mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    from rig import require

    require(importlib.util.find_spec("mypy") is not None, "mypy is missing: pip install mypy")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(source)
    env: dict[str, Any] = {**os.environ, "MYPYPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           str(snippet)], capture_output=True, text=True, env=env,
                          timeout=300, cwd=ROOT)


def test_mypy_accepts_the_name_and_value_of_an_event_detail_and_a_stats_state(
        tmp_path: Path) -> None:
    fine = mypy(tmp_path, USES)
    assert fine.returncode == 0, fine.stdout
    # The check can fail: a value mypy types as int has no .name.
    bad = mypy(tmp_path, USES.replace("event.detail.name", "event.detail.value.name"))
    assert bad.returncode == 1 and '"int" has no attribute "name"' in bad.stdout, bad.stdout


def test_lifecycle_detail_is_a_union_of_enums_only() -> None:
    members = virt.DomainLifecycleDetail.__args__  # type: ignore[attr-defined]
    assert len(members) == 9
    assert all(isinstance(m, type) and issubclass(m, Enum) for m in members)
    detail = events.LIFECYCLE_UNKNOWN_DETAIL(3)  # an event type of a newer libvirt
    assert (detail.name, detail.value) == ("UNKNOWN_3", 3)


def test_domain_stats_state_is_a_domain_state() -> None:
    with virt.connect("test:///default") as conn:
        records = conn.get_all_domain_stats(virt.DomainStatsTypes.STATE)
        state = records[0].stats.state_state
        assert type(state) is virt.DomainState and state is virt.DomainState.RUNNING
        domain = conn.domain_lookup_by_name("test")
        assert state == domain.get_state()[0]
    unknown = virt.DomainStats.from_mapping({"state.state": 99})
    assert isinstance(unknown.state_state, virt.DomainState)
    assert unknown.state_state.name == "UNKNOWN_99"
    assert virt.JobStats.from_mapping({"operation": 1}).operation is virt.DomainJobOperation(1)
    assert virt.DomainStats().state_state is None
