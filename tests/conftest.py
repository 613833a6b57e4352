"""Fixtures every test can use; see tests/rig.py for the daemon and guests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rig import LIBVIRTD, QEMU, Guest, SessionDaemon, require

DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "daemon: needs the session libvirtd (tests/rig.py)")
    config.addinivalue_line("markers", "qemu: needs a running QEMU guest (tests/rig.py)")
    config.addinivalue_line(
        "markers", "min_libvirt(major, minor): the behaviour tested needs that libvirt or newer")


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the coverage tests counted."""
    try:
        from test_raw_coverage import REPORT
    except ImportError:
        return
    if not REPORT:
        return
    terminalreporter.section("libvirt API coverage")
    for source, counts in REPORT.items():
        parts = ", ".join(f"{kind} {found}/{total}" for kind, (found, total) in counts.items())
        terminalreporter.write_line(f"{source}: {parts}")


@pytest.fixture(scope="session")
def test_uri() -> str:
    """libvirt's built-in test driver with its default node."""
    return "test:///default"


@pytest.fixture(scope="session")
def node_xml_path() -> Path:
    """A custom test-driver node: see the comment at the top of tests/data/node.xml."""
    return DATA / "node.xml"


@pytest.fixture(scope="session")
def node_uri(node_xml_path: Path) -> str:
    return f"test://{node_xml_path}"


@pytest.fixture(scope="session")
def libvirtd() -> Iterator[SessionDaemon]:
    """A session libvirtd run as an unprivileged user, for the whole test session."""
    require(Path(LIBVIRTD).exists(), f"{LIBVIRTD} is missing: install libvirt-daemon")
    require(shutil.which("virsh") is not None, "virsh is missing: install libvirt-clients")
    daemon = SessionDaemon()
    try:
        daemon.start()
        yield daemon
    finally:
        daemon.cleanup()


@pytest.fixture(scope="module")
def qemu_guest(libvirtd: SessionDaemon) -> Iterator[Guest]:
    """A running QEMU guest (module scope: starting one under TCG takes about a second)."""
    require(Path(QEMU).exists(), f"{QEMU} is missing: install qemu-system-x86")
    guest = Guest(libvirtd)
    try:
        guest.start()
        yield guest
    finally:
        guest.destroy_and_undefine()
