"""The programs in examples/ run: on the test driver, and the volume transfer
on the session libvirtd.  (mypy and ruff check them with the rest of the tree.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import virt
from rig import SessionDaemon
from test_stream_daemon import digest, make_pool

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *args], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
    return result


def test_every_example_is_tested() -> None:
    tested = {"inventory.py", "lifecycle.py", "events_asyncio.py", "volume_transfer.py",
              "fleet.py"}
    assert {path.name for path in EXAMPLES.glob("*.py")} == tested


def test_inventory() -> None:
    lines = example("inventory.py").stdout.splitlines()
    assert lines[0].startswith("vm (TEST, libvirt ")
    assert any(line.split()[:3] == ["test", "running", "persistent"] for line in lines)
    assert any(line.split() == ["default", "active"] for line in lines)
    assert any(line.split()[:2] == ["default-pool", "running"] for line in lines)


def test_lifecycle() -> None:
    steps = [line.split()[:3] for line in example("lifecycle.py").stdout.splitlines()]
    assert steps == [["defined", "->", "shutoff"], ["started", "->", "running"],
                     ["suspended", "->", "paused"], ["resumed", "->", "running"],
                     ["destroyed", "->", "shutoff"], ["undefined", "->", "gone"]]


def test_events_with_asyncio() -> None:
    events = [line.split()[2] for line in example("events_asyncio.py").stdout.splitlines()]
    assert events == ["defined", "started", "suspended", "resumed", "stopped", "undefined"]


@pytest.mark.min_libvirt(9, 0)  # the test driver's domain statistics
def test_fleet() -> None:
    # It polls until interrupted: two rounds (5 s apart), then Ctrl-C.
    process = subprocess.Popen([sys.executable, str(EXAMPLES / "fleet.py"), "test:///default"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert first.split()[1:3] == ["test", "state=1"], first + err


@pytest.fixture(scope="module")
def pool(libvirtd: SessionDaemon) -> Iterator[virt.StoragePool]:
    conn = virt.connect(libvirtd.qemu_uri)
    storage_pool = make_pool(conn, libvirtd)
    yield storage_pool
    for volume in storage_pool.list_all_volumes():
        volume.delete()
    storage_pool.destroy()
    conn.close()


def test_volume_transfer(pool: virt.StoragePool, libvirtd: SessionDaemon,
                         tmp_path: Path) -> None:
    volume = pool.storage_vol_create_xml(
        "<volume><name>example.raw</name><capacity unit='MiB'>6</capacity>"
        "<target><format type='raw'/></target></volume>")
    source = tmp_path / "source.img"
    source.write_bytes(os.urandom(6 << 20))
    name = f"{pool.get_name()}/example.raw"
    upload = example("volume_transfer.py", libvirtd.qemu_uri, name, str(source), "--upload")
    assert upload.stdout.startswith(f"uploaded {6 << 20} bytes to {volume.get_path()}")
    assert "100% 6 of 6 MiB" in upload.stderr
    copy = tmp_path / "copy.img"
    download = example("volume_transfer.py", libvirtd.qemu_uri, name, str(copy), "--sparse")
    assert download.stdout.startswith(f"downloaded {6 << 20} bytes")
    assert "100% 6 of 6 MiB" in download.stderr
    assert digest(copy) == digest(source)
    volume.delete()
