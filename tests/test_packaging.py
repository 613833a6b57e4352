"""The distribution: an sdist from which the tests run, its metadata, the version.

Builds the sdist with the development environment's setuptools (no network),
unpacks it, and runs part of the suite from the unpacked tree, the way a
distribution packager would.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from packaging.version import Version

import virt
from rig import python_with

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, unpacked: its top directory."""
    out = tmp_path_factory.mktemp("sdist")
    result = subprocess.run([python_with("build"), "-m", "build", "--sdist", "--no-isolation",
                             "--outdir", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (archive,) = out.glob("virt-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data") if sys.version_info >= (3, 12) else tar.extractall(out)
    (top,) = (path for path in out.iterdir() if path.is_dir())
    return top


def test_the_sdist_has_what_the_tests_need(sdist: Path) -> None:
    for name in ("LICENSE", "README.md", "CHANGELOG.md", "Makefile", "pyproject.toml",
                 "tests/conftest.py", "tests/rig.py", "tests/data/node.xml",
                 "tools/api/libvirt-12.8.0.json", "tools/generate.py", "examples/inventory.py",
                 "docs/conf.py", "docs/guide/index.rst", "virt/py.typed",
                 "virt/raw/_prototypes.pyi"):
        assert (sdist / name).is_file(), name
    tracked = subprocess.run(["git", "ls-files", "tests", "tools", "examples", "docs"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    missing = [name for name in tracked if not (sdist / name).exists()]
    assert not missing
    assert not list(sdist.rglob("__pycache__"))


def test_the_sdist_metadata(sdist: Path) -> None:
    info = email.parser.Parser().parsestr((sdist / "PKG-INFO").read_text())
    assert info["Version"] == virt.__version__
    assert info["License-Expression"] == "LGPL-2.1-or-later"
    assert info["License-File"] == "LICENSE"
    assert info["Author"]
    assert info.get_all("Project-URL")
    classifiers = info.get_all("Classifier") or []
    for minor in range(9, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Typing :: Typed" in classifiers
    assert (sdist / "LICENSE").read_text().startswith(
        "                  GNU LESSER GENERAL PUBLIC LICENSE\n"
        "                       Version 2.1, February 1999")


def test_the_tests_run_from_the_sdist(sdist: Path) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run([sys.executable, "-c", "import virt; print(virt.__file__)"],
                           cwd=sdist, capture_output=True, text=True, check=True, env=env)
    assert Path(where.stdout.strip()).is_relative_to(sdist)  # the sdist's virt, not ours
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not daemon",
         "tests/test_enums_errors.py", "tests/test_demo.py", "tests/test_raw_coverage.py",
         "tests/test_examples.py"],
        cwd=sdist, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"\d+ passed", result.stdout)
    assert " error" not in result.stdout.splitlines()[-1]


def test_the_version() -> None:
    version = Version(virt.__version__)  # PEP 440, or this raises
    try:
        assert importlib.metadata.version("virt") == virt.__version__
    except importlib.metadata.PackageNotFoundError:
        pass  # run from a tree, not installed (the Python 3.9 tier): the sdist test checks
    changelog = (ROOT / "CHANGELOG.md").read_text()
    if version.is_devrelease:
        assert "## [Unreleased]" in changelog  # what the next release will say
    else:
        assert f"## [{version}]" in changelog  # a release names its own section
