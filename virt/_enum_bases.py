"""The bases of the generated enums: unknown values become pseudo-members.

A newer libvirt may report a state, reason or flag this package does not
know.  Converting it must not raise: `Enum` creates a pseudo-member named
``UNKNOWN_<value>`` (not cached, equal to its value); `Flag` keeps unknown bits.
Imported when the first enum class is built (`virt._enum` gives them out):
`enum`, with the `functools` and `collections` it imports, costs ~1.5 ms that
a program that never meets an enum does not pay.
"""

from __future__ import annotations

import enum
import sys

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Enum", "Flag"]


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
