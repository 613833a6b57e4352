"""Our own descriptions of the generated methods: C function -> reST paragraph.

The generator puts each into its method's docstring, followed by the link to
the C function and the libvirt version that added it.
"""

from __future__ import annotations

OBJECT_DOCS: dict[str, str] = {
}
