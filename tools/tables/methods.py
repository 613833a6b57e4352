"""The one reviewed table of what the C types do not say.

The generator derives most of a wrapper from the C prototype: the object the
function belongs to (its first argument), strings, integers, flags, simple
out-parameters, lists of objects.  What it cannot derive is listed here, each
entry a fact about one C function or argument, reviewed against libvirt's
API reference.  ``tools/genmethods.py`` applies it.
"""

from __future__ import annotations

from tables.events import EVENT_HAND_WRITTEN
from tables.streams import STREAM_HAND_WRITTEN

#: Handle type -> (Python class, the stem its C functions start with).
CLASSES: dict[str, tuple[str, str]] = {
    "virConnectPtr": ("Connection", "Connect"),
    "virDomainPtr": ("Domain", "Domain"),
    "virDomainSnapshotPtr": ("DomainSnapshot", "DomainSnapshot"),
    "virDomainCheckpointPtr": ("DomainCheckpoint", "DomainCheckpoint"),
    "virNetworkPtr": ("Network", "Network"),
    "virNetworkPortPtr": ("NetworkPort", "NetworkPort"),
    "virInterfacePtr": ("Interface", "Interface"),
    "virStoragePoolPtr": ("StoragePool", "StoragePool"),
    "virStorageVolPtr": ("StorageVol", "StorageVol"),
    "virNodeDevicePtr": ("NodeDevice", "NodeDevice"),
    "virSecretPtr": ("Secret", "Secret"),
    "virNWFilterPtr": ("NWFilter", "NWFilter"),
    "virNWFilterBindingPtr": ("NWFilterBinding", "NWFilterBinding"),
    "virStreamPtr": ("Stream", "Stream"),
    "virAdmConnectPtr": ("AdminConnection", "AdmConnect"),
    "virAdmServerPtr": ("AdminServer", "AdmServer"),
    "virAdmClientPtr": ("AdminClient", "AdmClient"),
}

#: Functions whose Python name does not follow the rule, and why.
RENAMES: dict[str, str] = {
    # The wrappers' own life cycle: close() releases; adopting a raw handle
    # (which takes a reference) is virt.raw.adopt(), outside the safe surface.
    **{f"vir{stem}Free": "close" for stem in (
        "Domain", "DomainSnapshot", "DomainCheckpoint", "Network", "NetworkPort",
        "Interface", "StoragePool", "StorageVol", "NodeDevice", "Secret", "NWFilter",
        "NWFilterBinding", "Stream", "AdmServer", "AdmClient")},
    "virConnectClose": "close",
    # A snapshot reverts its domain to itself: snapshot.revert(), not
    # snapshot.domain_revert_to_snapshot().
    "virDomainRevertToSnapshot": "revert",
    "virAdmConnectClose": "close",
    # A daemon's client is disconnected, not closed: close() releases our reference.
    "virAdmClientClose": "disconnect",
    **{f"vir{stem}Ref": "adopt" for stem in (
        "Connect", "Domain", "DomainSnapshot", "DomainCheckpoint", "Network",
        "NetworkPort", "Interface", "StoragePool", "StorageVol", "NodeDevice", "Secret",
        "NWFilter", "NWFilterBinding", "Stream", "AdmConnect")},
}

#: Functions returning a handle the caller must not free (no new reference).
BORROWED_RESULTS: set[str] = {
    "virDomainGetConnect", "virNetworkGetConnect", "virInterfaceGetConnect",
    "virStoragePoolGetConnect", "virStorageVolGetConnect", "virSecretGetConnect",
    "virDomainSnapshotGetConnect", "virDomainSnapshotGetDomain",
    "virDomainCheckpointGetConnect", "virDomainCheckpointGetDomain",
    "virNetworkPortGetNetwork",
}

#: ``int`` results that are a value (a count, a size, an ID), not a status.
INT_RESULTS: set[str] = {
    "virConnectGetMaxVcpus", "virDomainGetMaxVcpus", "virDomainGetVcpusFlags",
    "virDomainSnapshotNum", "virDomainSnapshotNumChildren", "virNodeGetCellsFreeMemory",
    "virDomainFSFreeze", "virDomainFSThaw",  # file systems frozen / thawed
    "virDomainOpenGraphicsFD",  # the file descriptor
}

