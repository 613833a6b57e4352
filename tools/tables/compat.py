"""virt.compat: what the facts do not decide about an official method.

Keys are ``(compat class, official method)``.  Each entry may give

``c``        the C function to route through, when the official method calls several
``core``     the core method (``virt.Class.method``), when the record's target differs
``args``     official parameter name -> the expression passed for it
``check``    for a setter of typed parameters: the expression giving the current
             ones, against which libvirt-python checks the names it is given
``convert``  a converter of ``virt.compat._convert`` for the result, when the
             official shape is not the generic one (a tuple where the record is a
             list, units, …)

Everything else is derived by ``tools/gencompat.py``: the official parameters
(names and defaults), the C function, the core target, and the result's shape
from the core method's annotation.
"""

from __future__ import annotations

from typing import Any

METHODS: dict[tuple[str, str], dict[str, Any]] = {
    # libvirt-python returns a tuple of the five counters, not a list.
    ("virDomain", "blockStats"): {"convert": "as_tuple"},
    ("virDomain", "interfaceStats"): {"convert": "as_tuple"},
    ("virDomain", "getTime"): {"convert": "time_dict"},
    # records of numbers: one C-level conversion instead of one per field
    ("virDomain", "blockInfo"): {"convert": "int_list"},
    ("virDomain", "controlInfo"): {"convert": "int_list"},
    ("virDomain", "jobInfo"): {"convert": "int_list"},
    ("virStoragePool", "info"): {"convert": "int_list"},
    ("virStorageVol", "info"): {"convert": "int_list"},
    ("virStorageVol", "infoFlags"): {"convert": "int_list"},
    ("virDomain", "jobStats"): {"convert": "job_stats"},
    ("virDomain", "schedulerType"): {"convert": "as_tuple"},
    ("virDomain", "emulatorPinInfo"): {"convert": "as_tuple"},
    ("virDomain", "vcpuPinInfo"): {"convert": "tuples"},
    ("virDomain", "vcpus"): {"convert": "vcpus"},
    ("virDomain", "diskErrors"): {"convert": "disk_errors"},
    ("virDomain", "memoryStats"): {"convert": "memory_stats"},
    ("virDomain", "blockJobInfo"): {"convert": "block_job_info"},
    ("virDomain", "interfaceAddresses"): {"convert": "interface_addresses"},
    ("virNetwork", "DHCPLeases"): {"convert": "dhcp_leases"},
    ("virConnect", "getInfo"): {"convert": "node_info"},
    ("virConnect", "getCPUMap"): {"convert": "cpu_map"},
    # libvirt-python reads the current parameters first and refuses names the
    # server does not report (LookupError), and an empty dict.
    ("virConnect", "setMemoryParameters"): {"check": "self.getMemoryParameters(flags)"},
    ("virDomain", "setBlkioParameters"): {"check": "self.blkioParameters(flags)"},
    ("virDomain", "setBlockIoTune"): {"check": "self.blockIoTune(disk, flags)"},
    ("virDomain", "setInterfaceParameters"): {"check": "self.interfaceParameters(device, flags)"},
    ("virDomain", "setMemoryParameters"): {"check": "self.memoryParameters(flags)"},
    ("virDomain", "setNumaParameters"): {"check": "self.numaParameters(flags)"},
    ("virDomain", "setSchedulerParameters"): {"check": "self.schedulerParameters()"},
    ("virDomain", "setSchedulerParametersFlags"): {"check": "self.schedulerParametersFlags(flags)"},
    # libvirt-python takes None for "no keys"
    ("virDomain", "authorizedSSHKeysSet"): {"args": {"keys": "[] if keys is None else keys"}},
}

#: (official parameter, core parameter) pairs that name the same argument.  The
#: generator passes official arguments to the core by position only where the
#: names agree (ignoring case and underscores) or the pair is listed here.
SAME_PARAMETER: set[tuple[str, str]] = {
    ("doms", "domains"), ("frm", "from_"), ("files", "fds"), ("path", "disk"),
    ("path", "device"), ("iothread_val", "iothread_id"), ("maxCells", "cell_count"),
}

#: Methods written by hand in virt/compat/_classes.py although the generator
#: could not see it (none so far: it reads that file).
HAND: dict[str, tuple[str, ...]] = {}
