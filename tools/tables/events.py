"""Hand-written event wrappers: C function -> dotted Python name (see shapes.HAND_WRITTEN)."""

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
