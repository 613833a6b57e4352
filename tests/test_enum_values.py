"""Values libvirt defines as enums come back as enums (the typing side: test_typing.py)."""

from __future__ import annotations

import pytest

import virt
from virt._enum import Enum
from virt._generated import events


def test_lifecycle_detail_is_a_union_of_enums_only() -> None:
    members = virt.DomainLifecycleDetail.__args__  # type: ignore[attr-defined]
    assert len(members) == 9
    assert all(isinstance(m, type) and issubclass(m, Enum) for m in members)
    detail = events.LIFECYCLE_UNKNOWN_DETAIL(3)  # an event type of a newer libvirt
    assert (detail.name, detail.value) == ("UNKNOWN_3", 3)


@pytest.mark.min_libvirt(9, 0)  # the test driver's statistics
def test_domain_stats_state_is_a_domain_state() -> None:
    with virt.connect("test:///default") as conn:
        records = conn.get_all_domain_stats(virt.DomainStatsTypes.STATE)
        state = records[0].stats.state_state
        assert type(state) is virt.DomainState and state is virt.DomainState.RUNNING
        domain = conn.domain_lookup_by_name("test")
        assert state == domain.get_state()[0]


def test_enum_valued_parameters_are_enums() -> None:
    unknown = virt.DomainStats.from_mapping({"state.state": 99})
    assert isinstance(unknown.state_state, virt.DomainState)
    assert unknown.state_state.name == "UNKNOWN_99"
    assert virt.JobStats.from_mapping({"operation": 1}).operation is virt.DomainJobOperation(1)
    assert virt.DomainStats().state_state is None
