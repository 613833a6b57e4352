"""The test rig: a real session ``libvirtd`` and real QEMU guests, for any test.

Independent of the package under test: it drives libvirt with ``virsh`` only.

- `SessionDaemon` runs ``libvirtd`` in session mode as an unprivileged user
  (``virt-test``, created when the tests run as root) with private XDG
  directories in a temporary directory, so nothing under ``/etc`` changes.
  Clients reach it as ``qemu+unix:///session?socket=…`` and
  ``test+unix:///default?socket=…``.
- `Guest` starts a 64 MiB QEMU guest with no disk under TCG, with VNC on the
  loopback address, a video card (screenshots) and a pty serial console.
- `require` turns a missing prerequisite into a skip, or into a failure when
  ``VIRT_TEST_STRICT=1`` or ``CI=true``.
"""

from __future__ import annotations

import os
import pwd
import random
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType

DAEMON_USER = "virt-test"
LIBVIRTD = "/usr/sbin/libvirtd"
QEMU = "/usr/bin/qemu-system-x86_64"
SYSTEM_PYTHON = "/usr/bin/python3"  # readable by the daemon's user, unlike a venv under /root


def strict_prerequisites() -> bool:
    """Whether a missing prerequisite must fail the run instead of skipping."""
    return os.environ.get("VIRT_TEST_STRICT") == "1" or os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip the test (fail it, in strict mode) unless *condition* holds."""
    if condition:
        return
    import pytest

    if strict_prerequisites():
        pytest.fail(f"missing prerequisite (strict mode): {reason}")
    pytest.skip(reason)


def _wait(predicate: object, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.05)
    tail = ""
    if log is not None and log.exists():
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    raise TimeoutError(f"{what} did not happen within {timeout:g} s\n{tail}")


def ensure_daemon_user() -> tuple[int, int]:
    """The uid and gid the daemon runs as: ``virt-test`` when root, else ours."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(DAEMON_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        DAEMON_USER], check=True, capture_output=True)
        entry = pwd.getpwnam(DAEMON_USER)
    return entry.pw_uid, entry.pw_gid


