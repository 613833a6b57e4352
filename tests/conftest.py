"""Fixtures and markers every test can use; tests/rig.py has the daemon and guests.

Tiers: a test that uses ``libvirtd`` is marked ``daemon``, one that uses
``qemu_guest`` is marked ``qemu`` and ``daemon``; ``pytest -m "not daemon"``
runs the in-process tier (the test driver only).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import virt
from rig import LIBVIRTD, QEMU, Guest, SessionDaemon, daemon_user_available, require

DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "daemon: needs the session libvirtd (tests/rig.py)")
    config.addinivalue_line("markers", "qemu: needs a running QEMU guest (tests/rig.py)")
    config.addinivalue_line(
        "markers", "min_libvirt(major, minor): the behaviour tested needs that libvirt or newer")
    config.addinivalue_line(
        "markers", "oracle: compares with libvirt-python, the official binding (not in the "
        "version-skew tier: its C extension and another libvirt.so cannot share a process)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a ``min_libvirt`` test against an older libvirt (the version-skew tier).

    This is not a missing prerequisite: the loaded libvirt lacks the behaviour.
    """
    marker = item.get_closest_marker("min_libvirt")
    if marker is not None:
        import virt.raw

        needed = tuple(marker.args)
        if virt.raw.library_version()[:len(needed)] < needed:
            pytest.skip(f"needs libvirt >= {'.'.join(map(str, needed))}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, so ``-m "not daemon"`` is the in-process tier."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "qemu_guest" in names:
            item.add_marker(pytest.mark.qemu)
        if "libvirtd" in names or "qemu_guest" in names:
            item.add_marker(pytest.mark.daemon)
        if "oracle" in names:
            item.add_marker(pytest.mark.oracle)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the coverage tests counted, if they ran."""
    report = getattr(sys.modules.get("test_raw_coverage"), "REPORT", None)
    if not report:
        return
    terminalreporter.section("libvirt API coverage")
    for source, counts in report.items():
        parts = ", ".join(f"{kind} {found}/{total}" for kind, (found, total) in counts.items())
        terminalreporter.write_line(f"{source}: {parts}")


@pytest.fixture(scope="session")
def oracle() -> Any:
    """libvirt-python 12.8.0, the official binding: the compat layer's oracle."""
    import importlib

    libvirt: Any
    try:
        libvirt = importlib.import_module("libvirt")
    except ImportError:
        libvirt = None
    require(libvirt is not None and not libvirt.__name__.startswith("virt"),
            "libvirt-python (the official binding) is not installed: make .venv/.oracle")
    return libvirt


@pytest.fixture(scope="session")
def test_uri() -> str:
    """libvirt's built-in test driver with its default node (in process, no daemon)."""
    return "test:///default"


@pytest.fixture(scope="session")
def node_xml_path() -> Path:
    """A custom test-driver node: see the comment at the top of tests/data/node.xml."""
    return DATA / "node.xml"


@pytest.fixture(scope="session")
def node_uri(node_xml_path: Path) -> str:
    """``test:///abs/path/node.xml``: the scheme's ``//``, then the absolute path."""
    return f"test://{node_xml_path}"


@pytest.fixture(scope="session")
def libvirtd() -> Iterator[SessionDaemon]:
    """A session libvirtd run as an unprivileged user, for the whole test session.

    Its qemu URI is ``libvirtd.qemu_uri``, its test-driver URI ``libvirtd.test_uri``;
    ``libvirtd.images_dir`` is a directory its user owns, for disk images.
    """
    require(Path(LIBVIRTD).exists(), f"{LIBVIRTD} is missing: install libvirt-daemon")
    require(shutil.which("virsh") is not None, "virsh is missing: install libvirt-clients")
    require(daemon_user_available(), "running as root without useradd: install passwd")
    with SessionDaemon() as daemon:
        yield daemon


@pytest.fixture(scope="module")
def qemu_guest(libvirtd: SessionDaemon) -> Iterator[Guest]:
    """A running QEMU guest (`rig.Guest`), destroyed and undefined after the module.

    Module scope: a guest starts in about half a second under TCG, so each test
    module gets a fresh one, and what one module does to it (pause, destroy,
    devices) cannot leak into another.  A test that changes it in a way later
    tests of its module would notice should make a `Guest` of its own.
    """
    require(Path(QEMU).exists(), f"{QEMU} is missing: install qemu-system-x86")
    capabilities = libvirtd.virsh("capabilities").stdout
    require("<domain type='qemu'" in capabilities,
            f"the session libvirtd offers no QEMU guests:\n{libvirtd.log_tail()}")
    with Guest(libvirtd) as guest:
        yield guest


@pytest.fixture
def conn() -> Iterator[virt.Connection]:
    """A connection to the test driver's default node (modules on the daemon
    define their own ``conn``)."""
    connection = virt.connect("test:///default")
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def default_loop() -> Iterator[None]:
    """libvirt's default event loop, running in a thread for the module."""
    import virt.events

    virt.events.start_default_loop()
    yield
    virt.events.stop_default_loop()
