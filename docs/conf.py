"""Sphinx configuration for virt's documentation (``make docs``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from docutils import nodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

project = "virt"
author = "the virt developers"
copyright = "2026, the virt developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
autodoc_member_order = "groupwise"
autodoc_typehints = "description"
default_role = "py:obj"
nitpicky = False
html_theme = "alabaster"
exclude_patterns = ["_build"]

# -- intersphinx: links to the Python documentation -----------------------------------
# docs.python.org may be out of reach where the docs are built (CI machines that
# reach only Debian and PyPI): `make docs` unpacks the inventory of Debian's
# python3.11-doc into build/, which is read first; the web copy is the fallback.
_PYTHON_INVENTORY = ROOT / "build" / "python-doc" / "usr" / "share" / "doc" / "python3.11" \
    / "html" / "objects.inv"
intersphinx_mapping: dict[str, Any] = {
    "python": ("https://docs.python.org/3",
               (str(_PYTHON_INVENTORY) if _PYTHON_INVENTORY.exists() else None)),
}

# -- the :libvirt: role: link a C symbol to its page in libvirt's API reference ------

_FACTS = json.loads((ROOT / "tools" / "api" / "libvirt-12.8.0.json").read_text())
_FILES = {name: entry["file"] for section in ("functions", "callbacks", "enums", "macros",
                                              "structs", "typedefs", "variables")
          for name, entry in _FACTS[section].items()}


def libvirt_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
                 options: Any = None, content: Any = None) -> tuple[list[Any], list[Any]]:
    """``:libvirt:`virDomainGetXMLDesc``` -> a link to libvirt's reference page."""
    header = _FILES.get(text)
    if header is None:
        message = inliner.reporter.error(f"unknown libvirt symbol {text!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    url = f"https://libvirt.org/html/libvirt-{header}.html#{text}"
    return [nodes.reference(rawtext, text, refuri=url, classes=["libvirt"])], []


def setup(app: Any) -> dict[str, Any]:
    app.add_role("libvirt", libvirt_role)
    return {"parallel_read_safe": True}
