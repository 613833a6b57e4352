"""Sphinx configuration for virt's documentation (``make docs``)."""

from __future__ import annotations

import builtins
import json
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

project = "virt"
author = "the virt developers"
copyright = "2026, the virt developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
autodoc_member_order = "groupwise"
autodoc_typehints = "description"
default_role = "py:obj"
# Every cross-reference must resolve (`make docs` builds with -n -W).
nitpicky = True
# Type variables and private type aliases that appear in annotations only (those
# autodoc cannot evaluate, being imported under TYPE_CHECKING): they are no public
# name and have no page.  Public names are never listed here.
nitpick_ignore = [("py:class", name) for name in (
    "E", "T", "P", "P.args", "P.kwargs", "_W", "virt.events.E", "virt._async.objects.E",
    "Buffer", "ParamRow", "SourceHandler", "SinkHandler", "SkipHandler", "HoleSourceHandler",
    "StreamEventCallback", "Progress", "PathOrFile", "Opening", "virt._async.objects.Opening",
    "HoleSinkHandler", "virt._async._runtime.Job",
)] + [("py:obj", "virt.events.E"), ("py:obj", "virt._async.objects.E")]
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


_BUILTINS = frozenset(dir(builtins))
#: Annotations evaluated to where a class is defined, and the name it is documented as.
_RENAMED = {
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
    "virt.compat._base.virDomain": "virt.compat.virDomain",
    "virt.compat._base.virStream": "virt.compat.virStream",
}


def builtin_types_exactly(app: Any, doctree: Any) -> None:
    """Make a type annotation naming a built-in (``type[E]``, ``int``) look up that
    exact name, not any attribute ending in it (``DomainJobInfo.type``)."""
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "py" and node.get("reftarget") in _BUILTINS:
            node.attributes.pop("refspecific", None)
            node["py:module"] = None
            node["py:class"] = None
        elif node.get("reftarget") in _RENAMED:
            node["reftarget"] = _RENAMED[node["reftarget"]]


def setup(app: Any) -> dict[str, Any]:
    app.add_role("libvirt", libvirt_role)
    app.connect("doctree-read", builtin_types_exactly)
    return {"parallel_read_safe": True}
