"""Real programs written by others for libvirt-python, run unchanged through the drop-in.

``make build/real/.ready`` (tools/fetch-real.sh) fetches them, never committed:
virt-manager's command-line tools (Debian's ``virtinst``: virt-install, virt-xml,
virt-clone), virtualbmc and sushy-tools (their own unit tests, and their libvirt
code driven over the test driver by small scripts of ours in tests/data),
Ansible's community.libvirt modules, and libvirt-python's examples.

Each runs twice in the same interpreter (``build/real/venv``: the system Python
with the programs' dependencies and no binding of its own), once with the
drop-in on ``PYTHONPATH`` (``compat/`` and this checkout, so ``import libvirt``
is virt.compat), once with the official binding there (libvirt-python 12.8.0,
``build/real/oracle``).  Where the output is deterministic the two must match,
errors libvirt prints included, after masking what differs from run to run
(UUIDs and MACs the tools generate, timestamps, process ids, object addresses).
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from rig import Guest, SessionDaemon, require

pytestmark = pytest.mark.oracle

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REAL = ROOT / "build" / "real"
PYTHON = REAL / "venv" / "bin" / "python"
VIRTINST = REAL / "virtinst" / "usr"
SDIST = REAL / "sdist"
EXAMPLES = SDIST / "libvirt_python-12.8.0" / "examples"
#: What each binding puts first on PYTHONPATH.
BINDINGS = {"dropin": [ROOT / "compat", ROOT], "official": [REAL / "oracle"]}
NODE = f"test://{DATA / 'virtinst-node.xml'}"

_MASKS = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"00:16:3e(:[0-9a-f]{2}){3}"), "<mac>"),
    # virtinst's log prefix "[Tue, 01 Dec 2026 09:54:57 virt-clone 5535]", logging's
    # "2026-12-01 10:00:57,754 6057", sushy's DateTime.
    (re.compile(r"^\[\w{3}, \d\d \w{3} \d{4} [\d:]+ [\w-]+ \d+\]", re.M), "[<when>]"),
    (re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ ", re.M), "<when> "),
    (re.compile(r'"DateTime": "[^"]*"'), '"DateTime": "<when>"'),
    (re.compile(r" \d{9,}>"), " <id>>"),
]


def _mask(text: str) -> str:
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    # virtinst's progress thread may or may not see a new volume before it is done.
    return "".join(line for line in text.splitlines(True) if "in prog thread" not in line)


@pytest.fixture(scope="module")
def real() -> Path:
    """The fetched programs and their interpreter (strict mode: missing is a failure)."""
    require((REAL / ".ready").exists() and PYTHON.exists(),
            "the real programs are not fetched: make build/real/.ready")
    return REAL


def run(binding: str, *argv: Any, cwd: Path | str = "/", home: Path | None = None,
        uri: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run *argv* (after the interpreter) with *binding* as ``import libvirt``.

    *uri* becomes ``LIBVIRT_DEFAULT_URI`` (what ``libvirt.open(None)`` opens).
    """
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "LIBVIRT_", "VIRT_"))}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in BINDINGS[binding])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if home is not None:
        env["HOME"] = str(home)
    if uri is not None:
        env["LIBVIRT_DEFAULT_URI"] = uri
    return subprocess.run([str(PYTHON), *(str(a) for a in argv)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)


def both(*argv: Any, tmp_path: Path, uri: str | None = None) -> dict[str, Any]:
    """Run *argv* under each binding: binding -> masked (returncode, stdout, stderr).

    Each run gets a directory of its own, ``tmp_path/<binding>``, as its home and
    working directory, and an argument ``{dir}`` is replaced by it (shown as
    ``<dir>`` in the output).
    """
    results = {}
    for binding in BINDINGS:
        home = tmp_path / binding
        home.mkdir(exist_ok=True)
        args = [str(a).replace("{dir}", str(home)) for a in argv]
        done = run(binding, *args, cwd=home, home=home, uri=uri)
        results[binding] = (done.returncode, _mask(done.stdout.replace(str(home), "<dir>")),
                            _mask(done.stderr.replace(str(home), "<dir>")))
    return results


def test_the_dropin_is_what_the_programs_import(real: Path) -> None:
    dropin = run("dropin", "-c", "import libvirt, virt.compat; print(libvirt is virt.compat)")
    assert dropin.returncode == 0, dropin.stderr
    assert dropin.stdout == "True\n"
    official = run("official", "-c", "import libvirt; print(libvirt.__file__)")
    assert official.returncode == 0, official.stderr
    assert official.stdout.startswith(str(REAL / "oracle"))
    # Neither binding is in the interpreter itself.
    alone = subprocess.run([str(PYTHON), "-c", "import libvirt"], capture_output=True,
                           cwd="/", env={"PATH": os.environ["PATH"]})
    assert alone.returncode != 0


# -- virt-manager's command-line tools ---------------------------------------------

#: (tool, arguments, expected exit status).  test:///default is libvirt's built-in
#: node (a running "test" guest); NODE adds a shut-off guest with volumes to clone.
VIRTINST_RUNS = [
    ("virt-install", ["--connect", "test:///default", "--name", "t1", "--memory", "512",
                      "--disk", "none", "--import", "--osinfo", "detect=on,require=off",
                      "--print-xml"], 0),
    ("virt-install", ["--connect", "test:///default", "--name", "t2", "--memory", "1024",
                      "--vcpus", "2", "--disk", "size=1,pool=default-pool", "--network",
                      "network=default", "--osinfo", "debian11", "--import", "--debug",
                      "--noautoconsole"], 0),
    ("virt-install", ["--connect", "test:///default", "--name", "t3", "--memory", "1024",
                      "--disk", "size=1", "--cdrom", "/dev/null", "--osinfo", "linux2020",
                      "--print-xml"], 0),
    ("virt-install", ["--connect", "test:///default", "--name", "t6", "--memory", "512",
                      "--disk", "none", "--pxe", "--osinfo", "linux2020", "--network",
                      "bridge=br0", "--graphics", "vnc", "--print-xml", "--debug"], 0),
    ("virt-install", ["--connect", "test:///default", "--name", "t5", "--memory", "512",
                      "--disk", "none", "--boot", "uefi", "--osinfo", "linux2020",
                      "--print-xml"], 1),
    ("virt-install", ["--connect", NODE, "--name", "new1", "--memory", "1024", "--disk",
                      "pool=images,size=3,format=qcow2", "--network", "network=default",
                      "--osinfo", "fedora36", "--import", "--noautoconsole", "--debug"], 0),
    ("virt-install", ["--connect", NODE, "--name", "new2", "--memory", "1024", "--disk",
                      "vol=images/spare.raw", "--network",
                      "network=default,mac=52:54:00:01:02:03", "--osinfo", "fedora36",
                      "--import", "--noreboot", "--noautoconsole"], 0),
    ("virt-install", ["--connect", NODE, "--name", "new3", "--memory", "1024", "--disk",
                      "path=/var/lib/virtinst-test/images/new3.img,size=2", "--osinfo",
                      "fedora36", "--import", "--transient", "--noautoconsole", "--debug"], 0),
    ("virt-install", ["--connect", NODE, "--name", "idle", "--memory", "1024", "--disk",
                      "none", "--osinfo", "fedora36", "--import", "--noautoconsole"], 1),
    ("virt-install", ["--connect", "test:///default", "--osinfo", "list"], 0),
    ("virt-xml", ["--connect", "test:///default", "test", "--edit", "--vcpus", "3",
                  "--print-diff", "--debug"], 0),
    ("virt-xml", ["--connect", "test:///default", "test", "--edit", "--memory", "256",
                  "--define"], 0),
    ("virt-xml", ["--connect", "test:///default", "test", "--add-device", "--disk", "size=1",
                  "--update"], 1),
    ("virt-xml", ["--connect", NODE, "idle", "--add-device", "--disk",
                  "vol=images/spare.raw,target=vdc", "--define", "--print-diff"], 0),
    ("virt-xml", ["--connect", NODE, "idle", "--edit", "target=sda", "--disk",
                  "path=/var/lib/virtinst-test/images/spare.raw", "--print-diff"], 0),
    ("virt-xml", ["--connect", NODE, "idle", "--edit", "--disk", "target=vdb,cache=none",
                  "--define"], 1),
    ("virt-xml", ["--connect", NODE, "busy", "--edit", "--cpu", "host-passthrough",
                  "--define", "--print-diff"], 0),
    ("virt-xml", ["--connect", NODE, "idle", "--remove-device", "--network", "all",
                  "--define", "--debug"], 0),
    ("virt-clone", ["--connect", "test:///default", "-o", "test", "--auto-clone"], 1),
    ("virt-clone", ["--connect", NODE, "-o", "idle", "--auto-clone", "--debug"], 0),
    ("virt-clone", ["--connect", NODE, "-o", "idle", "-n", "idle2", "--file",
                    "/var/lib/virtinst-test/images/c1.qcow2", "--file",
                    "/var/lib/virtinst-test/images/c2.raw", "--print-xml"], 0),
    ("virt-clone", ["--connect", NODE, "-o", "idle", "--auto-clone", "--skip-copy", "vdb",
                    "--mac", "52:54:00:11:22:33", "--debug"], 0),
]


@pytest.mark.parametrize(("tool", "args", "status"), VIRTINST_RUNS,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(VIRTINST_RUNS)])
def test_virtinst_tool_as_under_the_official_binding(real: Path, tmp_path: Path, tool: str,
                                                     args: list[str], status: int) -> None:
    shared = VIRTINST / "share" / "virt-manager"
    # The installed script puts /usr/share/virt-manager first; this one is unpacked.
    runs = both("-c", f"import sys; sys.path.insert(0, {str(shared)!r}); "
                f"sys.argv[0] = {tool!r}; "
                f"exec(open({str(VIRTINST / 'bin' / tool)!r}).read())",
                *args, tmp_path=tmp_path)
    dropin, official = runs["dropin"], runs["official"]
    assert official[0] == status, official[2]
    assert dropin[0] == status, dropin[2]
    assert dropin[1] == official[1]
    if status == 0:
        assert dropin[2] == official[2]
    else:  # the message virtinst reports, not the traceback's exception class
        assert _errors(dropin[2]) == _errors(official[2]) != []


