"""Prose for the generated methods of the other classes (C function -> reST paragraph).

`virt.Network`, `virt.NetworkPort`, `virt.StoragePool`, `virt.StorageVol`,
`virt.NodeDevice`, `virt.Secret`, `virt.Interface`, `virt.NWFilter`,
`virt.NWFilterBinding`, `virt.DomainSnapshot`, `virt.DomainCheckpoint` and the
administration classes `virt.AdminConnection`, `virt.AdminServer`,
`virt.AdminClient`.  Written for this project, in our own words; the generator
adds the link to the C function and the libvirt version that added it.  Same
conventions as ``docs_domain.py``.  (The virt.qemu and virt.lxc module functions
take a domain or a connection first, so the record files them, and their prose,
under `virt.Domain` and `virt.Connection`.)
"""

from __future__ import annotations

OBJECT_DOCS: dict[str, str] = {
    # -- Network ---------------------------------------------------------------------
    "virNetworkCreate": (
        "Starts this defined, inactive virtual network: creates its bridge and starts "
        "its DHCP and DNS service. Raises `virt.OperationInvalidError` if it is "
        "already active."
    ),
    "virNetworkDestroy": (
        "Stops the virtual network and tears down its bridge; guests attached to it "
        "lose connectivity. A transient network disappears, a persistent one stays "
        "defined."
    ),
    "virNetworkUndefine": (
        "Removes the persistent definition of the network; an active network keeps "
        "running as a transient one until it is stopped."
    ),
    "virNetworkGetName": (
        "The network's name as a ``str``, unique among the networks of its connection."
    ),
    "virNetworkGetUUID": (
        "The network's UUID as a ``uuid.UUID``, which stays the same while its name "
        "or configuration changes."
    ),
    "virNetworkGetUUIDString": (
        "The network's UUID in its 36-character text form, as a ``str``."
    ),
    "virNetworkGetXMLDesc": (
        "The network's XML description as a ``str``; ``INACTIVE`` gives the "
        "definition used at its next start instead of the live one."
    ),
    "virNetworkGetBridgeName": (
        "The name of the host bridge device this network uses (e.g. ``'virbr0'``), "
        "as a ``str``."
    ),
    "virNetworkGetConnect": (
        "The `virt.Connection` this network belongs to (the same object, not a new "
        "connection)."
    ),
    "virNetworkIsActive": "``True`` if the virtual network is running, ``False`` if it is not.",
    "virNetworkIsPersistent": (
        "``True`` if the network has a persistent definition, ``False`` for a "
        "transient network that vanishes when stopped."
    ),
    "virNetworkGetAutostart": (
        "``True`` if the daemon starts this network automatically when it starts."
    ),
    "virNetworkSetAutostart": (
        "Marks the persistent network to be started by the daemon at its own start "
        "(*autostart* true) or not (false)."
    ),
    "virNetworkGetMetadata": (
        "Reads the network's description, title or (with ``ELEMENT``) the custom XML "
        "under the namespace *uri*, as a ``str``; raises "
        "`virt.NoNetworkMetadataError` if it is not set."
    ),
    "virNetworkSetMetadata": (
        "Stores the network's description, title or (``ELEMENT``) custom XML "
        "*metadata* under namespace *uri* with prefix *key*; ``None`` removes it."
    ),
    "virNetworkUpdate": (
        "Changes one part of the network's definition in place, live and/or "
        "persistently: *command* (a `virt.NetworkUpdateCommand`: add, modify, delete) "
        "applied to *section* (a `virt.NetworkUpdateSection`, e.g. a DHCP host) with "
        "the XML fragment *xml*; *parent_index* picks among several ``<ip>`` "
        "elements, -1 for the first."
    ),
    "virNetworkListAllPorts": (
        "The ports (guest interface connections) of this network as a list of "
        "`virt.NetworkPort`; an empty list if none is plugged in."
    ),
    "virNetworkPortCreateXML": (
        "Plugs a new port into the network from the port XML *xmldesc* and returns it "
        "as a `virt.NetworkPort`; used by hypervisor drivers that connect guests."
    ),
    "virNetworkPortLookupByUUID": (
        "The port of this network with UUID *uuid* (a ``uuid.UUID``, text or 16 "
        "bytes); raises `virt.NoNetworkPortError` if there is none."
    ),
    "virNetworkPortLookupByUUIDString": (
        "The port of this network whose UUID text is *uuidstr*; raises "
        "`virt.NoNetworkPortError` if there is none."
    ),
    # -- NetworkPort -----------------------------------------------------------------
    "virNetworkPortDelete": (
        "Deletes the port from its network, releasing what it reserved there; no "
        "guest may still be using it."
    ),
    "virNetworkPortGetNetwork": (
        "The `virt.Network` this port belongs to (the same object as its parent)."
    ),
    "virNetworkPortGetUUID": (
        "The port's UUID as a ``uuid.UUID``; with "
        "`virt.Network.port_lookup_by_uuid` it finds the port again."
    ),
    "virNetworkPortGetUUIDString": "The port's UUID in its 36-character text form, as a ``str``.",
    "virNetworkPortGetXMLDesc": (
        "The port's ``<networkport>`` XML (owner domain, MAC address, bandwidth, "
        "plug type) as a ``str``."
    ),
    "virNetworkPortGetParameters": (
        "The port's bandwidth settings (inbound and outbound average, peak, burst, "
        "floor; KiB/s and KiB) as a `virt.NetworkPortParameters`."
    ),
    "virNetworkPortSetParameters": (
        "Changes the port's bandwidth settings from a `virt.NetworkPortParameters` or "
        "a mapping; fields left ``None`` are kept."
    ),
    # -- StoragePool -----------------------------------------------------------------
    "virStoragePoolBuild": (
        "Prepares the storage under the inactive pool (creates its directory, formats "
        "its disk, makes its volume group); *flags* choose to overwrite, refuse to "
        "overwrite, or repair."
    ),
    "virStoragePoolCreate": (
        "Starts the defined, inactive pool (mounts or activates its storage) so its "
        "volumes can be used; *flags* can build it first."
    ),
    "virStoragePoolDestroy": (
        "Stops the pool (unmounts or deactivates its storage) without touching the "
        "data; a transient pool disappears."
    ),
    "virStoragePoolDelete": (
        "Destroys the storage underlying the inactive pool (its directory, volume "
        "group, …), losing all its data; the definition stays."
    ),
    "virStoragePoolUndefine": (
        "Removes the persistent definition of the inactive pool; its storage is left "
        "as it is."
    ),
    "virStoragePoolRefresh": (
        "Rescans the active pool so that volumes created or removed outside libvirt "
        "show up, and its sizes are up to date."
    ),
    "virStoragePoolGetInfo": (
        "The pool's state and sizes as a `virt.StoragePoolInfo`: its "
        "`virt.StoragePoolState`, capacity, allocation and available space, in bytes."
    ),
    "virStoragePoolGetName": (
        "The storage pool's name as a ``str``; no two pools of one connection share "
        "a name."
    ),
    "virStoragePoolGetUUID": (
        "The storage pool's UUID as a ``uuid.UUID``, which stays the same when it "
        "is redefined."
    ),
    "virStoragePoolGetUUIDString": "The pool's UUID in its 36-character text form, as a ``str``.",
    "virStoragePoolGetXMLDesc": (
        "The pool's XML description as a ``str``; ``INACTIVE`` gives the definition "
        "for its next start."
    ),
    "virStoragePoolGetConnect": (
        "The `virt.Connection` this pool belongs to (the same object, not a new one)."
    ),
    "virStoragePoolIsActive": "``True`` if the pool is started, ``False`` if it is inactive.",
    "virStoragePoolIsPersistent": (
        "``True`` if the pool has a persistent definition, ``False`` for a transient "
        "pool."
    ),
    "virStoragePoolGetAutostart": (
        "``True`` if the daemon starts this pool automatically when it starts."
    ),
    "virStoragePoolSetAutostart": (
        "Marks the persistent pool to be started by the daemon at its start "
        "(*autostart* true) or not (false)."
    ),
    "virStoragePoolListAllVolumes": (
        "The volumes of the active pool as a list of `virt.StorageVol`; an empty list "
        "if it has none."
    ),
    "virStoragePoolListVolumes": (
        "The names of the active pool's volumes as a list of ``str``; "
        "`virt.StoragePool.list_all_volumes` returns the objects."
    ),
    "virStoragePoolNumOfVolumes": "How many volumes the active pool holds, as an ``int``.",
    "virStorageVolCreateXML": (
        "Creates a new volume in this pool from the volume XML *xml_desc* (name, "
        "capacity, format) and returns it as a `virt.StorageVol`."
    ),
    "virStorageVolCreateXMLFrom": (
        "Creates a new volume in this pool from *xml_desc*, filled with a copy of the "
        "contents of *clonevol* (which may be in another pool)."
    ),
    "virStorageVolLookupByName": (
        "The volume of this pool called *name*, as a `virt.StorageVol`; raises "
        "`virt.NoStorageVolError` if there is none."
    ),
    # -- StorageVol ------------------------------------------------------------------
    "virStoragePoolLookupByVolume": (
        "Looks up the pool this volume is in, as a `virt.StoragePool` (a new "
        "object, which the caller can close independently of the volume)."
    ),
    "virStorageVolDelete": (
        "Deletes the volume and its storage from its pool; the data is lost "
        "(``ZEROED`` overwrites it with zeros first)."
    ),
    "virStorageVolWipe": (
        "Overwrites the whole volume with zeros, keeping the volume itself; on "
        "copy-on-write, journaling or network file systems old blocks may survive."
    ),
    "virStorageVolWipePattern": (
        "Overwrites the volume's data using the algorithm *algorithm* (a "
        "`virt.StorageVolWipeAlgorithm`: zeros, random data, a multi-pass standard, "
        "or a TRIM)."
    ),
    "virStorageVolResize": (
        "Changes the volume's capacity to *capacity* bytes (or by that amount with "
        "``DELTA``); shrinking needs ``SHRINK`` and may lose data."
    ),
    "virStorageVolGetInfo": (
        "The volume's type and sizes as a `virt.StorageVolInfo`: a "
        "`virt.StorageVolType`, capacity and allocation in bytes."
    ),
    "virStorageVolGetInfoFlags": (
        "Like `virt.StorageVol.get_info`, but with ``GET_PHYSICAL`` the allocation field "
        "holds the physical size of the file or device."
    ),
    "virStorageVolGetName": "The volume's name as a ``str``, unique within its pool.",
    "virStorageVolGetKey": (
        "The volume's key: a ``str`` that identifies it uniquely, the same from every "
        "host that sees the volume (often its path)."
    ),
    "virStorageVolGetPath": (
        "Where the volume lives on the daemon's host (a file or device path, or a "
        "network URL), as a ``str``."
    ),
    "virStorageVolGetXMLDesc": (
        "The volume's XML description (format, sizes, target path, permissions), as "
        "a ``str``."
    ),
    "virStorageVolGetConnect": (
        "The `virt.Connection` this volume belongs to (the same object, not a new one)."
    ),
    # -- NodeDevice ------------------------------------------------------------------
    "virNodeDeviceGetName": (
        "The device's name as a ``str`` (e.g. ``'pci_0000_00_02_0'``), unique on the host."
    ),
    "virNodeDeviceGetParent": (
        "The name of the device's parent device as a ``str``; the root device "
        "``computer`` has none, and asking raises a `virt.Error`."
    ),
    "virNodeDeviceGetXMLDesc": (
        "The device's XML description (capabilities, driver, addresses), as a ``str``."
    ),
    "virNodeDeviceListCaps": (
        "The device's capability names (``'pci'``, ``'net'``, ``'scsi_host'``, …) as "
        "a list of ``str``."
    ),
    "virNodeDeviceNumOfCaps": "How many capabilities the device has, as an ``int``.",
    "virNodeDeviceIsActive": (
        "``True`` if the device is present and active, ``False`` for a defined but "
        "inactive (e.g. mediated) device."
    ),
    "virNodeDeviceIsPersistent": (
        "``True`` if the device has a persistent definition that libvirt manages."
    ),
    "virNodeDeviceGetAutostart": (
        "``True`` if the persistent device is started automatically when its parent "
        "device appears."
    ),
    "virNodeDeviceSetAutostart": (
        "Marks the persistent device to be started automatically (*autostart* true) "
        "or not."
    ),
    "virNodeDeviceCreate": (
        "Starts the defined, inactive device (e.g. creates a mediated device)."
    ),
    "virNodeDeviceDestroy": (
        "Removes the device from the host: deletes an NPIV virtual HBA or stops a "
        "mediated device; a persistent device stays defined."
    ),
    "virNodeDeviceUndefine": (
        "Removes the persistent definition of the device; an active device keeps "
        "existing until destroyed."
    ),
    "virNodeDeviceUpdate": (
        "Changes the definition of the persistent device from *xml_desc*, live and/or "
        "for its next start as *flags* say."
    ),
    "virNodeDeviceDettach": (
        "Unbinds the PCI device from its host driver so that it can be assigned to a "
        "guest (the historic misspelling of `virt.NodeDevice.detach_flags`)."
    ),
    "virNodeDeviceDetachFlags": (
        "Unbinds the PCI device from its host driver and prepares it for the "
        "assignment backend *driver_name* (``'vfio'``; ``None`` for the default), so "
        "that a guest can be given it; fails while the host uses the device."
    ),
    "virNodeDeviceReAttach": (
        "Gives the PCI device back to its host driver after a guest used it; the "
        "opposite of `virt.NodeDevice.detach_flags`."
    ),
    "virNodeDeviceReset": (
        "Resets the PCI device (function-level or bus reset) so a guest gets it in a "
        "clean state; it must be detached from the host driver."
    ),
    # -- Secret ----------------------------------------------------------------------
    "virSecretGetUUID": (
        "The secret's UUID as a ``uuid.UUID``, by which disks and volumes that need "
        "the secret refer to it."
    ),
    "virSecretGetUUIDString": "The secret's UUID in its 36-character text form, as a ``str``.",
    "virSecretGetUsageType": (
        "What the secret is for, as a `virt.SecretUsageType` (volume encryption, "
        "Ceph, iSCSI, TLS, vTPM or none)."
    ),
    "virSecretGetUsageID": (
        "The object the secret belongs to, as a ``str``: a volume path, a Ceph or "
        "iSCSI user, a TLS or vTPM name, depending on the usage type."
    ),
    "virSecretGetXMLDesc": (
        "The secret's attributes as XML (usage, description, privacy), never its "
        "value."
    ),
    "virSecretUndefine": (
        "Deletes the secret and its value; anything that needs it (encrypted volumes, "
        "network disks) can no longer use it."
    ),
    "virSecretGetConnect": (
        "The `virt.Connection` this secret belongs to (the same object, not a new one)."
    ),
    # -- Interface -------------------------------------------------------------------
    "virInterfaceCreate": (
        "Brings the defined host interface up, as its configuration describes."
    ),
    "virInterfaceDestroy": (
        "Takes the host interface down; its definition stays. Doing this to the "
        "interface your connection runs over cuts you off."
    ),
    "virInterfaceUndefine": (
        "Removes the host interface's configuration; it is not brought down."
    ),
    "virInterfaceGetName": "The host interface's name (e.g. ``'eth0'``), as a ``str``.",
    "virInterfaceGetMACString": (
        "The interface's MAC address in text form (``'aa:bb:cc:dd:ee:ff'``), as a ``str``."
    ),
    "virInterfaceGetXMLDesc": (
        "The interface's XML description as a ``str``; ``INACTIVE`` (a "
        "`virt.InterfaceXMLFlags`) gives its "
        "configuration rather than its current state."
    ),
    "virInterfaceIsActive": "``True`` if the host interface is up, ``False`` if it is down.",
    "virInterfaceGetConnect": (
        "The `virt.Connection` this interface belongs to (the same object, not a new one)."
    ),
    # -- NWFilter and NWFilterBinding ------------------------------------------------
    "virNWFilterGetName": "The network filter's name as a ``str``, unique on its connection.",
    "virNWFilterGetUUID": (
        "The network filter's UUID as a ``uuid.UUID``, which identifies it even "
        "after a redefinition."
    ),
    "virNWFilterGetUUIDString": (
        "The network filter's UUID in its 36-character text form, as a ``str``."
    ),
    "virNWFilterGetXMLDesc": (
        "The network filter's rules and the filters it includes, as ``<filter>`` "
        "XML in a ``str``."
    ),
    "virNWFilterUndefine": (
        "Deletes the network filter; refused while a running guest's interface still "
        "uses it."
    ),
    "virNWFilterBindingDelete": (
        "Removes the filter binding, so the port's traffic is no longer filtered by it."
    ),
    "virNWFilterBindingGetFilterName": (
        "Which network filter the binding applies to its port: the filter's name, "
        "a ``str`` usable with `virt.Connection.nwfilter_lookup_by_name`."
    ),
    "virNWFilterBindingGetPortDev": (
        "The host-side port device (e.g. ``'vnet0'``) this binding filters, as a ``str``."
    ),
    "virNWFilterBindingGetXMLDesc": (
        "The binding's XML description (port, owner domain, filter and its "
        "parameters), as a ``str``."
    ),
    # -- DomainSnapshot --------------------------------------------------------------
    "virDomainRevertToSnapshot": (
        "Returns the domain to the state this snapshot recorded (disks, and memory if "
        "saved); *flags* choose to end up running or paused, or force a risky revert. "
        "Changes made since the snapshot are lost."
    ),
    "virDomainSnapshotDelete": (
        "Deletes this snapshot; *flags* also delete its descendants, only them, or only "
        "libvirt's metadata while the disk data stays."
    ),
    "virDomainSnapshotGetName": (
        "The snapshot's name as a ``str``, by default the Unix time it was taken at; "
        "two snapshots of one domain never share a name."
    ),
    "virDomainSnapshotGetXMLDesc": (
        "The snapshot's ``<domainsnapshot>`` XML as a ``str``, including the domain "
        "definition it was taken with."
    ),
    "virDomainSnapshotGetParent": (
        "The snapshot this one was taken on top of, as a `virt.DomainSnapshot`; "
        "raises `virt.NoDomainSnapshotError` for a root snapshot."
    ),
    "virDomainSnapshotGetDomain": (
        "The `virt.Domain` this snapshot belongs to (the same object, not a new one)."
    ),
    "virDomainSnapshotGetConnect": (
        "The `virt.Connection` of this snapshot's domain (the same object, not a new one)."
    ),
    "virDomainSnapshotIsCurrent": (
        "``True`` if this is the domain's current snapshot, the one a new snapshot "
        "would descend from."
    ),
    "virDomainSnapshotHasMetadata": (
        "``True`` if libvirt keeps metadata for this snapshot, which then blocks "
        "undefining the domain without the matching flag."
    ),
    "virDomainSnapshotListAllChildren": (
        "The snapshots taken directly on top of this one (or all descendants, with "
        "``DESCENDANTS``) as a list of `virt.DomainSnapshot`."
    ),
    "virDomainSnapshotListChildrenNames": (
        "The names of this snapshot's children (descendants with ``DESCENDANTS``) as "
        "a list of ``str``; `virt.DomainSnapshot.list_all_children` returns objects."
    ),
    "virDomainSnapshotNumChildren": (
        "How many snapshots are taken directly on top of this one (all descendants "
        "with ``DESCENDANTS``), as an ``int``."
    ),
    # -- DomainCheckpoint ------------------------------------------------------------
    "virDomainCheckpointDelete": (
        "Deletes this checkpoint (and with *flags* its descendants, or only libvirt's "
        "metadata); later incremental backups cannot start from it."
    ),
    "virDomainCheckpointGetName": (
        "The checkpoint's name as a ``str``; two checkpoints of one domain never "
        "share a name."
    ),
    "virDomainCheckpointGetXMLDesc": (
        "The checkpoint's ``<domaincheckpoint>`` XML as a ``str``; *flags* can add "
        "the size of the data changed since it."
    ),
    "virDomainCheckpointGetParent": (
        "The checkpoint this one follows, as a `virt.DomainCheckpoint`; raises "
        "`virt.NoDomainCheckpointError` for the first one."
    ),
    "virDomainCheckpointGetDomain": (
        "The `virt.Domain` this checkpoint belongs to (the same object, not a new one)."
    ),
    "virDomainCheckpointGetConnect": (
        "The `virt.Connection` of this checkpoint's domain (the same object, not a "
        "new one)."
    ),
    "virDomainCheckpointListAllChildren": (
        "The checkpoints that follow this one directly (or all descendants, with "
        "``DESCENDANTS``) as a list of `virt.DomainCheckpoint`."
    ),
    # -- AdminConnection -------------------------------------------------------------
    "virAdmConnectGetURI": (
        "The URI of the daemon this admin connection talks to, e.g. "
        "``'libvirtd:///system'``, as a ``str``."
    ),
    "virAdmConnectGetLibVersion": (
        "The version of libvirt the administered daemon runs, as major * 1,000,000 + "
        "minor * 1,000 + micro."
    ),
    "virAdmConnectIsAlive": (
        "``True`` while the admin connection to the daemon works, ``False`` once it "
        "is lost."
    ),
    "virAdmConnectListServers": (
        "The RPC servers of the daemon (e.g. ``'libvirtd'`` and ``'admin'``) as a "
        "list of `virt.AdminServer`."
    ),
    "virAdmConnectLookupServer": (
        "The daemon's RPC server called *name*, as a `virt.AdminServer`; raises "
        "`virt.NoServerError` if it has none by that name."
    ),
    "virAdmConnectGetLoggingFilters": (
        "The daemon's current log filters as one ``str`` (space-separated "
        "``level:match`` entries); empty when none are set."
    ),
    "virAdmConnectSetLoggingFilters": (
        "Replaces the daemon's log filters with *filters*, a space-separated list of "
        "``level:match`` entries; ``None`` or ``''`` clears them."
    ),
    "virAdmConnectGetLoggingOutputs": (
        "Where the daemon writes its log, as one ``str`` of space-separated "
        "``level:destination`` entries (journald, file, syslog, stderr)."
    ),
    "virAdmConnectSetLoggingOutputs": (
        "Replaces the daemon's log destinations with *outputs* (``level:destination`` "
        "entries); ``None`` or ``''`` restores the default destination."
    ),
    "virAdmConnectSetDaemonTimeout": (
        "Makes the daemon exit after *timeout* seconds without clients or running "
        "objects; 0 keeps it running."
    ),
    "virAdmConnectDaemonShutdown": (
        "Asks the daemon to shut down (with ``PRESERVE`` of "
        "`virt.AdmConnectDaemonShutdownFlags`, preserving the state of running guests "
        "first); the admin connection is lost afterwards."
    ),
    # -- AdminServer -----------------------------------------------------------------
    "virAdmServerGetName": (
        "The name of this RPC server of the daemon (e.g. ``'libvirtd'``), as a ``str``."
    ),
    "virAdmServerGetThreadPoolParameters": (
        "The server's worker pool limits and counters (minimum, maximum, priority, "
        "free and current workers, queued jobs) as a `virt.ThreadPoolParameters`."
    ),
    "virAdmServerSetThreadPoolParameters": (
        "Changes the server's worker pool limits from a `virt.ThreadPoolParameters` or "
        "a mapping; the counters are read-only."
    ),
    "virAdmServerGetClientLimits": (
        "The server's limits on clients (maximum connected, maximum waiting to "
        "authenticate) and how many there are now, as a `virt.ClientLimits`."
    ),
    "virAdmServerSetClientLimits": (
        "Changes the server's client limits from a `virt.ClientLimits` or a mapping."
    ),
    "virAdmServerListClients": (
        "The clients connected to this server right now, as a list of "
        "`virt.AdminClient`."
    ),
    "virAdmServerLookupClient": (
        "The client of this server with the numeric ID *id*, as a `virt.AdminClient`; "
        "raises `virt.NoClientError` if it is not connected."
    ),
    "virAdmServerUpdateTlsFiles": (
        "Makes the server read its TLS certificates, key and revocation list from "
        "disk again, e.g. after renewing them."
    ),
    # -- AdminClient -----------------------------------------------------------------
    "virAdmClientGetID": (
        "The client's numeric ID, unique within its server while the daemon runs."
    ),
    "virAdmClientGetTimestamp": (
        "When the client connected, in seconds since the Unix epoch; 0 if the daemon "
        "does not know (a client older than its admin interface)."
    ),
    "virAdmClientGetTransport": (
        "How the client is connected, as a `virt.ClientTransport` (UNIX socket, TCP "
        "or TLS)."
    ),
    "virAdmClientGetInfo": (
        "The client's identity and connection details (read-only or not, socket "
        "address, user and process IDs, SASL and X.509 names, SELinux context) as a "
        "`virt.ClientInfo`."
    ),
    "virAdmClientClose": (
        "Disconnects this client from the daemon; its connection fails on its next "
        "call."
    ),
}
