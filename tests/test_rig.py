"""The rig itself, checked with virsh and /proc only (no code under test)."""

from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import rig
from rig import Guest, SessionDaemon, guest_xml

HERE = Path(__file__).resolve().parent


def virsh(uri: str, *args: str) -> list[str]:
    """The words virsh prints, for a URI that needs no daemon of ours."""
    result = subprocess.run(["virsh", "-q", "-c", uri, *args], capture_output=True, text=True,
                            timeout=30, stdin=subprocess.DEVNULL,
                            env={**os.environ, "LC_ALL": "C"})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_daemon_answers_on_both_uris(libvirtd: SessionDaemon) -> None:
    host = socket.gethostname().split(".")[0]
    for uri, kind in ((libvirtd.qemu_uri, "QEMU"), (libvirtd.test_uri, "TEST")):
        assert libvirtd.virsh("uri", uri=uri).stdout.strip() == uri
        assert libvirtd.virsh("hostname", uri=uri).stdout.strip().split(".")[0] == host
        assert f"Using API: {kind}" in libvirtd.virsh("version", uri=uri).stdout
    # The daemon's test driver has its own default node, with a running domain "test".
    assert "test" in libvirtd.virsh("list", "--name", uri=libvirtd.test_uri).stdout.split()
    libvirtd.virsh("list", "--all")