#: ``int`` results that are a value of a C enum (and -1 for an error).
ENUM_RESULTS: dict[str, str] = {
    "virConnectCompareCPU": "virCPUCompareResult",
    "virConnectCompareHypervisorCPU": "virCPUCompareResult",
    "virAdmClientGetTransport": "virClientTransport",
    "virSecretGetUsageType": "virSecretUsageType",
}

#: Two-call typed-parameter getters whose count comes from elsewhere: the
#: expression giving it (OWNER is the object).
PARAM_COUNTS: dict[str, str] = {
    "virDomainGetSchedulerParameters": "_scheduler_param_count(OWNER._as_parameter_)",
    "virDomainGetSchedulerParametersFlags": "_scheduler_param_count(OWNER._as_parameter_)",
}

#: ``char **`` arguments through which libvirt hands over one string.
STRING_OUTPUTS: set[str] = {
    "virAdmConnectGetLoggingOutputs", "virAdmConnectGetLoggingFilters",
    "virDomainQemuMonitorCommand",
}

#: Functions the generator must leave to hand-written code although their
#: prototype looks regular.
HAND_ONLY: dict[str, str] = {
    "virDomainGetCPUStats": "params is an output of nparams x ncpus entries",
}

#: Functions filling a struct that return 0 when there is nothing to fill
#: (the wrapper returns None then) and 1 when there is.
OPTIONAL_RECORDS: set[str] = {"virDomainGetBlockJobInfo"}

#: Unsigned or 64-bit results with one value meaning failure: C name -> that value.
SENTINEL_RESULTS: dict[str, int] = {
    "virDomainGetID": 2**32 - 1,  # (unsigned int)-1
    "virDomainGetMaxMemory": 0,
    "virNodeGetFreeMemory": 0,
    "virAdmClientGetTimestamp": -1,
    "virAdmClientGetID": -1,  # cannot fail: no value is out of range
}

#: Sentinel results that are also a legitimate answer when libvirt sets no
#: error: the wrapper returns None then (and raises when an error is set).
OPTIONAL_SENTINELS: dict[str, str] = {
    "virDomainGetID": "an inactive domain has no ID",
}

#: ``int`` results that are 1 for yes, 0 for no (and -1 for an error).
BOOL_RESULTS_PREFIXES = ("is_", "has_")

#: Out-parameters holding 0 or 1.
BOOL_OUTPUTS: set[tuple[str, str]] = {
    ("virDomainGetAutostart", "autostart"),
    ("virDomainGetAutostartOnce", "autostart"),
    ("virNetworkGetAutostart", "autostart"),
    ("virStoragePoolGetAutostart", "autostart"),
    ("virNodeDeviceGetAutostart", "autostart"),
}

#: Out-parameters holding a value of a C enum.
ENUM_OUTPUTS: dict[tuple[str, str], str] = {
    ("virDomainGetState", "state"): "virDomainState",
    ("virDomainGetJobStats", "type"): "virDomainJobType",
}

#: Out-parameters whose enum depends on another out-parameter: (function,
#: argument) -> (the Python type, the other argument, the converter in
#: virt.records taking both values).
DEPENDENT_OUTPUTS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("virDomainGetState", "reason"): ("DomainStateReason", "state", "domain_state_reason"),
}

#: ``const char *`` arguments that are file names: also accept ``os.PathLike``.
PATH_ARGS: set[tuple[str, str]] = {
    ("virDomainSave", "to"),
    ("virDomainSaveFlags", "to"),
    ("virDomainRestore", "from"),
    ("virDomainRestoreFlags", "from"),
    ("virDomainSaveImageGetXMLDesc", "file"),
    ("virDomainSaveImageDefineXML", "file"),
    ("virDomainCoreDump", "to"),
    ("virDomainCoreDumpWithFormat", "to"),
}

