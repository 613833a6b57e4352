"""Events: the event IDs and the dataclass of each, and the hand-written event functions."""

from __future__ import annotations

EVENT_HAND_WRITTEN: dict[str, str] = {
    "virConnectDomainEventRegisterAny": "virt.Connection.subscribe",
    "virConnectDomainEventDeregisterAny": "virt.Subscription.close",
    "virConnectNetworkEventRegisterAny": "virt.Connection.subscribe",
    "virConnectNetworkEventDeregisterAny": "virt.Subscription.close",
    "virConnectStoragePoolEventRegisterAny": "virt.Connection.subscribe",
    "virConnectStoragePoolEventDeregisterAny": "virt.Subscription.close",
    "virConnectNodeDeviceEventRegisterAny": "virt.Connection.subscribe",
    "virConnectNodeDeviceEventDeregisterAny": "virt.Subscription.close",
    "virConnectSecretEventRegisterAny": "virt.Connection.subscribe",
    "virConnectSecretEventDeregisterAny": "virt.Subscription.close",
    "virConnectDomainQemuMonitorEventRegister": "virt.Connection.subscribe",
    "virConnectDomainQemuMonitorEventDeregister": "virt.Subscription.close",
    "virConnectRegisterCloseCallback": "virt.Connection.subscribe",
    "virConnectUnregisterCloseCallback": "virt.Subscription.close",
    "virConnectDomainEventRegister": "virt.Connection.domain_event_register",
    "virConnectDomainEventDeregister": "virt.Connection.domain_event_register",
    "virAdmConnectRegisterCloseCallback": "virt.AdminConnection.subscribe_close",
    "virAdmConnectUnregisterCloseCallback": "virt.AdminConnection.subscribe_close",
    "virEventRegisterDefaultImpl": "virt.events.register_default_impl",
    "virEventRunDefaultImpl": "virt.events.run_default_impl_once",
    "virEventRegisterImpl": "virt.aio.register",
    "virEventAddHandle": "virt.events.add_handle",
    "virEventUpdateHandle": "virt.events.update_handle",
    "virEventRemoveHandle": "virt.events.remove_handle",
    "virEventAddTimeout": "virt.events.add_timeout",
    "virEventUpdateTimeout": "virt.events.update_timeout",
    "virEventRemoveTimeout": "virt.events.remove_timeout",
}


