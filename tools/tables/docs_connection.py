"""Prose for the generated methods of `virt.Connection` (C function -> reST paragraph).

Written for this project, in our own words; the generator adds the link to the C
function and the libvirt version that added it.  Same conventions as
``docs_domain.py``.  One entry is the module function `virt.qemu.attach`, whose
first argument is the connection.
"""

from __future__ import annotations

CONNECTION_DOCS: dict[str, str] = {
    # -- the connection and its host -------------------------------------------------
    "virConnectGetType": (
        "The name of the driver behind this connection as a ``str``, such as "
        "``'QEMU'``, ``'LXC'`` or ``'Test'``."
    ),
    "virConnectGetURI": (
        "The canonical URI of this connection (``str``), e.g. ``'qemu:///system'`` "
        "even when it was opened with an alias or the default URI."
    ),
    "virConnectGetHostname": (
        "The host name of the machine the connection's daemon runs on, as a ``str``."
    ),
    "virConnectGetVersion": (
        "The version of the hypervisor behind the connection as one ``int``, "
        "major * 1,000,000 + minor * 1,000 + micro (QEMU 7.2.0 is ``7002000``); 0 when "
        "the driver cannot tell."
    ),
    "virConnectGetLibVersion": (
        "The version of libvirt serving the connection (the daemon's, for a remote "
        "connection) as major * 1,000,000 + minor * 1,000 + micro."
    ),
    "virConnectGetCapabilities": (
        "The host's capabilities XML as a ``str``: CPU, NUMA topology, security models "
        "and the guest architectures and machine types the driver offers."
    ),
    "virConnectGetDomainCapabilities": (
        "XML describing what a domain may use for the given emulator binary, "
        "architecture, machine type and virtualization type (each ``None`` for the "
        "driver's default): devices, CPU models, firmware, features."
    ),
    "virConnectGetStoragePoolCapabilities": (
        "XML listing the storage pool types the connection supports and the source "
        "formats of each, as a ``str``."
    ),
    "virConnectGetSysinfo": (
        "The host's system information (SMBIOS: BIOS, board, processor, memory) as "
        "``<sysinfo>`` XML in a ``str``."
    ),
    "virConnectGetMaxVcpus": (
        "The largest number of virtual CPUs one guest of virtualization type *type* "
        "(e.g. ``'kvm'``) can have, ignoring the emulator's own limits; the "
        "``<vcpu max=…>`` of `virt.Connection.get_domain_capabilities` is more exact."
    ),
    "virConnectGetCPUModelNames": (
        "The names of the CPU models the connection knows for architecture *arch* "
        "(e.g. ``'x86_64'``), as a list of ``str``."
    ),
    "virConnectIsAlive": (
        "``True`` while the connection works; ``False`` once a remote connection has "
        "lost its daemon (keepalive or socket failure)."
    ),
    "virConnectIsEncrypted": (
        "``True`` if the traffic of this connection is encrypted (TLS, SSH, SASL "
        "encryption); a local connection is not."
    ),
    "virConnectIsSecure": (
        "``True`` if the connection cannot be eavesdropped: it is encrypted, or local "
        "(a UNIX socket or in-process driver)."
    ),
    "virConnectSetKeepAlive": (
        "Probes the daemon after *interval* seconds of silence and declares the "
        "connection dead after *count* unanswered probes; *interval* <= 0 turns this "
        "off. Needs a running event loop (see `virt.events`)."
    ),
    "virConnectSetIdentity": (
        "Tells the daemon on whose behalf this connection acts (user, group, process, "
        "SELinux context), from a `virt.Identity` or a mapping; allowed only for a "
        "privileged client such as a proxy daemon."
    ),
    # -- CPU models ------------------------------------------------------------------
    "virConnectCompareCPU": (
        "Compares the CPU described by the XML *xml_desc* with the host CPU and "
        "returns a `virt.CPUCompareResult` (incompatible, identical or superset); "
        "``FAIL_INCOMPATIBLE`` raises `virt.CPUIncompatibleError` instead."
    ),
    "virConnectCompareHypervisorCPU": (
        "Compares the CPU XML *xml_cpu* with the CPU the hypervisor can offer guests "
        "of the given emulator, architecture, machine and type (``None`` for "
        "defaults), returning a `virt.CPUCompareResult`."
    ),
    "virConnectBaselineCPU": (
        "Computes a CPU model that every CPU described in *xml_cpus* (one XML string "
        "each) can run, and returns it as ``<cpu>`` XML; use it to pick a guest CPU "
        "that can migrate between those hosts."
    ),
    "virConnectBaselineHypervisorCPU": (
        "Like `virt.Connection.baseline_cpu`, but the result is also usable by the "
        "hypervisor for the given emulator, architecture, machine and type (``None`` "
        "for defaults)."
    ),
    # -- conversion ------------------------------------------------------------------
    "virConnectDomainXMLFromNative": (
        "Converts a hypervisor-native guest configuration *native_config* in format "
        "*native_format* (e.g. ``'qemu-argv'``) into libvirt domain XML."
    ),
    "virConnectDomainXMLToNative": (
        "Converts the domain XML *domain_xml* into the hypervisor's native "
        "configuration in format *native_format*, e.g. a QEMU command line for "
        "``'qemu-argv'``."
    ),
    # -- listing ---------------------------------------------------------------------
    "virConnectListAllDomains": (
        "The domains of this connection as a list of `virt.Domain`, all of them by "
        "default or those *flags* select (active, inactive, persistent, running, "
        "with snapshots, …); an empty list if there are none."
    ),
    "virConnectListAllNetworks": (
        "The virtual networks of this connection as a list of `virt.Network`, "
        "filtered by *flags* (active, persistent, autostart)."
    ),
    "virConnectListAllStoragePools": (
        "The storage pools of this connection as a list of `virt.StoragePool`, "
        "filtered by *flags* (active, persistent, autostart, pool type)."
    ),
    "virConnectListAllNodeDevices": (
        "The host devices the connection knows as a list of `virt.NodeDevice`, "
        "filtered by capability and state with *flags*."
    ),
    "virConnectListAllSecrets": (
        "The secrets of this connection as a list of `virt.Secret`, filtered by "
        "*flags* (ephemeral or not, private or not)."
    ),
    "virConnectListAllInterfaces": (
        "The host network interfaces as a list of `virt.Interface`, filtered by "
        "*flags* (active or inactive)."
    ),
    "virConnectListAllNWFilters": (
        "Every network filter defined on the connection, as a list of `virt.NWFilter`."
    ),
    "virConnectListAllNWFilterBindings": (
        "Every binding of a network filter to a guest port, as a list of "
        "`virt.NWFilterBinding`."
    ),
    "virConnectListDomains": (
        "The IDs (``int``) of the running domains; names and inactive domains are "
        "easier to get from `virt.Connection.list_all_domains`."
    ),
    "virConnectListDefinedDomains": (
        "The names of the inactive persistent domains, as a list of ``str``; "
        "`virt.Connection.list_all_domains` returns objects and cannot miss one "
        "that changes state meanwhile."
    ),
    "virConnectListNetworks": (
        "The names of the active virtual networks, as a list of ``str`` (see "
        "`virt.Connection.list_all_networks` for objects)."
    ),
    "virConnectListDefinedNetworks": (
        "The names of the inactive persistent virtual networks, as a list of ``str``."
    ),
    "virConnectListStoragePools": (
        "The names of the active storage pools, as a list of ``str`` (see "
        "`virt.Connection.list_all_storage_pools` for objects)."
    ),
    "virConnectListDefinedStoragePools": (
        "The names of the storage pools that are defined but not started, as a "
        "list of ``str``."
    ),
    "virConnectListInterfaces": (
        "The names of the host network interfaces that are up, as a list of ``str``."
    ),
    "virConnectListDefinedInterfaces": (
        "The names of the host interfaces that are defined but not active, as a list "
        "of ``str``."
    ),
    "virConnectListNWFilters": (
        "The names of every network filter the connection knows, as a list of "
        "``str``; `virt.Connection.list_all_nwfilters` returns objects."
    ),
    "virConnectListSecrets": (
        "The UUIDs of all secrets in text form, as a list of ``str``; "
        "`virt.Connection.list_all_secrets` returns the objects."
    ),
    "virConnectNumOfDomains": "How many domains are running right now (an ``int``).",
    "virConnectNumOfDefinedDomains": (
        "How many persistent domains are defined but not running (an ``int``)."
    ),
    "virConnectNumOfNetworks": "How many virtual networks are active (an ``int``).",
    "virConnectNumOfDefinedNetworks": (
        "How many persistent virtual networks are defined but inactive (an ``int``)."
    ),
    "virConnectNumOfStoragePools": "How many storage pools are active (an ``int``).",
    "virConnectNumOfDefinedStoragePools": (
        "How many persistent storage pools are defined but inactive (an ``int``)."
    ),
    "virConnectNumOfInterfaces": "How many host network interfaces are active (an ``int``).",
    "virConnectNumOfDefinedInterfaces": (
        "How many host network interfaces are defined but inactive (an ``int``)."
    ),
    "virConnectNumOfNWFilters": "How many network filters are defined (an ``int``).",
    "virConnectNumOfSecrets": "How many secrets the connection holds (an ``int``).",
    "virConnectFindStoragePoolSources": (
        "Probes the host for storage that could back a pool of type *type* (e.g. "
        "``'logical'`` volume groups, ``'netfs'`` exports), *src_spec* optionally "
        "giving a ``<source>`` XML to search from; returns ``<sources>`` XML."
    ),
    # -- domains ---------------------------------------------------------------------
    "virDomainCreateXML": (
        "Creates and starts a transient domain from the domain XML *xml_desc* and "
        "returns it as a running `virt.Domain`; it vanishes when it stops. *flags* can "
        "start it paused or tie it to this connection."
    ),
    "virDomainCreateLinux": (
        "The old name of `virt.Connection.domain_create_xml`: starts a transient "
        "domain from *xml_desc* and returns it as a `virt.Domain`."
    ),
    "virDomainDefineXML": (
        "Makes the domain described by *xml* persistent without starting it, or "
        "replaces the definition of an existing domain of that name and UUID "
        "(applied at its next start); returns the `virt.Domain`."
    ),
    "virDomainDefineXMLFlags": (
        "Defines or redefines a persistent domain from *xml* like "
        "`virt.Connection.domain_define_xml`; ``VALIDATE`` checks the XML against "
        "the schema first."
    ),
    "virDomainLookupByName": (
        "The domain called *name*, as a `virt.Domain`; raises `virt.NoDomainError` "
        "(a ``LookupError``) if there is none."
    ),
    "virDomainLookupByID": (
        "The running domain with the numeric ID *id*, as a `virt.Domain`; raises "
        "`virt.NoDomainError` if no running domain has it."
    ),
    "virDomainLookupByUUID": (
        "The domain with UUID *uuid* (a ``uuid.UUID``, its text form or 16 bytes), as a "
        "`virt.Domain`; raises `virt.NoDomainError` if there is none."
    ),
    "virDomainLookupByUUIDString": (
        "The domain whose UUID in text form is *uuidstr*, as a `virt.Domain`; raises "
        "`virt.NoDomainError` if there is none."
    ),
    "virDomainRestore": (
        "Brings back a domain from the file *from_* that `virt.Domain.save` wrote "
        "(a path on the daemon's host); the domain runs again afterwards."
    ),
    "virDomainRestoreFlags": (
        "Restores a domain from the save file *from_*, with *dxml* optionally "
        "replacing its stored XML (ABI-compatible changes only) and *flags* choosing "
        "to resume it running or paused."
    ),
    "virDomainRestoreParams": (
        "Restores a saved domain with the file, replacement XML and other options as "
        "typed parameters (a `virt.SaveParameters` or a mapping)."
    ),
    "virDomainSaveImageGetXMLDesc": (
        "The domain XML stored in the save file *file*, as a ``str``, without "
        "restoring it."
    ),
    "virDomainSaveImageDefineXML": (
        "Replaces the domain XML stored in the save file *file* with *dxml*; only "
        "changes that keep the guest ABI are accepted."
    ),
    "virDomainQemuAttach": (
        "Adopts the QEMU process *pid_value* started outside libvirt as a domain of "
        "*conn*. The QEMU driver dropped this in libvirt 5.5, so current daemons "
        "refuse it."
    ),
    # -- networks --------------------------------------------------------------------
    "virNetworkCreateXML": (
        "Creates and starts a transient virtual network from the network XML "
        "*xml_desc* and returns it as a `virt.Network`."
    ),
    "virNetworkCreateXMLFlags": (
        "Creates and starts a transient virtual network from *xml_desc*; "
        "``VALIDATE`` checks the XML against the schema first."
    ),
    "virNetworkDefineXML": (
        "Defines a persistent virtual network from *xml* without starting it (or "
        "updates the definition of an existing one) and returns the `virt.Network`."
    ),
    "virNetworkDefineXMLFlags": (
        "Defines or updates a persistent virtual network from *xml*; ``VALIDATE`` "
        "checks the XML against the schema first."
    ),
    "virNetworkLookupByName": (
        "The virtual network called *name*, as a `virt.Network`; raises "
        "`virt.NoNetworkError` if there is none."
    ),
    "virNetworkLookupByUUID": (
        "The virtual network with UUID *uuid* (a ``uuid.UUID``, its text form or 16 "
        "bytes); raises `virt.NoNetworkError` if there is none."
    ),
    "virNetworkLookupByUUIDString": (
        "The virtual network whose UUID text is *uuidstr*, as a `virt.Network`; raises "
        "`virt.NoNetworkError` if there is none."
    ),
    # -- storage ---------------------------------------------------------------------
    "virStoragePoolCreateXML": (
        "Creates and starts a transient storage pool from the pool XML *xml_desc*; "
        "*flags* can build its underlying storage first. Returns the `virt.StoragePool`."
    ),
    "virStoragePoolDefineXML": (
        "Defines a persistent storage pool from *xml* without starting it and returns "
        "the `virt.StoragePool`; `virt.StoragePool.build` and "
        "`virt.StoragePool.create` come next."
    ),
    "virStoragePoolLookupByName": (
        "The storage pool called *name*, as a `virt.StoragePool`; raises "
        "`virt.NoStoragePoolError` if there is none."
    ),
    "virStoragePoolLookupByUUID": (
        "The storage pool with UUID *uuid* (a ``uuid.UUID``, text or 16 bytes); raises "
        "`virt.NoStoragePoolError` if there is none."
    ),
    "virStoragePoolLookupByUUIDString": (
        "The storage pool whose UUID text is *uuidstr*; raises "
        "`virt.NoStoragePoolError` if there is none."
    ),
    "virStoragePoolLookupByTargetPath": (
        "The storage pool whose target directory or device is *path* (a path on the "
        "daemon's host), as a `virt.StoragePool`."
    ),
    "virStorageVolLookupByKey": (
        "The storage volume whose unique key (usually its path) is *key*, whatever "
        "pool it is in; raises `virt.NoStorageVolError` if none matches."
    ),
    "virStorageVolLookupByPath": (
        "The storage volume at *path* on the daemon's host, as a `virt.StorageVol`; "
        "raises `virt.NoStorageVolError` if no pool holds such a volume."
    ),
    # -- host devices and the node ---------------------------------------------------
    "virNodeDeviceLookupByName": (
        "The host device called *name* (e.g. ``'pci_0000_00_02_0'``), as a "
        "`virt.NodeDevice`; raises `virt.NoNodeDeviceError` if there is none."
    ),
    "virNodeDeviceLookupSCSIHostByWWN": (
        "The SCSI host (a Fibre Channel HBA) with port name *wwpn* and node name "
        "*wwnn* (``None`` to match any), as a `virt.NodeDevice`."
    ),
    "virNodeDeviceCreateXML": (
        "Creates a transient host device, such as an NPIV virtual HBA or a mediated "
        "device, from the node device XML *xml_desc* and returns it."
    ),
    "virNodeDeviceDefineXML": (
        "Defines a persistent host device (e.g. a mediated device) from *xml_desc* "
        "without starting it, and returns it as a `virt.NodeDevice`."
    ),
    "virNodeListDevices": (
        "The names of the host devices that have capability *cap* (``None`` for all), "
        "as a list of ``str``; `virt.Connection.list_all_node_devices` returns objects."
    ),
    "virNodeNumOfDevices": (
        "How many host devices have capability *cap* (e.g. ``'pci'``; ``None`` "
        "counts all)."
    ),
    "virNodeGetInfo": (
        "Facts about the host as a `virt.NodeInfo`: CPU model, memory in KiB, number "
        "of CPUs, their frequency in MHz, and the NUMA nodes, sockets, cores and "
        "threads."
    ),
    "virNodeGetFreeMemory": (
        "How much memory of the host is unused right now, in bytes (an ``int``), "
        "over all NUMA cells."
    ),
    "virNodeGetSecurityModel": (
        "The security driver the host confines guests with (e.g. SELinux or AppArmor) "
        "and its domain of interpretation, as a `virt.SecurityModel`; empty strings "
        "when there is none."
    ),
    "virNodeGetMemoryParameters": (
        "The host's memory tuning (kernel same-page merging settings and counters) "
        "as a `virt.NodeMemoryParameters`."
    ),
    "virNodeSetMemoryParameters": (
        "Changes the host's memory tuning (kernel same-page merging) from a "
        "`virt.NodeMemoryParameters` or a mapping."
    ),
    "virNodeGetSEVInfo": (
        "The host's AMD SEV platform data (certificate chain, C-bit position, …) as a "
        "`virt.SEVInfo`; fails on a host without SEV support."
    ),
    "virNodeSuspendForDuration": (
        "Suspends the whole host (not a guest) to RAM, disk or both (*target*, a "
        "`virt.NodeSuspendTarget` value) and wakes it after *duration* seconds."
    ),
    # -- secrets ---------------------------------------------------------------------
    "virSecretDefineXML": (
        "Defines a secret, or changes an existing one's attributes, from the secret "
        "XML *xml* and returns it as a `virt.Secret`; its value is set separately."
    ),
    "virSecretLookupByUUID": (
        "The secret with UUID *uuid* (a ``uuid.UUID``, text or 16 bytes); raises "
        "`virt.NoSecretError` if there is none."
    ),
    "virSecretLookupByUUIDString": (
        "The secret whose UUID text is *uuidstr*, as a `virt.Secret`; raises "
        "`virt.NoSecretError` if there is none."
    ),
    "virSecretLookupByUsage": (
        "The secret used for *usage_id* (a volume path, Ceph or iSCSI user, TLS or "
        "vTPM name) of kind *usage_type* (a `virt.SecretUsageType` value)."
    ),
    # -- host interfaces -------------------------------------------------------------
    "virInterfaceLookupByName": (
        "The host network interface called *name* (e.g. ``'eth0'``), as a "
        "`virt.Interface`; raises `virt.NoInterfaceError` if there is none."
    ),
    "virInterfaceLookupByMACString": (
        "The host interface with MAC address *macstr* (``'aa:bb:cc:dd:ee:ff'``); "
        "raises `virt.NoInterfaceError` if none, `virt.MultipleInterfacesError` if "
        "several have it."
    ),
    "virInterfaceDefineXML": (
        "Defines a host interface configuration from *xml* without bringing it up and "
        "returns it as a `virt.Interface`."
    ),
    "virInterfaceChangeBegin": (
        "Snapshots the host's network configuration so that later interface changes "
        "can be undone together with `virt.Connection.interface_change_rollback`."
    ),
    "virInterfaceChangeCommit": (
        "Keeps the interface changes made since `virt.Connection.interface_change_begin` "
        "and discards the saved configuration."
    ),
    "virInterfaceChangeRollback": (
        "Restores the host network configuration saved by "
        "`virt.Connection.interface_change_begin`, undoing the changes since."
    ),
    # -- network filters -------------------------------------------------------------
    "virNWFilterDefineXML": (
        "Defines a network filter (firewall rules for guest interfaces) from "
        "*xml_desc*, or replaces the one of that name, and returns the `virt.NWFilter`."
    ),
    "virNWFilterDefineXMLFlags": (
        "Defines or replaces a network filter from *xml_desc*; ``VALIDATE`` checks the "
        "XML against the schema first."
    ),
    "virNWFilterLookupByName": (
        "The network filter called *name*, as a `virt.NWFilter`; raises "
        "`virt.NoNWFilterError` if there is none."
    ),
    "virNWFilterLookupByUUID": (
        "The network filter with UUID *uuid* (a ``uuid.UUID``, text or 16 bytes); raises "
        "`virt.NoNWFilterError` if there is none."
    ),
    "virNWFilterLookupByUUIDString": (
        "The network filter whose UUID text is *uuidstr*; raises "
        "`virt.NoNWFilterError` if there is none."
    ),
    "virNWFilterBindingCreateXML": (
        "Applies a network filter to a guest port as described by the binding XML "
        "*xml* and returns the `virt.NWFilterBinding`."
    ),
    "virNWFilterBindingLookupByPortDev": (
        "The filter binding of the host-side port device *portdev* (e.g. "
        "``'vnet0'``); raises `virt.NoNWFilterBindingError` if none exists."
    ),
}
