"""Hand-written stream wrappers: C function -> dotted Python name (see shapes.HAND_WRITTEN)."""

from __future__ import annotations

STREAM_HAND_WRITTEN: dict[str, str] = {}
