"""Generation of the typed-parameter dataclasses (``virt/_generated/params.py``).

libvirt names each typed parameter with a string macro
(``VIR_DOMAIN_SCHEDULER_CPU_SHARES`` = ``"cpu_shares"``); the API facts
record each macro's value type (``param_type``) where libvirt's text states
it.  ``PARAM_SETS`` below is the reviewed table that groups the macros into
families, one frozen dataclass each, and says which C functions take or
return each family.  ``PARAM_FUNCTIONS`` is derived from it: every C function
with a ``virTypedParameterPtr`` argument -> its dataclass.

What is not a field:

* numbered names (``*_PREFIX``, ``*_SUFFIX*`` macros: guest info's
  ``user.<n>.name``, domain statistics' ``block.<n>.rd.reqs``) and name
  templates (``cputune.vcpupin%u``): these parameters land in the
  dataclass's ``extra``; ``virt.typedparams.numbered`` splits them by number;
* the string macros of ``NOT_PARAMETERS`` (values, or names of other
  structs' fields), each with the reason.

The generator fails when the facts and the table disagree: a family without
fields, a macro without a type, an override that matches nothing, a function
that does not exist or takes no typed parameters, or a function (or string
macro) of the facts that the table does not account for.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Type word of the facts -> the constant ``virt.typedparams`` exports.
TYPE_CONSTANTS = {
    "int": "INT", "uint": "UINT", "llong": "LLONG", "ullong": "ULLONG",
    "double": "DOUBLE", "boolean": "BOOLEAN", "string": "STRING",
}
#: Type word -> the field's annotation.
ANNOTATIONS = {
    "int": "int", "uint": "int", "llong": "int", "ullong": "int",
    "double": "float", "boolean": "bool", "string": "str",
}


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

#: libvirt's generic helpers for typed-parameter arrays (virTypedParamsGet*,
#: Add*, Free, Clear): they take any family, so no dataclass.
HELPER_PREFIX = "virTypedParams"


def _is_numbered(name: str, value: str) -> bool:
    """A prefix, a suffix or a template of numbered parameter names."""
    return "_PREFIX" in name or "_SUFFIX" in name or "%" in value


def field_name(key: str) -> str:
    """A parameter name as a snake_case identifier: ``"throttle.read_iops_device"`` ->
    ``throttle_read_iops_device``, ``"nWorkers"`` -> ``n_workers``,
    ``"sev-api-major"`` -> ``sev_api_major``."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key)
    name = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").lower()
    if not name or name[0].isdigit():
        name = "p_" + name
    if keyword.iskeyword(name) or name in RESERVED:
        name += "_"
    return name


#: Names a field must not take: ParamSet's own attributes and the names the
#: generated annotations use.
RESERVED = {"extra", "from_mapping", "to_mapping", "int", "float", "bool", "str", "tuple",
            "mapping", "field"}


def has_typed_params(fn: Mapping[str, Any]) -> bool:
    return any(ctype.replace("const ", "").startswith("virTypedParameterPtr")
               for _, ctype in fn["args"])


@dataclass
class ParamField:
    key: str  # the parameter's name
    name: str  # the Python field
    type: str  # type word
    macro: str | None
    multiple: bool


def family_fields(facts: Mapping[str, Any], family: ParamFamily,
                  cls: str) -> list[ParamField]:
    """The fields of *family*, checked against the facts."""
    macros = facts["macros"]
    fields: list[ParamField] = []
    used_overrides: set[str] = set()
    for macro, entry in sorted(macros.items()):
        if "string" not in entry or not macro.startswith(family.prefixes):
            continue
        if macro.startswith(family.exclude) or _is_numbered(macro, entry["string"]):
            continue
        ptype = family.types.get(macro)
        if ptype is not None:
            used_overrides.add(macro)
        else:
            ptype = entry.get("param_type") or family.default_type
        if ptype not in TYPE_CONSTANTS:
            raise ValueError(f"{cls}: no type for {macro}: add it to PARAM_SETS")
        fields.append(ParamField(entry["string"], field_name(entry["string"]), ptype, macro,
                                 bool(entry.get("param_multiple"))))
    unused = set(family.types) - used_overrides
    if unused:
        raise ValueError(f"{cls}: type overrides for unknown macros {sorted(unused)}")
    for key, ptype in family.keys.items():
        fields.append(ParamField(key, field_name(key), ptype, None, False))
    if not fields:
        raise ValueError(f"{cls}: no fields (prefixes {family.prefixes})")
    for attr in ("key", "name"):
        values = [getattr(f, attr) for f in fields]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"{cls}: duplicate {attr}s {duplicates}")
    return fields


def param_functions(facts: Mapping[str, Any]) -> dict[str, str]:
    """C function -> dataclass, checked: every function of *facts* with a
    ``virTypedParameterPtr`` argument is either here or a generic helper."""
    functions = facts["functions"]
    table: dict[str, str] = {}
    for cls, family in PARAM_SETS.items():
        for name in family.functions:
            if name not in functions:
                raise ValueError(f"{cls}: no function {name} in the facts")
            if not has_typed_params(functions[name]):
                raise ValueError(f"{cls}: {name} has no virTypedParameterPtr argument")
            if name in table:
                raise ValueError(f"{name} is in both {table[name]} and {cls}")
            table[name] = cls
    missing = sorted(name for name, fn in functions.items()
                     if has_typed_params(fn) and name not in table
                     and not name.startswith(HELPER_PREFIX))
    if missing:
        raise ValueError(f"functions with typed parameters missing from PARAM_SETS: {missing}")
    return dict(sorted(table.items()))