def _last_line(stderr: str) -> str:
    """A traceback's last line, less the exception's class (libvirtError or a subclass)."""
    return stderr.strip().splitlines()[-1].split(": ", 1)[-1]


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "ERROR" in line]


# -- virtualbmc and sushy-tools ----------------------------------------------------------


@pytest.mark.parametrize("project", ["virtualbmc-3.3.0", "sushy_tools-2.2.0"])
def test_own_unit_tests_pass_on_the_dropin(real: Path, project: str) -> None:
    source = SDIST / project
    package = source / project.split("-")[0]
    # -s: virtualbmc's daemon tests dup2 onto the real stdin (they run under stestr).
    done = run("dropin", "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
               "-o", "addopts=", package / "tests", cwd=source)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary, summary


def test_virtualbmc_drives_the_test_driver_as_under_the_official_binding(
        real: Path, tmp_path: Path) -> None:
    runs = both(DATA / "vbmc_drive.py", DATA / "auth-node.xml", tmp_path=tmp_path)
    assert runs["official"][0] == 0, runs["official"][2]
    assert runs["dropin"] == runs["official"]
    out = runs["dropin"][1]
    assert "power_off -> None\nget_power_state -> 0" in out  # state kept between calls
    assert "Fail to establish a connection" in out and "authentication failed" in out


