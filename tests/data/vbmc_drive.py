"""Drive virtualbmc's VirtualBMC over the libvirt test driver; print what it answers.

virtualbmc (``import libvirt`` inside) is used as it is: first its BMC methods
directly (boot device, power on/off/reset/shutdown, NMI, an unknown domain, a
URI that asks for SASL credentials, given right and wrong), then one real IPMI
session over UDP on the loopback with pyghmi's client.  The output is compared
between libvirt-python and the drop-in (tests/test_compat_real.py).
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from virtualbmc import vbmc

URI = "test:///default"


def bmc(domain: str, uri: str = URI, **kwargs: Any) -> vbmc.VirtualBMC:
    """A VirtualBMC for *domain* on a free loopback port (not listening yet)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return vbmc.VirtualBMC("admin", "password", port, "127.0.0.1", domain, uri, **kwargs)


def direct(board: vbmc.VirtualBMC) -> None:
    """Every BMC operation virtualbmc implements on libvirt, called in turn."""
    steps = [("get_power_state",), ("get_boot_device",), ("set_boot_device", "network"),
             ("get_boot_device",), ("set_boot_device", "optical"), ("get_boot_device",),
             ("set_boot_device", "nonsense"), ("power_off",), ("get_power_state",),
             ("pulse_diag",), ("power_reset",), ("power_on",), ("get_power_state",),
             ("pulse_diag",), ("power_reset",), ("power_shutdown",), ("get_power_state",),
             ("power_on",), ("get_power_state",)]
    for name, *args in steps:
        try:
            print(name, *args, "->", getattr(board, name)(*args))
        except Exception as error:  # noqa: BLE001 - virtualbmc's own errors are output
            print(name, *args, "raised", type(error).__name__, error)


def main() -> None:
    import libvirt

    keep = libvirt.open(URI)
    print("== test domain")
    direct(bmc("test"))
    print("== unknown domain")
    direct(bmc("not-a-domain"))
    auth_node = sys.argv[1]
    print("== SASL credentials, right")
    direct(bmc("guarded", f"test://{auth_node}", libvirt_sasl_username="fred",
               libvirt_sasl_password="sekret"))
    print("== SASL credentials, wrong")
    direct(bmc("guarded", f"test://{auth_node}", libvirt_sasl_username="fred",
               libvirt_sasl_password="wrong"))
    print("== held connection closes:", keep.close())


if __name__ == "__main__":
    main()
