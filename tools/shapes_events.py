"""Hand-written event wrappers: C function -> dotted Python name (see shapes.HAND_WRITTEN)."""

from __future__ import annotations

EVENT_HAND_WRITTEN: dict[str, str] = {}