def test_sushy_emulator_serves_the_test_driver_as_under_the_official_binding(
        real: Path, tmp_path: Path) -> None:
    runs = both(DATA / "sushy_walk.py", tmp_path=tmp_path)
    assert runs["official"][0] == 0, runs["official"][2]
    assert runs["dropin"] == runs["official"]
    statuses = re.findall(r"^(?:GET|POST|PATCH) \S+ (\d+)$", runs["dropin"][1], re.M)
    assert statuses.count("200") > 20 and "404" in statuses


# -- libvirt-python's examples -----------------------------------------------------------

#: (example, arguments, exit status) on test:///default (LIBVIRT_DEFAULT_URI).
#: nodestats.py fails: the test driver has no virNodeGetMemoryStats.
EXAMPLES_RUNS = [
    ("dominfo.py", ["test"], 0),
    ("nodestats.py", [], 1),
    ("topology.py", [], 0),
    ("domipaddrs.py", ["test:///default", "test"], 0),
]


@pytest.mark.parametrize(("example", "args", "status"), EXAMPLES_RUNS,
                         ids=[e for e, _, _ in EXAMPLES_RUNS])
def test_example_as_under_the_official_binding(real: Path, tmp_path: Path, example: str,
                                               args: list[str], status: int) -> None:
    runs = both(EXAMPLES / example, *args, tmp_path=tmp_path, uri="test:///default")
    assert runs["official"][0] == status, runs["official"][2]
    if status:  # libvirt's message printed and raised; the traceback's frames differ
        runs = {binding: (code, out, _last_line(err)) for binding, (code, out, err)
                in runs.items()}
    assert runs["dropin"] == runs["official"]


