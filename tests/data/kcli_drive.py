"""Drive kcli's libvirt provider (``kvirt.providers.kvm.Kvirt``) over a test-driver node.

kcli is used as it is, through its provider class, the layer its command line
calls: listings, host facts, each guest's info and state, stop/start, a
snapshot, memory and CPU updates, deleting a guest with its snapshots.  The
output is compared between libvirt-python and the drop-in
(tests/test_compat_real.py); an error is shown by its message, lists sorted.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from kvirt.providers.kvm import Kvirt


def show(label: str, call: Any, *args: Any, **kwargs: Any) -> None:
    """Print *label* and what ``call(*args, **kwargs)`` returned or raised."""
    try:
        result = call(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the message is the output
        result = f"raised: {error}"
    if isinstance(result, (dict, list)):
        result = json.dumps(unordered(result), sort_keys=True, default=str)
    print(label, result)


def unordered(value: Any) -> Any:
    """*value* with its lists sorted: libvirt lists objects in a hash's order."""
    if isinstance(value, dict):
        return {key: unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((unordered(item) for item in value),
                      key=lambda item: json.dumps(item, sort_keys=True, default=str))
    return value


def main() -> None:
    provider = Kvirt(url=sys.argv[1])
    for name in ("list", "list_networks", "list_pools", "info_host", "list_disks",
                 "list_subnets", "volumes"):
        show(name, getattr(provider, name))
    for vm in ("web", "db", "backup", "nope"):
        for name in ("info", "status", "ip", "exists"):
            show(f"{name} {vm}", getattr(provider, name), vm)
    show("stop web", provider.stop, "web")
    show("status web", provider.status, "web")
    show("start web", provider.start, "web")
    show("status web", provider.status, "web")
    show("snapshot web", provider.create_snapshot, "s1", "web")
    show("snapshots web", provider.list_snapshots, "web")
    show("memory backup", provider.update_memory, "backup", 512)
    show("cpus backup", provider.update_cpus, "backup", 2)
    show("info backup", provider.info, "backup")
    show("delete backup", provider.delete, "backup", snapshots=True)
    show("list", provider.list)
    show("close", provider.close)


if __name__ == "__main__":
    main()
