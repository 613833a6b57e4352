"""The prose tables of the generated methods (tools/tables/docs_*.py).

Every generated C function of the resolved record has one entry, in the table of
its class; each entry says something beyond the C name, uses only Python names
that exist, and shares no run of 8 words with libvirt's own descriptions (the API
XML of the system's libvirt and of libvirt 12.8): the prose is ours.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from rig import require

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from tables.docs_connection import CONNECTION_DOCS  # noqa: E402
from tables.docs_domain import DOMAIN_DOCS  # noqa: E402
from tables.docs_objects import OBJECT_DOCS  # noqa: E402

RECORD: dict[str, Any] = json.loads((ROOT / "tools/api/shapes-12.8.0.json").read_text())
GENERATED: dict[str, Any] = {
    name: entry for name, entry in RECORD["functions"].items() if entry["how"] == "generated"
}
TABLES: dict[str, dict[str, str]] = {
    "Domain": DOMAIN_DOCS, "Connection": CONNECTION_DOCS, "*": OBJECT_DOCS,
}
ALL_DOCS: dict[str, str] = {**DOMAIN_DOCS, **CONNECTION_DOCS, **OBJECT_DOCS}

SYSTEM_API = Path("/usr/share/libvirt/api")
NEWEST_API = ROOT / "build/libvirt-sid/usr/share/libvirt/api"  # `make test` fetches it
RUN = 8  # words in a row that may not be shared with libvirt's text


def _table_of(entry: dict[str, Any]) -> str:
    return entry["class"] if entry["class"] in ("Domain", "Connection") else "*"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_each_table_holds_exactly_the_generated_functions_of_its_classes(table: str) -> None:
    expected = {name for name, entry in GENERATED.items() if _table_of(entry) == table}
    docs = TABLES[table]
    assert sorted(expected - set(docs)) == [], "generated functions without prose"
    assert sorted(set(docs) - expected) == [], "prose for functions this table does not hold"


def test_the_tables_cover_every_generated_function_once() -> None:
    assert len(DOMAIN_DOCS) + len(CONNECTION_DOCS) + len(OBJECT_DOCS) == len(GENERATED)
    assert set(ALL_DOCS) == set(GENERATED)
    assert len(GENERATED) == 406


def _c_words(function: str) -> set[str]:
    """The words of a C name: virDomainGetXMLDesc -> {vir, domain, get, xml, desc}."""
    return {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", function)}


_FILLER = {"a", "an", "the", "of", "to", "this", "it", "its", "and", "or", "for", "in",
           "on", "by", "with", "is", "as", "be", "from", "that", "none", "returns",
           "return", "gets", "sets", "set", "get"}


@pytest.mark.parametrize("function", sorted(GENERATED))
def test_entry_says_more_than_the_c_name(function: str) -> None:
    text = ALL_DOCS.get(function, "")
    assert text == text.strip() and len(text) >= 40, text
    assert "Wraps" not in text, "the generator adds the link to the C function"
    # C names belong to the link the generator adds; prose speaks Python.
    assert re.search(r"\bvir[A-Z]", text) is None, text
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    news = words - _c_words(function) - _c_words(GENERATED[function]["name"].title()) - _FILLER
    assert len(news) >= 5, f"{function}: only restates its name: {text!r}"


def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize("function", sorted(GENERATED))
def test_single_backticks_name_only_python_objects_that_exist(function: str) -> None:
    text = ALL_DOCS.get(function, "")
    literal_free = re.sub(r"``[^`]+``", "", text)
    for name in re.findall(r"`([^`]+)`", literal_free):
        # Sphinx's default role is py:obj and the build is nitpicky: only fully
        # qualified public names resolve, anything else is a literal.
        assert name.startswith("virt."), f"{function}: `{name}` is not a virt name"
        try:
            _resolve(name)
        except (ImportError, AttributeError):
            pytest.fail(f"{function}: `{name}` does not exist")
    stray = re.sub(r"`[^`]+`", "", literal_free)
    assert "`" not in stray, f"{function}: unbalanced backticks in {text!r}"


# -- not libvirt's words -------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str]) -> Iterator[tuple[str, ...]]:
    for start in range(len(words) - RUN + 1):
        yield tuple(words[start:start + RUN])


def _xml_texts(directory: Path) -> Iterator[str]:
    for path in sorted(directory.glob("libvirt*-api.xml")):
        for element in ET.parse(path).iter():
            if element.tag == "info" and element.text:
                yield element.text
            if "info" in element.attrib:
                yield element.attrib["info"]


@cache
def _libvirt_runs(directory: Path) -> frozenset[tuple[str, ...]]:
    return _runs_of(_xml_texts(directory))


def _runs_of(texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        runs.update(_runs(_words(text)))
    return frozenset(runs)


def _shared(runs: frozenset[tuple[str, ...]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for function, text in ALL_DOCS.items():
        hits = [" ".join(run) for run in _runs(_words(text)) if run in runs]
        if hits:
            found[function] = hits
    return found


def test_the_run_check_finds_a_sentence_of_libvirts_own() -> None:
    # The check can fail: a sentence copied from the XML is caught.
    texts = [t for t in _xml_texts(SYSTEM_API) if len(_words(t)) >= 12]
    assert len(texts) > 1000
    runs = _libvirt_runs(SYSTEM_API)
    copied = "Starts the domain. " + texts[len(texts) // 2]
    assert any(run in runs for run in _runs(_words(copied)))


def test_no_entry_shares_a_run_of_words_with_the_system_api_xml() -> None:
    assert (SYSTEM_API / "libvirt-api.xml").exists()
    assert _shared(_libvirt_runs(SYSTEM_API)) == {}


def test_no_entry_shares_a_run_of_words_with_the_newest_api_xml() -> None:
    require((NEWEST_API / "libvirt-api.xml").exists(),
            f"libvirt 12.8's API XML under {NEWEST_API} (make build/libvirt-sid/.unpacked)")
    assert _shared(_libvirt_runs(NEWEST_API)) == {}


# -- flag and enum members named in the prose ----------------------------------------


def _enum_members(names: Iterable[str]) -> set[str]:
    import enum

    import virt

    members: set[str] = set()
    for name in names:
        value = getattr(virt, name, None)
        if isinstance(value, type) and issubclass(value, enum.Enum):
            members.update(value.__members__)
    return members


@pytest.mark.parametrize("function", sorted(GENERATED))
def test_upper_case_literals_are_members_of_the_enums_the_entry_deals_with(
        function: str) -> None:
    """``SECURE``, ``START_PAUSED``…: each is a member of an enum or flag type of the
    method's arguments or result, or of an enum the entry links to."""
    import inspect

    text = ALL_DOCS.get(function, "")
    literals = set(re.findall(r"``([A-Z][A-Z0-9_]*)``", text))
    if not literals:
        return
    target = _resolve(GENERATED[function]["target"])
    assert callable(target)
    signature = str(inspect.signature(target))
    linked = {name.rsplit(".", 1)[-1] for name in re.findall(r"(?<!`)`(virt\.[\w.]+)`", text)}
    known = _enum_members(set(re.findall(r"\b[A-Z]\w+\b", signature)) | linked)
    assert sorted(literals - known) == [], f"{function}: not members of its enums"


@pytest.mark.parametrize("function", sorted(GENERATED))
def test_the_method_docstring_carries_the_prose_and_then_the_c_link(function: str) -> None:
    """What a reader sees (``help()``, Sphinx): our prose first, never the C link alone."""
    target = _resolve(GENERATED[function]["target"])
    doc = " ".join((getattr(target, "__doc__", None) or "").split())
    prose = " ".join(ALL_DOCS.get(function, "").split())
    assert prose and doc.startswith(prose), f"{function}: run `make generate`"
    assert f":libvirt:`{function}`" in doc[len(prose):]
