"""Bases and field converters of the generated event dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .domain import Domain
    from .host import NodeDevice, Secret
    from .network import Network
    from .storage import StoragePool

__all__ = [
    "DomainEvent",
    "Event",
    "NetworkEvent",
    "NodeDeviceEvent",
    "SecretEvent",
    "StoragePoolEvent",
]


@dataclass(frozen=True)
class Event:
    """Base of every event class; subscribe with `virt.Connection.subscribe`."""

    _event_id: ClassVar[int]
    _callback_name: ClassVar[str]
    _register_name: ClassVar[str]
    _converters: ClassVar[tuple[Any, ...]]


@dataclass(frozen=True)
class DomainEvent(Event):
    """An event about a domain."""

    domain: Domain


@dataclass(frozen=True)
class NetworkEvent(Event):
    """An event about a virtual network."""

    network: Network


@dataclass(frozen=True)
class StoragePoolEvent(Event):
    """An event about a storage pool."""

    pool: StoragePool


@dataclass(frozen=True)
class NodeDeviceEvent(Event):
    """An event about a host device."""

    device: NodeDevice


@dataclass(frozen=True)
class SecretEvent(Event):
    """An event about a secret."""

    secret: Secret


def text(value: bytes | None) -> str:
    return "" if value is None else value.decode("utf-8", "surrogateescape")


def optional_text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("utf-8", "surrogateescape")


def graphics_address(pointer: Any) -> tuple[int, str, str | None]:
    """(family, node, service) of a ``virDomainEventGraphicsAddress``."""
    if not pointer:
        return (0, "", None)
    address = pointer.contents
    return (address.family, text(address.node), optional_text(address.service))


def graphics_subject(pointer: Any) -> tuple[tuple[str, str], ...]:
    """The (type, name) identities of a ``virDomainEventGraphicsSubject``."""
    if not pointer:
        return ()
    subject = pointer.contents
    return tuple((text(i.type), text(i.name))
                 for i in subject.identities[:subject.nidentity])
