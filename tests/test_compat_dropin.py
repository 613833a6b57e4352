"""The drop-in distribution (``compat/``) in a fresh venv without libvirt-python.

``pip install . ./compat`` into ``build/dropin-venv-<pid>`` (no compiler or headers
needed, and no official binding), then unchanged programs written for
libvirt-python run there: a program of ours (``tests/data/legacy_program.py``,
output compared with the same program under the official binding), and
libvirt-python's own test suite, downloaded from PyPI at test time (never
committed) and run unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: This run's venv (per process: two runs at once must not share one).
VENV = ROOT / "build" / f"dropin-venv-{os.getpid()}"
PROGRAMS = [ROOT / "tests" / "data" / "legacy_program.py",
            ROOT / "tests" / "data" / "legacy_objects.py"]
#: The directory legacy_objects.py builds its storage pool in.
SCRATCH = Path("/tmp/legacy-scratch")
ORACLE = "libvirt-python==12.8.0"

#: Official test modules that need the official C extension itself: they import
#: ``libvirtmod`` (the API-coverage check, the event-loop mock of test_aio).
NEEDS_LIBVIRTMOD = ["tests/test_api_coverage.py", "tests/test_aio.py"]
#: Official test classes that patch ``libvirtmod`` functions with mocks.
PATCH_LIBVIRTMOD = ["TestLibvirtDomainMigrationMocked", "TestLibvirtDomainMigrateLegacyMocked"]


def _run(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 600)
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def dropin() -> Iterator[Path]:
    """The drop-in venv's python, built afresh for this module."""
    shutil.rmtree(VENV, ignore_errors=True)
    created = _run(sys.executable, "-m", "venv", VENV)
    assert created.returncode == 0, created.stderr
    python = VENV / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "-q", ROOT, ROOT / "compat", "pytest",
                     cwd=ROOT)
    assert installed.returncode == 0, installed.stderr
    yield python
    shutil.rmtree(VENV, ignore_errors=True)


def test_no_official_binding_in_the_dropin_venv(dropin: Path) -> None:
    listed = _run(dropin, "-m", "pip", "list", "--format=freeze")
    names = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert "virt" in names and "virt-libvirt-compat" in names
    assert "libvirt-python" not in names
    found = _run(dropin, "-c", "import importlib.util as u; print(u.find_spec('libvirtmod'))")
    assert found.stdout.strip() == "None"


def test_modules_are_the_compat_modules(dropin: Path) -> None:
    check = _run(dropin, "-W", "error", "-c", (
        "import libvirt, libvirt_qemu, libvirt_lxc, libvirtaio, virt.compat\n"
        "import virt.compat.qemu, virt.compat.lxc, virt.compat.aio\n"
        "assert libvirt is virt.compat and libvirt_qemu is virt.compat.qemu\n"
        "assert libvirt_lxc is virt.compat.lxc and libvirtaio is virt.compat.aio\n"
        "libvirt.SHARED = 1\n"
        "assert virt.compat.SHARED == 1 and libvirt_qemu.libvirt is libvirt\n"
        "print(libvirt.virDomain.__module__, type(libvirt.VIR_DOMAIN_RUNNING).__name__)\n"),
        cwd="/")
    assert check.returncode == 0, check.stderr
    assert check.stdout.split() == ["libvirt", "int"]


def _fresh_scratch() -> None:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir()


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_unchanged_program_runs_as_under_the_oracle(dropin: Path, oracle: Any,
                                                    program: Path) -> None:
    _fresh_scratch()
    expected = _run(sys.executable, program, cwd="/")
    _fresh_scratch()
    got = _run(dropin, program, cwd="/")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    assert expected.returncode == 0, expected.stderr
    assert got.returncode == 0, got.stderr
    assert got.stdout == expected.stdout
    assert got.stderr == expected.stderr  # libvirt's own error printing included