#: (family, event ID constant) -> (Python class, C callback type, {arg: kind}).
#: A kind is a C enum type (the field holds that enum), "params:<ParamSet>"
#: (typed parameters), "graphics_address" / "graphics_subject", or "str?"
#: (a string that may be NULL).
EVENTS: dict[tuple[str, str], tuple[str, str, dict[str, str]]] = {
    ("domain", "VIR_DOMAIN_EVENT_ID_LIFECYCLE"): (
        "DomainLifecycle", "virConnectDomainEventCallback", {"event": "virDomainEventType"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_REBOOT"): (
        "DomainReboot", "virConnectDomainEventGenericCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_RTC_CHANGE"): (
        "DomainRTCChange", "virConnectDomainEventRTCChangeCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_WATCHDOG"): (
        "DomainWatchdog", "virConnectDomainEventWatchdogCallback",
        {"action": "virDomainEventWatchdogAction"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_IO_ERROR"): (
        "DomainIOError", "virConnectDomainEventIOErrorCallback",
        {"action": "virDomainEventIOErrorAction"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_GRAPHICS"): (
        "DomainGraphics", "virConnectDomainEventGraphicsCallback",
        {"phase": "virDomainEventGraphicsPhase", "local": "graphics_address",
         "remote": "graphics_address", "subject": "graphics_subject"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON"): (
        "DomainIOErrorReason", "virConnectDomainEventIOErrorReasonCallback",
        {"action": "virDomainEventIOErrorAction"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_CONTROL_ERROR"): (
        "DomainControlError", "virConnectDomainEventGenericCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_BLOCK_JOB"): (
        "DomainBlockJob", "virConnectDomainEventBlockJobCallback",
        {"type": "virDomainBlockJobType", "status": "virConnectDomainEventBlockJobStatus"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_DISK_CHANGE"): (
        "DomainDiskChange", "virConnectDomainEventDiskChangeCallback",
        {"oldSrcPath": "str?", "newSrcPath": "str?",
         "reason": "virConnectDomainEventDiskChangeReason"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_TRAY_CHANGE"): (
        "DomainTrayChange", "virConnectDomainEventTrayChangeCallback",
        {"reason": "virDomainEventTrayChangeReason"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_PMWAKEUP"): (
        "DomainPMWakeup", "virConnectDomainEventPMWakeupCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_PMSUSPEND"): (
        "DomainPMSuspend", "virConnectDomainEventPMSuspendCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE"): (
        "DomainBalloonChange", "virConnectDomainEventBalloonChangeCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK"): (
        "DomainPMSuspendDisk", "virConnectDomainEventPMSuspendDiskCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED"): (
        "DomainDeviceRemoved", "virConnectDomainEventDeviceRemovedCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2"): (
        "DomainBlockJob2", "virConnectDomainEventBlockJobCallback",
        {"type": "virDomainBlockJobType", "status": "virConnectDomainEventBlockJobStatus"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_TUNABLE"): (
        "DomainTunable", "virConnectDomainEventTunableCallback",
        {"params": "params:DomainTunables"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE"): (
        "DomainAgentLifecycle", "virConnectDomainEventAgentLifecycleCallback",
        {"state": "virConnectDomainEventAgentLifecycleState",
         "reason": "virConnectDomainEventAgentLifecycleReason"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_DEVICE_ADDED"): (
        "DomainDeviceAdded", "virConnectDomainEventDeviceAddedCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION"): (
        "DomainMigrationIteration", "virConnectDomainEventMigrationIterationCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_JOB_COMPLETED"): (
        "DomainJobCompleted", "virConnectDomainEventJobCompletedCallback",
        {"params": "params:JobStats"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED"): (
        "DomainDeviceRemovalFailed", "virConnectDomainEventDeviceRemovalFailedCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_METADATA_CHANGE"): (
        "DomainMetadataChange", "virConnectDomainEventMetadataChangeCallback",
        {"type": "virDomainMetadataType", "nsuri": "str?"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD"): (
        "DomainBlockThreshold", "virConnectDomainEventBlockThresholdCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE"): (
        "DomainMemoryFailure", "virConnectDomainEventMemoryFailureCallback",
        {"recipient": "virDomainMemoryFailureRecipientType",
         "action": "virDomainMemoryFailureActionType", "flags": "virDomainMemoryFailureFlags"}),
    ("domain", "VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE"): (
        "DomainMemoryDeviceSizeChange", "virConnectDomainEventMemoryDeviceSizeChangeCallback",
        {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_NIC_MAC_CHANGE"): (
        "DomainNICMACChange", "virConnectDomainEventNICMACChangeCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_VCPU_REMOVED"): (
        "DomainVcpuRemoved", "virConnectDomainEventVcpuRemovedCallback", {}),
    ("domain", "VIR_DOMAIN_EVENT_ID_CHANNEL_LIFECYCLE"): (
        "DomainChannelLifecycle", "virConnectDomainEventChannelLifecycleCallback",
        {"state": "virConnectDomainEventChannelLifecycleState",
         "reason": "virConnectDomainEventChannelLifecycleReason"}),
    ("network", "VIR_NETWORK_EVENT_ID_LIFECYCLE"): (
        "NetworkLifecycle", "virConnectNetworkEventLifecycleCallback",
        {"event": "virNetworkEventLifecycleType"}),
    ("network", "VIR_NETWORK_EVENT_ID_METADATA_CHANGE"): (
        "NetworkMetadataChange", "virConnectNetworkEventMetadataChangeCallback",
        {"type": "virNetworkMetadataType", "nsuri": "str?"}),
    ("storage_pool", "VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE"): (
        "StoragePoolLifecycle", "virConnectStoragePoolEventLifecycleCallback",
        {"event": "virStoragePoolEventLifecycleType"}),
    ("storage_pool", "VIR_STORAGE_POOL_EVENT_ID_REFRESH"): (
        "StoragePoolRefresh", "virConnectStoragePoolEventGenericCallback", {}),
    ("node_device", "VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE"): (
        "NodeDeviceLifecycle", "virConnectNodeDeviceEventLifecycleCallback",
        {"event": "virNodeDeviceEventLifecycleType"}),
    ("node_device", "VIR_NODE_DEVICE_EVENT_ID_UPDATE"): (
        "NodeDeviceUpdate", "virConnectNodeDeviceEventGenericCallback", {}),
    ("secret", "VIR_SECRET_EVENT_ID_LIFECYCLE"): (
        "SecretLifecycle", "virConnectSecretEventLifecycleCallback",
        {"event": "virSecretEventLifecycleType"}),
    ("secret", "VIR_SECRET_EVENT_ID_VALUE_CHANGED"): (
        "SecretValueChanged", "virConnectSecretEventGenericCallback", {}),
    ("qemu", "QEMU_MONITOR"): (
        "QemuMonitorEvent", "virConnectDomainQemuMonitorEventCallback",
        {"details": "str?"}),
}


#: Lifecycle detail enums, by the event type they go with.
LIFECYCLE_DETAILS = {
    "DEFINED": "virDomainEventDefinedDetailType",
    "UNDEFINED": "virDomainEventUndefinedDetailType",
    "STARTED": "virDomainEventStartedDetailType",
    "SUSPENDED": "virDomainEventSuspendedDetailType",
    "RESUMED": "virDomainEventResumedDetailType",
    "STOPPED": "virDomainEventStoppedDetailType",
    "SHUTDOWN": "virDomainEventShutdownDetailType",
    "PMSUSPENDED": "virDomainEventPMSuspendedDetailType",
    "CRASHED": "virDomainEventCrashedDetailType",
}


#: Family -> (base class, object field, object class, registration C function).
FAMILIES = {
    "domain": ("DomainEvent", "domain", "Domain", "virConnectDomainEventRegisterAny"),
    "network": ("NetworkEvent", "network", "Network", "virConnectNetworkEventRegisterAny"),
    "storage_pool": ("StoragePoolEvent", "pool", "StoragePool",
                     "virConnectStoragePoolEventRegisterAny"),
    "node_device": ("NodeDeviceEvent", "device", "NodeDevice",
                    "virConnectNodeDeviceEventRegisterAny"),
    "secret": ("SecretEvent", "secret", "Secret", "virConnectSecretEventRegisterAny"),
    "qemu": ("DomainEvent", "domain", "Domain", "virConnectDomainQemuMonitorEventRegister"),
}