class SessionDaemon:
    """A ``libvirtd`` in session mode, private to this test run."""

    def __init__(self) -> None:
        self.uid, self.gid = ensure_daemon_user()
        self.user = pwd.getpwuid(self.uid).pw_name
        self.tmpdir = Path(tempfile.mkdtemp(prefix="virt-daemon-"))
        self.runtime_dir = self.tmpdir / "run"
        self.config_dir = self.tmpdir / "config"
        self.socket = self.runtime_dir / "libvirt" / "libvirt-sock"
        self.admin_socket = self.runtime_dir / "libvirt" / "libvirt-admin-sock"
        self.log_path = self.tmpdir / "libvirtd.log"
        self.qemu_uri = f"qemu+unix:///session?socket={self.socket}"
        self.test_uri = f"test+unix:///default?socket={self.socket}"
        self.admin_uri = f"libvirtd+unix:///session?socket={self.admin_socket}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def _environment(self) -> dict[str, str]:
        return {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(self.tmpdir / "home"),
            "XDG_CONFIG_HOME": str(self.config_dir),
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_CACHE_HOME": str(self.tmpdir / "cache"),
            "XDG_DATA_HOME": str(self.tmpdir / "data"),
            "LC_ALL": "C.UTF-8",
        }

    def start(self, timeout: float = 60) -> None:
        for name in ("run", "config/libvirt", "cache", "data", "home", "images"):
            (self.tmpdir / name).mkdir(parents=True, exist_ok=True)
        (self.config_dir / "libvirt" / "libvirtd.conf").write_text(
            f'log_outputs = "2:file:{self.log_path}"\n'
        )
        # A VNC port range of its own, so that daemons running side by side (two
        # test runs, or a test that starts a second daemon) never race for 5900.
        low = 5900 + random.randrange(0, 50000, 100)
        (self.config_dir / "libvirt" / "qemu.conf").write_text(
            f"remote_display_port_min = {low}\nremote_display_port_max = {low + 99}\n"
        )
        self.tmpdir.chmod(0o755)
        self.runtime_dir.chmod(0o700)
        for path in [self.tmpdir, *self.tmpdir.rglob("*")]:
            os.chown(path, self.uid, self.gid)
        command = [LIBVIRTD]
        if os.geteuid() == 0 and self.uid != 0:
            command = ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}",
                       "--clear-groups", "--", *command]
        with open(self.tmpdir / "stdout.log", "wb") as output:
            self.process = subprocess.Popen(
                command, env=self._environment(), cwd=self.tmpdir, stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        _wait(lambda: self.process is not None and self.process.poll() is None
              and self.virsh("uri", check=False).returncode == 0,
              timeout, f"libvirtd answering on {self.socket}", self.tmpdir / "stdout.log")

    def virsh(self, *args: str, uri: str | None = None, check: bool = True,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``virsh -c URI ARGS`` against this daemon (the qemu URI by default)."""
        return subprocess.run(["virsh", "-q", "-c", uri or self.qemu_uri, *args], text=True,
                              capture_output=True, check=check, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def run_python(self, code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run *code* with the system's Python as the daemon's user.

        For what libvirt only allows the daemon's own user (the admin API) or
        only in a fresh process.  The package under test is copied where that
        user can read it.
        """
        package = Path(__file__).resolve().parent.parent / "virt"
        copy = self.tmpdir / "python" / "virt"
        if not copy.exists():
            shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
            for path in [copy.parent, *copy.parent.rglob("*")]:
                os.chown(path, self.uid, self.gid)
        command = [SYSTEM_PYTHON, "-c", code]
        if os.geteuid() == 0 and self.uid != 0:
            command = ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}",
                       "--clear-groups", "--", *command]
        env = {**self._environment(), "PYTHONPATH": str(copy.parent),
               "PYTHONDONTWRITEBYTECODE": "1"}
        return subprocess.run(command, env=env, cwd=self.tmpdir, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)

    def qemu_processes(self) -> list[int]:
        """PIDs of the QEMU processes this daemon's user runs."""
        result = subprocess.run(["pgrep", "-u", str(self.uid), "-f", QEMU],
                                capture_output=True, text=True)
        return [int(pid) for pid in result.stdout.split()]

    def stop(self) -> None:
        """Stop the daemon and any guest it left; idempotent."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        for pid in self.qemu_processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self) -> SessionDaemon:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.cleanup()


def guest_xml(name: str, *, memory_mib: int = 64, uuid_: str | None = None,
              extra_devices: str = "") -> str:
    """XML of a disk-less QEMU guest under TCG: VNC on 127.0.0.1, VGA, pty console."""
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <uuid>{uuid_ or uuid.uuid4()}</uuid>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='network'/></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>{QEMU}</emulator>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/>
    </graphics>
    <video><model type='vga'/></video>
    <memballoon model='virtio'/>
    {extra_devices}
  </devices>
</domain>
"""


class Guest:
    """A running QEMU guest defined on a `SessionDaemon`."""

    def __init__(self, daemon: SessionDaemon, name: str | None = None) -> None:
        self.daemon = daemon
        self.name = name or f"virt-test-{uuid.uuid4().hex[:8]}"
        self.uuid = str(uuid.uuid4())
        self.xml = guest_xml(self.name, uuid_=self.uuid)
        self.uri = daemon.qemu_uri

    def start(self) -> None:
        path = self.daemon.tmpdir / f"{self.name}.xml"
        path.write_text(self.xml)
        self.daemon.virsh("define", str(path))
        self.daemon.virsh("start", self.name)

    def state(self) -> str:
        return self.daemon.virsh("domstate", self.name).stdout.strip()

    def destroy_and_undefine(self) -> None:
        """Stop and forget the guest; idempotent."""
        self.daemon.virsh("destroy", self.name, check=False)
        self.daemon.virsh("undefine", self.name, "--managed-save", "--snapshots-metadata",
                          check=False)
