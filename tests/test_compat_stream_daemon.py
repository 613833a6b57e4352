"""virt.compat's streams against the official binding, through the session
daemon: a volume uploaded and downloaded (sendAll/recvAll, then sparse with
sparseSendAll/sparseRecvAll), the QEMU guest's screenshot, and the serial
console of a guest that echoes what it receives.  Each scenario runs in a
fresh process through each binding (tests/compat_event_scenarios.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from differential import dir_pool, same

import test_stream_daemon
import virt
from rig import Guest, SessionDaemon

MiB = 1 << 20

#: test_stream_daemon's fixtures: the serial-echo guest, and the connection it
#: is looked up with.
echo_guest = test_stream_daemon.echo_guest
conn = test_stream_daemon.conn


@pytest.fixture(scope="module")
def pool(libvirtd: SessionDaemon) -> Iterator[str]:
    with dir_pool(libvirtd, "compat-streams") as name:
        yield name


def test_volume_transfers_plain_and_sparse(libvirtd: SessionDaemon, pool: str,
                                           oracle: Any) -> None:
    result = same("stream_volume", libvirtd.qemu_uri, {"SCENARIO_POOL": pool})
    assert result["round trip"]
    assert result["upload"] == result["download"] == result["finish"] == ["int", 0]
    assert result["sendAll"] == result["sparseSendAll"] == result["sparseRecvAll"] == \
        ["NoneType", None]
    # The source's holes were sent as holes: the daemon skipped them, so the
    # first MiB keeps what the plain upload wrote, and the rest stays a hole.
    assert ["skip", MiB] in result["sparse calls"]
    assert result["sparse received"] == [["data", MiB + 65536, False],
                                         ["hole", 4 * MiB - MiB - 65536]]


def test_screenshot_of_the_qemu_guest(libvirtd: SessionDaemon, qemu_guest: Guest,
                                      oracle: Any) -> None:
    result = same("qemu_screenshot", libvirtd.qemu_uri, {"SCENARIO_DOMAIN": qemu_guest.name})
    assert result["size"] and result["finish"] == ["int", 0]
    assert result["screen 5"][0] == "libvirtError"


def test_serial_console(libvirtd: SessionDaemon, echo_guest: virt.Domain, oracle: Any) -> None:
    result = same("console", libvirtd.qemu_uri, {"SCENARIO_DOMAIN": echo_guest.get_name()})
    assert result["open"] == result["abort"] == result["after abort"] == ["int", 0]
    assert result["send"] == ["int", 5] and result["echoed"]
    assert result["second client"][0] == "libvirtError"
