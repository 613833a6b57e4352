"""The reviewed table of what the stubs of libvirt-python cannot derive.

``tools/genstubs.py`` types most of the official binding from facts: the
parameters and C function of each method (``tools/api/libvirt-python-*.json``),
that function's C prototype (``tools/api/libvirt-*.json``), which arguments may
be NULL (the resolved record) and the value types of typed parameters
(``tools/tables/params.py``).  What those do not say is here, one entry per name.
Where libvirt's test driver can answer, the entry is checked against what the
official binding really returns (``tests/stubs_check.py``, run by
``tests/test_stubs.py``, calls every method that needs no argument and a list
of others); the rest (event callbacks, job and guest-agent getters, ...) is
reviewed by reading what the binding passes and returns.  The entries are:

* the Python shape of what the binding's hand-written C code returns (lists,
  tuples, dicts of typed parameters, ``bytes``), and where it returns ``None``;
* parameters whose C type is an array, a typed-parameter list or a callback;
* the callback each event ID calls, as overloads on the event-ID literal;
* the pure-Python parts: ``libvirtError``, the event-loop hooks, ``libvirtaio``.

Keys are ``"function"``, ``"Class.method"`` or ``"Class.method.param"``,
prefixed with the module for modules other than ``libvirt``
(``"libvirt_qemu.qemuMonitorCommand"``); ``"*.method"`` applies to every class.
"""

from __future__ import annotations

# -- the top of each stub: imports and the type aliases the entries below use ---------

PREAMBLE: dict[str, str] = {
    "libvirt": '''
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final, Literal, TypeVar, overload

from typing_extensions import TypeAlias

_T = TypeVar("_T")

#: One value of a typed parameter as the binding converts it (int, unsigned
#: int, long long, unsigned long long -> int; double -> float; boolean ->
#: bool; string -> str).
_ParamValue: TypeAlias = int | float | str | bool
#: Typed parameters as the binding returns them.
_Params: TypeAlias = dict[str, _ParamValue]
#: Typed parameters as the binding accepts them.
_ParamsIn: TypeAlias = Mapping[str, _ParamValue]
#: virError as a tuple: code, domain, message, level, str1, str2, str3, int1, int2.
_RawError: TypeAlias = tuple[int, int, str, int, str | None, str | None, str | None, int, int]
#: A connection's last error: all zeros and no message when there was none.
_LastError: TypeAlias = tuple[int, int, str | None, int, str | None, str | None, str | None,
                              int, int]

#: What virEventRegisterImpl's functions receive and call back.
_EventHandleCallback: TypeAlias = Callable[[int, int, int, object], object]
_EventTimeoutCallback: TypeAlias = Callable[[int, object], object]
_EventAddHandleFunc: TypeAlias = Callable[[int, int, _EventHandleCallback, object], int]
_EventUpdateHandleFunc: TypeAlias = Callable[[int, int], object]
_EventRemoveHandleFunc: TypeAlias = Callable[[int], int]
_EventAddTimeoutFunc: TypeAlias = Callable[[int, _EventTimeoutCallback, object], int]
_EventUpdateTimeoutFunc: TypeAlias = Callable[[int, int], object]
_EventRemoveTimeoutFunc: TypeAlias = Callable[[int], int]
''',
    "libvirt_qemu": '''
from collections.abc import Callable
from typing import IO, Any, Final, TypeVar

import libvirt

_T = TypeVar("_T")
''',
    "libvirt_lxc": '''
import libvirt
''',
    "libvirtaio": '''
import asyncio
from collections.abc import Callable
from typing import Any

__all__ = ["getCurrentImpl", "virEventAsyncIOImpl", "virEventRegisterAsyncIOImpl"]
''',
}

# -- results ----------------------------------------------------------------------

_STATS = "list[tuple[virDomain, _Params]]"
_UUID = "bytes"

