"""Real programs written by others for libvirt-python, run unchanged through the drop-in.

``make build/real/.ready`` (tools/fetch-real.sh) fetches them, never committed:
virt-manager's command-line tools (Debian's ``virtinst``: virt-install, virt-xml,
virt-clone), virtualbmc and sushy-tools (their own unit tests, and their libvirt
code driven over the test driver by small scripts of ours in tests/data), and
libvirt-python's examples.  Each runs twice in the same interpreter
(``build/real/venv``, the system Python with the programs' dependencies and no
binding of its own): once with the drop-in on ``PYTHONPATH`` (``compat/`` and
this checkout: ``import libvirt`` is virt.compat), once with the official
binding there (libvirt-python 12.8.0, ``build/real/oracle``).  Where the output
is deterministic the two must match, errors libvirt prints included, after
masking what differs from run to run (UUIDs and MACs the tools generate,
timestamps, process ids, object addresses).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rig import require

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
