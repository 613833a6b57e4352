"""The test rig: a real session ``libvirtd`` and real QEMU guests, for any test.

Independent of the package under test: it drives libvirt with ``virsh`` only.

- `SessionDaemon` runs ``libvirtd`` in session mode as an unprivileged user
  (``virt-test``, created when the tests run as root) with private XDG
  directories in one temporary directory, so nothing under ``/etc`` changes
  beyond that user.  Clients reach it as ``qemu+unix:///session?socket=…``
  and ``test+unix:///default?socket=…``.  A small guard process cleans up
  after it (daemon, guests, temporary directory) even if the test process
  dies without running its teardown.
- `Guest` starts a 64 MiB QEMU guest with no disk under TCG, with VNC on the
  loopback address, a video card (screenshots) and a pty serial console;
  `guest_xml` is its XML, for tests that define guests of their own.
- `require` turns a missing prerequisite into a skip, or into a failure when
  ``VIRT_TEST_STRICT=1`` or ``CI=true``.

Facts this relies on (libvirt 9.0, Debian 12):

- A session daemon listens on ``$XDG_RUNTIME_DIR/libvirt/libvirt-sock``.  Its
  directory is 0700 and owned by the daemon's user; root gets in anyway, and
  the daemon does not check its clients' uid on that socket (it does on the
  admin socket, hence `SessionDaemon.run_python`).
- QEMU daemonizes away from libvirtd, and libvirt waits for its processes to
  vanish (``destroy``, the capability probe at start).  Where PID 1 reaps
  orphans lazily (every 2 s on this project's VMs) that costs ~1.5 s a guest
  and ~3 s a daemon start, so the guard process that starts the daemon is a
  child subreaper and reaps them at once: a first start takes about 1 s
  (probing the QEMU binaries; cached under ``$XDG_CACHE_HOME``, which
  ``capabilities_from=`` can seed), a guest starts in about 0.5 s.
- QEMU guests outlive the daemon, so stopping the daemon must kill them; they
  are this daemon's because their command line and environment name its
  temporary directory (other daemons' guests are left alone).
- ``stdio_handler = "file"`` keeps the daemon from spawning ``virtlogd``,
  which would otherwise linger two minutes after it.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import random
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape

DAEMON_USER = "virt-test"
LIBVIRTD = "/usr/sbin/libvirtd"
QEMU = "/usr/bin/qemu-system-x86_64"
SYSTEM_PYTHON = "/usr/bin/python3"  # readable by the daemon's user, unlike a venv under /root
TMP_PREFIX = "virt-rig-"
# Unix socket paths are limited to 108 bytes; libvirt puts QEMU's monitor
# socket a good 60 bytes below the temporary directory.
MAX_BASE_DIR_LENGTH = 32


class RigError(RuntimeError):
    """The rig could not do what a test asked of it (not a missing prerequisite)."""


class VirshError(subprocess.CalledProcessError):
    """A failed ``virsh`` command; its message includes what virsh printed."""

    def __str__(self) -> str:
        return f"{super().__str__()}\n{self.stderr or ''}{self.stdout or ''}".rstrip()


# -- prerequisites -------------------------------------------------------------------


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


def python_with(module: str) -> str:
    """An interpreter that can import *module*: this one, or else the development
    environment's (``.venv``), for tiers run under another Python (3.9, PyPy)
    whose environments hold only pytest.  Fails the test if neither can."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin not in (None, "namespace"):
        return sys.executable  # (the checkout's build/ directory is a namespace package)
    development = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
    found = development.exists() and subprocess.run(
        [str(development), "-c", f"import {module}"], capture_output=True).returncode == 0
    require(found, f"no interpreter here can import {module}: run `make .venv/.dev`")
    return str(development)


# -- waiting and processes -----------------------------------------------------------


