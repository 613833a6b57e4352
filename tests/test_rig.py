"""The rig itself, checked with virsh only (no code under test)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from rig import Guest, SessionDaemon


def test_daemon_answers_on_both_uris(libvirtd: SessionDaemon) -> None:
    assert libvirtd.virsh("uri").stdout.strip() == libvirtd.qemu_uri
    assert "QEMU" in libvirtd.virsh("version").stdout
    assert libvirtd.virsh("uri", uri=libvirtd.test_uri).stdout.strip() == libvirtd.test_uri
    listing = libvirtd.virsh("list", "--all", "--name", uri=libvirtd.test_uri).stdout.split()
    assert listing == ["test"]


def test_daemon_runs_unprivileged(libvirtd: SessionDaemon) -> None:
    assert libvirtd.pid is not None
    status = Path(f"/proc/{libvirtd.pid}/status").read_text()
    uid = next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:"))
    if os.geteuid() == 0:
        assert int(uid) == libvirtd.uid != 0
    assert libvirtd.socket.is_socket()


def test_guest_runs_under_tcg_as_the_daemon_user(qemu_guest: Guest, libvirtd: SessionDaemon,
                                                 tmp_path: Path) -> None:
    assert qemu_guest.state() == "running"
    pids = libvirtd.qemu_processes()
    assert pids, "no QEMU process"
    command = Path(f"/proc/{pids[0]}/cmdline").read_bytes().split(b"\0")
    assert b"-accel" in command and b"tcg" in command
    shot = tmp_path / "screen.png"
    libvirtd.virsh("screenshot", qemu_guest.name, str(shot))
    assert shot.stat().st_size > 0


def test_custom_node_lists_its_objects(node_uri: str) -> None:
    def virsh(*args: str) -> list[str]:
        result = subprocess.run(["virsh", "-q", "-c", node_uri, *args], capture_output=True,
                                text=True, check=True, timeout=30)
        return result.stdout.split()

    assert sorted(virsh("list", "--all", "--name")) == ["backup", "db", "web"]
    assert sorted(virsh("net-list", "--all", "--name")) == ["isolated", "lan"]
    assert sorted(virsh("pool-list", "--all", "--name")) == ["images", "scratch"]
    assert virsh("vol-list", "scratch")[::2] == ["tmp-1.img", "tmp-2.img", "tmp-3.img"]
    assert virsh("domstate", "db") == ["paused"]


def test_stopping_a_daemon_leaves_nothing_behind() -> None:
    daemon = SessionDaemon()
    try:
        daemon.start()
        guest = Guest(daemon)
        guest.start()
        pid = daemon.pid
        assert pid is not None and daemon.qemu_processes()
        daemon.stop()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.05)
        assert not Path(f"/proc/{pid}").exists()
        assert daemon.qemu_processes() == []
    finally:
        daemon.cleanup()
    assert not daemon.tmpdir.exists()
