"""`Domain` (a virtual machine), `DomainSnapshot` and `DomainCheckpoint`."""

from __future__ import annotations

import ctypes

from . import raw
from . import records as _hand_records
from ._generated import enums as _enums
from ._generated import params as _params
from ._generated import records as _records
from ._generated.methods.domain import _DomainMethods
from ._lazy import names_from
from ._marshal import (
    check_int,
    check_str,
    check_uint,
    cpumap_from_bools,
    cpumap_to_bools,
    decode,
    free_structs,
    guard_methods,
    int_array,
    optional_decode,
    raise_last_error,
    uuid_key,
)
from ._objects import LibvirtObject
from ._stream_methods import _DomainStreamMethods

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ._generated.enums import (
        DomainInterfaceAddressesSource,
        DomainMemoryStatTags,
        DomainModificationImpact,
    )
    from ._generated.params import CPUStats
    from ._generated.records import SecurityLabel
    from ._snapshots import DomainCheckpoint, DomainSnapshot
    from .records import (
        DomainDiskError,
        DomainFSInfo,
        DomainInterface,
        DomainIOThreadInfo,
        VcpuInfo,
    )


def _host_cpus(domain: Any) -> int:
    """How many CPUs the host of *domain*'s connection has (the width of CPU maps)."""
    count = raw.virNodeGetCPUMap(raw.virDomainGetConnect(domain._as_parameter_), None, None, 0)
    if count < 0:
        raise_last_error()
    return int(count)

__all__ = ["Domain", "DomainCheckpoint", "DomainSnapshot"]



#: The most `Domain.block_peek` and `Domain.memory_peek` read per call:
#: libvirt refuses more over a connection to a daemon (its remote protocol's
#: ``REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX`` and ``…_MEMORY_PEEK_BUFFER_MAX``).
PEEK_MAX = 4 << 20


def _peek_size(value: Any) -> int:
    size = check_int(value, "size", "size_t")
    if size > PEEK_MAX:
        raise ValueError(f"size={size} is more than libvirt reads at once ({PEEK_MAX}): "
                         f"read in pieces")
    return size