def test_daemon_runs_unprivileged_in_its_own_directory(libvirtd: SessionDaemon) -> None:
    pid = libvirtd.pid
    assert pid is not None
    uids, gids, groups = rig.process_ids(pid)
    assert set(uids) == {libvirtd.uid} and set(gids) == {libvirtd.gid}
    if os.geteuid() == 0:
        assert libvirtd.user == rig.DAEMON_USER and libvirtd.uid != 0
        assert 0 not in groups and libvirtd.gid != 0
    environ = dict(item.split("=", 1) for item in
                   Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in item)
    for name in ("XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        assert Path(environ[name]).parent == libvirtd.tmpdir
    info = libvirtd.socket.lstat()
    assert stat.S_ISSOCK(info.st_mode) and info.st_uid == libvirtd.uid
    assert libvirtd.socket.parent.parent == libvirtd.runtime_dir
    assert "libvirt version" in libvirtd.log_path.read_text()
    assert libvirtd.images_dir.stat().st_uid == libvirtd.uid


def test_guest_runs_under_tcg_as_the_daemon_user(qemu_guest: Guest,
                                                 libvirtd: SessionDaemon) -> None:
    assert qemu_guest.state() == "running"
    assert libvirtd.virsh("domuuid", qemu_guest.name).stdout.strip() == qemu_guest.uuid
    pid = qemu_guest.pid()
    assert pid is not None and pid in libvirtd.qemu_processes()
    uids, _, groups = rig.process_ids(pid)
    assert set(uids) == {libvirtd.uid}
    if os.geteuid() == 0:
        assert pwd.getpwuid(uids[0]).pw_name == rig.DAEMON_USER and 0 not in groups
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert command[command.index(b"-accel") + 1] == b"tcg"
    assert f"guest={qemu_guest.name}".encode() in command[command.index(b"-name") + 1]
    assert b"-netdev" not in command and b"-drive" not in command
    info = libvirtd.virsh("dominfo", qemu_guest.name).stdout
    assert "65536 KiB" in info and "CPU(s):         1" in info


def test_guest_vnc_is_on_loopback_and_answers(qemu_guest: Guest,
                                              libvirtd: SessionDaemon) -> None:
    host, port = rig.vnc_port(libvirtd, qemu_guest)
    assert host == "127.0.0.1"
    assert libvirtd.vnc_ports[0] <= port <= libvirtd.vnc_ports[1]
    assert rig.loopback_banner(host, port).startswith(b"RFB ")


def test_guest_has_a_pty_console(qemu_guest: Guest, libvirtd: SessionDaemon) -> None:
    tty = libvirtd.virsh("ttyconsole", qemu_guest.name).stdout.strip()
    assert tty.startswith("/dev/pts/") and stat.S_ISCHR(os.stat(tty).st_mode)


def test_screenshot_of_the_guest(qemu_guest: Guest, libvirtd: SessionDaemon,
                                 tmp_path: Path) -> None:
    shot = tmp_path / "screen"
    libvirtd.virsh("screenshot", qemu_guest.name, str(shot))
    data = shot.read_bytes()
    assert data.startswith((b"\x89PNG\r\n\x1a\n", b"P6")), data[:16]
    assert len(data) > 100


def test_guest_xml_defines_more_guests(libvirtd: SessionDaemon, qemu_guest: Guest) -> None:
    with Guest(libvirtd, memory_mib=96) as second:
        assert second.state() == "running"
        pid = second.pid()
        assert pid is not None and pid != qemu_guest.pid()
        assert {pid, qemu_guest.pid()} <= set(libvirtd.qemu_processes())
        assert "98304 KiB" in libvirtd.virsh("dominfo", second.name).stdout
    assert libvirtd.virsh("domstate", second.name, check=False).returncode != 0
    second.destroy_and_undefine()  # idempotent
    assert not rig.process_alive(pid) and pid not in libvirtd.qemu_processes()
    assert qemu_guest.state() == "running"
    xml = guest_xml("virt-test-<&>", uuid_="4a1b5f0e-1d6e-4c8f-9a57-0c7f1f3e8aff")
    assert "<name>virt-test-&lt;&amp;&gt;</name>" in xml and "<domain type='qemu'>" in xml


def test_custom_node_lists_its_objects(node_uri: str, node_xml_path: Path) -> None:
    assert node_xml_path.is_absolute()
    assert node_uri == f"test:///{str(node_xml_path).lstrip('/')}"
    assert virsh(node_uri, "uri") == [node_uri]
    states = {name: " ".join(virsh(node_uri, "domstate", name))
              for name in virsh(node_uri, "list", "--all", "--name")}
    assert states == {"web": "running", "db": "paused", "backup": "shut off"}
    assert virsh(node_uri, "list", "--inactive", "--name") == ["backup"]
    assert virsh(node_uri, "snapshot-list", "backup", "--name") == ["clean-install"]
    assert sorted(virsh(node_uri, "net-list", "--all", "--name")) == ["isolated", "lan"]
    assert sorted(virsh(node_uri, "pool-list", "--all", "--name")) == ["images", "scratch"]
    assert virsh(node_uri, "vol-list", "images")[::2] == ["disk-a.qcow2", "disk-b.raw"]
    assert virsh(node_uri, "vol-list", "scratch")[::2] == ["tmp-1.img", "tmp-2.img",
                                                          "tmp-3.img"]
    assert virsh(node_uri, "iface-list", "--all") == ["eth0", "active", "52:54:00:12:34:56"]


def test_require_skips_or_fails_by_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    rig.require(True, "never raised")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("VIRT_TEST_STRICT", raising=False)
    assert not rig.strict_prerequisites()
    with pytest.raises(pytest.skip.Exception, match="no frobnicator"):
        rig.require(False, "no frobnicator")
    monkeypatch.setenv("CI", "true")
    assert rig.strict_prerequisites()
    with pytest.raises(pytest.fail.Exception, match="no frobnicator"):
        rig.require(False, "no frobnicator")
    monkeypatch.delenv("CI")
    monkeypatch.setenv("VIRT_TEST_STRICT", "1")
    assert rig.strict_prerequisites()


def test_restart_keeps_guests_and_stop_leaves_nothing(libvirtd: SessionDaemon,
                                                      qemu_guest: Guest) -> None:
    """On a daemon of its own; stopping it must not touch the session daemon's guest."""
    daemon = SessionDaemon(capabilities_from=libvirtd)
    try:
        daemon.start()
        guest = Guest(daemon)
        guest.start()
        first, qemu = daemon.pid, guest.pid()
        assert first is not None and qemu is not None
        assert daemon.processes() == sorted([first, qemu])

        daemon.restart()
        assert daemon.pid not in (None, first) and not rig.process_alive(first)
        assert guest.state() == "running" and guest.pid() == qemu

        second = daemon.pid
        assert second is not None
        daemon.stop()
        daemon.stop()  # idempotent
        assert not rig.process_alive(second) and not rig.process_alive(qemu)
        assert daemon.processes() == [] and daemon.pid is None
        assert rig.instance_processes(daemon.tmpdir, daemon.uid) == []
        assert qemu_guest.state() == "running" and qemu_guest.pid() is not None
    finally:
        daemon.cleanup()
    assert not daemon.tmpdir.exists()
    daemon.cleanup()  # idempotent


def test_a_daemon_that_cannot_start_says_why(libvirtd: SessionDaemon) -> None:
    daemon = SessionDaemon(capabilities_from=libvirtd)
    try:
        daemon.prepare()
        with daemon.libvirtd_conf.open("a") as conf:
            conf.write("this is not a setting\n")
        with pytest.raises(rig.RigError, match="libvirtd exited while starting") as failure:
            daemon.start(timeout=30)
        assert str(daemon.output_path) in str(failure.value)  # the tail of what it printed
        assert "libvirtd.conf" in str(failure.value)
        assert daemon.pid is None and daemon.processes() == []
    finally:
        daemon.cleanup()
    assert not daemon.tmpdir.exists()


CRASHING_CLIENT = """
import json, os, signal, sys
sys.path.insert(0, sys.argv[1])
import rig
daemon = rig.SessionDaemon(capabilities_from=rig.Path(sys.argv[2]))
daemon.start()
guest = rig.Guest(daemon)
guest.start()
print(json.dumps({"tmpdir": str(daemon.tmpdir), "pids": daemon.processes(),
                  "uid": daemon.uid}), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_crashed_client_leaves_nothing(libvirtd: SessionDaemon) -> None:
    """A test process that dies without teardown: the guard cleans up after it."""
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_CLIENT, str(HERE), str(libvirtd.cache_dir)],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == -signal.SIGKILL, result.stderr
    left = json.loads(result.stdout)
    tmpdir, pids = Path(left["tmpdir"]), left["pids"]
    assert len(pids) == 2  # libvirtd and QEMU
    try:
        rig.wait_for(lambda: not tmpdir.exists()
                     and not any(rig.process_alive(pid) for pid in pids), 30,
                     "the guard cleaning up")
    finally:  # should the guard have failed, do its work so nothing stays behind
        rig.sweep(tmpdir, left["uid"])
        subprocess.run(["rm", "-rf", "--", str(tmpdir)], check=False)
    assert rig.instance_processes(tmpdir, left["uid"]) == []
