"""Errors: the groups of libvirt error codes, each under a base class that also
derives from a built-in exception, and the names that do not follow the rule
(applied by ``tools/gencore.py``)."""

from __future__ import annotations

#: Error codes grouped under a base class that also derives from a built-in
#: exception, so ordinary ``except LookupError`` handlers work.
ERROR_GROUPS: dict[str, tuple[str, str, list[str]]] = {
    # base class: (built-in, docstring, VIR_ERR_* codes without the prefix)
    "NotFoundError": ("LookupError", "A libvirt object that was asked for does not exist.", [
        "NO_DOMAIN", "NO_NETWORK", "NO_STORAGE_POOL", "NO_STORAGE_VOL", "NO_NODE_DEVICE",
        "NO_INTERFACE", "NO_SECRET", "NO_NWFILTER", "NO_NWFILTER_BINDING",
        "NO_DOMAIN_SNAPSHOT", "NO_DOMAIN_CHECKPOINT", "NO_DOMAIN_BACKUP",
        "NO_DOMAIN_METADATA", "NO_NETWORK_METADATA", "NO_NETWORK_PORT", "NO_SERVER",
        "NO_CLIENT", "NO_DEVICE", "NO_SECURITY_MODEL", "NO_HOSTNAME",
    ]),
    "InvalidArgumentError": ("ValueError", "An argument or an XML document was refused.", [
        "INVALID_ARG", "XML_ERROR", "XML_DETAIL", "XML_INVALID_SCHEMA", "INVALID_MAC",
        "NO_NAME", "NO_OS", "NO_KERNEL", "NO_ROOT", "NO_SOURCE", "NO_TARGET", "OS_TYPE",
        "CONF_SYNTAX", "INVALID_ENCR_KEY_SECRET",
    ]),
    "AuthorizationError": ("PermissionError", "Authentication failed or access was denied.", [
        "AUTH_FAILED", "AUTH_CANCELLED", "AUTH_UNAVAILABLE", "ACCESS_DENIED",
        "OPERATION_DENIED",
    ]),
    "ConnectionLostError": ("ConnectionError",
                            "The connection to libvirt could not be made or was lost.", [
        "NO_CONNECT", "RPC", "UNKNOWN_HOST", "GNUTLS_ERROR", "SSH", "LIBSSH",
    ]),
    "TimedOutError": ("TimeoutError", "An operation or a guest agent timed out.", [
        "OPERATION_TIMEOUT", "AGENT_COMMAND_TIMEOUT", "AGENT_UNRESPONSIVE",
    ]),
    "UnsupportedError": ("NotImplementedError",
                         "The driver or hypervisor does not support what was asked.", [
        "NO_SUPPORT", "ARGUMENT_UNSUPPORTED", "CONFIG_UNSUPPORTED", "OPERATION_UNSUPPORTED",
    ]),
    "AlreadyExistsError": ("FileExistsError", "An object with that name or UUID exists.", [
        "DOM_EXIST", "NETWORK_EXIST", "STORAGE_VOL_EXIST", "NETWORK_PORT_EXIST",
    ]),
}


#: Codes whose mechanical class name would shadow a built-in exception.
ERROR_RENAMES = {"VIR_ERR_SYSTEM_ERROR": "SystemCallError",
                 # OverflowError would shadow the built-in under `from virt import *`
                 "VIR_ERR_OVERFLOW": "ValueOverflowError"}


#: Codes outside the groups that still match a built-in exception.
ERROR_BUILTINS = {"VIR_ERR_SYSTEM_ERROR": "OSError", "VIR_ERR_OVERFLOW": "OverflowError"}