RETURNS: dict[str, str] = {
    # Every class: the connection it belongs to and the C pointer as an integer.
    "*.c_pointer": "int",
    "*.connect": "virConnect",
    "getVersion": "int",
    "openAuth": "virConnect",
    "registerErrorHandler": "int",
    "virEventAddHandle": "int",
    "virEventAddTimeout": "int",
    # None when no error has happened in this thread.
    "virGetLastError": "_RawError | None",
    # libvirtError("msg") raised by a program carries no virError: every getter is None.
    "libvirtError.get_error_code": "int | None",
    "libvirtError.get_error_domain": "int | None",
    "libvirtError.get_error_level": "int | None",
    "libvirtError.get_error_message": "str | None",
    "libvirtError.get_int1": "int | None",
    "libvirtError.get_int2": "int | None",
    "libvirtError.get_str1": "str | None",
    "libvirtError.get_str2": "str | None",
    "libvirtError.get_str3": "str | None",
    # virConnect
    "virConnect.__enter__": "virConnect",
    "virConnect.allocPages": "int",
    "virConnect.baselineCPU": "str",
    "virConnect.baselineHypervisorCPU": "str",
    "virConnect.createXMLWithFiles": "virDomain",
    "virConnect.domainListGetStats": _STATS,
    "virConnect.getAllDomainStats": _STATS,
    # (number of CPUs, online map, number online)
    "virConnect.getCPUMap": "tuple[int, list[bool], int]",
    "virConnect.getCPUModelNames": "list[str]",
    "virConnect.getCPUStats": "dict[str, int]",
    "virConnect.getCellsFreeMemory": "list[int]",
    # cell -> page size -> free pages
    "virConnect.getFreePages": "dict[int, dict[int, int]]",
    # [model, memory MiB, cpus, MHz, nodes, sockets, cores, threads]: a str and
    # seven ints, which a list type cannot say element by element.
    "virConnect.getInfo": "list[Any]",
    "virConnect.getLibVersion": "int",
    "virConnect.getMemoryParameters": "_Params",
    "virConnect.getMemoryStats": "dict[str, int]",
    "virConnect.getSEVInfo": "_Params",
    # [model, DOI]
    "virConnect.getSecurityModel": "list[str]",
    "virConnect.getVersion": "int",
    "virConnect.listAllDevices": "list[virNodeDevice]",
    "virConnect.listAllDomains": "list[virDomain]",
    "virConnect.listAllInterfaces": "list[virInterface]",
    "virConnect.listAllNWFilterBindings": "list[virNWFilterBinding]",
    "virConnect.listAllNWFilters": "list[virNWFilter]",
    "virConnect.listAllNetworks": "list[virNetwork]",
    "virConnect.listAllSecrets": "list[virSecret]",
    "virConnect.listAllStoragePools": "list[virStoragePool]",
    "virConnect.listDefinedDomains": "list[str]",
    "virConnect.listDefinedInterfaces": "list[str]",
    "virConnect.listDefinedNetworks": "list[str]",
    "virConnect.listDefinedStoragePools": "list[str]",
    "virConnect.listDevices": "list[str]",
    "virConnect.listDomainsID": "list[int]",
    "virConnect.listInterfaces": "list[str]",
    "virConnect.listNWFilters": "list[str]",
    "virConnect.listNetworks": "list[str]",
    "virConnect.listSecrets": "list[str]",
    "virConnect.listStoragePools": "list[str]",
    "virConnect.lookupByUUID": "virDomain",
    "virConnect.networkLookupByUUID": "virNetwork",
    "virConnect.nwfilterLookupByUUID": "virNWFilter",
    "virConnect.registerCloseCallback": "int",
    "virConnect.restoreParams": "int",
    "virConnect.secretLookupByUUID": "virSecret",
    "virConnect.setIdentity": "int",
    "virConnect.setMemoryParameters": "int",
    "virConnect.storagePoolLookupByUUID": "virStoragePool",
    "virConnect.virConnGetLastError": "_LastError | None",
    # virDomain
    "virDomain.FDAssociate": "int",
    "virDomain.UUID": _UUID,
    "virDomain.UUIDString": "str",
    "virDomain.authorizedSSHKeysGet": "list[str]",
    "virDomain.authorizedSSHKeysSet": "int",
    "virDomain.autostart": "int",
    "virDomain.blkioParameters": "_Params",
    "virDomain.blockCopy": "int",
    # [capacity, allocation, physical]
    "virDomain.blockInfo": "list[int]",
    "virDomain.blockIoTune": "_Params",
    # {} when no job runs; else type, bandwidth, cur, end
    "virDomain.blockJobInfo": "dict[str, int]",
    "virDomain.blockPeek": "bytes",
    # (rd_req, rd_bytes, wr_req, wr_bytes, errs)
    "virDomain.blockStats": "tuple[int, int, int, int, int]",
    "virDomain.blockStatsFlags": "_Params",
    # [state, details, stateTime]
    "virDomain.controlInfo": "list[int]",
    "virDomain.createWithFiles": "int",
    "virDomain.diskErrors": "dict[str, int]",
    "virDomain.emulatorPinInfo": "tuple[bool, ...]",
    "virDomain.fsFreeze": "int",
    # (mountpoint, name, fstype, [device aliases])
    "virDomain.fsInfo": "list[tuple[str, str, str, list[str]]]",
    "virDomain.fsThaw": "int",
    "virDomain.getCPUStats": "list[dict[str, int]]",
    "virDomain.getTime": "dict[str, int]",
    "virDomain.guestInfo": "_Params",
    # The wrapper tests for -1 but the C code returns None on failure.
    "virDomain.guestVcpus": "_Params | None",
    # [state, maxMem, memory, nrVirtCpu, cpuTime]
    "virDomain.info": "list[int]",
    # name -> {"hwaddr": str | None, "addrs": [{"type": int, "addr": str, "prefix": int}]}
    "virDomain.interfaceAddresses": "dict[str, dict[str, Any]]",
    "virDomain.interfaceParameters": "_Params",
    # (rx_bytes, rx_packets, rx_errs, rx_drop, tx_bytes, tx_packets, tx_errs, tx_drop)
    "virDomain.interfaceStats": "tuple[int, int, int, int, int, int, int, int]",
    # [(iothread id, cpu map)]
    "virDomain.ioThreadInfo": "list[tuple[int, list[bool]]]",
    "virDomain.jobInfo": "list[int]",
    "virDomain.jobStats": "_Params",
    "virDomain.launchSecurityInfo": "_Params",
    "virDomain.listAllCheckpoints": "list[virDomainCheckpoint]",
    "virDomain.listAllSnapshots": "list[virDomainSnapshot]",
    "virDomain.memoryParameters": "_Params",
    "virDomain.memoryPeek": "bytes",
    "virDomain.memoryStats": "dict[str, int]",
    "virDomain.messages": "list[str]",
    "virDomain.migrate3": "virDomain",
    # Not raised: None when the driver fails.
    "virDomain.migrateGetCompressionCache": "int | None",
    "virDomain.migrateGetMaxDowntime": "int | None",
    "virDomain.migrateGetMaxSpeed": "int",
    "virDomain.migrateToURI3": "int",
    "virDomain.numaParameters": "_Params",
    "virDomain.perfEvents": "dict[str, bool]",
    "virDomain.pinEmulator": "int",
    "virDomain.pinIOThread": "int",
    "virDomain.pinVcpu": "int",
    "virDomain.pinVcpuFlags": "int",
    "virDomain.saveParams": "int",
    "virDomain.schedulerParameters": "_Params",
    "virDomain.schedulerParametersFlags": "_Params",
    # (scheduler name, number of parameters)
    "virDomain.schedulerType": "tuple[str, int]",
    # [label, enforcing]
    "virDomain.securityLabel": "list[Any]",
    "virDomain.securityLabelList": "list[list[Any]]",
    "virDomain.sendKey": "int",
    "virDomain.setBlkioParameters": "int",
    "virDomain.setBlockIoTune": "int",
    "virDomain.setIOThreadParams": "int",
    "virDomain.setInterfaceParameters": "int",
    "virDomain.setLaunchSecurityState": "int",
    "virDomain.setMemoryParameters": "int",
    "virDomain.setNumaParameters": "int",
    "virDomain.setPerfEvents": "int",
    "virDomain.setSchedulerParameters": "int",
    "virDomain.setSchedulerParametersFlags": "int",
    "virDomain.snapshotListNames": "list[str]",
    # [state, reason]
    "virDomain.state": "list[int]",
    "virDomain.vcpuPinInfo": "list[tuple[bool, ...]]",
    # ([(number, state, cpuTime, cpu)], [cpu map per vcpu])
    "virDomain.vcpus": "tuple[list[tuple[int, int, int, int]], list[tuple[bool, ...]]]",
    "virDomainCheckpoint.domain": "virDomain",
    "virDomainCheckpoint.getConnect": "virConnect",
    "virDomainCheckpoint.getDomain": "virDomain",
    "virDomainCheckpoint.listAllChildren": "list[virDomainCheckpoint]",
    "virDomainSnapshot.domain": "virDomain",
    "virDomainSnapshot.getConnect": "virConnect",
    "virDomainSnapshot.getDomain": "virDomain",
    "virDomainSnapshot.listAllChildren": "list[virDomainSnapshot]",
    "virDomainSnapshot.listChildrenNames": "list[str]",
    "virNWFilter.UUID": _UUID,
    "virNWFilter.UUIDString": "str",
    "virNetwork.DHCPLeases": "list[dict[str, Any]]",
    "virNetwork.UUID": _UUID,
    "virNetwork.UUIDString": "str",
    "virNetwork.autostart": "int",
    "virNetwork.listAllPorts": "list[virNetworkPort]",
    "virNetwork.portLookupByUUID": "virNetworkPort",
    "virNetworkPort.UUID": _UUID,
    "virNetworkPort.UUIDString": "str",
    "virNetworkPort.network": "virNetwork",
    "virNetworkPort.parameters": "_Params",
    "virNetworkPort.setParameters": "int",
    "virNodeDevice.autostart": "int",
    "virNodeDevice.listCaps": "list[str]",
    # None for the root device ("computer"), which has no parent.
    "virNodeDevice.parent": "str | None",
    "virSecret.UUID": _UUID,
    "virSecret.UUIDString": "str",
    "virSecret.setValue": "int",
    "virSecret.value": "bytes",
    "virStoragePool.UUID": _UUID,
    "virStoragePool.UUIDString": "str",
    "virStoragePool.autostart": "int",
    # [state, capacity, allocation, available]
    "virStoragePool.info": "list[int]",
    "virStoragePool.listAllVolumes": "list[virStorageVol]",
    "virStoragePool.listVolumes": "list[str]",
    # [type, capacity, allocation]
    "virStorageVol.info": "list[int]",
    "virStorageVol.infoFlags": "list[int]",
    # bytes read, b"" at the end, -2 when a non-blocking stream would block
    "virStream.recv": "bytes | int",
    "virStream.recvFlags": "bytes | int",
    "virStream.recvHole": "int",
    # libvirt_qemu, libvirt_lxc, libvirtaio
    "libvirt_qemu.qemuMonitorCommand": "str",
    "libvirt_qemu.qemuMonitorCommandWithFiles": "tuple[str, list[IO[Any]]]",
    "libvirt_qemu.qemuMonitorEventRegister": "int",
    "libvirt_lxc.lxcOpenNamespace": "list[int]",
    "libvirtaio.getCurrentImpl": "virEventAsyncIOImpl | None",
    "libvirtaio.virEventRegisterAsyncIOImpl": "virEventAsyncIOImpl",
    "libvirtaio.Descriptor.remove_handle": "None",
    "libvirtaio.virEventAsyncIOImpl.is_idle": "bool",
    "libvirtaio.virEventAsyncIOImpl.register": "virEventAsyncIOImpl",
}