#: ``const char *`` arguments that may be NULL beyond those the facts mark.
NULLABLE_ARGS: set[tuple[str, str]] = {
    ("virConnectOpen", "name"),
    ("virNodeListDevices", "cap"),
    ("virNodeNumOfDevices", "cap"),
    ("virConnectOpenReadOnly", "name"),
    ("virConnectOpenAuth", "name"),
    ("virAdmConnectOpen", "name"),
    ("virDomainMigrate", "dname"),
    ("virDomainMigrate", "uri"),
    ("virDomainMigrate2", "dxml"),
    ("virDomainMigrate2", "dname"),
    ("virDomainMigrate2", "uri"),
    ("virDomainMigrateToURI", "dname"),
    ("virDomainMigrateToURI2", "dconnuri"),
    ("virDomainMigrateToURI2", "miguri"),
    ("virDomainMigrateToURI2", "dxml"),
    ("virDomainMigrateToURI2", "dname"),
    ("virDomainMigrateToURI3", "dconnuri"),
    ("virDomainSaveFlags", "dxml"),
    ("virDomainRestoreFlags", "dxml"),
    ("virDomainGetMetadata", "uri"),
    ("virDomainSetMetadata", "metadata"),
    ("virDomainSetMetadata", "key"),
    ("virDomainSetMetadata", "uri"),
    ("virNetworkGetMetadata", "uri"),
    ("virNetworkSetMetadata", "metadata"),
    ("virNetworkSetMetadata", "key"),
    ("virNetworkSetMetadata", "uri"),
    ("virDomainBlockRebase", "base"),
    ("virDomainBlockCommit", "base"),
    ("virDomainBlockCommit", "top"),
    ("virDomainSetUserPassword", "password"),
    ("virConnectFindStoragePoolSources", "srcSpec"),
    ("virConnectGetDomainCapabilities", "emulatorbin"),
    ("virConnectGetDomainCapabilities", "arch"),
    ("virConnectGetDomainCapabilities", "machine"),
    ("virConnectGetDomainCapabilities", "virttype"),
    ("virConnectBaselineHypervisorCPU", "emulator"),
    ("virConnectBaselineHypervisorCPU", "arch"),
    ("virConnectBaselineHypervisorCPU", "machine"),
    ("virConnectBaselineHypervisorCPU", "virttype"),
    ("virConnectCompareHypervisorCPU", "emulator"),
    ("virConnectCompareHypervisorCPU", "arch"),
    ("virConnectCompareHypervisorCPU", "machine"),
    ("virConnectCompareHypervisorCPU", "virttype"),
    ("virDomainOpenConsole", "dev_name"),
    ("virDomainOpenChannel", "name"),
    ("virDomainDetachDeviceAlias", "alias"),
    ("virNodeDeviceLookupSCSIHostByWWN", "wwnn"),
    ("virStoragePoolLookupByTargetPath", "path"),
    ("virAdmConnectSetLoggingOutputs", "outputs"),
    ("virAdmConnectSetLoggingFilters", "filters"),
    ("virDomainQemuMonitorCommandWithFiles", "cmd"),
}

#: Structs returned through an out-parameter, as NamedTuples:
#: C struct -> (Python name, {field: enum or bool type of that field}).
RECORDS: dict[str, tuple[str, dict[str, str]]] = {
    "virDomainInfo": ("DomainInfo", {"state": "virDomainState"}),
    "virDomainBlockInfo": ("DomainBlockInfo", {}),
    "virDomainBlockJobInfo": ("DomainBlockJobInfo", {"type": "virDomainBlockJobType"}),
    "virDomainControlInfo": ("DomainControlInfo", {"state": "virDomainControlState",
                                                   "details": "virDomainControlErrorReason"}),
    "virDomainJobInfo": ("DomainJobInfo", {"type": "virDomainJobType"}),
    "virDomainBlockStatsStruct": ("DomainBlockStats", {}),
    "virDomainInterfaceStatsStruct": ("DomainInterfaceStats", {}),
    "virStoragePoolInfo": ("StoragePoolInfo", {"state": "virStoragePoolState"}),
    "virStorageVolInfo": ("StorageVolInfo", {"type": "virStorageVolType"}),
    "virNodeInfo": ("NodeInfo", {}),
    "virSecurityLabel": ("SecurityLabel", {"enforcing": "bool"}),
    "virSecurityModel": ("SecurityModel", {}),
}

