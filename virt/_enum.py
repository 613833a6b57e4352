"""The generated enums' bases and look-ups: converting a value from C.

`Enum` and `Flag`, the bases (unknown values become pseudo-members), are in
`virt._enum_bases`, imported when the first is asked for: `member` and
`converter` need no `enum` module.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    import enum
    from typing import Any, TypeVar

    from ._enum_bases import Enum as Enum
    from ._enum_bases import Flag as Flag

    E = TypeVar("E", bound=enum.Enum)

__all__ = ["Enum", "Flag", "converter", "member"]


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


if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name not in ("Enum", "Flag"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from . import _enum_bases

        value = globals()[name] = getattr(_enum_bases, name)
        return value
