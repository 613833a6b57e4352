"""Generation of the core's mechanical parts: enums, flags and error classes.

Called by ``tools/generate.py``; the rules are here, the exceptions to them in
the small tables below.
"""

from __future__ import annotations

import re
from typing import Any

#: C enum types whose name does not end the way the Python class should.
ENUM_RENAMES = {
    "virDomainAbortJobFlagsValues": "DomainAbortJobFlags",
    "virDomainAgentResponseTimeoutValues": "DomainAgentResponseTimeout",
    "virDomainDestroyFlagsValues": "DomainDestroyFlags",
    "virDomainQemuAgentCommandTimeoutValues": "DomainQemuAgentCommandTimeout",
    "virDomainRebootFlagValues": "DomainRebootFlags",
    "virDomainShutdownFlagValues": "DomainShutdownFlags",
    "virDomainUndefineFlagsValues": "DomainUndefineFlags",
    "virStreamRecvFlagsValues": "StreamRecvFlags",
    # ``DomainLifecycle`` is the lifecycle event; this enum says which lifecycle
    # action (power off, reboot, crash) virDomainSetLifecycleAction sets.
    "virDomainLifecycle": "DomainLifecycleType",
}

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


#: Enums whose members share more than their common prefix says.
MEMBER_PREFIXES = {
    "virErrorNumber": "VIR_ERR_",  # and a few VIR_WAR_*, which keep WAR_
}


def enum_class_name(ctype: str) -> str:
    return ENUM_RENAMES.get(ctype, ctype[3:] if ctype.startswith("vir") else ctype)


def _split_members(names: list[str]) -> tuple[str, list[str]]:
    """The common ``VIR_..._`` prefix of *names* and what is left of each."""
    parts = [name.split("_") for name in names]
    prefix: list[str] = []
    for column in zip(*parts):
        if len(set(column)) != 1:
            break
        prefix.append(column[0])
    shortest = min(len(p) for p in parts)
    if len(prefix) >= shortest:  # a member would be left empty
        prefix = prefix[: shortest - 1]
    return "_".join(prefix) + "_", ["_".join(p[len(prefix):]) for p in parts]


def enum_types(facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """C enum type -> {class name, flag?, members [(python name, c name, value)], file}."""
    grouped: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, enum in facts["enums"].items():
        grouped.setdefault(enum["type"], []).append((name, enum))
    types = {}
    for ctype, entries in sorted(grouped.items()):
        entries = [(n, e) for n, e in entries if not n.endswith("_LAST")]
        if not entries:
            continue
        entries.sort(key=lambda item: (item[1]["value"], item[0]))
        if ctype in MEMBER_PREFIXES:
            prefix = MEMBER_PREFIXES[ctype]
            members = [n.removeprefix(prefix).removeprefix("VIR_") for n, _ in entries]
        else:
            _, members = _split_members([n for n, _ in entries])
        is_flag = "Flag" in ctype or any("bitshift" in e for _, e in entries)
        types[ctype] = {
            "class": enum_class_name(ctype),
            "flag": is_flag,
            "file": entries[0][1]["file"],
            "members": [(py, c, e["value"]) for py, (c, e) in zip(members, entries)],
        }
    return types


def enums_module(facts: dict[str, Any], header: str) -> str:
    out = [
        header,
        '"""Every C enum of libvirt as an ``IntEnum``, every flags type as an ``IntFlag``."""',
        "",
        "from __future__ import annotations",
        "",
        "from .._enum import Enum, Flag",
        "",
    ]
    types = enum_types(facts)
    for ctype, info in types.items():
        base = "Flag" if info["flag"] else "Enum"
        out += ["", f"class {info['class']}({base}):",
                f'    """C :libvirt:`{ctype}`."""', ""]
        for python_name, c_name, value in info["members"]:
            out.append(f"    {python_name} = {value}")
            out.append(f'    """``{c_name}``"""')
        out.append("")
    out.append("")
    out.append("__all__ = [")
    out += [f'    "{info["class"]}",' for info in types.values()]
    out.append("]")
    return "\n".join(out) + "\n"


#: Codes whose mechanical class name would shadow a built-in exception.
ERROR_RENAMES = {"VIR_ERR_SYSTEM_ERROR": "SystemCallError"}

#: Codes outside the groups that still match a built-in exception.
ERROR_BUILTINS = {"VIR_ERR_SYSTEM_ERROR": "OSError"}


def error_class_name(code: str) -> str:
    if code in ERROR_RENAMES:
        return ERROR_RENAMES[code]
    words = code.removeprefix("VIR_").removeprefix("ERR_").split("_")
    name = "".join(w.capitalize() for w in words)
    for old, new in (("Nwfilter", "NWFilter"), ("Xml", "XML"), ("Mac", "MAC"), ("Rpc", "RPC"),
                     ("Dbus", "DBus"), ("Gnutls", "GnuTLS"), ("Http", "HTTP"), ("Ssh", "SSH"),
                     ("Libssh", "LibSSH"), ("Encr", "Encryption"), ("Os", "OS"),
                     ("Cpu", "CPU"), ("Sexpr", "SExpr")):
        name = re.sub(rf"{old}(?=[A-Z]|$)", new, name)
    return name if name.endswith("Error") else name + "Error"


def errors_module(facts: dict[str, Any], header: str) -> str:
    codes = sorted(((e["value"], n) for n, e in facts["enums"].items()
                    if e["type"] == "virErrorNumber" and not n.endswith("_LAST")
                    and n != "VIR_ERR_OK"))
    group_of = {f"VIR_ERR_{code}": group
                for group, (_, _, members) in ERROR_GROUPS.items() for code in members}
    unknown = set(group_of) - {n for _, n in codes}
    if unknown:
        raise ValueError(f"ERROR_GROUPS names unknown codes: {sorted(unknown)}")
    out = [
        header,
        '"""One exception class per libvirt error code (``virErrorNumber``)."""',
        "",
        "from __future__ import annotations",
        "",
        "from .._exceptions import Error",
        "",
    ]
    names = []
    for group, (builtin, doc, _) in ERROR_GROUPS.items():
        out += ["", f"class {group}(Error, {builtin}):", f'    """{doc}"""', ""]
        names.append(group)
    for value, code in codes:
        cls = error_class_name(code)
        base = group_of.get(code, "Error")
        if code in ERROR_BUILTINS:
            base += ", " + ERROR_BUILTINS[code]
        out += ["", f"class {cls}({base}, code={value}):",
                f'    """Error code ``{code}`` of :libvirt:`virErrorNumber`."""', ""]
        names.append(cls)
    out.append("")
    out.append("__all__ = [")
    out += [f'    "{n}",' for n in names]
    out.append("]")
    return "\n".join(out) + "\n"