# -- parameters -------------------------------------------------------------------

_PARAMS_IN = "_ParamsIn"
# A CPU map is one bool per host CPU, as a tuple: the binding raises TypeError
# ("tuple is required") for bytes or a list.
_CPUMAP = "tuple[bool, ...]"

PARAMS: dict[str, str] = {
    # The parent each object is constructed with, and the C object (a capsule).
    "*.__init__.conn": "virConnect",
    "*.__init__.dom": "virDomain",
    "*.__init__.net": "virNetwork",
    "*.__init__._obj": "object | None",
    "getVersion.name": "str | None",
    # NULL: the connection's default domain type.
    "virConnect.getMaxVcpus.type": "str | None",
    "openAuth.uri": "str | None",
    # [credential types, callback(credentials, opaque) -> int, opaque]: a list of
    # three different things, which a list type cannot say element by element.
    "openAuth.auth": "list[Any]",
    "virEventInvokeFreeCallback.opaque": "object",
    "virEventRegisterImpl.addHandle": "_EventAddHandleFunc",
    "virEventRegisterImpl.updateHandle": "_EventUpdateHandleFunc",
    "virEventRegisterImpl.removeHandle": "_EventRemoveHandleFunc",
    "virEventRegisterImpl.addTimeout": "_EventAddTimeoutFunc",
    "virEventRegisterImpl.updateTimeout": "_EventUpdateTimeoutFunc",
    "virEventRegisterImpl.removeTimeout": "_EventRemoveTimeoutFunc",
    "libvirtError.__init__.defmsg": "str",
    "virConnect.__exit__.exc_type_": "type[BaseException] | None",
    "virConnect.__exit__.exc_value_": "BaseException | None",
    "virConnect.__exit__.traceback_": "TracebackType | None",
    # page size -> number of pages
    "virConnect.allocPages.pages": "Mapping[int, int]",
    "virConnect.baselineCPU.xmlCPUs": "list[str]",
    "virConnect.baselineHypervisorCPU.xmlCPUs": "list[str]",
    "virConnect.createXMLWithFiles.files": "list[int]",
    "virConnect.domainEventRegister.cb":
        "Callable[[virConnect, virDomain, int, int, _T], object]",
    "virConnect.domainEventRegister.opaque": "_T",
    "virConnect.domainEventDeregister.cb": "Callable[..., object]",
    "virConnect.domainListGetStats.doms": "list[virDomain]",
    "virConnect.getFreePages.pages": "list[int]",
    "virConnect.getFreePages.maxCells": "int",
    "virConnect.lookupByUUID.uuid": _UUID,
    "virConnect.networkLookupByUUID.uuid": _UUID,
    "virConnect.nwfilterLookupByUUID.uuid": _UUID,
    "virConnect.secretLookupByUUID.uuid": _UUID,
    "virConnect.storagePoolLookupByUUID.uuid": _UUID,
    "virConnect.registerCloseCallback.cb": "Callable[[virConnect, int, _T], object]",
    "virConnect.registerCloseCallback.opaque": "_T",
    "virConnect.restoreParams.params": _PARAMS_IN,
    "virConnect.setIdentity.params": _PARAMS_IN,
    "virConnect.setMemoryParameters.params": _PARAMS_IN,
    "virDomain.FDAssociate.files": "list[int]",
    "virDomain.authorizedSSHKeysSet.keys": "list[str] | None",
    "virDomain.blockCopy.params": "_ParamsIn | None",
    "virDomain.blockInfo.path": "str",
    "virDomain.blockJobInfo.path": "str",
    "virDomain.blockStats.path": "str",
    "virDomain.blockStatsFlags.path": "str",
    "virDomain.createWithFiles.files": "list[int]",
    "virDomain.fsFreeze.mountpoints": "list[str] | None",
    "virDomain.fsThaw.mountpoints": "list[str] | None",
    "virDomain.getCPUStats.total": "bool",
    "virDomain.interfaceStats.path": "str",
    "virDomain.migrate3.params": _PARAMS_IN,
    "virDomain.migrateToURI3.params": _PARAMS_IN,
    "virDomain.pinEmulator.cpumap": _CPUMAP,
    "virDomain.pinIOThread.iothread_val": "int",
    "virDomain.pinIOThread.cpumap": _CPUMAP,
    "virDomain.pinVcpu.cpumap": _CPUMAP,
    "virDomain.pinVcpuFlags.cpumap": _CPUMAP,
    "virDomain.revertToSnapshot.snap": "virDomainSnapshot",
    "virDomain.saveParams.params": _PARAMS_IN,
    "virDomain.sendKey.keycodes": "list[int]",
    "virDomain.setBlkioParameters.params": _PARAMS_IN,
    "virDomain.setBlockIoTune.params": _PARAMS_IN,
    "virDomain.setIOThreadParams.iothread_val": "int",
    "virDomain.setIOThreadParams.params": _PARAMS_IN,
    "virDomain.setInterfaceParameters.params": _PARAMS_IN,
    "virDomain.setLaunchSecurityState.params": _PARAMS_IN,
    "virDomain.setMemoryParameters.params": _PARAMS_IN,
    "virDomain.setNumaParameters.params": _PARAMS_IN,
    "virDomain.setPerfEvents.params": _PARAMS_IN,
    "virDomain.setSchedulerParameters.params": _PARAMS_IN,
    "virDomain.setSchedulerParametersFlags.params": _PARAMS_IN,
    # {"seconds": int, "nseconds": int}
    "virDomain.setTime.time": "Mapping[str, int] | None",
    "virNetwork.portLookupByUUID.uuid": _UUID,
    "virNetworkPort.setParameters.params": _PARAMS_IN,
    "virSecret.setValue.value": "bytes",
    # Binary data (the C argument is a const char * with a length); a str
    # makes the binding fail with SystemError.
    "virStream.send.data": "bytes",
    # events: VIR_STREAM_EVENT_* bits; cb(stream, events, opaque)
    "virStream.eventAddCallback.cb": "Callable[[virStream, int, _T], object]",
    "virStream.eventAddCallback.opaque": "_T",
    # handler(stream, data, opaque) -> bytes consumed (< 0 aborts)
    "virStream.recvAll.handler": "Callable[[virStream, bytes, _T], int]",
    "virStream.recvAll.opaque": "_T",
    # handler(stream, nbytes, opaque) -> data to send, b"" at the end
    "virStream.sendAll.handler": "Callable[[virStream, int, _T], bytes]",
    "virStream.sendAll.opaque": "_T",
    "virStream.sparseRecvAll.handler": "Callable[[virStream, bytes, _T], int]",
    # holeHandler(stream, length, opaque) -> 0 or < 0 to abort
    "virStream.sparseRecvAll.holeHandler": "Callable[[virStream, int, _T], int]",
    "virStream.sparseRecvAll.opaque": "_T",
    "virStream.sparseSendAll.handler": "Callable[[virStream, int, _T], bytes]",
    # holeHandler(stream, opaque) -> [in data (bool-like int), bytes until the next change]
    "virStream.sparseSendAll.holeHandler": "Callable[[virStream, _T], list[int]]",
    # skipHandler(stream, length, opaque) -> 0 or < 0 to abort
    "virStream.sparseSendAll.skipHandler": "Callable[[virStream, int, _T], int]",
    "virStream.sparseSendAll.opaque": "_T",
    "libvirt_qemu.qemuMonitorCommandWithFiles.files": "list[int]",
    # cb(conn, dom, event name, seconds, microseconds, details (JSON text) or None, opaque)
    "libvirt_qemu.qemuMonitorEventRegister.cb":
        "Callable[[libvirt.virConnect, libvirt.virDomain, str, int, int, str | None, _T], "
        "object]",
    "libvirt_qemu.qemuMonitorEventRegister.opaque": "_T",
    "libvirt_qemu.qemuMonitorEventRegister.dom": "libvirt.virDomain | None",
    "libvirt_qemu.qemuMonitorEventRegister.event": "str | None",
    "libvirtaio.virEventRegisterAsyncIOImpl.loop": "asyncio.AbstractEventLoop | None",
    # libvirtaio's building blocks: callbacks, and a descriptor per watched fd.
    "libvirtaio.Callback.__init__.impl": "virEventAsyncIOImpl",
    "libvirtaio.Callback.__init__.cb": "Callable[..., object]",
    "libvirtaio.Callback.__init__.opaque": "object",
    "libvirtaio.Callback.__init__.args": "Any",
    "libvirtaio.Callback.__init__.kwargs": "Any",
    "libvirtaio.Descriptor.__init__.impl": "virEventAsyncIOImpl",
    "libvirtaio.Descriptor.__init__.fd": "int",
    "libvirtaio.Descriptor.add_handle.callback": "FDCallback",
    "libvirtaio.Descriptor.remove_handle.iden": "int",
    "libvirtaio.DescriptorDict.__init__.impl": "virEventAsyncIOImpl",
    "libvirtaio.FDCallback.__init__.args": "Any",
    "libvirtaio.FDCallback.__init__.descriptor": "Descriptor",
    "libvirtaio.FDCallback.__init__.event": "int",
    "libvirtaio.FDCallback.__init__.kwargs": "Any",
    "libvirtaio.FDCallback.update.event": "int",
    "libvirtaio.TimeoutCallback.__init__.args": "Any",
    "libvirtaio.TimeoutCallback.__init__.kwargs": "Any",
    "libvirtaio.TimeoutCallback.update.timeout": "int",
    "libvirtaio.virEventAsyncIOImpl.__init__.loop": "asyncio.AbstractEventLoop | None",
    "libvirtaio.virEventAsyncIOImpl.schedule_ff_callback.iden": "int",
    "libvirtaio.virEventAsyncIOImpl.schedule_ff_callback.opaque": "object",
}