def wait_for(predicate: Callable[[], bool], timeout: float, what: str,
             details: Callable[[], str] | None = None, interval: float = 0.05) -> None:
    """Poll *predicate* until it is true; raise `RigError` after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    message = f"{what}: not within {timeout:g} s"
    if details is not None:
        message += "\n" + details()
    raise RigError(message)


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def process_alive(pid: int) -> bool:
    """Whether *pid* runs (a zombie does not: it only waits to be reaped)."""
    try:
        fields = _read(f"/proc/{pid}/stat").rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] not in (b"Z", b"X")


def process_ids(pid: int) -> tuple[list[int], list[int], list[int]]:
    """Real, effective, saved and filesystem uids, the same gids, and the
    supplementary groups of a process."""
    uids: list[int] = []
    gids: list[int] = []
    groups: list[int] = []
    for line in _read(f"/proc/{pid}/status").decode().splitlines():
        key, _, value = line.partition(":")
        if key == "Uid":
            uids = [int(v) for v in value.split()]
        elif key == "Gid":
            gids = [int(v) for v in value.split()]
        elif key == "Groups":
            groups = [int(v) for v in value.split()]
    return uids, gids, groups


def instance_processes(tmpdir: Path | str, uid: int, exclude: Iterable[int] = ()) -> list[int]:
    """Live processes of user *uid* that belong to the daemon living in *tmpdir*.

    A process belongs to it when its command line or environment names the
    directory: the daemon (XDG variables), QEMU (its monitor socket, key and
    home), anything those spawned.  The instance's guard does not count.
    """
    root = str(tmpdir).rstrip("/")
    needles = (f"{root}/".encode(), f"{root}\0".encode())
    guard = f"\0--guard\0{root}\0".encode()
    skip = {os.getpid(), *exclude}
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) in skip:
            continue
        pid = int(entry.name)
        try:
            if process_ids(pid)[0][:1] != [uid] or not process_alive(pid):
                continue
            data = _read(f"/proc/{pid}/cmdline") + b"\0"
            if guard in data:
                continue
            try:
                data += _read(f"/proc/{pid}/environ")
            except OSError:  # a process that made itself undumpable, when we are not root
                pass
        except (OSError, ValueError):
            continue
        if any(needle in data for needle in needles):
            found.append(pid)
    return sorted(found)


def kill_and_wait(pids: Iterable[int], sig: int = signal.SIGKILL, timeout: float = 15) -> None:
    """Send *sig* to *pids* and wait until none of them runs."""
    pids = list(pids)
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    wait_for(lambda: not any(process_alive(pid) for pid in pids), timeout,
             f"processes {pids} ending after signal {sig}")


def sweep(tmpdir: Path | str, uid: int, exclude: Iterable[int] = (), timeout: float = 15) -> None:
    """Kill every process of the daemon instance in *tmpdir*; raise if one survives."""
    exclude = list(exclude)
    kill_and_wait(instance_processes(tmpdir, uid, exclude), timeout=timeout)
    left = instance_processes(tmpdir, uid, exclude)
    if left:
        raise RigError(f"processes of {tmpdir} survive SIGKILL: {left}")


# -- the daemon's user and directory -------------------------------------------------


def ensure_daemon_user() -> tuple[int, int]:
    """The uid and gid the daemon runs as: ``virt-test`` when root, else ours.

    As root the user is created once (``useradd --system``, no home, no
    login shell); that is the only change the rig makes outside /tmp.
    """
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(DAEMON_USER)
    except KeyError:
        result = subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home",
             "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
             "--comment", "libvirt session daemon of the virt test suite", DAEMON_USER],
            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
        try:  # a test run alongside may have created it first
            entry = pwd.getpwnam(DAEMON_USER)
        except KeyError:
            raise RigError(f"cannot create user {DAEMON_USER}: {result.stderr.strip()}") from None
    if entry.pw_uid == 0:
        raise RigError(f"user {DAEMON_USER} has uid 0; it must be unprivileged")
    return entry.pw_uid, entry.pw_gid


def daemon_user_available() -> bool:
    """Whether `ensure_daemon_user` can work (not root, the user exists, or useradd does)."""
    if os.geteuid() != 0:
        return True
    try:
        pwd.getpwnam(DAEMON_USER)
        return True
    except KeyError:
        return shutil.which("useradd") is not None


def device_groups() -> list[int]:
    """Groups that give access to /dev/kvm, for the daemon's user (none when root-only).

    Given to the process directly, so /etc/group is never changed; guests use
    TCG anyway, but libvirt probes /dev/kvm for its capabilities.
    """
    try:
        info = os.stat("/dev/kvm")
    except OSError:
        return []
    if info.st_gid != 0 and info.st_mode & 0o060 == 0o060:
        return [info.st_gid]
    return []


def _traversable(directory: str, uid: int, gid: int) -> bool:
    """Whether *uid* can reach *directory* and everything above it."""
    path = Path(directory).resolve()
    for part in [path, *path.parents]:
        try:
            info = part.stat()
        except OSError:
            return False
        if info.st_uid == uid:
            allowed = bool(info.st_mode & stat.S_IXUSR)
        elif info.st_gid == gid:
            allowed = bool(info.st_mode & stat.S_IXGRP)
        else:
            allowed = bool(info.st_mode & stat.S_IXOTH)
        if not allowed:
            return False
    return True


def base_directory(uid: int, gid: int) -> str:
    """Where the daemon's temporary directory goes: $TMPDIR when the daemon's
    user can reach it and its path is short, else /tmp."""
    base = tempfile.gettempdir()
    if len(base) <= MAX_BASE_DIR_LENGTH and (uid == os.getuid() or _traversable(base, uid, gid)):
        return base
    return "/tmp"


# -- the session daemon --------------------------------------------------------------


class SessionDaemon:
    """A ``libvirtd`` in session mode, private to this test run.

    Creating one makes its temporary directory and its guard process;
    `start` runs the daemon, `stop` ends it and its guests, `cleanup` also
    removes the directory.  As a context manager it starts and cleans up.
    *capabilities_from* (another daemon, or its `cache_dir`) seeds the QEMU
    capability cache, which saves the ~4 s of probing on the first start.
    """

    def __init__(self, capabilities_from: SessionDaemon | Path | None = None) -> None:
        self.uid, self.gid = ensure_daemon_user()
        self.user = pwd.getpwuid(self.uid).pw_name
        self.as_other_user = os.geteuid() == 0 and self.uid != 0
        self.groups = device_groups() if self.as_other_user else []
        self.tmpdir = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=base_directory(self.uid,
                                                                                  self.gid)))
        self.config_dir = self.tmpdir / "config"
        self.runtime_dir = self.tmpdir / "run"
        self.cache_dir = self.tmpdir / "cache"
        self.data_dir = self.tmpdir / "data"
        self.home_dir = self.tmpdir / "home"
        self.images_dir = self.tmpdir / "images"  # for the tests' disk images, saves, pools
        self.socket = self.runtime_dir / "libvirt" / "libvirt-sock"
        self.admin_socket = self.runtime_dir / "libvirt" / "libvirt-admin-sock"
        self.log_path = self.tmpdir / "libvirtd.log"
        self.libvirtd_conf = self.config_dir / "libvirt" / "libvirtd.conf"
        self.qemu_conf = self.config_dir / "libvirt" / "qemu.conf"
        self.output_path = self.tmpdir / "libvirtd.output"  # its stdout and stderr
        self.qemu_uri = f"qemu+unix:///session?socket={self.socket}"
        self.test_uri = f"test+unix:///default?socket={self.socket}"
        self.admin_uri = f"libvirtd+unix:///session?socket={self.admin_socket}"
        # A VNC port range of its own, below the ephemeral ports, so that daemons
        # running side by side never race for the same port.
        low = 20000 + 100 * random.randrange(120)
        self.vnc_ports = (low, low + 99)
        self.guard_log_path = self.tmpdir / "guard.log"
        self._daemon_pid: int | None = None
        self.start_seconds: float | None = None  # how long the last start took
        self._prepared = False
        if isinstance(capabilities_from, SessionDaemon):
            capabilities_from = capabilities_from.cache_dir
        self._seed = capabilities_from
        self._guard: subprocess.Popen[bytes] | None = None
        try:
            self.tmpdir.chmod(0o755)
            os.chown(self.tmpdir, self.uid, self.gid)
            self._guard = self._start_guard()
        except BaseException:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            raise

    def __repr__(self) -> str:
        return f"<SessionDaemon {self.tmpdir} pid={self.pid} user={self.user}>"

    @property
    def pid(self) -> int | None:
        """The daemon's process id while it runs."""
        pid = self._daemon_pid
        return pid if pid is not None and process_alive(pid) else None

    def running(self) -> bool:
        return self.pid is not None

    # -- processes as the daemon's user

    def _credentials(self) -> tuple[int | None, int | None, list[int] | None]:
        """user=, group= and extra_groups= for subprocess: the daemon's user, or no change.

        extra_groups matters: without it the child keeps root's supplementary groups.
        """
        if not self.as_other_user:
            return None, None, None
        return self.uid, self.gid, self.groups

    def environment(self) -> dict[str, str]:
        """The environment of the daemon (and of `run_python`)."""
        return {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(self.home_dir),
            "USER": self.user,
            "LOGNAME": self.user,
            "XDG_CONFIG_HOME": str(self.config_dir),
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_CACHE_HOME": str(self.cache_dir),
            "XDG_DATA_HOME": str(self.data_dir),
            "LC_ALL": "C.UTF-8",
        }

    def _start_guard(self) -> subprocess.Popen[bytes]:
        """The guard: it starts the daemon for us, reaps what the daemon leaves
        (guests), and cleans up once our end of its stdin closes, at `cleanup` or
        when this process dies without cleaning up.  See `_guard_main`."""
        python = sys.executable or SYSTEM_PYTHON
        return subprocess.Popen(
            [python, "-I", str(Path(__file__).resolve()), "--guard", str(self.tmpdir),
             str(self.uid)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd="/", start_new_session=True)

    def _spawn(self, argv: list[str], timeout: float = 30) -> int:
        """Have the guard start *argv* as the daemon's user; its pid."""
        guard = self._guard
        if guard is None or guard.stdin is None or guard.stdout is None:
            raise RigError(f"{self!r} was cleaned up; make a new one")
        user, group, groups = self._credentials()
        request = {"argv": argv, "env": self.environment(), "cwd": str(self.tmpdir),
                   "output": str(self.output_path), "user": user, "group": group,
                   "extra_groups": groups}
        try:
            guard.stdin.write(json.dumps(request).encode() + b"\n")
            guard.stdin.flush()
        except BrokenPipeError:
            raise RigError(f"the guard of {self.tmpdir} is gone\n{self.log_tail()}") from None
        if not select.select([guard.stdout], [], [], timeout)[0]:
            raise RigError(f"the guard of {self.tmpdir} did not answer in {timeout:g} s")
        reply = guard.stdout.readline().decode().split(None, 1)
        if len(reply) != 2 or reply[0] != "pid":
            raise RigError(f"could not start {argv}: {' '.join(reply) or 'no answer'}\n"
                           f"{self.log_tail()}")
        return int(reply[1])

    def prepare(self) -> None:
        """Make the directories and write `libvirtd_conf` and `qemu_conf`.

        `start` does it the first time; call it before to change the
        configuration (append to those files) for a daemon of a test's own.
        """
        for directory in (self.config_dir / "libvirt", self.runtime_dir, self.cache_dir,
                          self.data_dir, self.home_dir, self.images_dir):
            directory.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.chmod(0o700)
        self.libvirtd_conf.write_text(f'log_outputs = "2:file:{self.log_path}"\n')
        low, high = self.vnc_ports
        self.qemu_conf.write_text(
            'stdio_handler = "file"\n'
            'vnc_listen = "127.0.0.1"\n'
            f"remote_display_port_min = {low}\n"
            f"remote_display_port_max = {high}\n")
        if self._seed is not None and (self._seed / "libvirt").is_dir():
            shutil.copytree(self._seed / "libvirt", self.cache_dir / "libvirt",
                            dirs_exist_ok=True)
        for top, subdirectories, files in os.walk(self.tmpdir):
            for name in [top, *(os.path.join(top, n) for n in subdirectories + files)]:
                os.chown(name, self.uid, self.gid, follow_symlinks=False)
        self._prepared = True

    def start(self, timeout: float = 60) -> None:
        """Run the daemon; return once ``virsh version`` answers on the qemu URI."""
        if self.running():
            return
        if self._guard is None:
            raise RigError(f"{self!r} was cleaned up; make a new one")
        if not self._prepared:
            self.prepare()
        began = time.monotonic()
        pid = self._daemon_pid = self._spawn([LIBVIRTD])

        def answers() -> bool:
            if not process_alive(pid):
                raise RigError(f"libvirtd exited while starting\n{self.log_tail()}")
            return self.virsh("version", check=False, timeout=10).returncode == 0

        try:
            wait_for(answers, timeout, f"libvirtd answering on {self.socket}", self.log_tail,
                     interval=0.1)
        except BaseException:
            with contextlib.suppress(Exception):  # the first error is the one to see
                self.stop()
            raise
        self.start_seconds = time.monotonic() - began

    def _end_daemon(self, timeout: float) -> None:
        """SIGTERM the daemon, SIGKILL its process group if it does not end."""
        pid, self._daemon_pid = self._daemon_pid, None
        if pid is None or not process_alive(pid):
            return
        try:
            kill_and_wait([pid], signal.SIGTERM, timeout)
        except RigError:
            try:
                os.killpg(pid, signal.SIGKILL)  # it leads its own session and group
            except ProcessLookupError:
                pass
            kill_and_wait([pid], signal.SIGKILL, timeout)

    def stop(self, timeout: float = 15) -> None:
        """End the daemon and every process it left (guests); idempotent."""
        self._end_daemon(timeout)
        exclude = [self._guard.pid] if self._guard is not None else []
        sweep(self.tmpdir, self.uid, exclude, timeout)

    def restart(self, timeout: float = 60) -> None:
        """Restart the daemon only: running guests go on, and it reconnects to them."""
        self._end_daemon(15)
        self.start(timeout)

    def cleanup(self) -> None:
        """`stop`, remove the temporary directory and end the guard; idempotent."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            guard, self._guard = self._guard, None
            if guard is not None:
                for pipe in (guard.stdin, guard.stdout):
                    if pipe is not None:
                        pipe.close()
                try:
                    guard.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    guard.kill()
                    guard.wait()

    def __enter__(self) -> SessionDaemon:
        try:
            self.start()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.cleanup()

    # -- using it

    def virsh(self, *args: str, uri: str | None = None, check: bool = True,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``virsh -q -c URI ARGS`` against this daemon (the qemu URI by default).

        With *check*, a failure raises `VirshError`, which shows virsh's message.
        """
        command = ["virsh", "-q", "-c", uri or self.qemu_uri, *args]
        result = subprocess.run(command, text=True, capture_output=True, timeout=timeout,
                                stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C"})
        if check and result.returncode != 0:
            raise VirshError(result.returncode, command, result.stdout, result.stderr)
        return result

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
        env = {**self.environment(), "PYTHONPATH": str(copy.parent),
               "PYTHONDONTWRITEBYTECODE": "1"}
        user, group, groups = self._credentials()
        return subprocess.run(
            [SYSTEM_PYTHON, "-c", code], env=env, cwd=self.tmpdir, capture_output=True,
            text=True, timeout=timeout, stdin=subprocess.DEVNULL, user=user, group=group,
            extra_groups=groups)

    def processes(self) -> list[int]:
        """Every live process of this daemon instance: the daemon, its guests, helpers."""
        exclude = [self._guard.pid] if self._guard is not None else []
        return instance_processes(self.tmpdir, self.uid, exclude)

    def qemu_processes(self) -> list[int]:
        """The QEMU processes of this daemon instance (not those of other daemons)."""
        found = []
        for pid in self.processes():
            try:
                program = _read(f"/proc/{pid}/cmdline").split(b"\0", 1)[0]
            except OSError:
                continue
            if os.path.basename(program).startswith(b"qemu-system-"):
                found.append(pid)
        return found

    def log_tail(self, lines: int = 40) -> str:
        """The end of the daemon's log and of its output, for error messages."""
        parts = []
        for path in (self.log_path, self.output_path, self.guard_log_path):
            try:
                text = path.read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                continue
            parts.append(f"--- {path} (last {lines} lines)\n" + "\n".join(text))
        return "\n".join(parts) or f"(no log in {self.tmpdir})"


# -- guests --------------------------------------------------------------------------


def guest_xml(name: str, *, memory_mib: int = 64, vcpus: int = 1, uuid_: str | None = None,
              machine: str = "pc", emulator: str = QEMU, extra_devices: str = "") -> str:
    """XML of a disk-less x86_64 QEMU guest under TCG.

    VNC on 127.0.0.1 with an automatic port, a VGA card (screenshots), a pty
    serial console that also shows the BIOS, no network card.  With nothing to
    boot it sits at SeaBIOS's "No bootable device." for good (no reboot
    timeout).  *extra_devices* is XML put inside ``<devices>``.
    """
    return f"""<domain type='qemu'>
  <name>{escape(name)}</name>
  <uuid>{uuid_ or uuid.uuid4()}</uuid>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>{vcpus}</vcpu>
  <os>
    <type arch='x86_64' machine='{escape(machine)}'>hvm</type>
    <boot dev='hd'/>
    <bios useserial='yes' rebootTimeout='-1'/>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>{escape(emulator)}</emulator>
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
    """A persistent QEMU guest on a `SessionDaemon`, defined and started by `start`.

    As a context manager it starts, then destroys and undefines.
    """

    def __init__(self, daemon: SessionDaemon, name: str | None = None, *,
                 memory_mib: int = 64, extra_devices: str = "") -> None:
        self.daemon = daemon
        self.name = name or f"virt-test-{uuid.uuid4().hex[:8]}"
        self.uuid = str(uuid.uuid4())
        self.xml = guest_xml(self.name, memory_mib=memory_mib, uuid_=self.uuid,
                             extra_devices=extra_devices)
        self.uri = daemon.qemu_uri
        self.start_seconds: float | None = None  # how long ``virsh start`` took

    def __repr__(self) -> str:
        return f"<Guest {self.name} on {self.daemon.tmpdir}>"

    @property
    def log_path(self) -> Path:
        """QEMU's own log: its command line and what it printed."""
        return self.daemon.cache_dir / "libvirt" / "qemu" / "log" / f"{self.name}.log"

    @property
    def pid_path(self) -> Path:
        return self.daemon.runtime_dir / "libvirt" / "qemu" / "run" / f"{self.name}.pid"

    def start(self) -> None:
        """Define the guest and start it (``virsh define``, ``virsh start``)."""
        path = self.daemon.tmpdir / f"{self.name}.xml"
        path.write_text(self.xml)
        self.daemon.virsh("define", str(path))
        began = time.monotonic()
        try:
            self.daemon.virsh("start", self.name, timeout=120)
        except VirshError as error:
            try:
                log = self.log_path.read_text(errors="replace")[-3000:]
            except OSError:
                log = "(no QEMU log)"
            with contextlib.suppress(Exception):  # the first error is the one to see
                self.destroy_and_undefine()
            raise RigError(f"{self!r} did not start: {error}\n--- {self.log_path}\n{log}"
                           ) from error
        self.start_seconds = time.monotonic() - began

    def state(self) -> str:
        """``virsh domstate``: running, paused, shut off, …"""
        return self.daemon.virsh("domstate", self.name).stdout.strip()

    def pid(self) -> int | None:
        """The QEMU process's id while the guest runs."""
        try:
            pid = int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if process_alive(pid) else None

    def destroy_and_undefine(self) -> None:
        """Stop and forget the guest; idempotent, and a no-op once its daemon is stopped."""
        if not self.daemon.running():
            return
        self.daemon.virsh("destroy", self.name, check=False)
        self.daemon.virsh("undefine", self.name, "--managed-save", "--snapshots-metadata",
                          "--checkpoints-metadata", check=False)
        if self.daemon.virsh("domstate", self.name, check=False).returncode == 0:
            raise RigError(f"{self!r} still exists after destroy and undefine")

    def __enter__(self) -> Guest:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.destroy_and_undefine()


def vnc_port(daemon: SessionDaemon, guest: Guest) -> tuple[str, int]:
    """The address and TCP port of a guest's VNC server (``virsh vncdisplay`` gives a
    display number, 5900 below the port)."""
    display = daemon.virsh("vncdisplay", guest.name).stdout.strip()
    host, _, number = display.rpartition(":")
    return host, 5900 + int(number)


def loopback_banner(host: str, port: int, size: int = 12, timeout: float = 10) -> bytes:
    """The first *size* bytes a server on *host*:*port* sends (``RFB 003.008\\n`` for VNC)."""
    with socket.create_connection((host, port), timeout=timeout) as connection:
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                break
            data += chunk
        return data


# -- the guard process ---------------------------------------------------------------

PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    """Adopt our descendants' orphans.  QEMU double-forks away from libvirtd; where
    PID 1 reaps orphans lazily (every 2 s on some VMs), libvirt's ``destroy``
    waits for QEMU's zombie to go, so a prompt reaper saves ~1.5 s a guest."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


class _Guard:
    """The guard process's state: the children it started, its log."""

    def __init__(self, tmpdir: str, uid: int) -> None:
        self.tmpdir = tmpdir
        self.uid = uid
        self.children: dict[int, subprocess.Popen[bytes]] = {}
        self.log = open(os.path.join(tmpdir, "guard.log"), "a", buffering=1)

    def note(self, message: str) -> None:
        self.log.write(f"{time.strftime('%H:%M:%S')} guard {os.getpid()}: {message}\n")

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if child is not None:
                child.returncode = os.waitstatus_to_exitcode(status)
                self.note(f"{child.args!r} (pid {pid}) ended with status {child.returncode}")

    def spawn(self, line: bytes) -> bytes:
        try:
            request = json.loads(line)
            with open(request["output"], "ab") as output:
                child = subprocess.Popen(
                    request["argv"], env=request["env"], cwd=request["cwd"],
                    stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                    start_new_session=True, user=request["user"], group=request["group"],
                    extra_groups=request["extra_groups"])
        except Exception as error:  # reported to the rig, which raises it
            self.note(f"cannot start: {error!r}")
            return f"error {error!r}".encode()
        self.children[child.pid] = child
        self.note(f"started {child.args!r} as pid {child.pid}")
        return f"pid {child.pid}".encode()


def _guard_main(tmpdir: str, uid: int) -> int:
    """The guard process of a `SessionDaemon` (``rig.py --guard TMPDIR UID``).

    It reads requests on stdin, one JSON line each, to start a process (the
    daemon) and answers ``pid N``.  It is a child subreaper and reaps at once
    whatever ends below it.  At EOF on stdin (the rig is done, or died), or on
    SIGTERM, it kills every process of the daemon instance in *tmpdir* and
    removes the directory.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wake_write)
    guard = _Guard(tmpdir, uid)
    guard.note(f"watching {tmpdir}; subreaper: {_become_subreaper()}")
    pending = b""
    try:
        while True:
            ready = select.select([0, wake_read], [], [])[0]
            if wake_read in ready:
                while True:
                    try:
                        if not os.read(wake_read, 512):
                            break
                    except BlockingIOError:
                        break
            guard.reap()
            if 0 in ready:
                data = os.read(0, 65536)
                if not data:
                    break
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    os.write(1, guard.spawn(line) + b"\n")
    finally:
        guard.note("cleaning up")
        try:
            sweep(tmpdir, uid)
        finally:
            guard.reap()
            guard.log.close()
            shutil.rmtree(tmpdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--guard":
        sys.exit(_guard_main(sys.argv[2], int(sys.argv[3])))
    sys.exit("usage: rig.py --guard TMPDIR UID  (run by SessionDaemon, not by hand)")
