"""What each generated method's docstring says, in our words (see docs_*.py)."""

from __future__ import annotations

from tables.docs_connection import CONNECTION_DOCS
from tables.docs_domain import DOMAIN_DOCS
from tables.docs_objects import OBJECT_DOCS

#: C function -> the prose of its Python method's docstring
METHOD_DOCS: dict[str, str] = {**DOMAIN_DOCS, **CONNECTION_DOCS, **OBJECT_DOCS}
