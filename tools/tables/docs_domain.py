"""Prose for the generated methods of `virt.Domain` (C function -> reST paragraph).

Written for this project, in our own words, from what each function does; the
generator adds the link to the C function and the libvirt version that added it.
Single backticks only for fully qualified Python names that exist (checked by
tests/test_docs_prose.py), double backticks for literals, ``*name*`` for a parameter.
Three entries are the module functions `virt.qemu.agent_command`,
`virt.qemu.monitor_command` and `virt.lxc.enter_cgroup`, whose first argument is
the domain.
"""

from __future__ import annotations

DOMAIN_DOCS: dict[str, str] = {
    # -- lifecycle -------------------------------------------------------------------
    "virDomainCreate": (
        "Starts this defined, inactive domain; once it returns the domain is running "
        "and has an ID. Raises `virt.OperationInvalidError` if it is already active."
    ),
    "virDomainCreateWithFlags": (
        "Starts this defined, inactive domain like `virt.Domain.create`, with *flags* "
        "to start it paused, boot afresh instead of from a managed save image, or have "
        "it destroyed when this connection closes (``START_AUTODESTROY``)."
    ),
    "virDomainDestroy": (
        "Stops the domain without involving the guest OS, like pulling its power "
        "cord (the process gets a short grace period, then is killed); a transient "
        "domain disappears, a persistent one stays defined and becomes inactive. "
        "Nothing is flushed inside the guest: use `virt.Domain.shutdown` for a clean stop."
    ),
    "virDomainDestroyFlags": (
        "Stops the domain at once like `virt.Domain.destroy`; ``GRACEFUL`` asks the "
        "hypervisor to give the process a chance to exit (e.g. SIGTERM before SIGKILL) "
        "and fails rather than force it."
    ),
    "virDomainShutdown": (
        "Asks the guest operating system to power off and returns without waiting; "
        "the guest may ignore the request. Watch the lifecycle events or poll "
        "`virt.Domain.get_state` to learn when it has stopped."
    ),
    "virDomainShutdownFlags": (
        "Asks the guest to power off, choosing how with *flags* (ACPI power button, "
        "guest agent, initctl, a signal, or a paravirtual request); returns before the "
        "guest has stopped."
    ),
    "virDomainReboot": (
        "Asks the guest operating system to restart, by the method *flags* choose "
        "(ACPI, guest agent, initctl, signal, paravirtual); returns before the "
        "reboot happens and the guest may ignore it."
    ),
    "virDomainReset": (
        "Resets the virtual hardware at once, like pressing a reset button: the guest "
        "gets no chance to flush its disks. The domain must be running."
    ),
    "virDomainSuspend": (
        "Pauses all virtual CPUs of the running domain; its memory stays allocated and "
        "it keeps its ID. `virt.Domain.resume` lets it run again."
    ),
    "virDomainResume": (
        "Lets a paused domain's virtual CPUs run again. Raises "
        "`virt.OperationInvalidError` if the domain is not paused."
    ),
    "virDomainUndefine": (
        "Removes the persistent definition of the domain: an inactive domain is gone "
        "afterwards, a running one keeps running as a transient domain until it stops. "
        "Refused while a managed save image, snapshot or checkpoint metadata (or, for "
        "QEMU, an NVRAM file) remain: see `virt.Domain.undefine_flags`."
    ),
    "virDomainUndefineFlags": (
        "Removes the persistent definition of the domain, with *flags* saying what to "
        "do with what it leaves behind: managed save image, snapshot and checkpoint "
        "metadata, NVRAM and TPM state."
    ),
    "virDomainRename": (
        "Gives the inactive, persistent domain the name *new_name*; the domain must be "
        "shut off and the new name must not belong to another domain."
    ),
    "virDomainInjectNMI": (
        "Sends a non-maskable interrupt to the guest, which many kernels answer with a "
        "crash dump or a debugger entry. The domain must be running."
    ),
    "virDomainSendProcessSignal": (
        "Delivers signal *signum* (a `virt.DomainProcessSignal`) to the process "
        "*pid_value* inside the guest or container (a negative value names a process "
        "group); supported by container drivers such as LXC."
    ),
    "virDomainPMSuspendForDuration": (
        "Puts the guest to sleep through its guest agent: *target* (a "
        "`virt.NodeSuspendTarget`) chooses suspend to RAM, to disk or hybrid; "
        "*duration* in seconds, 0 for no timed wake-up."
    ),
    "virDomainPMWakeup": (
        "Wakes a guest that sleeps in the ``PMSUSPENDED`` state (see "
        "`virt.DomainState`), as if an external wake-up event had arrived."
    ),
    # -- saving and dumping ------------------------------------------------------------
    "virDomainSave": (
        "Writes the memory and device state of the running domain to the file *to* "
        "(a path on the host of the daemon) and stops the domain; "
        "`virt.Connection.domain_restore` brings it back."
    ),
    "virDomainSaveFlags": (
        "Saves the running domain's state to the file *to* and stops it, like "
        "`virt.Domain.save`; *dxml* optionally replaces the domain XML stored in the "
        "image, and *flags* choose whether it restores running or paused."
    ),
    "virDomainSaveParams": (
        "Saves the running domain's state and stops it, with the file, the XML to "
        "store and the image format given as typed parameters (a "
        "`virt.SaveParameters` or a mapping)."
    ),
    "virDomainManagedSave": (
        "Saves the running domain to an image the daemon keeps itself and stops it; "
        "the next `virt.Domain.create` resumes from that image instead of booting."
    ),
    "virDomainManagedSaveRemove": (
        "Deletes the domain's managed save image, so that its next start is a fresh "
        "boot and the saved state is lost."
    ),
    "virDomainManagedSaveDefineXML": (
        "Replaces the domain XML stored in the managed save image with *dxml*; only "
        "changes that leave the guest ABI intact are accepted."
    ),
    "virDomainManagedSaveGetXMLDesc": (
        "Returns the domain XML stored in the managed save image as a ``str``; raises "
        "`virt.OperationInvalidError` if the domain has no managed save image."
    ),
    "virDomainHasManagedSaveImage": (
        "``True`` if a managed save image of the domain exists, so that the next start "
        "resumes from it."
    ),
    "virDomainCoreDump": (
        "Dumps the guest's memory to the file *to* (a path on the daemon's host) for "
        "debugging; by default the domain pauses during the dump and then continues."
    ),
    "virDomainCoreDumpWithFormat": (
        "Dumps the guest's memory to the file *to* in the format *dumpformat* (a "
        "`virt.DomainCoreDumpFormat`: raw, compressed kdump, Windows dump)."
    ),
    # -- devices -----------------------------------------------------------------------
    "virDomainAttachDevice": (
        "Hot-plugs the device described by *xml* (a ``<disk>``, ``<interface>``, … "
        "element) into the running domain; to change the persistent definition too, "
        "use `virt.Domain.attach_device_flags`."
    ),
    "virDomainAttachDeviceFlags": (
        "Adds the device described by *xml* to the live domain, to its persistent "
        "definition, or both, as *flags* (``LIVE``, ``CONFIG``) say."
    ),
    "virDomainDetachDevice": (
        "Asks the running domain to unplug the device matching *xml*; the guest may "
        "take time to release it, so the removal can complete after this returns."
    ),
    "virDomainDetachDeviceFlags": (
        "Removes the device matching *xml* from the live domain, the persistent "
        "definition, or both (*flags*); a live unplug may finish after the call."
    ),
    "virDomainDetachDeviceAlias": (
        "Removes the device whose alias (the ``<alias name=…>`` of its XML) is *alias*; "
        "a live unplug is only requested and completes when the guest lets go, "
        "reported by a device-removed event."
    ),
    "virDomainUpdateDeviceFlags": (
        "Changes the properties of an existing device, e.g. swaps the medium of a "
        "CD-ROM, from the device XML *xml*; *flags* choose live, persistent or both."
    ),
    "virDomainAddIOThread": (
        "Adds an I/O thread numbered *iothread_id* to the live domain or its "
        "persistent definition (*flags*)."
    ),
    "virDomainDelIOThread": (
        "Removes the I/O thread *iothread_id*; fails while a disk is still assigned "
        "to it."
    ),
    "virDomainSetIOThreadParams": (
        "Tunes the I/O thread *iothread_id* (polling limits, thread pool sizes) from "
        "typed parameters: a `virt.IOThreadParameters` or a mapping."
    ),
    "virDomainOpenGraphics": (
        "Connects the domain's graphics device number *idx* (VNC or SPICE) to the "
        "connected socket *fd* the caller passes; the caller keeps owning *fd*."
    ),
    "virDomainOpenGraphicsFD": (
        "Opens a connection to the domain's graphics device number *idx* and returns "
        "a new file descriptor (``int``) for it; the caller must close it."
    ),
    "virDomainGraphicsReload": (
        "Makes the hypervisor reload the TLS certificates of the domain's graphics "
        "servers; *type* (a `virt.DomainGraphicsReloadType`) picks which."
    ),
    # -- block devices -----------------------------------------------------------------
    "virDomainBlockStats": (
        "I/O counters of the disk *disk* (target name such as ``vda`` or the source "
        "path) since the domain started, as a `virt.DomainBlockStats`: requests and "
        "bytes read and written, errors; -1 where the hypervisor does not count."
    ),
    "virDomainBlockStatsFlags": (
        "Extended I/O counters of the disk *disk* as a `virt.BlockStats` dataclass "
        "(read, write and flush requests, bytes and total times in nanoseconds); "
        "fields the driver does not report are ``None``."
    ),
    "virDomainGetBlockInfo": (
        "Sizes of the disk *disk* as a `virt.DomainBlockInfo`, all in bytes: the "
        "capacity the guest sees, the allocation on the host and the physical size of "
        "the backing file or device."
    ),
    "virDomainBlockResize": (
        "Changes the size the guest sees of the disk *disk* while it runs; *size* is "
        "in KiB, or bytes with ``BYTES``. Shrinking can destroy guest data."
    ),
    "virDomainBlockPull": (
        "Starts a job that copies into the disk *disk* the data it reads from its "
        "backing chain, so the image no longer needs it; *bandwidth* limits the rate in "
        "MiB/s (0 = no limit). Follow it with `virt.Domain.get_block_job_info`."
    ),
    "virDomainBlockRebase": (
        "Starts a job that shortens the backing chain of *disk* down to *base*, or "
        "(with the copy flags) copies the disk to a new file; *bandwidth* in MiB/s, "
        "0 for no limit."
    ),
    "virDomainBlockCopy": (
        "Starts a job that copies the disk *disk* to the destination described by "
        "the ``<disk>`` XML *destxml*, tuned by typed parameters (a "
        "`virt.BlockCopyParameters` or a mapping); the job then mirrors writes until "
        "aborted or pivoted with `virt.Domain.block_job_abort`."
    ),
    "virDomainBlockCommit": (
        "Starts a job that merges the images from *top* down into *base* in the "
        "backing chain of *disk* (``None`` for the defaults: the active image and its "
        "deepest backing file); *bandwidth* in MiB/s, 0 for no limit."
    ),
    "virDomainBlockJobAbort": (
        "Cancels the block job running on *disk*; with ``PIVOT`` a finished copy or "
        "active commit switches the guest over to the new image instead."
    ),
    "virDomainBlockJobSetSpeed": (
        "Changes the bandwidth limit of the block job running on *disk* to "
        "*bandwidth* MiB/s (bytes/s with ``BYTES``); 0 lifts the limit."
    ),
    "virDomainGetBlockJobInfo": (
        "Progress of the block job on *disk* as a `virt.DomainBlockJobInfo` (job "
        "type, bandwidth, current and end position), or ``None`` when no job runs on "
        "that disk."
    ),
    "virDomainGetBlockIoTune": (
        "The I/O throttling limits of *disk* (bytes and operations per second, burst "
        "sizes, group name) as a `virt.BlockIoTuneParameters`."
    ),
    "virDomainSetBlockIoTune": (
        "Sets I/O throttling limits on *disk* from a `virt.BlockIoTuneParameters` or "
        "a mapping; fields left ``None`` keep their value, 0 removes a limit."
    ),
    "virDomainSetBlockThreshold": (
        "Arms a one-shot event that fires when the write position of block device "
        "*dev* (a disk target or ``vda[1]``-style backing node) passes *threshold* "
        "bytes; 0 disarms it."
    ),
    "virDomainSetThrottleGroup": (
        "Creates or changes the I/O throttle group *group* shared by several disks, "
        "from a `virt.BlockIoTuneParameters` or a mapping."
    ),
    "virDomainDelThrottleGroup": (
        "Deletes the I/O throttle group *group*; disks still using it make the call fail."
    ),
    "virDomainBackupBegin": (
        "Starts a push or pull backup job of the domain's disks described by the "
        "``<domainbackup>`` XML *backup_xml*; *checkpoint_xml* optionally creates a "
        "checkpoint at the same moment, for later incremental backups."
    ),
    "virDomainBackupGetXMLDesc": (
        "The ``<domainbackup>`` XML of the backup job that is running, as a ``str``; "
        "raises `virt.NoDomainBackupError` if none runs."
    ),
    # -- guest file systems and agent --------------------------------------------------
    "virDomainFSFreeze": (
        "Freezes the guest file systems mounted at *mountpoints* (an empty sequence "
        "means all) through the guest agent, e.g. for a consistent snapshot; returns "
        "how many were frozen. Undo with `virt.Domain.fs_thaw`."
    ),
    "virDomainFSThaw": (
        "Thaws guest file systems frozen by `virt.Domain.fs_freeze` (an empty "
        "*mountpoints* means all) and returns how many were thawed."
    ),
    "virDomainFSTrim": (
        "Asks the guest agent to discard unused blocks of the file system at "
        "*mount_point*, skipping free ranges shorter than *minimum* "
        "bytes."
    ),
    "virDomainAgentSetResponseTimeout": (
        "How long, in seconds, calls that go through the guest agent wait for its "
        "answer; -2 waits forever, -1 restores the default, 0 does not wait."
    ),
    "virDomainAuthorizedSSHKeysGet": (
        "The SSH public keys in the guest user *user*'s ``authorized_keys`` file, one "
        "``str`` per key, read through the guest agent."
    ),
    "virDomainAuthorizedSSHKeysSet": (
        "Replaces the guest user *user*'s authorized SSH keys with *keys* through the "
        "guest agent; ``APPEND`` adds them instead and ``REMOVE`` deletes them."
    ),
    "virDomainSetUserPassword": (
        "Changes the password of the guest account *user* through the guest agent; "
        "with ``ENCRYPTED`` *password* is already a crypt(3) hash."
    ),
    "virDomainGetHostname": (
        "The guest's host name as a ``str``, asked of the guest agent or taken from "
        "DHCP leases depending on *flags*; raises `virt.NoHostnameError` when none "
        "is known."
    ),
    "virDomainGetGuestInfo": (
        "Information the guest agent gathers about the guest (users, OS, time zone, "
        "host name, file systems, disks, interfaces, load), the groups selected by "
        "*types* (`virt.DomainGuestInfoTypes`, 0 for all), as a `virt.GuestInfo`."
    ),
    "virDomainGetGuestVcpus": (
        "The guest's own view of its virtual CPUs (which exist, which are online, "
        "which can be taken offline), read through the guest agent, as a "
        "`virt.GuestVcpus`."
    ),
    "virDomainSetGuestVcpus": (
        "Takes the guest CPUs listed in *cpumap* (a range string such as ``1-3,^2``) "
        "online (*state* 1) or offline (*state* 0) inside the guest, through its agent."
    ),
    "virDomainQemuAgentCommand": (
        "Sends the JSON command *cmd* to the QEMU guest agent of *domain* and returns "
        "its JSON reply as a ``str``; *timeout* in seconds, or -2 (block), -1 "
        "(default), 0 (no wait). Unsupported by libvirt: it can confuse libvirt's own "
        "use of the agent."
    ),
    "virDomainQemuMonitorCommand": (
        "Sends *cmd* to the QEMU monitor of *domain* (QMP JSON, or human monitor text "
        "with ``HMP``) and returns the reply as a ``str``. Unsupported by libvirt: "
        "changes made this way can leave libvirt's view of the domain wrong."
    ),
    "virDomainLxcEnterCGroup": (
        "Moves the calling process into the control groups of the LXC container "
        "*domain*, so its resource use is accounted to the container."
    ),
    # -- identity and state ------------------------------------------------------------
    "virDomainGetName": (
        "The domain's name as a ``str``; no two domains of one connection share a "
        "name, and `virt.Domain.rename` changes it."
    ),
    "virDomainGetID": (
        "The ID the hypervisor gave the running domain (an ``int``), or ``None`` for an "
        "inactive domain, which has none."
    ),
    "virDomainGetUUID": (
        "The domain's UUID as a ``uuid.UUID``: its identity, which stays the same "
        "across renames, restarts and migrations."
    ),
    "virDomainGetUUIDString": (
        "The domain's UUID in its 36-character text form, e.g. "
        "``'4dea22b3-1d52-d8f3-2516-782e98ab3fa0'``."
    ),
    "virDomainGetOSType": (
        "The kind of operating system the domain's XML declares it boots "
        "(``'hvm'`` for full virtualization, ``'linux'`` for Xen PV, ``'exe'`` for "
        "containers), as a ``str``."
    ),
    "virDomainGetConnect": (
        "The `virt.Connection` this domain belongs to (the same object, not a new "
        "connection)."
    ),
    "virDomainGetInfo": (
        "A snapshot of the domain's state as a `virt.DomainInfo`: its "
        "`virt.DomainState`, maximum and current memory in KiB, number of virtual "
        "CPUs and CPU time used in nanoseconds."
    ),
    "virDomainGetState": (
        "The domain's state and why it is in it: a pair of a `virt.DomainState` and "
        "the reason enum of that state (e.g. `virt.DomainShutoffReason`)."
    ),
    "virDomainGetControlInfo": (
        "What the daemon is doing with the domain as a `virt.DomainControlInfo`: the "
        "state of its control interface, an error reason, and how long it has been in "
        "that state, in milliseconds."
    ),
    "virDomainIsActive": "``True`` if the domain is running (or paused), ``False`` if inactive.",
    "virDomainIsPersistent": (
        "``True`` if the domain has a persistent definition that survives its "
        "shutdown, ``False`` for a transient domain."
    ),
    "virDomainIsUpdated": (
        "``True`` if the running domain's live configuration has been changed since it "
        "started, so it now differs from its persistent definition."
    ),
    "virDomainGetXMLDesc": (
        "The domain's XML description as a ``str``; *flags* select the inactive "
        "(next boot) definition, include secrets such as passwords (``SECURE``), or "
        "make it suitable for migration."
    ),
    "virDomainGetAutostart": (
        "``True`` if the daemon starts this domain when the host (or the daemon) starts."
    ),
    "virDomainSetAutostart": (
        "Marks the persistent domain to be started automatically when the host "
        "boots (*autostart* true) or not (false)."
    ),
    "virDomainGetAutostartOnce": (
        "``True`` if the domain is marked to be started once, at the next boot of the "
        "host, independently of the permanent mark of `virt.Domain.get_autostart`."
    ),
    "virDomainSetAutostartOnce": (
        "Marks the domain to be started automatically at the next host boot only "
        "(*autostart* true), or clears that mark; the permanent autostart setting is "
        "separate."
    ),
    "virDomainGetMessages": (
        "Messages the daemon recorded about the domain (deprecated features in use, "
        "reasons it is tainted, I/O errors), one ``str`` each; *flags* filter them."
    ),
    "virDomainGetSecurityLabel": (
        "The security label of the domain's process (e.g. its SELinux context) as a "
        "`virt.SecurityLabel`, with whether the policy is enforced."
    ),
    "virDomainGetMetadata": (
        "Reads metadata of the domain: its description, title, or (with ``ELEMENT``) "
        "the custom XML stored under the namespace *uri*, as a ``str``; raises "
        "`virt.NoDomainMetadataError` if that metadata is not set."
    ),
    "virDomainSetMetadata": (
        "Stores metadata on the domain: a description or title, or (``ELEMENT``) the "
        "custom XML *metadata* under namespace *uri* with prefix *key*; ``None`` "
        "removes it."
    ),
    "virDomainSetLifecycleAction": (
        "Chooses what happens when the guest powers off, reboots or crashes (*type*, a "
        "`virt.DomainLifecycleType`): *action* is a `virt.DomainLifecycleAction` such "
        "as destroy, restart or preserve."
    ),
    # -- CPU and memory ----------------------------------------------------------------
    "virDomainGetMaxMemory": (
        "The most memory the domain may be given, in KiB (an ``int``)."
    ),
    "virDomainSetMaxMemory": (
        "Changes the most memory the domain may use to *memory* KiB; most hypervisors "
        "accept this only while the domain is inactive."
    ),
    "virDomainSetMemory": (
        "Changes the running domain's current memory to *memory* KiB, typically "
        "through the balloon driver; it cannot exceed the maximum."
    ),
    "virDomainSetMemoryFlags": (
        "Changes the domain's current memory (or, with ``MAXIMUM``, its maximum) to "
        "*memory* KiB, live, in the persistent definition or both, as *flags* say."
    ),
    "virDomainSetMemoryStatsPeriod": (
        "Sets how often, in seconds, the balloon driver refreshes the guest memory "
        "statistics; 0 stops the collection."
    ),
    "virDomainGetMemoryParameters": (
        "The domain's memory tuning (hard, soft and swap hard limits in KiB, minimum "
        "guarantee) as a `virt.MemoryParameters`."
    ),
    "virDomainSetMemoryParameters": (
        "Changes the domain's memory tuning from a `virt.MemoryParameters` or a "
        "mapping (limits in KiB); fields left ``None`` are not changed."
    ),
    "virDomainGetNumaParameters": (
        "The domain's NUMA memory policy (mode and node set) as a "
        "`virt.NumaParameters`."
    ),
    "virDomainSetNumaParameters": (
        "Changes the domain's NUMA memory policy from a `virt.NumaParameters` or a "
        "mapping."
    ),
    "virDomainGetBlkioParameters": (
        "The domain's block I/O tuning (relative weight, per-device weights and "
        "limits) as a `virt.BlkioParameters`."
    ),
    "virDomainSetBlkioParameters": (
        "Changes the domain's block I/O tuning from a `virt.BlkioParameters` or a "
        "mapping; fields left ``None`` are not changed."
    ),
    "virDomainGetSchedulerParameters": (
        "The domain's CPU scheduler settings (CPU shares; periods in microseconds "
        "and quotas) as a `virt.SchedulerParameters`; whether live or persistent "
        "values depends on the driver."
    ),
    "virDomainGetSchedulerParametersFlags": (
        "The domain's CPU scheduler settings as a `virt.SchedulerParameters`, from the "
        "live domain or its persistent definition (*flags*)."
    ),
    "virDomainSetSchedulerParameters": (
        "Changes the running domain's CPU scheduler settings from a "
        "`virt.SchedulerParameters` or a mapping."
    ),
    "virDomainSetSchedulerParametersFlags": (
        "Changes the domain's CPU scheduler settings from a `virt.SchedulerParameters` "
        "or a mapping, live, persistently or both (*flags*)."
    ),
    "virDomainGetMaxVcpus": (
        "The most virtual CPUs the domain can have, as an ``int``: for a running "
        "domain the maximum it was booted with, for an inactive one the hypervisor's "
        "limit."
    ),
    "virDomainGetVcpusFlags": (
        "A count of the domain's virtual CPUs: current or maximum (``MAXIMUM``), live "
        "or persistent, or as the guest agent sees them (``GUEST``), per *flags*."
    ),
    "virDomainSetVcpus": (
        "Hot-plugs or unplugs virtual CPUs so that the running domain has *nvcpus* of "
        "them, within its maximum."
    ),
    "virDomainSetVcpusFlags": (
        "Sets the domain's number of virtual CPUs (or with ``MAXIMUM`` its maximum) "
        "to *nvcpus*, live, persistently, or inside the guest (``GUEST``)."
    ),
    "virDomainSetVcpu": (
        "Enables (*state* 1) or disables (*state* 0) the individual virtual CPUs "
        "listed in *vcpumap*, a range string such as ``0-3,^2``."
    ),
    "virDomainGetPerfEvents": (
        "Which hardware performance counters (cache misses, cycles, …) are collected "
        "for the domain, as a `virt.PerfEvents` of booleans."
    ),
    "virDomainSetPerfEvents": (
        "Switches the collection of performance counters on or off from a "
        "`virt.PerfEvents` or a mapping of event name to ``bool``."
    ),
    "virDomainGetTime": (
        "The guest's clock as read by the guest agent: a pair (seconds, nanoseconds) "
        "since the Unix epoch."
    ),
    "virDomainSetTime": (
        "Sets the guest's clock through the guest agent to *seconds* and *nseconds* "
        "since the epoch; with ``SYNC`` the guest resynchronises from its hardware "
        "clock instead and both values are ignored."
    ),
    # -- interfaces --------------------------------------------------------------------
    "virDomainInterfaceStats": (
        "Traffic counters of the guest network interface *device* (its host-side "
        "name such as ``vnet0``, or its MAC address) as a "
        "`virt.DomainInterfaceStats`: bytes, packets, errors and drops each way."
    ),
    "virDomainGetInterfaceParameters": (
        "The bandwidth limits of the interface *device* (average, peak, burst, per "
        "direction, in KiB/s and KiB) as a `virt.InterfaceParameters`."
    ),
    "virDomainSetInterfaceParameters": (
        "Changes the bandwidth limits of interface *device* from a "
        "`virt.InterfaceParameters` or a mapping (KiB/s, KiB)."
    ),
    "virDomainAnnounceInterface": (
        "Makes the guest's network interface *device* (``None`` for all) re-announce "
        "itself, e.g. with gratuitous ARP after a migration; *params* (a "
        "`virt.AnnounceParameters`) tune the rounds."
    ),
    # -- jobs and migration ------------------------------------------------------------
    "virDomainGetJobInfo": (
        "Progress of the domain's current background job (migration, save, dump) as "
        "a `virt.DomainJobInfo`: times in milliseconds, amounts in bytes; its type (a "
        "`virt.DomainJobType`) is ``NONE`` when no job runs."
    ),
    "virDomainGetJobStats": (
        "Detailed statistics of the current (or, with ``COMPLETED``, the last "
        "finished) job: a pair of the `virt.DomainJobType` and a `virt.JobStats` "
        "dataclass."
    ),
    "virDomainAbortJob": (
        "Cancels the domain's current background job such as a migration or a save; "
        "raises `virt.OperationInvalidError` if none runs."
    ),
    "virDomainAbortJobFlags": (
        "Cancels the domain's current background job like `virt.Domain.abort_job`; "
        "``POSTCOPY`` also interrupts a migration that is in its post-copy phase."
    ),
    "virDomainMigrate": (
        "Moves the domain to the host of the connection *dconn* and returns the "
        "domain there (a `virt.Domain` of *dconn*); *dname* renames it, *uri* picks "
        "the data transport, *bandwidth* caps it in MiB/s (0 = no cap)."
    ),
    "virDomainMigrate2": (
        "Migrates the domain to *dconn* like `virt.Domain.migrate`, with *dxml* the "
        "domain XML to use on the destination (only ABI-compatible changes); returns "
        "the domain on *dconn*."
    ),
    "virDomainMigrate3": (
        "Migrates the domain to *dconn* with every option given as typed parameters "
        "(a `virt.MigrateParameters` or a mapping: destination name and XML, URIs, "
        "bandwidth, disks, …) and returns the domain on *dconn*."
    ),
    "virDomainMigrateToURI": (
        "Migrates the domain to the host at *duri* without a destination connection "
        "from the caller (peer-to-peer, or a hypervisor URI for direct migration); "
        "*bandwidth* in MiB/s, 0 for no limit."
    ),
    "virDomainMigrateToURI2": (
        "Migrates the domain without a destination connection from the caller: "
        "*dconnuri* names the destination daemon, *miguri* the data transport, "
        "*dxml* the domain XML to use there."
    ),
    "virDomainMigrateToURI3": (
        "Migrates the domain to the daemon at *dconnuri* (peer-to-peer) with all "
        "options as typed parameters: a `virt.MigrateParameters` or a mapping."
    ),
    "virDomainMigrateGetMaxDowntime": (
        "The longest pause, in milliseconds, the domain may suffer at the end of a "
        "live migration."
    ),
    "virDomainMigrateSetMaxDowntime": (
        "Sets the longest pause allowed at the switch-over of a live migration to "
        "*downtime* milliseconds."
    ),
    "virDomainMigrateGetMaxSpeed": (
        "The bandwidth limit of the domain's migrations in MiB/s (with ``POSTCOPY``, "
        "the limit during the post-copy phase)."
    ),
    "virDomainMigrateSetMaxSpeed": (
        "Limits the bandwidth of the domain's migration to *bandwidth* MiB/s, also "
        "while one runs; ``POSTCOPY`` sets the post-copy phase's limit."
    ),
    "virDomainMigrateGetCompressionCache": (
        "The size in bytes of the page cache used to compress repeated pages during "
        "migration."
    ),
    "virDomainMigrateSetCompressionCache": (
        "Resizes the cache of pages kept for compressing repeated memory pages during "
        "migration to *cache_size* bytes."
    ),
    "virDomainMigrateStartPostCopy": (
        "Switches a running live migration (started with the post-copy flag) to "
        "post-copy: the domain runs on the destination at once and fetches the rest "
        "of its memory on demand."
    ),
    "virDomainStartDirtyRateCalc": (
        "Starts measuring how fast the guest dirties its memory over *seconds* "
        "seconds; the result appears in the domain's dirty-rate statistics."
    ),
    # -- snapshots and checkpoints -----------------------------------------------------
    "virDomainSnapshotCreateXML": (
        "Takes a snapshot of the domain described by the ``<domainsnapshot>`` XML "
        "*xml_desc* (which may be almost empty) and returns it as a "
        "`virt.DomainSnapshot`; *flags* choose disk-only, live, quiesced and more."
    ),
    "virDomainSnapshotCurrent": (
        "The domain's current snapshot (the one the domain was last reverted to or "
        "created from) as a `virt.DomainSnapshot`; raises "
        "`virt.NoDomainSnapshotError` if there is none."
    ),
    "virDomainSnapshotLookupByName": (
        "The snapshot of this domain called *name*, as a `virt.DomainSnapshot`; raises "
        "`virt.NoDomainSnapshotError` if there is none by that name."
    ),
    "virDomainSnapshotListNames": (
        "The names of the domain's snapshots, filtered by *flags*, as a list of ``str``; "
        "prefer `virt.Domain.list_all_snapshots`, which returns the objects."
    ),
    "virDomainSnapshotNum": (
        "How many snapshots the domain has, counting only those *flags* select."
    ),
    "virDomainHasCurrentSnapshot": (
        "``True`` if one of the domain's snapshots is marked current (see "
        "`virt.Domain.snapshot_current`), ``False`` otherwise."
    ),
    "virDomainListAllSnapshots": (
        "The domain's snapshots as a list of `virt.DomainSnapshot`, filtered by "
        "*flags* (roots only, leaves, active or inactive, …); an empty list if it has "
        "none."
    ),
    "virDomainCheckpointCreateXML": (
        "Creates a checkpoint of the domain's disks (a point from which later "
        "incremental backups start) from the ``<domaincheckpoint>`` XML *xml_desc*, "
        "and returns it as a `virt.DomainCheckpoint`."
    ),
    "virDomainCheckpointLookupByName": (
        "The checkpoint of this domain called *name* as a `virt.DomainCheckpoint`; "
        "raises `virt.NoDomainCheckpointError` if there is none."
    ),
    "virDomainListAllCheckpoints": (
        "The domain's checkpoints as a list of `virt.DomainCheckpoint`, filtered by "
        "*flags* (roots, leaves, in topological order); empty if it has none."
    ),
    # -- launch security ---------------------------------------------------------------
    "virDomainGetLaunchSecurityInfo": (
        "Launch-security data of a confidential guest (e.g. the AMD SEV measurement) "
        "as a `virt.LaunchSecurityInfo`."
    ),
    "virDomainSetLaunchSecurityState": (
        "Injects a launch secret into the memory of a confidential (SEV) guest, from a "
        "`virt.LaunchSecurityState` or a mapping; the guest must still be paused "
        "(started with ``START_PAUSED`` of `virt.DomainCreateFlags`); resume it "
        "afterwards with `virt.Domain.resume`."
    ),
}