def test_warns_when_libvirt_python_is_installed_too(dropin: Path, tmp_path: Path) -> None:
    # What pip leaves when libvirt-python is installed as well: its metadata.
    info = tmp_path / "libvirt_python-12.8.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: libvirt-python\n"
                                   "Version: 12.8.0\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    mixed = _run(dropin, "-c", "import libvirt", env=env, cwd="/")
    assert mixed.returncode == 0
    assert "RuntimeWarning" in mixed.stderr and "libvirt-python 12.8.0" in mixed.stderr
    assert "uninstall" in mixed.stderr
    clean = _run(dropin, "-W", "error", "-c", "import libvirt", cwd="/")
    assert clean.returncode == 0 and clean.stderr == ""


@pytest.fixture(scope="module")
def official_tests(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libvirt-python's own tests, from its sdist on PyPI (downloaded, not committed)."""
    where = tmp_path_factory.mktemp("sdist")
    downloaded = _run(sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:",
                      "--no-deps", ORACLE, "-d", where)
    assert downloaded.returncode == 0, downloaded.stderr
    archive = next(where.glob("libvirt*python-12.8.0.tar.gz"))
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if "/tests/" in m.name and m.isfile()]
        tar.extractall(where, members=members)  # noqa: S202 - PyPI's own sdist
    suite = where / "suite"
    shutil.copytree(next(where.glob("libvirt*python-12.8.0")) / "tests", suite / "tests")
    return suite


def test_official_test_suite_passes_unchanged(dropin: Path, official_tests: Path,
                                              oracle: Any) -> None:
    ignores = [f"--ignore={path}" for path in NEEDS_LIBVIRTMOD]
    deselect = " and ".join(f"not {cls}" for cls in PATCH_LIBVIRTMOD)
    run = _run(dropin, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", *ignores,
               "-k", deselect, cwd=official_tests)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
    assert run.returncode == 0, run.stdout[-4000:]
    assert " passed" in summary and "failed" not in summary


#: A real program written for libvirt-python, with its own unit tests: OpenStack's
#: virtualbmc (an IPMI front end to libvirt domains).  Installed without its
#: dependency on libvirt-python (the drop-in provides ``import libvirt``).
VIRTUALBMC = "virtualbmc==3.3.0"
VIRTUALBMC_DEPS = ["pbr", "pyghmi", "cliff", "pyzmq", "oslotest", "testtools", "testscenarios"]


def test_virtualbmc_and_its_tests_run_unchanged(dropin: Path, tmp_path: Path,
                                                oracle: Any) -> None:
    deps = _run(dropin, "-m", "pip", "install", "-q", *VIRTUALBMC_DEPS)
    assert deps.returncode == 0, deps.stderr
    downloaded = _run(sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:",
                      "--no-deps", VIRTUALBMC, "-d", tmp_path)
    assert downloaded.returncode == 0, downloaded.stderr
    with tarfile.open(next(tmp_path.glob("virtualbmc-*.tar.gz"))) as tar:
        tar.extractall(tmp_path)  # noqa: S202 - PyPI's own sdist
    source = next(p for p in tmp_path.glob("virtualbmc-*") if p.is_dir())
    env = {**os.environ, "PBR_VERSION": "3.3.0"}
    installed = _run(dropin, "-m", "pip", "install", "-q", "--no-deps", source, env=env)
    assert installed.returncode == 0, installed.stderr
    # Its unit tests, unchanged (-s: one of them needs a real stdin).
    run = _run(dropin, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
               source / "virtualbmc" / "tests" / "unit", cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-4000:]
    # And the program itself driving the test driver's domain.
    script = ("from virtualbmc import vbmc\n"
              "v = vbmc.VirtualBMC(username='admin', password='pw', port=16230,\n"
              "                    address='127.0.0.1', domain_name='test',\n"
              "                    libvirt_uri='test:///default')\n"
              "print(v.get_power_state(), v.get_boot_device(), v.power_off(), v.power_on())\n")
    drive = _run(dropin, "-c", script, cwd=tmp_path)
    assert drive.returncode == 0, drive.stderr
    assert drive.stdout.split() == ["1", "8", "None", "None"]

