"""Typed parameters: the families of libvirt's typed-parameter names, one dataclass
each, and the functions that take or return them (applied by ``tools/genparams.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParamFamily:
    """One row of the reviewed table."""

    #: What the parameters describe: the first line of the class docstring.
    summary: str
    #: Macro name prefixes whose string macros are the fields.
    prefixes: tuple[str, ...]
    #: C functions with a ``virTypedParameterPtr`` argument that take or
    #: return this family.
    functions: tuple[str, ...] = ()
    #: Other C symbols that deliver it (event callbacks, stats records).
    delivered_by: tuple[str, ...] = ()
    #: Macro prefixes under ``prefixes`` that are not fields of this family.
    exclude: tuple[str, ...] = ()
    #: Macro -> type word, where the facts have no type or a wrong one.
    types: Mapping[str, str] = field(default_factory=dict)
    #: Type of every macro the facts give no type (a family of one type).
    default_type: str | None = None
    #: Parameters no macro names (documented in a function's text): name -> type.
    keys: Mapping[str, str] = field(default_factory=dict)
    #: A note on the numbered parameters the family keeps in ``extra``.
    numbered: str = ""


PARAM_SETS: dict[str, ParamFamily] = {
    "SchedulerParameters": ParamFamily(
        "Scheduler parameters of a domain.",
        ("VIR_DOMAIN_SCHEDULER_",),
        ("virDomainGetSchedulerParameters", "virDomainGetSchedulerParametersFlags",
         "virDomainSetSchedulerParameters", "virDomainSetSchedulerParametersFlags"),
    ),
    "BlkioParameters": ParamFamily(
        "Block I/O tunables of a domain.",
        ("VIR_DOMAIN_BLKIO_",),
        ("virDomainGetBlkioParameters", "virDomainSetBlkioParameters"),
    ),
    "MemoryParameters": ParamFamily(
        "Memory tunables of a domain, in KiB.",
        ("VIR_DOMAIN_MEMORY_",),
        ("virDomainGetMemoryParameters", "virDomainSetMemoryParameters"),
    ),
    "NumaParameters": ParamFamily(
        "NUMA tunables of a domain.",
        ("VIR_DOMAIN_NUMA_",),
        ("virDomainGetNumaParameters", "virDomainSetNumaParameters"),
    ),
    "InterfaceParameters": ParamFamily(
        "Bandwidth of a domain's network interface.",
        ("VIR_DOMAIN_BANDWIDTH_",),
        ("virDomainGetInterfaceParameters", "virDomainSetInterfaceParameters"),
    ),
    "BlockIoTuneParameters": ParamFamily(
        "I/O throttling of a domain's disk or throttle group.",
        ("VIR_DOMAIN_BLOCK_IOTUNE_",),
        ("virDomainGetBlockIoTune", "virDomainSetBlockIoTune", "virDomainSetThrottleGroup"),
    ),
    "BlockStats": ParamFamily(
        "I/O statistics of a domain's disk.",
        ("VIR_DOMAIN_BLOCK_STATS_",),
        ("virDomainBlockStatsFlags",),
    ),
    "CPUStats": ParamFamily(
        "CPU time of a domain, in total or on one host CPU, in nanoseconds.",
        ("VIR_DOMAIN_CPU_STATS_",),
        ("virDomainGetCPUStats",),
    ),
    "JobStats": ParamFamily(
        "Progress and statistics of a domain's job (migration, save, dump, backup…).",
        ("VIR_DOMAIN_JOB_",),
        ("virDomainGetJobStats",),
        delivered_by=("virConnectDomainEventJobCompletedCallback",),
        types={"VIR_DOMAIN_JOB_ERRMSG": "string"},
    ),
    "PerfEvents": ParamFamily(
        "Which perf events are enabled for a domain.",
        ("VIR_PERF_PARAM_",),
        ("virDomainGetPerfEvents", "virDomainSetPerfEvents"),
        default_type="boolean",
    ),
    "MigrateParameters": ParamFamily(
        "Parameters of a migration.",
        ("VIR_MIGRATE_PARAM_",),
        ("virDomainMigrate3", "virDomainMigrateToURI3"),
        types={
            "VIR_MIGRATE_PARAM_BANDWIDTH_AVAIL_SWITCHOVER": "ullong",
            "VIR_MIGRATE_PARAM_COMPRESSION": "string",
            "VIR_MIGRATE_PARAM_LISTEN_ADDRESS": "string",
            "VIR_MIGRATE_PARAM_MIGRATE_DISKS": "string",
            "VIR_MIGRATE_PARAM_MIGRATE_DISKS_DETECT_ZEROES": "string",
            "VIR_MIGRATE_PARAM_MIGRATE_DISKS_TARGET_ZERO": "string",
        },
    ),
    "SaveParameters": ParamFamily(
        "Parameters of saving a domain's state to a file, or restoring it.",
        ("VIR_DOMAIN_SAVE_PARAM_",),
        ("virDomainSaveParams", "virDomainRestoreParams"),
        exclude=("VIR_DOMAIN_SAVE_PARAM_IMAGE_FORMAT_",),
        types={"VIR_DOMAIN_SAVE_PARAM_DXML": "string", "VIR_DOMAIN_SAVE_PARAM_FILE": "string"},
    ),
    "BlockCopyParameters": ParamFamily(
        "Tunables of a block copy job.",
        ("VIR_DOMAIN_BLOCK_COPY_",),
        ("virDomainBlockCopy",),
    ),
    "NetworkPortParameters": ParamFamily(
        "Bandwidth of a network port.",
        ("VIR_NETWORK_PORT_BANDWIDTH_",),
        ("virNetworkPortGetParameters", "virNetworkPortSetParameters"),
    ),
    "Identity": ParamFamily(
        "The identity a privileged client claims for a connection.",
        ("VIR_CONNECT_IDENTITY_",),
        ("virConnectSetIdentity",),
    ),
    "IOThreadParameters": ParamFamily(
        "Tunables of a domain's IOThread.",
        ("VIR_DOMAIN_IOTHREAD_",),
        ("virDomainSetIOThreadParams",),
    ),
    "NodeMemoryParameters": ParamFamily(
        "Tunables and counters of the host's shared-memory (KSM) service.",
        ("VIR_NODE_MEMORY_SHARED_",),
        ("virNodeGetMemoryParameters", "virNodeSetMemoryParameters"),
        # libvirt's implementation assigns and validates these types; the text
        # of MERGE_ACROSS_NODES says int, but libvirt rejects anything but uint.
        types={
            "VIR_NODE_MEMORY_SHARED_PAGES_TO_SCAN": "uint",
            "VIR_NODE_MEMORY_SHARED_SLEEP_MILLISECS": "uint",
            "VIR_NODE_MEMORY_SHARED_MERGE_ACROSS_NODES": "uint",
            "VIR_NODE_MEMORY_SHARED_PAGES_SHARED": "ullong",
            "VIR_NODE_MEMORY_SHARED_PAGES_SHARING": "ullong",
            "VIR_NODE_MEMORY_SHARED_PAGES_UNSHARED": "ullong",
            "VIR_NODE_MEMORY_SHARED_PAGES_VOLATILE": "ullong",
            "VIR_NODE_MEMORY_SHARED_FULL_SCANS": "ullong",
        },
    ),
    "SEVInfo": ParamFamily(
        "The host's AMD SEV capabilities.",
        ("VIR_NODE_SEV_",),
        ("virNodeGetSEVInfo",),
        types={"VIR_NODE_SEV_CBITPOS": "uint", "VIR_NODE_SEV_REDUCED_PHYS_BITS": "uint"},
    ),
    "LaunchSecurityInfo": ParamFamily(
        "Launch security information of a domain (AMD SEV measurement, policy…).",
        ("VIR_DOMAIN_LAUNCH_SECURITY_",),
        ("virDomainGetLaunchSecurityInfo",),
        exclude=("VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET",),
    ),
    "LaunchSecurityState": ParamFamily(
        "A launch secret to inject into a domain's memory.",
        ("VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET",),
        ("virDomainSetLaunchSecurityState",),
    ),
    "GuestVcpus": ParamFamily(
        "Virtual CPUs as the guest agent sees them, as CPU lists (\"0-3,6\").",
        (),
        ("virDomainGetGuestVcpus",),
        keys={"vcpus": "string", "online": "string", "offlinable": "string"},
    ),
    "GuestInfo": ParamFamily(
        "Information the guest agent reports about the guest.",
        ("VIR_DOMAIN_GUEST_INFO_",),
        ("virDomainGetGuestInfo",),
        types={"VIR_DOMAIN_GUEST_INFO_OS_ID": "string"},
        numbered=("The users, file systems, disks, interfaces and devices are numbered "
                  "(``user.<n>.name``, ``fs.<n>.disk.<m>.alias``, …): they are in "
                  "``extra``, and ``virt.typedparams.numbered(info.extra, \"user.\")`` "
                  "splits them by number."),
    ),
    "DomainStats": ParamFamily(
        "Statistics of one domain.",
        ("VIR_DOMAIN_STATS_",),
        delivered_by=("virConnectGetAllDomainStats", "virDomainListGetStats"),
        numbered=("The per-device statistics are numbered (``block.<n>.rd.reqs``, "
                  "``vcpu.<n>.time``, ``net.<n>.rx.bytes``, …): they are in ``extra``, and "
                  "``virt.typedparams.numbered(stats.extra, \"block.\")`` splits them by "
                  "number.  Hypervisor-specific ``vm.*`` statistics are in ``extra`` too."),
    ),
    "DomainTunables": ParamFamily(
        "Tunables of a domain that changed (the tunable event).",
        ("VIR_DOMAIN_TUNABLE_",),
        delivered_by=("virConnectDomainEventTunableCallback",),
        numbered=("The pinning of each vCPU and IOThread is named after its number "
                  "(``cputune.vcpupin<n>``, ``cputune.iothreadpin<n>``): these are in "
                  "``extra``."),
    ),
    "AnnounceParameters": ParamFamily(
        "Timing of the announcement of a domain's network interfaces.",
        ("VIR_DOMAIN_ANNOUNCE_INTERFACE_",),
        ("virDomainAnnounceInterface",),
        default_type="uint",  # what libvirt's QEMU driver validates
    ),
    "ThreadPoolParameters": ParamFamily(
        "Limits and counters of a daemon server's worker thread pool.",
        ("VIR_THREADPOOL_",),
        ("virAdmServerGetThreadPoolParameters", "virAdmServerSetThreadPoolParameters"),
    ),
    "ClientLimits": ParamFamily(
        "Client limits and counters of a daemon server.",
        ("VIR_SERVER_CLIENTS_",),
        ("virAdmServerGetClientLimits", "virAdmServerSetClientLimits"),
    ),
    "ClientInfo": ParamFamily(
        "Identity and connection details of a daemon's client.",
        ("VIR_CLIENT_INFO_",),
        ("virAdmClientGetInfo",),
    ),
}


#: String macros that are not typed-parameter names, by prefix, with the reason.
NOT_PARAMETERS: dict[str, str] = {
    "VIR_NODE_CPU_STATS_": "fields of virNodeCPUStats records, not typed parameters",
    "VIR_NODE_MEMORY_STATS_": "fields of virNodeMemoryStats records, not typed parameters",
    "VIR_DOMAIN_SAVE_PARAM_IMAGE_FORMAT_": "values of VIR_DOMAIN_SAVE_PARAM_IMAGE_FORMAT",
}


#: Parameters whose integer value is a member of a C enum, as libvirt documents
#: them: they come back as that enum.  (``state.reason``'s enum depends on the
#: state: see `virt.records.domain_state_reason`.)
ENUM_PARAMETERS: dict[str, str] = {
    "VIR_DOMAIN_STATS_STATE_STATE": "virDomainState",
    "VIR_DOMAIN_STATS_DIRTYRATE_CALC_STATUS": "virDomainDirtyRateStatus",
    "VIR_DOMAIN_JOB_OPERATION": "virDomainJobOperation",
}
