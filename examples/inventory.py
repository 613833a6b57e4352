"""Print what a libvirt host has: its domains, networks, storage pools and volumes.

    python examples/inventory.py [URI]

URI defaults to test:///default, libvirt's built-in test driver.
"""

from __future__ import annotations

import sys

import virt


def inventory(uri: str) -> None:
    with virt.connect(uri, readonly=True) as conn:
        node = conn.node_get_info()
        print(f"{conn.get_hostname()} ({conn.get_type()}, libvirt "
              f"{'.'.join(map(str, virt.get_version()))}): {node.cpus} CPUs, "
              f"{node.memory // 1024} MiB")
        print("domains:")
        for domain in sorted(conn.list_all_domains(), key=lambda d: d.get_name()):
            info = domain.get_info()
            persistent = "persistent" if domain.is_persistent() else "transient"
            print(f"  {domain.get_name():20} {info.state.name.lower():9} {persistent:10} "
                  f"{info.nr_virt_cpu} vCPU, {info.memory // 1024} MiB")
        print("networks:")
        for network in conn.list_all_networks():
            active = "active" if network.is_active() else "inactive"
            print(f"  {network.get_name():20} {active}")
        print("storage pools:")
        for pool in conn.list_all_storage_pools():
            pool_info = pool.get_info()
            print(f"  {pool.get_name():20} {pool_info.state.name.lower():9} "
                  f"{pool_info.allocation // 2**20} of {pool_info.capacity // 2**20} MiB used")
            for volume in pool.list_all_volumes():
                volume_info = volume.get_info()
                print(f"    {volume.get_name():18} {volume_info.capacity // 2**20} MiB")


if __name__ == "__main__":
    inventory(sys.argv[1] if len(sys.argv) > 1 else "test:///default")
