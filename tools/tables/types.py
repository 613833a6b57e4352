"""C types whose ctypes form the declaration alone does not decide."""

from __future__ import annotations

#: Places where the C type alone does not say how Python should see a value.
#: ``const char *`` normally becomes ``c_char_p`` (a NUL-terminated string),
#: but the data a stream sink receives is binary and has an explicit length:
#: as ``c_char_p`` ctypes would cut it at the first NUL byte.
TYPE_OVERRIDES = {
    ("virStreamSinkFunc", "data"): "POINTER(c_char)",
}
