"""The generated enums' bases and look-ups: converting a value from C.

`Enum` and `Flag`, the bases (unknown values become pseudo-members), are in
`virt._enum_bases`, imported when the first is asked for: `member`,
`Members` and `to` need no `enum` module.
"""

from __future__ import annotations

from ._lazy import names_from

TYPE_CHECKING = False  # typing's, without importing typing (~1.5 ms): mypy knows the name
if TYPE_CHECKING:
    import enum
    from typing import Any, TypeVar

    from ._enum_bases import Enum as Enum
    from ._enum_bases import Flag as Flag

    E = TypeVar("E", bound=enum.Enum)

__all__ = ["Enum", "Flag", "Members", "converter", "member", "to"]


def member(cls: type[E], value: int) -> E:
    """``cls(value)`` for a value from C: a dictionary look-up for a known
    value (calling an enum class costs about ten times more), the class
    itself for the rest (pseudo-members, flag combinations)."""
    found = cls._value2member_map_.get(value)
    return found if found is not None else cls(value)  # type: ignore[return-value]


class Members(dict):  # type: ignore[type-arg]
    """One enum class's members by value, for converting values from C on
    hot paths: ``to_state[value]`` is a dictionary look-up in C, no Python
    frame.  A value the class does not know (a pseudo-member, a flag
    combination) is given to the class, and kept if the class keeps it (flag
    combinations: as many as the class itself holds).  Calling it,
    ``to_state(value)``, does the same for code that takes any function."""

    __slots__ = ("_cls",)

    def __init__(self, cls: Any) -> None:
        super().__init__(cls._value2member_map_)
        self._cls = cls

    def __missing__(self, value: int) -> Any:
        cls = self._cls
        found = cls(value)
        if value in cls._value2member_map_:
            self[value] = found
        return found

    __call__ = dict.__getitem__

    def __repr__(self) -> str:
        return f"<members of {self._cls.__qualname__}>"


def converter(cls: Any) -> Members:
    """The converter of C values to *cls*'s members (a `Members`)."""
    return Members(cls)


class _Converters:
    """The `Members` of each generated enum class by name, made on first use:
    ``to.DomainState[value]`` (for generated methods, which cannot bind a
    class that is built later)."""

    def __getattr__(self, name: str) -> Members:
        if name.startswith("__"):
            raise AttributeError(name)
        from ._generated import enums

        members = Members(getattr(enums, name))
        setattr(self, name, members)  # two threads at once make two alike: harmless
        return members


to = _Converters()


if not TYPE_CHECKING:
    __getattr__ = names_from(globals(), "virt._enum_bases", ("Enum", "Flag"))