#: Functions wrapped by hand, in the core modules: C name -> "Class.method"
#: (or "module.function").  The mapping test checks each one resolves.
HAND_WRITTEN: dict[str, str] = {
    "virConnectOpen": "virt.connect",
    "virConnectOpenReadOnly": "virt.connect",
    "virConnectOpenAuth": "virt.connect",
    "virAdmConnectOpen": "virt.admin.connect",
    "virDomainGetVcpus": "virt.Domain.get_vcpus",
    "virDomainGetVcpuPinInfo": "virt.Domain.get_vcpu_pin_info",
    "virDomainGetEmulatorPinInfo": "virt.Domain.get_emulator_pin_info",
    "virDomainPinVcpu": "virt.Domain.pin_vcpu",
    "virDomainPinVcpuFlags": "virt.Domain.pin_vcpu_flags",
    "virDomainPinEmulator": "virt.Domain.pin_emulator",
    "virDomainPinIOThread": "virt.Domain.pin_iothread",
    "virDomainGetIOThreadInfo": "virt.Domain.get_iothread_info",
    "virDomainIOThreadInfoFree": "virt.Domain.get_iothread_info",
    "virDomainMemoryStats": "virt.Domain.memory_stats",
    "virDomainGetDiskErrors": "virt.Domain.get_disk_errors",
    "virDomainGetSecurityLabelList": "virt.Domain.get_security_label_list",
    "virDomainGetFSInfo": "virt.Domain.get_fs_info",
    "virDomainFSInfoFree": "virt.Domain.get_fs_info",
    "virDomainInterfaceAddresses": "virt.Domain.interface_addresses",
    "virDomainInterfaceFree": "virt.Domain.interface_addresses",
    "virDomainBlockPeek": "virt.Domain.block_peek",
    "virDomainMemoryPeek": "virt.Domain.memory_peek",
    "virDomainSendKey": "virt.Domain.send_key",
    "virDomainCreateWithFiles": "virt.Domain.create_with_files",
    "virDomainFDAssociate": "virt.Domain.fd_associate",
    "virDomainGetSchedulerType": "virt.Domain.get_scheduler_type",
    "virNodeGetCPUMap": "virt.Connection.node_get_cpu_map",
    "virNodeGetCPUStats": "virt.Connection.node_get_cpu_stats",
    "virNodeGetMemoryStats": "virt.Connection.node_get_memory_stats",
    "virNodeGetCellsFreeMemory": "virt.Connection.node_get_cells_free_memory",
    "virNodeGetFreePages": "virt.Connection.node_get_free_pages",
    "virNodeAllocPages": "virt.Connection.node_alloc_pages",
    "virDomainCreateXMLWithFiles": "virt.Connection.domain_create_xml_with_files",
    "virConnGetLastError": "virt.Connection.last_error",
    "virConnCopyLastError": "virt.Connection.last_error",
    "virConnResetLastError": "virt.Connection.reset_last_error",
    "virConnSetErrorFunc": "virt.Connection.set_error_handler",
    "virNetworkGetDHCPLeases": "virt.Network.get_dhcp_leases",
    "virNetworkDHCPLeaseFree": "virt.Network.get_dhcp_leases",
    "virSecretGetValue": "virt.Secret.get_value",
    "virSecretSetValue": "virt.Secret.set_value",
    "virGetLastError": "virt.errors.last_error",
    "virGetLastErrorCode": "virt.errors.last_error",
    "virGetLastErrorDomain": "virt.errors.last_error",
    "virGetLastErrorMessage": "virt.errors.last_error",
    "virSaveLastError": "virt.errors.save_last_error",
    "virFreeError": "virt.errors.save_last_error",
    "virCopyLastError": "virt.errors.copy_last_error",
    "virResetError": "virt.errors.copy_last_error",
    "virResetLastError": "virt.errors.reset_last_error",
    "virDefaultErrorFunc": "virt.errors.print_last_error",
    "virSetErrorFunc": "virt.errors.set_error_handler",
    "virInitialize": "virt.raw.library",
    "virGetVersion": "virt.get_version",
    "virAdmInitialize": "virt.admin.connect",
    "virAdmGetVersion": "virt.admin.get_version",
    "virConnectGetAllDomainStats": "virt.Connection.get_all_domain_stats",
    "virDomainStatsRecordListFree": "virt.Connection.get_all_domain_stats",
    "virDomainListGetStats": "virt.Connection.domain_list_get_stats",
    "virDomainGetCPUStats": "virt.Domain.get_cpu_stats",
    "virDomainLxcOpenNamespace": "virt.lxc.open_namespace",
    "virDomainLxcEnterNamespace": "virt.lxc.enter_namespace",
    "virDomainLxcEnterSecurityLabel": "virt.lxc.enter_security_label",
    "virDomainQemuMonitorCommandWithFiles": "virt.qemu.monitor_command_with_files",
    "virTypedParamsAddBoolean": "virt.typedparams.TypedParamList.add_boolean",
    "virTypedParamsAddDouble": "virt.typedparams.TypedParamList.add_double",
    "virTypedParamsAddFromString": "virt.typedparams.TypedParamList.add_from_string",
    "virTypedParamsAddInt": "virt.typedparams.TypedParamList.add_int",
    "virTypedParamsAddLLong": "virt.typedparams.TypedParamList.add_llong",
    "virTypedParamsAddString": "virt.typedparams.TypedParamList.add_string",
    "virTypedParamsAddStringList": "virt.typedparams.TypedParamList.add_string_list",
    "virTypedParamsAddUInt": "virt.typedparams.TypedParamList.add_uint",
    "virTypedParamsAddULLong": "virt.typedparams.TypedParamList.add_ullong",
    "virTypedParamsClear": "virt.typedparams.TypedParamList.clear",
    "virTypedParamsFree": "virt.typedparams.TypedParamList.close",
    "virTypedParamsGet": "virt.typedparams.TypedParamList.get",
    "virTypedParamsGetBoolean": "virt.typedparams.TypedParamList.get_boolean",
    "virTypedParamsGetDouble": "virt.typedparams.TypedParamList.get_double",
    "virTypedParamsGetInt": "virt.typedparams.TypedParamList.get_int",
    "virTypedParamsGetLLong": "virt.typedparams.TypedParamList.get_llong",
    "virTypedParamsGetString": "virt.typedparams.TypedParamList.get_string",
    "virTypedParamsGetUInt": "virt.typedparams.TypedParamList.get_uint",
    "virTypedParamsGetULLong": "virt.typedparams.TypedParamList.get_ullong",
}