def check_coverage(facts: Mapping[str, Any]) -> None:
    """Every string macro is a field, a numbered name, or in NOT_PARAMETERS."""
    claimed = [(family.prefixes, family.exclude) for family in PARAM_SETS.values()]
    for macro, entry in sorted(facts["macros"].items()):
        if "string" not in entry or macro.startswith(tuple(NOT_PARAMETERS)):
            continue
        if not any(macro.startswith(prefixes) and not macro.startswith(exclude)
                   for prefixes, exclude in claimed):
            raise ValueError(f"string macro {macro} ({entry['string']!r}) belongs to no "
                             f"family of PARAM_SETS and is not in NOT_PARAMETERS")


def _literal(value: str | None) -> str:
    """A Python literal (double-quoted) for *value*."""
    return "None" if value is None else json.dumps(value)


def _doc_link(facts: Mapping[str, Any], symbol: str) -> str:
    entry = facts["functions"].get(symbol) or facts["callbacks"][symbol]
    return f"`{symbol} <https://libvirt.org/html/libvirt-{entry['file']}.html#{symbol}>`_"


def params_module(facts: Mapping[str, Any], header: str) -> str:
    """The text of ``virt/_generated/params.py``."""
    param_functions(facts)
    check_coverage(facts)
    body: list[str] = []
    used_types: set[str] = set()
    for cls, family in PARAM_SETS.items():
        fields = family_fields(facts, family, cls)
        doc = [f'    """{family.summary}', ""]
        symbols = [*family.functions, *family.delivered_by]
        doc.append("    Taken or returned by " if family.functions else "    Delivered by ")
        links = [_doc_link(facts, s) for s in symbols]
        doc[-1] += ", ".join(links[:1])
        for link in links[1:]:
            doc[-1] += ","
            doc.append(f"    {link}")
        doc[-1] += "."
        if family.numbered:
            doc.append("")
            text = family.numbered
            while text:
                cut = len(text) if len(text) <= 84 else text.rfind(" ", 0, 84)
                doc.append(f"    {text[:cut].rstrip()}")
                text = text[cut:].lstrip()
        doc.append('    """')
        body += ["", "", "@dataclass(frozen=True, repr=False)", f"class {cls}(ParamSet):", *doc, ""]
        rows = []
        for f in fields:
            used_types.add(f.type)
            annotation = ANNOTATIONS[f.type]
            if f.multiple:
                annotation = f"tuple[{annotation}, ...]"
            origin = f"``{f.macro}``" if f.macro else "no macro"
            multiple = ", may occur several times" if f.multiple else ""
            body.append(f"    #: ``{json.dumps(f.key)}``, {f.type}{multiple} ({origin})")
            body.append(f"    {f.name}: {annotation} | None = None")
            rows.append(f"        ({json.dumps(f.key)}, {json.dumps(f.name)}, "
                        f"{TYPE_CONSTANTS[f.type]}, {_literal(f.macro)}, {f.multiple}),")
        body.append("    #: Parameters this package does not know, by name.")
        body.append("    extra: Mapping[str, Values] = field(default_factory=dict, hash=False)")
        body.append("")
        body.append("    PARAMS: ClassVar[tuple[ParamRow, ...]] = (")
        body += rows
        body.append("    )")
    constants = sorted(TYPE_CONSTANTS[t] for t in used_types)
    out = [
        header.rstrip("\n"),
        '"""Typed-parameter sets: one frozen dataclass per family of libvirt typed parameters.',
        "",
        "Each field is a documented parameter (``None`` when absent); parameters this",
        "package does not know are kept in ``extra``.  See `virt.typedparams.ParamSet`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping",
        "from dataclasses import dataclass, field",
        "from typing import ClassVar",
        "",
        "from ..typedparams import (",
        *(f"    {name}," for name in constants),
        "    ParamRow,",
        "    ParamSet,",
        "    Values,",
        ")",
        "",
        "__all__ = [",
        *(f'    "{cls}",' for cls in sorted(PARAM_SETS)),
        "]",
        *body,
    ]
    return "\n".join(out) + "\n"


#: C function -> the dataclass it takes or returns, for every C function with
#: a ``virTypedParameterPtr`` argument except the generic ``virTypedParams*``
#: helpers.  Checked against the facts when the module is generated.
PARAM_FUNCTIONS: dict[str, str] = {
    name: cls for cls, family in PARAM_SETS.items() for name in family.functions
}
#: Event callback -> the dataclass its typed parameters fill.
PARAM_CALLBACKS: dict[str, str] = {
    name: cls for cls, family in PARAM_SETS.items()
    for name in family.delivered_by if name.endswith("Callback")
}
