"""The migration table (tools/gendocs.py): official names no C function maps.

For an official method or module function whose facts name no C function the
resolved record maps, ``(class or module, name)`` -> ``(core name, note)``.
``"*"`` as the class stands for every object class (``virt.X`` being the
class's core counterpart).  The core name is empty where virt has none.
"""

from __future__ import annotations

MIGRATION: dict[tuple[str, str], tuple[str, str]] = {
    ("*", "c_pointer"): ("", "no core counterpart: the handle stays inside the object "
                             "(``virt.raw`` for C interop)"),
    ("*", "connect"): ("virt.X.get_connect", "the object's connection"),
    ("virDomainCheckpoint", "domain"): ("virt.DomainCheckpoint.get_domain", ""),
    ("virDomainCheckpoint", "getDomain"): ("virt.DomainCheckpoint.get_domain", ""),
    ("virDomainCheckpoint", "getConnect"): ("virt.DomainCheckpoint.get_connect", ""),
    ("virDomainSnapshot", "domain"): ("virt.DomainSnapshot.get_domain", ""),
    ("virDomainSnapshot", "getDomain"): ("virt.DomainSnapshot.get_domain", ""),
    ("virDomainSnapshot", "getConnect"): ("virt.DomainSnapshot.get_connect", ""),
    ("virNetworkPort", "network"): ("virt.NetworkPort.get_network", ""),
    ("virConnect", "listDomainsID"): ("virt.Connection.list_domains", ""),
    ("virStream", "recvAll"): ("virt.Stream.recv_all", "the core returns what a handler "
                                                        "would be given"),
    ("virStream", "sendAll"): ("virt.Stream.send_all", "the core takes an iterable of bytes"),
    ("virStream", "sparseRecvAll"): ("virt.Stream.sparse_recv_all", "the core writes holes "
                                                                    "to a file object"),
    ("virStream", "sparseSendAll"): ("virt.Stream.sparse_send_all", "the core reads a file "
                                                                    "object"),
    ("libvirt", "registerErrorHandler"): ("", "none: virt raises every error, and logs "
                                              "callback errors to the ``virt`` logger"),
    ("libvirt", "virEventInvokeFreeCallback"): ("", "none: virt frees callback data itself"),
    ("libvirt", "libvirtError"): ("virt.Error", "``virt.Error`` has the same getters; "
                                                "its subclasses tell errors apart"),
    ("libvirtaio", "virEventRegisterAsyncIOImpl"): ("virt.aio.register",
                                                    "registers virt's asyncio loop"),
    ("libvirtaio", "getCurrentImpl"): ("virt.aio.registered_loop", "returns the loop"),
}
for _getter in ("code", "domain", "level", "message", "int1", "int2", "str1", "str2", "str3"):
    _name = f"get_{_getter}" if _getter.startswith(("int", "str")) else f"get_error_{_getter}"
    MIGRATION[("libvirtError", _name)] = (f"virt.Error.{_name}", "")
