"""Bases of the generated enums: unknown values become pseudo-members.

A newer libvirt may report a state, reason or flag this package does not
know.  Converting it must not raise: `Enum` creates a pseudo-member named
``UNKNOWN_<value>`` (not cached, equal to its value); `Flag` keeps unknown bits.
"""

from __future__ import annotations

import enum
import sys
from typing import Any

__all__ = ["Enum", "Flag", "converter"]


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


def converter(cls: Any) -> Any:
    """A fast ``cls(value)`` for hot paths: a dictionary look-up for known
    values (calling an enum class costs about ten times more), the class
    itself for the rest (pseudo-members, flag combinations)."""
    get = cls._value2member_map_.get

    def convert(value: int) -> Any:
        member = get(value)
        return member if member is not None else cls(value)

    convert.__name__ = f"to_{cls.__name__}"
    return convert