#: ``async def`` methods (the facts record only that they return nothing).
ASYNC: set[str] = {"libvirtaio.virEventAsyncIOImpl.drain"}

#: Base classes the facts name without their type arguments.
BASES: dict[str, str] = {
    "libvirtaio.DescriptorDict": "dict[int, Descriptor]",
}

#: Attributes a class has besides its methods, as stub lines.
CLASS_ATTRIBUTES: dict[str, str] = {
    "libvirtError": "err: _RawError | None",
    # The chunk size download/upload helpers use (a class attribute).
    "virStorageVol": "streamBufSize: int",
    # The dict creates a Descriptor for an fd on first use.
    "libvirtaio.DescriptorDict": "def __missing__(self, fd: int) -> Descriptor: ...",
}

# -- callbacks typed per event ID -------------------------------------------------

#: Register function -> (object parameter, object class, {event-ID constant:
#: the callback's arguments between the object and opaque}).  Each entry
#: becomes one overload on the event ID's literal value, so mypy checks the
#: callback's shape against the event it is registered for.
_GENERIC = ""
_LIFECYCLE = "int, int"  # event, detail
EVENT_CALLBACKS: dict[str, tuple[str, str, dict[str, str]]] = {
    "virConnect.domainEventRegisterAny": ("dom", "virDomain", {
        "VIR_DOMAIN_EVENT_ID_LIFECYCLE": _LIFECYCLE,
        "VIR_DOMAIN_EVENT_ID_REBOOT": _GENERIC,
        "VIR_DOMAIN_EVENT_ID_RTC_CHANGE": "int",  # utc offset
        "VIR_DOMAIN_EVENT_ID_WATCHDOG": "int",  # action
        "VIR_DOMAIN_EVENT_ID_IO_ERROR": "str, str, int",  # srcPath, devAlias, action
        # phase, local address, remote address, auth scheme, subject
        # (addresses: {"family": int, "node": str, "service": str};
        # subject: [(type, name)])
        "VIR_DOMAIN_EVENT_ID_GRAPHICS":
            "int, dict[str, Any], dict[str, Any], str, list[tuple[str, str]]",
        "VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON": "str, str, int, str",  # ... reason
        "VIR_DOMAIN_EVENT_ID_CONTROL_ERROR": _GENERIC,
        "VIR_DOMAIN_EVENT_ID_BLOCK_JOB": "str, int, int",  # disk, type, status
        "VIR_DOMAIN_EVENT_ID_DISK_CHANGE": "str | None, str | None, str, int",
        "VIR_DOMAIN_EVENT_ID_TRAY_CHANGE": "str, int",  # devAlias, reason
        "VIR_DOMAIN_EVENT_ID_PMWAKEUP": "int",  # reason
        "VIR_DOMAIN_EVENT_ID_PMSUSPEND": "int",
        "VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE": "int",  # actual
        "VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK": "int",
        "VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED": "str",  # devAlias
        "VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2": "str, int, int",
        "VIR_DOMAIN_EVENT_ID_TUNABLE": "_Params",
        "VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE": "int, int",  # state, reason
        "VIR_DOMAIN_EVENT_ID_DEVICE_ADDED": "str",
        "VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION": "int",
        "VIR_DOMAIN_EVENT_ID_JOB_COMPLETED": "_Params",
        "VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED": "str",
        "VIR_DOMAIN_EVENT_ID_METADATA_CHANGE": "int, str | None",  # type, nsuri
        "VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD": "str, str, int, int",
        "VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE": "int, int, int",
        "VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE": "str, int",
        "VIR_DOMAIN_EVENT_ID_NIC_MAC_CHANGE": "str, str, str",
        "VIR_DOMAIN_EVENT_ID_VCPU_REMOVED": "int",
    }),
    "virConnect.networkEventRegisterAny": ("net", "virNetwork", {
        "VIR_NETWORK_EVENT_ID_LIFECYCLE": _LIFECYCLE,
        "VIR_NETWORK_EVENT_ID_METADATA_CHANGE": "int, str | None",
    }),
    "virConnect.storagePoolEventRegisterAny": ("pool", "virStoragePool", {
        "VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE": _LIFECYCLE,
        "VIR_STORAGE_POOL_EVENT_ID_REFRESH": _GENERIC,
    }),
    "virConnect.nodeDeviceEventRegisterAny": ("dev", "virNodeDevice", {
        "VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE": _LIFECYCLE,
        "VIR_NODE_DEVICE_EVENT_ID_UPDATE": _GENERIC,
    }),
    "virConnect.secretEventRegisterAny": ("secret", "virSecret", {
        "VIR_SECRET_EVENT_ID_LIFECYCLE": _LIFECYCLE,
        "VIR_SECRET_EVENT_ID_VALUE_CHANGED": _GENERIC,
    }),
}

#: Signatures written out as stub lines: overloads per case, or callback types the
#: function's own type variable ties to its opaque argument.
SIGNATURES: dict[str, str] = {
    # No name: the library version; a driver name: (library, driver) versions.
    "getVersion": '''
@overload
def getVersion(name: None = None) -> int: ...
@overload
def getVersion(name: str) -> tuple[int, int]: ...
''',
    # f(ctx, error) for every error; None restores libvirt's printing to stderr.
    "registerErrorHandler": '''
@overload
def registerErrorHandler(f: Callable[[_T, _RawError], object], ctx: _T) -> int: ...
@overload
def registerErrorHandler(f: None, ctx: object) -> int: ...
''',
    "virEventAddHandle": '''
def virEventAddHandle(fd: int, events: int, cb: Callable[[int, int, int, _T], object], \
opaque: _T) -> int: ...
''',
    "virEventAddTimeout": '''
def virEventAddTimeout(timeout: int, cb: Callable[[int, _T], object], opaque: _T) -> int: ...
''',
}