def test_domsave_then_domrestore_as_under_the_official_binding(real: Path,
                                                               tmp_path: Path) -> None:
    # One process, so one test:///default: save every guest, then restore them.
    script = ("import os, runpy, sys\n"
              "import libvirt\n"
              "keep = libvirt.open(None)  # test:///default lives while one is open\n"
              "os.mkdir(sys.argv[1])\n"
              "for example in ('domsave.py', 'domrestore.py'):\n"
              "    sys.argv = [example, sys.argv[1]]\n"
              f"    runpy.run_path(os.path.join({str(EXAMPLES)!r}, example), "
              "run_name='__main__')\n"
              "    print(sorted(os.listdir(sys.argv[1])), keep.listDomainsID())\n")
    runs = both("-c", script, "{dir}/saved", tmp_path=tmp_path, uri="test:///default")
    assert runs["official"][0] == 0, runs["official"][2]
    assert runs["dropin"] == runs["official"]
    assert "['test'] []" in runs["dropin"][1]


# -- on the session daemon: qemu capabilities, events, streams, consoles ------------------


@pytest.fixture(scope="module")
def qemu_magic_uri(real: Path, libvirtd: SessionDaemon,
                   tmp_path_factory: pytest.TempPathFactory) -> str:
    """virtinst's own testing URI: test:///default posing as qemu:///system.

    virtinst replaces ``getCapabilities``/``getDomainCapabilities`` and wraps
    ``defineXML``/``createXML`` on the live ``virConnect`` (new attributes on a
    compat object); the capabilities are the session daemon's QEMU ones.
    """
    where = tmp_path_factory.mktemp("caps")
    (where / "caps.xml").write_text(libvirtd.virsh("capabilities").stdout)
    (where / "domcaps.xml").write_text(libvirtd.virsh(
        "domcapabilities", "--virttype", "qemu", "--arch", "x86_64", "--machine", "q35").stdout)
    return (f"__virtinst_test__test:///default,predictable,fakeuri=qemu:///system,"
            f"caps={where / 'caps.xml'},domcaps={where / 'domcaps.xml'}")


QEMU_RUNS = [
    ("virt-install", ["--name", "q1", "--memory", "2048", "--vcpus", "2", "--disk", "size=5",
                      "--osinfo", "fedora36", "--import", "--print-xml"], 0),
    ("virt-install", ["--name", "q3", "--memory", "1024", "--disk", "none", "--osinfo",
                      "linux2020", "--import", "--machine", "q35", "--cpu", "host-passthrough",
                      "--network", "none", "--graphics", "spice", "--video", "virtio",
                      "--sound", "default", "--rng", "/dev/urandom", "--channel",
                      "unix,target.type=virtio,name=org.qemu.guest_agent.0", "--print-xml"], 0),
    ("virt-install", ["--name", "q4", "--memory", "1024", "--disk", "none", "--osinfo",
                      "linux2020", "--import", "--arch", "aarch64", "--print-xml"], 1),
    ("virt-install", ["--name", "q5", "--memory", "1024", "--disk", "size=2", "--osinfo",
                      "debian11", "--import", "--noautoconsole", "--debug"], 0),
    ("virt-xml", ["test", "--build-xml", "--disk", "size=1,bus=virtio"], 0),
]


