"""Values libvirt defines as enums come back as enums (the typing side: test_typing.py)."""

from __future__ import annotations

import pytest

import virt
from virt._enum import Enum, Members, to
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


def test_members_by_value_convert_like_the_class() -> None:
    to_state = Members(virt.DomainState)
    assert to_state[1] is virt.DomainState.RUNNING
    assert to_state(5) is virt.DomainState.SHUTOFF  # callable, for code taking any function
    unknown = to_state[99]
    assert (type(unknown), unknown.name, unknown.value) == (virt.DomainState, "UNKNOWN_99", 99)
    assert 99 not in to_state  # the class keeps no pseudo-member: neither does the look-up
    flags = Members(virt.ConnectListAllDomainsFlags)
    combined = flags[3]
    both = virt.ConnectListAllDomainsFlags.ACTIVE | virt.ConnectListAllDomainsFlags.INACTIVE
    assert combined == both
    assert type(combined) is virt.ConnectListAllDomainsFlags
    assert flags[3] is combined  # the class keeps combinations: so does the look-up
    assert "DomainState" in repr(to_state)


def test_members_of_a_class_by_name_are_made_once() -> None:
    assert to.DomainState is to.DomainState
    assert to.DomainState[0] is virt.DomainState.NOSTATE
    with pytest.raises(AttributeError):
        to.NoSuchEnum  # noqa: B018
    with pytest.raises(AttributeError):
        to.__wrapped__  # noqa: B018  (probes of dunder names are not enum names)


def test_state_reasons_follow_the_state() -> None:
    from virt.records import domain_state_reason

    assert domain_state_reason(5, 1) is virt.DomainShutoffReason.SHUTDOWN
    assert domain_state_reason(1, 1) is virt.DomainRunningReason.BOOTED
    beyond = domain_state_reason(42, 7)  # a state of a newer libvirt
    assert (type(beyond), beyond.value) == (virt.DomainNostateReason, 7)
    assert domain_state_reason(-1, 0) is virt.DomainNostateReason.UNKNOWN
