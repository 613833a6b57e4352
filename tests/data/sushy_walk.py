"""Walk sushy-tools' Redfish emulator over the libvirt test driver; print what it answers.

Run unchanged-library style: sushy-tools' own emulator (its libvirt driver does
``import libvirt``) is driven through Flask's test client, so the same script
runs under libvirt-python and under the drop-in and the outputs are compared
(tests/test_compat_real.py).  Every request's status and JSON body is printed,
with the fields that differ between runs (none on the test driver) left as is.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from sushy_tools.emulator import main

URI = sys.argv[1] if len(sys.argv) > 1 else "test:///default"


def show(client: Any, method: str, url: str, body: Any = None) -> Any:
    """Send one request, print its status and its JSON, return the JSON."""
    response = getattr(client, method)(url, json=body)
    data = response.get_json(silent=True)
    print(method.upper(), url, response.status_code)
    if data is not None:
        print(json.dumps(data, indent=1, sort_keys=True))
    return data


def members(data: Any) -> list[str]:
    """The @odata.id of every member of a collection."""
    return [m["@odata.id"] for m in (data or {}).get("Members", [])]


def walk() -> None:
    main.app.configure(extra_config={"SUSHY_EMULATOR_LIBVIRT_URI": URI})
    client = main.app.test_client()
    show(client, "get", "/redfish/v1/")
    for system in members(show(client, "get", "/redfish/v1/Systems")):
        show(client, "get", system)
        for sub in ("EthernetInterfaces", "Processors", "BIOS", "SimpleStorage",
                    "Storage", "SecureBoot"):
            data = show(client, "get", f"{system}/{sub}")
            for member in members(data):
                show(client, "get", member)
        reset = f"{system}/Actions/ComputerSystem.Reset"
        for kind in ("ForceOff", "On", "GracefulShutdown", "On", "ForceRestart",
                     "Nmi", "PushPowerButton", "On"):
            show(client, "post", reset, {"ResetType": kind})
            show(client, "get", system)
        show(client, "patch", system,
             {"Boot": {"BootSourceOverrideTarget": "Cd",
                       "BootSourceOverrideEnabled": "Continuous"}})
        show(client, "get", system)
        show(client, "patch", f"{system}/BIOS/Settings",
             {"Attributes": {"BootMode": "Uefi"}})
        show(client, "get", f"{system}/BIOS")
    for manager in members(show(client, "get", "/redfish/v1/Managers")):
        show(client, "get", manager)
    for chassis in members(show(client, "get", "/redfish/v1/Chassis")):
        show(client, "get", chassis)
        show(client, "get", f"{chassis}/Thermal")
    show(client, "get", "/redfish/v1/Systems/not-a-domain")


if __name__ == "__main__":
    walk()
