"""The resolved record: one entry per C function, and what the generator does with it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import virt
import virt.raw as raw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import genmethods  # noqa: E402
from generate import FACTS, RECORD, Generator  # noqa: E402

RECORD_DATA: dict[str, Any] = json.loads(RECORD.read_text())
FUNCTIONS: dict[str, Any] = RECORD_DATA["functions"]


def test_one_entry_per_c_function() -> None:
    assert set(FUNCTIONS) == set(raw.FUNCTIONS)
    assert len(FUNCTIONS) == 568


def test_entries_say_how_each_function_is_reached() -> None:
    kinds = set(RECORD_DATA["arg_kinds"]) | {"self", "unclassified", "ids-buffer",
                                             "names-buffer", "buffer-length"}
    for function, entry in FUNCTIONS.items():
        assert entry["how"] in ("generated", "hand-written", "lifecycle"), function
        assert entry["target"].startswith("virt."), function
        assert entry["since"], function
        for arg in entry["args"]:
            assert arg["kind"] in kinds, (function, arg)
            assert arg["c_type"], (function, arg)
        if entry["how"] == "generated":
            assert entry["result"]["kind"] in RECORD_DATA["result_kinds"], function
            assert entry["error"] and entry["ownership"], function
        else:
            assert entry.get("reason"), function


def test_the_record_names_what_the_package_has() -> None:
    for function, entry in FUNCTIONS.items():
        if entry["how"] == "generated" and "class" in entry and "module" not in entry:
            method = getattr(getattr(virt, entry["class"]), entry["name"])
            assert function in (method.__doc__ or ""), function


def test_the_generator_refuses_a_name_that_shadows_hand_written_code() -> None:
    generator = Generator(json.loads(FACTS.read_text()))
    reserved = genmethods.reserved_names(ROOT)
    reserved["Domain"] = reserved["Domain"] | {"get_info"}
    with pytest.raises(ValueError, match="Domain.get_info"):
        genmethods.resolved_record(generator.facts, generator.enum_classes(), reserved)


def test_reserved_names_include_the_object_base() -> None:
    reserved = genmethods.reserved_names(ROOT)
    assert {"close", "closed", "_own"} <= reserved["AdminClient"]
    assert "subscribe" in reserved["Connection"]


@pytest.mark.parametrize(("camel", "snake"), [
    ("GetXMLDesc", "get_xml_desc"), ("xmlCPUs", "xml_cpus"), ("LookupByUUIDString",
                                                               "lookup_by_uuid_string"),
    ("PinIOThread", "pin_iothread"), ("ReAttach", "reattach"), ("GetCPUStats", "get_cpu_stats"),
])
def test_acronyms_convert_sensibly(camel: str, snake: str) -> None:
    assert genmethods.snake(camel) == snake


def test_admin_client_close_releases_and_disconnect_disconnects() -> None:
    assert virt.AdminClient.close is virt.LibvirtObject.close
    assert "virAdmClientClose" in (virt.AdminClient.disconnect.__doc__ or "")
    assert FUNCTIONS["virAdmClientClose"]["target"] == "virt.AdminClient.disconnect"


def test_every_argument_shape_is_used() -> None:
    used = {a["kind"] for e in FUNCTIONS.values() for a in e["args"]}
    assert set(RECORD_DATA["arg_kinds"]) <= used
