"""Every Python code block of README.md and the Sphinx guide runs and passes
``mypy --strict``.

A block is a whole program run on libvirt's test driver, unless a marker
right before it says otherwise (an HTML comment in Markdown, a reST comment
in the guide)::

    .. example: daemon

A ``daemon`` block is a fragment that uses names made ready for it (see
`DAEMON_PRELUDE`): ``conn``, a connection to the session libvirtd's QEMU
driver; ``pool``, a ``dir`` pool; ``volume``, a 4 MiB raw volume in it with
data; ``domain``, a running QEMU guest.  It runs on the session daemon.

An ``official`` block is a program for the official binding (libvirt-python,
``import libvirt``), shown in the migration guide as the "before": it runs
with that binding on the test driver.  libvirt-python ships no type
information, so mypy's complaint about that (``import-untyped``) is the one
error allowed in it.  A ``compat`` block uses ``virt.compat``; until that
module exists, its tests are expected failures.

Each block runs in a fresh interpreter, in a directory of its own; the type
check is one ``mypy --strict`` run over every block (with the project's
configuration), so a mistake in a block fails the test of that block.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import virt
from rig import Guest, SessionDaemon, python_with
from test_stream_daemon import make_pool

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: What a ``daemon`` block can use; prepended to it (and type-checked with it).
DAEMON_PRELUDE = """\
import importlib.util
import io
import os

import virt

