"""Generation of the event dataclasses (``virt/_generated/events.py``).

One frozen dataclass per event ID of libvirt's domain, network, storage pool,
node device and secret events, plus QEMU monitor events and the connection
close event.  Fields come from the C callback's arguments (after the
connection and the object, before ``opaque``); ``EVENTS`` (in
``tools/tables/events.py``) says, for each event, which callback delivers it
and which enum each integer field holds.
"""

from __future__ import annotations

from typing import Any

from genmethods import import_lines, snake
from tables.events import EVENTS, FAMILIES, LIFECYCLE_DETAILS

SCALARS = {"int": "int", "unsigned int": "int", "long long": "int",
           "unsigned long long": "int", "const char *": "str"}


def field_name(arg: str) -> str:
    name = snake(arg[0].upper() + arg[1:])
    return {"dev_alias": "dev_alias", "src_path": "src_path"}.get(name, name)


def events_module(facts: dict[str, Any], enum_classes: dict[str, str], header: str) -> str:
    """The source of ``virt/_generated/events.py``."""
    out = [header, '"""One frozen dataclass per libvirt event; see ``virt.events``."""', "",
           "from __future__ import annotations", "", "from dataclasses import dataclass",
           "from typing import Any, ClassVar, Union", "", "from .._enum import converter",
           "from .._event_base import (", "    DomainEvent,", "    Event,", "    NetworkEvent,",
           "    NodeDeviceEvent,", "    SecretEvent,", "    StoragePoolEvent,",
           "    graphics_address,", "    graphics_subject,", "    optional_text,",
           "    text,", ")", "IMPORTS", ""]
    needed_enums: set[str] = {"DomainEventType"}
    needed_params: set[str] = set()
    names = []
    ids = {n: e["value"] for n, e in facts["enums"].items()}
    details = [enum_classes[t] for t in LIFECYCLE_DETAILS.values()]
    needed_enums.update(details)
    # Every member of the union is an enum, so ``event.detail.name`` type-checks:
    # a detail this package does not know is a pseudo-member, never a bare int.
    out += ["", "#: The detail of a domain lifecycle event: the enum of its event type.",
            "DomainLifecycleDetail = Union[", *[f"    {d}," for d in details], "]"]
    for (family, id_name), (cls, callback, kinds) in EVENTS.items():
        base = FAMILIES[family][0]
        args = facts["callbacks"][callback]["args"][2:-1]
        what = f"``{id_name}``" if family != "qemu" else "A QEMU monitor event"
        lines = ["", "", "@dataclass(frozen=True)", f"class {cls}({base}):",
                 f'    """{what}, delivered through :libvirt:`{callback}`."""', ""]
        converters: list[str] = []
        skip = False
        for arg, ctype in args:
            if skip:  # the count of the typed parameters before
                skip = False
                continue
            kind = kinds.get(arg, "")
            name = field_name(arg)
            if kind.startswith("params:"):
                pclass = kind.split(":")[1]
                needed_params.add(pclass)
                annotation, conv, skip = pclass, f"{pclass}._unpack", True
            elif kind == "graphics_address":
                annotation, conv = "tuple[int, str, str | None]", "graphics_address"
            elif kind == "graphics_subject":
                annotation, conv = "tuple[tuple[str, str], ...]", "graphics_subject"
            elif kind == "str?":
                annotation, conv = "str | None", "optional_text"
            elif kind:
                annotation = enum_classes[kind]
                needed_enums.add(annotation)
                conv = f"_to_{annotation}"
            elif cls == "DomainLifecycle" and arg == "detail":
                annotation, conv = "DomainLifecycleDetail", "int"
            elif ctype == "const char *":
                annotation, conv = "str", "text"
            elif ctype in SCALARS:
                annotation, conv = "int", "int"
            else:
                raise ValueError(f"{callback}: no field kind for {arg}: {ctype}")
            lines.append(f"    {name}: {annotation}")
            converters.append(conv)
        if len(lines) == 6:
            lines.append("    # no fields beyond the object")
        lines += ["",
                  f"    _event_id: ClassVar[int] = {ids.get(id_name, -1)}",
                  f"    _callback_name: ClassVar[str] = {callback!r}",
                  f"    _register_name: ClassVar[str] = {FAMILIES[family][3]!r}",
                  "    _converters: ClassVar[tuple[Any, ...]] = ("
                  + "".join(f"{c}, " for c in converters).rstrip(" ") + ")"]
        out += lines
        names.append(cls)
    out += ["", "", "#: The detail enum of each lifecycle event type.",
            "LIFECYCLE_DETAILS: dict[int, Any] = {"]
    for event, enum_type in LIFECYCLE_DETAILS.items():
        out.append(f"    {ids['VIR_DOMAIN_EVENT_' + event]}: "
                   f"converter({enum_classes[enum_type]}),  # {event}")
    out += ["}", "",
            "#: The detail of an event type this package does not know (a newer libvirt's):",
            "#: a pseudo-member ``UNKNOWN_<value>``, which has ``.name`` and ``.value`` too.",
            f"LIFECYCLE_UNKNOWN_DETAIL: Any = {details[0]}._missing_", ""]
    out += ["", "#: Every event class.", "EVENT_CLASSES: tuple[type[Event], ...] = ("]
    out += [f"    {n}," for n in names]
    out += [")", "",
            "#: The name of the event class of each (registration function, event ID; -1",
            "#: for QEMU monitor events): plain data, so that a registration finds its",
            "#: class without building all of them.",
            "EVENT_NAMES: dict[tuple[str, int], str] = {"]
    out += [f"    ({FAMILIES[family][3]!r}, {ids.get(id_name, -1)}): {cls!r},"
            for (family, id_name), (cls, _callback, _kinds) in EVENTS.items()]
    out += ["}", "", "__all__ = [", '    "DomainLifecycleDetail",',
            *[f'    "{n}",' for n in sorted(names)], "]"]
    text = "\n".join(out) + "\n"
    imports = import_lines(".enums", sorted(needed_enums)) + "\n" + \
        import_lines(".params", sorted(needed_params)) + "\n\n" + \
        "\n".join(f"_to_{e} = converter({e})" for e in sorted(needed_enums))
    return text.replace("IMPORTS", imports, 1)
