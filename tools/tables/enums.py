"""Enums: C enum types whose Python name, or whose members' common prefix, does
not follow the rule (applied by ``tools/gencore.py``)."""

from __future__ import annotations

#: C enum types whose name does not end the way the Python class should.
ENUM_RENAMES = {
    "virDomainAbortJobFlagsValues": "DomainAbortJobFlags",
    "virDomainAgentResponseTimeoutValues": "DomainAgentResponseTimeout",
    "virDomainDestroyFlagsValues": "DomainDestroyFlags",
    "virDomainQemuAgentCommandTimeoutValues": "DomainQemuAgentCommandTimeout",
    "virDomainRebootFlagValues": "DomainRebootFlags",
    "virDomainShutdownFlagValues": "DomainShutdownFlags",
    "virDomainUndefineFlagsValues": "DomainUndefineFlags",
    "virStreamRecvFlagsValues": "StreamRecvFlags",
    # ``DomainLifecycle`` is the lifecycle event; this enum says which lifecycle
    # action (power off, reboot, crash) virDomainSetLifecycleAction sets.
    "virDomainLifecycle": "DomainLifecycleType",
}


#: Enums whose members share more than their common prefix says.
MEMBER_PREFIXES = {
    "virErrorNumber": "VIR_ERR_",  # and a few VIR_WAR_*, which keep WAR_
}