#: The old two-step list functions: list function -> the function counting
#: what it will list.  The wrapper counts, sizes a buffer, then lists.
LEGACY_LISTS: dict[str, str] = {
    "virConnectListDefinedDomains": "virConnectNumOfDefinedDomains",
    "virConnectListDefinedInterfaces": "virConnectNumOfDefinedInterfaces",
    "virConnectListDefinedNetworks": "virConnectNumOfDefinedNetworks",
    "virConnectListDefinedStoragePools": "virConnectNumOfDefinedStoragePools",
    "virConnectListDomains": "virConnectNumOfDomains",
    "virConnectListInterfaces": "virConnectNumOfInterfaces",
    "virConnectListNWFilters": "virConnectNumOfNWFilters",
    "virConnectListNetworks": "virConnectNumOfNetworks",
    "virConnectListSecrets": "virConnectNumOfSecrets",
    "virConnectListStoragePools": "virConnectNumOfStoragePools",
    "virNodeDeviceListCaps": "virNodeDeviceNumOfCaps",
    "virNodeListDevices": "virNodeNumOfDevices",
    "virStoragePoolListVolumes": "virStoragePoolNumOfVolumes",
    "virDomainSnapshotListNames": "virDomainSnapshotNum",
    "virDomainSnapshotListChildrenNames": "virDomainSnapshotNumChildren",
}

# The event and stream layers keep their tables in files of their own.
HAND_WRITTEN.update(EVENT_HAND_WRITTEN)
HAND_WRITTEN.update(STREAM_HAND_WRITTEN)
