"""Bases of the generated enums: unknown values become pseudo-members.

A newer libvirt may report a state, reason or flag this package does not
know.  Converting it must not raise: `Enum` creates a pseudo-member named
``UNKNOWN_<value>`` (not cached, equal to its value); `Flag` keeps unknown bits.
"""

from __future__ import annotations

import enum
import sys

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any, TypeVar

    E = TypeVar("E", bound=enum.Enum)

__all__ = ["Enum", "Flag", "converter", "member"]


class Enum(enum.IntEnum):
    """An ``IntEnum`` that accepts values it does not know."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self._name_}: {self._value_}>"


if sys.version_info >= (3, 11):

    class Flag(enum.IntFlag, boundary=enum.KEEP):
        """An ``IntFlag`` that keeps bits it does not know."""

else:  # before 3.11 IntFlag keeps unknown bits by default

    class Flag(enum.IntFlag):
        """An ``IntFlag`` that keeps bits it does not know."""


def member(cls: type[E], value: int) -> E:
    """``cls(value)`` for a value from C: a dictionary look-up for a known
    value (calling an enum class costs about ten times more), the class
    itself for the rest (pseudo-members, flag combinations)."""
    found = cls._value2member_map_.get(value)
    return found if found is not None else cls(value)  # type: ignore[return-value]


def converter(cls: Any) -> Any:
    """`member` for one class, as a function of the value (for hot paths:
    the class's look-up is bound once)."""
    get = cls._value2member_map_.get

    def convert(value: int) -> Any:
        member = get(value)
        return member if member is not None else cls(value)

    convert.__name__ = f"to_{cls.__name__}"
    return convert