@guard_methods
class Domain(_DomainMethods, _DomainStreamMethods, LibvirtObject):
    """A domain, libvirt's word for a virtual machine (C ``virDomainPtr``)."""

    __slots__ = ()
    _free_function = "virDomainFree"
    _ref_function = "virDomainRef"
    _handle_type = raw.virDomainPtr


    def _key(self) -> Any:
        return uuid_key(raw.virDomainGetUUID, self._as_parameter_)

    def _describe(self) -> str:
        name = raw.virDomainGetName(self._as_parameter_)
        return repr(decode(name)) if name is not None else ""

    # -- hand-written wrappers: arrays, CPU maps, buffers ---------------------------

    def get_vcpus(self) -> tuple[list[VcpuInfo], list[tuple[bool, ...]]]:
        """Each virtual CPU's state, and the host CPUs each may run on.

        Wraps :libvirt:`virDomainGetVcpus`.
        """
        nvcpus = self.get_info().nr_virt_cpu
        ncpus = _host_cpus(self)
        maplen = (ncpus + 7) // 8
        info = (raw.virVcpuInfo * max(nvcpus, 1))()
        maps = (ctypes.c_ubyte * max(nvcpus * maplen, 1))()
        count = raw.virDomainGetVcpus(self._as_parameter_, info, nvcpus, maps, maplen)
        if count < 0:
            raise_last_error()
        state, record = _enums.VcpuState, _hand_records.VcpuInfo
        vcpus = [record(v.number, state(v.state), v.cpuTime, v.cpu) for v in info[:count]]
        cpumaps = [cpumap_to_bools(bytes(maps)[i * maplen:(i + 1) * maplen], ncpus)
                   for i in range(count)]
        return vcpus, cpumaps

    def get_vcpu_pin_info(self, *, flags: DomainModificationImpact | int = 0,
                          ) -> list[tuple[bool, ...]]:
        """The host CPUs each virtual CPU may run on.

        Wraps :libvirt:`virDomainGetVcpuPinInfo`.
        """
        flags = check_uint(flags, "flags")
        nvcpus = self.get_info().nr_virt_cpu
        ncpus = _host_cpus(self)
        maplen = (ncpus + 7) // 8
        maps = (ctypes.c_ubyte * max(nvcpus * maplen, 1))()
        count = raw.virDomainGetVcpuPinInfo(self._as_parameter_, nvcpus, maps, maplen, flags)
        if count < 0:
            raise_last_error()
        data = bytes(maps)
        return [cpumap_to_bools(data[i * maplen:(i + 1) * maplen], ncpus) for i in range(count)]

    def get_emulator_pin_info(self, *, flags: DomainModificationImpact | int = 0,
                              ) -> tuple[bool, ...]:
        """The host CPUs the emulator threads may run on.

        Wraps :libvirt:`virDomainGetEmulatorPinInfo`.
        """
        flags = check_uint(flags, "flags")
        ncpus = _host_cpus(self)
        maplen = max((ncpus + 7) // 8, 1)
        cpumap = (ctypes.c_ubyte * maplen)()
        if raw.virDomainGetEmulatorPinInfo(self._as_parameter_, cpumap, maplen, flags) < 0:
            raise_last_error()
        return cpumap_to_bools(cpumap, ncpus)

    def pin_vcpu(self, vcpu: int, cpumap: Sequence[bool]) -> None:
        """Restrict virtual CPU *vcpu* to the host CPUs marked True in *cpumap*.

        Wraps :libvirt:`virDomainPinVcpu`.
        """
        vcpu = check_int(vcpu, "vcpu", "unsigned int")
        buffer, maplen = cpumap_from_bools(cpumap)
        if raw.virDomainPinVcpu(self._as_parameter_, vcpu, buffer, maplen) < 0:
            raise_last_error()

    def pin_vcpu_flags(self, vcpu: int, cpumap: Sequence[bool], *,
                       flags: DomainModificationImpact | int = 0) -> None:
        """`pin_vcpu` for the live domain, its configuration, or both.

        Wraps :libvirt:`virDomainPinVcpuFlags`.
        """
        vcpu = check_int(vcpu, "vcpu", "unsigned int")
        buffer, maplen = cpumap_from_bools(cpumap)
        flags = check_uint(flags, "flags")
        if raw.virDomainPinVcpuFlags(self._as_parameter_, vcpu, buffer, maplen, flags) < 0:
            raise_last_error()

    def pin_emulator(self, cpumap: Sequence[bool], *,
                     flags: DomainModificationImpact | int = 0) -> None:
        """Restrict the emulator threads to the host CPUs marked True in *cpumap*.

        Wraps :libvirt:`virDomainPinEmulator`.
        """
        buffer, maplen = cpumap_from_bools(cpumap)
        flags = check_uint(flags, "flags")
        if raw.virDomainPinEmulator(self._as_parameter_, buffer, maplen, flags) < 0:
            raise_last_error()

    def pin_iothread(self, iothread_id: int, cpumap: Sequence[bool], *,
                     flags: DomainModificationImpact | int = 0) -> None:
        """Restrict IOThread *iothread_id* to the host CPUs marked True in *cpumap*.

        Wraps :libvirt:`virDomainPinIOThread`.
        """
        iothread_id = check_int(iothread_id, "iothread_id", "unsigned int")
        buffer, maplen = cpumap_from_bools(cpumap)
        flags = check_uint(flags, "flags")
        if raw.virDomainPinIOThread(self._as_parameter_, iothread_id, buffer, maplen,
                                    flags) < 0:
            raise_last_error()

    def get_iothread_info(self, *, flags: DomainModificationImpact | int = 0,
                          ) -> list[DomainIOThreadInfo]:
        """The domain's IOThreads and their CPU affinity.

        Wraps :libvirt:`virDomainGetIOThreadInfo` and
        :libvirt:`virDomainIOThreadInfoFree`.
        """
        flags = check_uint(flags, "flags")
        array = raw.pointer_type(raw.virDomainIOThreadInfoPtr)()
        count = raw.virDomainGetIOThreadInfo(self._as_parameter_, ctypes.byref(array), flags)
        if count < 0:
            raise_last_error()
        threads = []
        try:
            for i in range(count):
                item = array[i].contents
                threads.append(_hand_records.DomainIOThreadInfo(
                    item.iothread_id,
                    cpumap_to_bools(ctypes.string_at(item.cpumap, item.cpumaplen),
                                    item.cpumaplen * 8)))
        finally:
            free_structs(array, count, raw.virDomainIOThreadInfoFree)
        return threads

    def memory_stats(self, *, flags: int = 0) -> dict[DomainMemoryStatTags, int]:
        """The balloon driver's memory statistics, by tag (KiB, or counts).

        Wraps :libvirt:`virDomainMemoryStats`.
        """
        flags = check_uint(flags, "flags")
        size = raw.VIR_DOMAIN_MEMORY_STAT_NR
        stats = (raw.virDomainMemoryStatStruct * size)()
        count = raw.virDomainMemoryStats(self._as_parameter_, stats, size, flags)
        if count < 0:
            raise_last_error()
        return {_enums.DomainMemoryStatTags(stat.tag): stat.val for stat in stats[:count]}

    def get_disk_errors(self, *, flags: int = 0) -> list[DomainDiskError]:
        """The disks that have hit an I/O error.

        Wraps :libvirt:`virDomainGetDiskErrors`.
        """
        flags = check_uint(flags, "flags")
        size = raw.virDomainGetDiskErrors(self._as_parameter_, None, 0, flags)
        if size < 0:
            raise_last_error()
        errors = (raw.virDomainDiskError * max(size, 1))()
        count = raw.virDomainGetDiskErrors(self._as_parameter_, errors, size, flags)
        if count < 0:
            raise_last_error()
        result = []
        disk_offset = raw.virDomainDiskError.disk.offset
        for error in errors[:count]:
            # ``error.disk`` reads a copy; the C string itself is ours to free.
            address = ctypes.c_void_p.from_buffer(error, disk_offset).value
            result.append(_hand_records.DomainDiskError(
                decode(error.disk or b""), _enums.DomainDiskErrorCode(error.error)))
            raw.free(address)
        return result

    def get_security_label_list(self) -> list[SecurityLabel]:
        """The security labels of the domain, one per security driver.

        Wraps :libvirt:`virDomainGetSecurityLabelList`.
        """
        array = raw.virSecurityLabelPtr()
        count = raw.virDomainGetSecurityLabelList(self._as_parameter_, ctypes.byref(array))
        if count < 0:
            raise_last_error()
        try:
            return [_records.SecurityLabel._from_c(array[i]) for i in range(count)]
        finally:
            raw.free(array)

    def get_fs_info(self, *, flags: int = 0) -> list[DomainFSInfo]:
        """The file systems mounted in the guest (needs the guest agent).

        Wraps :libvirt:`virDomainGetFSInfo` and
        :libvirt:`virDomainFSInfoFree`.
        """
        flags = check_uint(flags, "flags")
        array = raw.pointer_type(raw.virDomainFSInfoPtr)()
        count = raw.virDomainGetFSInfo(self._as_parameter_, ctypes.byref(array), flags)
        if count < 0:
            raise_last_error()
        result = []
        try:
            for i in range(count):
                fs = array[i].contents
                aliases = tuple(decode(fs.devAlias[j]) for j in range(fs.ndevAlias))
                result.append(_hand_records.DomainFSInfo(
                    decode(fs.mountpoint or b""), decode(fs.name or b""),
                    decode(fs.fstype or b""), aliases))
        finally:
            free_structs(array, count, raw.virDomainFSInfoFree)
        return result

    def interface_addresses(self, source: DomainInterfaceAddressesSource | int, *,
                            flags: int = 0) -> list[DomainInterface]:
        """The guest's network interfaces with their IP addresses, as *source* sees them.

        Wraps :libvirt:`virDomainInterfaceAddresses` and
        :libvirt:`virDomainInterfaceFree`.
        """
        source = check_uint(source, "source")
        flags = check_uint(flags, "flags")
        array = raw.pointer_type(raw.virDomainInterfacePtr)()
        count = raw.virDomainInterfaceAddresses(self._as_parameter_, ctypes.byref(array),
                                                source, flags)
        if count < 0:
            raise_last_error()
        result, address = [], _hand_records.DomainIPAddress
        try:
            for i in range(count):
                iface = array[i].contents
                addrs = tuple(address(_enums.IPAddrType(a.type), decode(a.addr or b""), a.prefix)
                              for a in iface.addrs[:iface.naddrs])
                result.append(_hand_records.DomainInterface(
                    decode(iface.name or b""), optional_decode(iface.hwaddr), addrs))
        finally:
            free_structs(array, count, raw.virDomainInterfaceFree)
        return result

    def block_peek(self, disk: str, offset: int, size: int, *, flags: int = 0) -> bytes:
        """*size* bytes of *disk* from *offset*, read by the hypervisor (at most
        ``PEEK_MAX`` per call).

        Wraps :libvirt:`virDomainBlockPeek`.
        """
        disk_c = check_str(disk, "disk")
        offset = check_int(offset, "offset", "unsigned long long")
        size = _peek_size(size)
        flags = check_uint(flags, "flags")
        buffer = ctypes.create_string_buffer(size)
        if raw.virDomainBlockPeek(self._as_parameter_, disk_c, offset, size, buffer, flags) < 0:
            raise_last_error()
        return buffer.raw

    def memory_peek(self, start: int, size: int, *, flags: int) -> bytes:
        """*size* bytes of guest memory from *start* (at most ``PEEK_MAX`` per call);
        *flags* says virtual or physical.

        Wraps :libvirt:`virDomainMemoryPeek`.
        """
        start = check_int(start, "start", "unsigned long long")
        size = _peek_size(size)
        flags = check_uint(flags, "flags")
        buffer = ctypes.create_string_buffer(size)
        if raw.virDomainMemoryPeek(self._as_parameter_, start, size, buffer, flags) < 0:
            raise_last_error()
        return buffer.raw

    def send_key(self, codeset: int, holdtime: int, keycodes: Sequence[int], *,
                 flags: int = 0) -> None:
        """Press the keys *keycodes* (in *codeset*) for *holdtime* milliseconds.

        Wraps :libvirt:`virDomainSendKey`.
        """
        codeset = check_uint(codeset, "codeset")
        holdtime = check_uint(holdtime, "holdtime")
        codes, count = int_array(keycodes, "keycodes", "unsigned int")
        if not 0 < count <= raw.VIR_DOMAIN_SEND_KEY_MAX_KEYS:
            raise ValueError(f"keycodes must hold 1 to {raw.VIR_DOMAIN_SEND_KEY_MAX_KEYS} keys")
        flags = check_uint(flags, "flags")
        if raw.virDomainSendKey(self._as_parameter_, codeset, holdtime, codes, count,
                                flags) < 0:
            raise_last_error()

    def create_with_files(self, files: Sequence[int], *, flags: int = 0) -> None:
        """Start the domain, passing it the open file descriptors *files*.

        Wraps :libvirt:`virDomainCreateWithFiles`.
        """
        fds, count = int_array(files, "files", "int")
        flags = check_uint(flags, "flags")
        if raw.virDomainCreateWithFiles(self._as_parameter_, count, fds, flags) < 0:
            raise_last_error()

    def fd_associate(self, name: str, fds: Sequence[int], *, flags: int = 0) -> None:
        """Hand the file descriptors *fds* to the domain under *name*.

        Wraps :libvirt:`virDomainFDAssociate`.
        """
        name_c = check_str(name, "name")
        array, count = int_array(fds, "fds", "int")
        flags = check_uint(flags, "flags")
        if raw.virDomainFDAssociate(self._as_parameter_, name_c, count, array, flags) < 0:
            raise_last_error()

    def get_cpu_stats(self, start_cpu: int = -1, ncpus: int = 1, *,
                      flags: int = 0) -> list[CPUStats]:
        """CPU time the domain used: in total (``start_cpu=-1``, the default, one
        record), or on each of *ncpus* host CPUs from *start_cpu*.

        Wraps :libvirt:`virDomainGetCPUStats`.
        """
        start_cpu = check_int(start_cpu, "start_cpu", "int")
        ncpus = check_int(ncpus, "ncpus", "unsigned int")
        flags = check_uint(flags, "flags")
        if start_cpu == -1:
            ncpus = 1
        elif start_cpu < -1:
            raise ValueError("start_cpu must be a CPU number, or -1 for the total")
        handle = self._as_parameter_
        # First ask how many parameters one CPU has (and how many CPUs there are).
        nparams = raw.virDomainGetCPUStats(handle, None, 0, start_cpu, ncpus if start_cpu == -1
                                           else 1, flags)
        if nparams < 0:
            raise_last_error()
        if start_cpu >= 0:
            total = raw.virDomainGetCPUStats(handle, None, 0, 0, 0, flags)  # host CPU count
            if total < 0:
                raise_last_error()
            ncpus = max(0, min(ncpus, total - start_cpu))
        if nparams == 0 or ncpus == 0:
            return []
        buffer = (raw.virTypedParameter * (nparams * ncpus))()
        filled = raw.virDomainGetCPUStats(handle, buffer, nparams, start_cpu, ncpus, flags)
        if filled < 0:
            raise_last_error()
        row = raw.virTypedParameter * nparams
        size = ctypes.sizeof(row)
        try:
            return [_params.CPUStats._unpack(row.from_buffer(buffer, i * size), nparams)
                    for i in range(ncpus)]
        finally:
            raw.virTypedParamsClear(buffer, nparams * ncpus)

    def get_scheduler_type(self) -> tuple[str, int]:
        """The scheduler's name and how many parameters it has.

        Wraps :libvirt:`virDomainGetSchedulerType`.
        """
        nparams = ctypes.c_int()
        name = raw.virDomainGetSchedulerType(self._as_parameter_, ctypes.byref(nparams))
        if name.value is None:
            raise_last_error()
        try:
            return decode(name.value), nparams.value
        finally:
            raw.free(name)


if not TYPE_CHECKING:
    # DomainSnapshot and DomainCheckpoint are defined in virt._snapshots,
    # imported when first used: a short script needs neither.
    __getattr__ = names_from(globals(), "virt._snapshots", ("DomainSnapshot", "DomainCheckpoint"))
