"""Running a scenario of tests/compat_event_scenarios.py through both bindings.

Each run is a fresh process (see that module); `run_both` returns the two
results and what each process printed to stderr, reduced to the lines a
program's user reads: libvirt's ``libvirt: … error : …`` lines and the last
line of each traceback (the frames above it are each binding's own).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import virt
from rig import SessionDaemon

TESTS = Path(__file__).resolve().parent
SCENARIOS = TESTS / "compat_event_scenarios.py"


#: The official binding's ``virStream.__del__`` removes a stream's event
#: callback again when the stream is collected after its transfer ended, and
#: libvirt prints this; compat removes it once.  Dropped from the official
#: stderr before comparing.
OFFICIAL_DEL_NOISE = "libvirt: I/O Stream Utils error : internal error: stream is not open"


@dataclass
class Outcome:
    result: Any
    stderr: list[str]
    raw_stderr: str


def run(which: str, scenario: str, uri: str | None = None,
        env: dict[str, str] | None = None, timeout: float = 120) -> Outcome:
    """Scenario *scenario* through ``libvirt`` (*which* = "official") or
    ``virt.compat`` ("compat")."""
    command = [sys.executable, str(SCENARIOS), which, scenario]
    if uri is not None:
        command.append(uri)
    environment = {**os.environ, "PYTHONPATH": str(TESTS.parent), **(env or {})}
    process = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                             env=environment, stdin=subprocess.DEVNULL)
    assert process.returncode == 0, f"{which} {scenario} failed:\n{process.stderr}"
    lines = process.stdout.strip().splitlines()
    assert lines, f"{which} {scenario} printed no result:\n{process.stderr}"
    visible = user_visible(process.stderr)
    if which == "official":
        visible = [line for line in visible if line != OFFICIAL_DEL_NOISE]
    return Outcome(json.loads(lines[-1]), visible, process.stderr)


def user_visible(stderr: str) -> list[str]:
    """libvirt's error lines and the exception line of each traceback."""
    kept = []
    lines = stderr.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("libvirt: "):
            kept.append(line)
        elif line.startswith("Traceback (most recent call last):"):
            kept.append(line)
        elif line and not line.startswith(" ") and index and lines[index - 1].startswith(" "):
            kept.append(line)  # the "ValueError: …" line closing a traceback
    return kept


def run_both(scenario: str, uri: str | None = None,
             env: dict[str, str] | None = None) -> tuple[Outcome, Outcome]:
    """(official, compat) outcomes of *scenario*."""
    return run("official", scenario, uri, env), run("compat", scenario, uri, env)


def same(scenario: str, uri: str | None = None, env: dict[str, str] | None = None) -> Any:
    """Run *scenario* both ways: the results and what a user sees on stderr must
    be the same.  Returns the (common) result."""
    official, compat = run_both(scenario, uri, env)
    assert compat.result == official.result
    assert compat.stderr == official.stderr, compat.raw_stderr
    return official.result


@contextlib.contextmanager
def dir_pool(daemon: SessionDaemon, prefix: str) -> Iterator[str]:
    """A ``dir`` storage pool of *daemon*, for scenarios; yields its name.
    Its volumes are deleted with it."""
    directory = daemon.images_dir / f"{prefix}-{uuid.uuid4().hex[:8]}"
    directory.mkdir()
    os.chown(directory, daemon.uid, daemon.gid)
    with virt.connect(daemon.qemu_uri) as conn:
        pool = conn.storage_pool_create_xml(
            f"<pool type='dir'><name>{directory.name}</name>"
            f"<target><path>{directory}</path></target></pool>")
        try:
            yield directory.name
        finally:
            for volume in pool.list_all_volumes():
                volume.delete()
            pool.destroy()