@pytest.mark.parametrize(("tool", "args", "status"), QEMU_RUNS,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(QEMU_RUNS)])
def test_virtinst_as_qemu_as_under_the_official_binding(qemu_magic_uri: str, tmp_path: Path,
                                                        tool: str, args: list[str],
                                                        status: int) -> None:
    test_virtinst_tool_as_under_the_official_binding(
        REAL, tmp_path, tool, ["--connect", qemu_magic_uri, *args], status)


@pytest.fixture(scope="module")
def event_test(real: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libvirt-python's event-test.py less its registrations of events this libvirt lacks.

    The example registers every event of libvirt 12.8; on an older libvirt the
    official binding has no constant for the newer ones (AttributeError), and
    compat, which has them, gets libvirt's refusal.  The lines naming a
    constant the official binding lacks are dropped, nothing else.
    """
    source = (EXAMPLES / "event-test.py").read_text()
    names = sorted(set(re.findall(r"libvirt\.(VIR_\w+)", source)))
    lacking = run("official", "-c", "import libvirt, sys\n"
                  "print(*[n for n in sys.argv[1:] if not hasattr(libvirt, n)])", *names)
    assert lacking.returncode == 0, lacking.stderr
    missing = set(lacking.stdout.split())
    lines = [line for line in source.splitlines(True)
             if not set(re.findall(r"libvirt\.(VIR_\w+)", line)) & missing]
    script = tmp_path_factory.mktemp("event-test") / "event-test.py"
    script.write_text("".join(lines))
    return script


@pytest.mark.parametrize("loop", ["native", "poll", "asyncio"])
def test_event_test_example_as_under_the_official_binding(event_test: Path,
                                                          libvirtd: SessionDaemon,
                                                          qemu_guest: Guest, loop: str) -> None:
    # The guest's lifecycle while the example listens, under each binding in turn.
    seen = {}
    for binding in BINDINGS:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in BINDINGS[binding])}
        listener = subprocess.Popen(
            [str(PYTHON), str(event_test), "--loop", loop, "--timeout", "9", libvirtd.qemu_uri],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd="/")
        time.sleep(3)  # importing and registering take well under that
        for action in ("suspend", "resume", "destroy", "start"):
            libvirtd.virsh(action, qemu_guest.name)
            time.sleep(0.5)
        out, err = listener.communicate(timeout=60)
        assert listener.returncode == 0, err
        events = [re.sub(r"\(\d+\)", "(<id>)", line) for line in out.splitlines()
                  if line.startswith("my")]
        seen[binding] = events, _last_line(err)
    assert seen["dropin"] == seen["official"]
    events = seen["dropin"][0]
    assert any("Stopped Destroyed" in event for event in events), events
    assert any("Started Booted" in event for event in events), events


def test_sparsestream_example_as_under_the_official_binding(real: Path,
                                                            libvirtd: SessionDaemon,
                                                            tmp_path: Path) -> None:
    pool = f"sparse-{os.getpid()}"
    libvirtd.virsh("pool-create-as", pool, "dir", "--target", str(libvirtd.images_dir))
    try:
        libvirtd.virsh("vol-create-as", pool, "sparse.raw", "8M", "--format", "raw")
        key = libvirtd.virsh("vol-key", "--pool", pool, "sparse.raw").stdout.strip()
        source = tmp_path / "source"
        with source.open("wb") as file:  # data, a 3 MiB hole, data, a hole to 8 MiB
            file.write(b"A" * 4096)
            file.seek(3 << 20)
            file.write(b"B" * 8192)
            file.truncate(8 << 20)
        got = {}
        for binding in BINDINGS:
            target = tmp_path / binding
            for args in (["--upload", key, source], ["--download", key, target]):
                done = run(binding, EXAMPLES / "sparsestream.py", libvirtd.qemu_uri, *args)
                assert done.returncode == 0, done.stderr
                assert done.stdout == ""
            got[binding] = target.read_bytes()
        assert got["dropin"] == got["official"] == source.read_bytes()
    finally:
        libvirtd.virsh("vol-delete", "--pool", pool, "sparse.raw", check=False)
        libvirtd.virsh("pool-destroy", pool, check=False)


def _pty_read(fd: int, seconds: float) -> bytes:
    """What the program writes to its terminal in *seconds*."""
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the program exited
                break
            if not chunk:
                break
            out += chunk
    return out


def test_consolecallback_example_as_under_the_official_binding(real: Path,
                                                               libvirtd: SessionDaemon,
                                                               qemu_guest: Guest,
                                                               tmp_path: Path) -> None:
    # A console that survives the guest's restart, on a terminal (it sets it raw).
    logs = {}
    for binding in BINDINGS:
        workdir = tmp_path / binding
        workdir.mkdir()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in BINDINGS[binding])}
        pid, fd = pty.fork()
        if pid == 0:  # the child: the example on the pty
            os.chdir(workdir)
            os.execve(str(PYTHON), [str(PYTHON), str(EXAMPLES / "consolecallback.py"),
                                    libvirtd.qemu_uri, qemu_guest.uuid], env)
        try:
            shown = _pty_read(fd, 2)
            libvirtd.virsh("reset", qemu_guest.name)
            shown += _pty_read(fd, 3)
            libvirtd.virsh("destroy", qemu_guest.name)
            shown += _pty_read(fd, 1.5)
            libvirtd.virsh("start", qemu_guest.name)
            shown += _pty_read(fd, 3)
            os.write(fd, b"\x1d")  # its escape character: quit
            shown += _pty_read(fd, 2)
        finally:
            _, status = os.waitpid(pid, 0)
            os.close(fd)
        assert os.waitstatus_to_exitcode(status) == 0, shown.decode(errors="replace")
        # SeaBIOS's message after the reset and again after the restart.
        assert shown.count(b"No bootable device") >= 2, shown.decode(errors="replace")
        logs[binding] = (workdir / "msg.log").read_text().replace(qemu_guest.uuid, "<uuid>")
    # Which lifecycle transitions the example logs in its fixed waits depends on
    # how fast the guest moves on a busy machine: the rest must be identical, and
    # both must have seen the guest destroyed (state 5, reason 2).
    def steady(log: str) -> list[str]:
        return [line for line in log.splitlines() if "transitioned to state" not in line]

    assert steady(logs["dropin"]) == steady(logs["official"])
    for log in logs.values():
        assert "transitioned to state 5, reason 2" in log, log


# -- Ansible's community.libvirt modules ---------------------------------------------------

NODE_XML = f"test://{DATA / 'node.xml'}"  # tests/data/node.xml: guests, networks, pools
#: (module, its arguments): what a playbook task would give it.
ANSIBLE_RUNS = [
    ("virt", {"command": "list_vms"}),
    ("virt", {"command": "list_vms", "state": "shutdown"}),
    ("virt", {"command": "info"}),
    ("virt", {"command": "nodeinfo"}),
    ("virt", {"command": "virttype"}),
    ("virt", {"command": "freemem"}),  # the test driver's 0, not an error
    ("virt", {"name": "web", "command": "status"}),
    ("virt", {"name": "web", "command": "get_xml"}),
    ("virt", {"name": "web", "command": "get_interfaces"}),
    ("virt", {"name": "web", "command": "uuid"}),
    ("virt", {"name": "web", "command": "pause"}),
    ("virt", {"name": "db", "command": "unpause"}),
    ("virt", {"name": "web", "command": "shutdown"}),
    ("virt", {"name": "web", "state": "destroyed"}),
    ("virt", {"name": "backup", "state": "running"}),
    ("virt", {"name": "web", "autostart": True}),
    ("virt", {"name": "nope", "state": "running"}),
    ("virt", {"name": "backup", "command": "undefine"}),
    ("virt", {"name": "backup", "command": "undefine", "flags": ["snapshots_metadata"]}),
    ("virt", {"command": "define", "xml": "<domain type='test'><name>n1</name>"
              "<memory>65536</memory><os><type>hvm</type></os></domain>"}),
    ("virt_net", {"command": "list_nets"}),
    ("virt_net", {"command": "facts"}),
    ("virt_net", {"name": "lan", "command": "status"}),
    ("virt_net", {"name": "lan", "command": "get_xml"}),
    ("virt_net", {"name": "lan", "state": "inactive"}),
    ("virt_pool", {"command": "list_pools"}),
    ("virt_pool", {"command": "info"}),
    ("virt_pool", {"command": "facts"}),
    ("virt_pool", {"name": "images", "command": "refresh"}),
    ("virt_pool", {"name": "scratch", "state": "inactive"}),
    ("virt_volume", {"pool": "images", "command": "list_volumes"}),
]


def _unordered(value: Any) -> Any:
    """*value* with its lists sorted: libvirt lists objects in hash order, per process.

    The test driver's CPU times are the clock's: masked.
    """
    if isinstance(value, dict):
        return {key: "<time>" if key in ("cpuTime", "cpuTime_ns") else _unordered(item)
                for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(item) for item in value), key=json.dumps)
    return value


@pytest.mark.parametrize(("module", "args"), ANSIBLE_RUNS,
                         ids=[f"{m}-{i}" for i, (m, _) in enumerate(ANSIBLE_RUNS)])
def test_ansible_module_as_under_the_official_binding(real: Path, tmp_path: Path, module: str,
                                                      args: dict[str, Any]) -> None:
    arguments = tmp_path / "args.json"
    arguments.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {**args, "uri": NODE_XML}}))
    runs = both("-m", f"ansible_collections.community.libvirt.plugins.modules.{module}",
                arguments, tmp_path=tmp_path)
    results = {binding: (code, _unordered(json.loads(out)), err)
               for binding, (code, out, err) in runs.items()}
    assert results["dropin"] == results["official"]
    assert ("failed" in results["dropin"][1]) == (results["dropin"][0] != 0)


def test_calls_the_official_binding_lets_fail_quietly(oracle: Any) -> None:
    # Found through Ansible's virt module (getFreeMemory); the official binding
    # checks no error for these, so a program sees 0 or None, not an exception.
    import virt.compat

    seen = {}
    for binding in (oracle, virt.compat):
        binding.registerErrorHandler(lambda ctx, err: None, None)
        try:
            conn = binding.open(NODE_XML)
            dom = conn.lookupByName("web")
            seen[binding.__name__] = (conn.getFreeMemory(), dom.migrateGetMaxDowntime(),
                                      dom.migrateGetCompressionCache(0))
            conn.close()
        finally:
            binding.registerErrorHandler(None, None)
    assert seen["virt.compat"] == seen["libvirt"] == (0, None, None)
    # Where the official binding would use a freed pointer, compat still raises.
    closed = virt.compat.open(NODE_XML)
    closed.close()
    with pytest.raises(virt.compat.libvirtError, match="invalid connection pointer"):
        closed.getFreeMemory()


def test_ansible_inventory_plugin_as_under_the_official_binding(real: Path,
                                                                tmp_path: Path) -> None:
    inventory = tmp_path / "libvirt.yml"
    inventory.write_text(f"plugin: community.libvirt.libvirt\nuri: '{NODE_XML}'\n")
    runs = both(PYTHON.parent / "ansible-inventory", "-i", inventory, "--list",
                tmp_path=tmp_path)
    results = {binding: (code, _unordered(json.loads(out)), sorted(err.splitlines()))
               for binding, (code, out, err) in runs.items()}
    assert results["dropin"] == results["official"]
    hostvars = results["dropin"][1]["_meta"]["hostvars"]
    assert sorted(hostvars) == ["backup", "db", "web"]
    assert hostvars["web"]["info"]["state_number"] == 1


def test_kcli_provider_as_under_the_official_binding(real: Path, tmp_path: Path) -> None:
    runs = both(DATA / "kcli_drive.py", NODE_XML, tmp_path=tmp_path)
    assert runs["official"][0] == 0, runs["official"][2]
    # kcli lists guests in libvirt's order, which is a hash's, different per process.
    results = {binding: (code, sorted(out.splitlines()), sorted(err.splitlines()))
               for binding, (code, out, err) in runs.items()}
    assert results["dropin"] == results["official"]
    assert "status web down" in results["dropin"][1]
    assert "exists nope False" in results["dropin"][1]