conn = virt.connect(os.environ["VIRT_EXAMPLE_URI"])
pool = conn.storage_pool_lookup_by_name(os.environ["VIRT_EXAMPLE_POOL"])
volume = pool.storage_vol_lookup_by_name(os.environ["VIRT_EXAMPLE_VOLUME"])
domain = conn.domain_lookup_by_name(os.environ["VIRT_EXAMPLE_DOMAIN"])
"""

KINDS = ("program", "daemon", "official", "compat")


@dataclass(frozen=True)
class Block:
    """One Python code block of a document."""

    source: str  # the document, relative to the repository
    line: int  # where the code starts
    code: str
    kind: str

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}"

    def program(self) -> str:
        return (DAEMON_PRELUDE if self.kind == "daemon" else "") + self.code


_MARKER = re.compile(r"^\s*(?:<!--|\.\.)\s*example:\s*(\w+)\s*(?:-->)?\s*$")


def _kind(lines: list[str], start: int, source: str) -> str:
    """The kind a marker in the lines before *start* gives (blank lines skipped)."""
    index = start - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    match = _MARKER.match(lines[index]) if index >= 0 else None
    if match is None:
        return "program"
    if match.group(1) not in KINDS:
        raise ValueError(f"{source}:{index + 1}: unknown example kind {match.group(1)!r}")
    return match.group(1)


def markdown_blocks(path: Path) -> Iterator[Block]:
    lines = path.read_text().splitlines()
    source = str(path.relative_to(ROOT))
    index = 0
    while index < len(lines):
        if lines[index].strip() == "```python":
            end = lines.index("```", index + 1)
            yield Block(source, index + 2, "\n".join(lines[index + 1:end]) + "\n",
                        _kind(lines, index, source))
            index = end
        index += 1


def rst_blocks(path: Path) -> Iterator[Block]:
    lines = path.read_text().splitlines()
    source = str(path.relative_to(ROOT))
    for index, line in enumerate(lines):
        if line.strip() not in (".. code-block:: python", ".. code-block:: python3"):
            continue
        indent = len(line) - len(line.lstrip())
        body: list[str] = []
        first = index + 1
        while first < len(lines) and (not lines[first].strip()
                                      or lines[first].lstrip().startswith(":")):
            first += 1  # the blank line and options after the directive
        end = first
        while end < len(lines) and (not lines[end].strip() or
                                    len(lines[end]) - len(lines[end].lstrip()) > indent):
            body.append(lines[end])
            end += 1
        while body and not body[-1].strip():
            body.pop()
        margin = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        code = "\n".join(b[margin:] for b in body) + "\n"
        yield Block(source, first + 1, code, _kind(lines, index, source))


def all_blocks() -> list[Block]:
    blocks = list(markdown_blocks(ROOT / "README.md"))
    for path in sorted(DOCS.rglob("*.rst")):
        if "_build" not in path.parts:
            blocks.extend(rst_blocks(path))
    return blocks


BLOCKS = all_blocks()


def params(kind: str | None = None) -> list[Any]:
    chosen = []
    for block in BLOCKS:
        if kind is not None and block.kind != kind:
            continue
        marks = []
        if block.kind == "compat" and importlib.util.find_spec("virt.compat") is None:
            marks.append(pytest.mark.xfail(strict=True, reason="virt.compat is not here yet"))
        chosen.append(pytest.param(block, id=block.id, marks=marks))
    return chosen


def test_the_documents_have_examples() -> None:
    sources = {block.source for block in BLOCKS}
    assert "README.md" in sources
    assert len([s for s in sources if s.startswith("docs/")]) >= 8
    assert any(block.kind == "daemon" for block in BLOCKS)


# -- type checks -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """mypy --strict over every block: block id -> its error lines ("" if none)."""
    directory = tmp_path_factory.mktemp("examples")
    files = {}
    for number, block in enumerate(BLOCKS):
        path = directory / f"example_{number}.py"
        path.write_text(block.program())
        files[path.name] = block.id
    result = subprocess.run(
        [python_with("mypy"), "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--no-incremental", "--cache-dir", str(directory / ".mypy_cache"),
         *(str(directory / name) for name in files)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode not in (0, 1):
        raise AssertionError(f"mypy failed to run:\n{result.stdout}\n{result.stderr}")
    report = dict.fromkeys(files.values(), "")
    kinds = {block.id: block.kind for block in BLOCKS}
    for line in result.stdout.splitlines():
        name = Path(line.split(":", 1)[0]).name
        if name not in files or ": error:" not in line:
            continue
        if kinds[files[name]] == "official" and "[import-untyped]" in line:
            continue  # libvirt-python has no type information
        report[files[name]] += line + "\n"
    return report


@pytest.mark.parametrize("block", params())
def test_example_type_checks(block: Block, mypy_report: dict[str, str]) -> None:
    assert mypy_report[block.id] == "", f"{block.id}:\n{block.code}\n{mypy_report[block.id]}"


# -- runs ------------------------------------------------------------------------------


def run(block: Block, directory: Path, env: dict[str, str] | None = None,
        python: str = sys.executable) -> None:
    result = subprocess.run([python, "-c", block.program()], cwd=directory,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    assert result.returncode == 0, f"{block.id}:\n{block.code}\n{result.stderr}"


@pytest.mark.parametrize("block", params("program") + params("compat"))
def test_program_runs(block: Block, tmp_path: Path) -> None:
    run(block, tmp_path)


@pytest.mark.parametrize("block", params("official"))
def test_official_binding_example_runs(block: Block, tmp_path: Path) -> None:
    run(block, tmp_path, python=python_with("libvirt"))


@pytest.fixture(scope="module")
def daemon_names(libvirtd: SessionDaemon, qemu_guest: Guest) -> Iterator[dict[str, str]]:
    """A pool with a volume of data, on the session daemon, and the running guest."""
    conn = virt.connect(libvirtd.qemu_uri)
    pool = make_pool(conn, libvirtd)
    volume = pool.storage_vol_create_xml(
        "<volume><name>example.img</name><capacity unit='MiB'>4</capacity>"
        "<target><format type='raw'/></target></volume>")
    volume.upload_from(io.BytesIO(os.urandom(1 << 20)))
    yield {"VIRT_EXAMPLE_URI": libvirtd.qemu_uri, "VIRT_EXAMPLE_POOL": pool.get_name(),
           "VIRT_EXAMPLE_VOLUME": "example.img", "VIRT_EXAMPLE_DOMAIN": qemu_guest.name}
    for vol in pool.list_all_volumes():
        vol.delete()
    pool.destroy()
    conn.close()


@pytest.mark.parametrize("block", params("daemon"))
def test_daemon_example_runs(block: Block, daemon_names: dict[str, str],
                             tmp_path: Path) -> None:
    run(block, tmp_path, daemon_names)
