"""``python -m virt [URI]``: show what a libvirt connection sees.

Prints the libvirt version, the host, and every domain, network and storage
pool with its state.  The default URI is ``test:///default``, libvirt's
built-in test driver, which needs no daemon.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__, connect, get_version
from .errors import Error


def show(uri: str) -> None:
    print("virt {} on libvirt {}.{}.{}".format(__version__, *get_version()))
    with connect(uri, readonly=True) as conn:
        node = conn.node_get_info()
        print(f"connection: {conn.get_uri()} ({conn.get_type()} driver)")
        print(f"host:       {conn.get_hostname()}: {node.model}, {node.cpus} CPUs at "
              f"{node.mhz} MHz, {node.memory // 1024} MiB")
        domains = conn.list_all_domains()
        print(f"domains:    {len(domains)}")
        for domain in sorted(domains, key=lambda d: d.get_name()):
            info = domain.get_info()
            print(f"  {domain.get_name():24} {info.state.name.lower():10} "
                  f"{info.nr_virt_cpu} vCPU  {info.memory // 1024} MiB")
        for network in conn.list_all_networks():
            state = "active" if network.is_active() else "inactive"
            print(f"network:    {network.get_name():24} {state}")
        for pool in conn.list_all_storage_pools():
            pool_info = pool.get_info()
            print(f"pool:       {pool.get_name():24} {pool_info.state.name.lower():10} "
                  f"{len(pool.list_all_volumes())} volumes, "
                  f"{pool_info.available // 2**20} MiB free")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m virt", description=__doc__)
    parser.add_argument("uri", nargs="?", default="test:///default",
                        help="libvirt connection URI (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        show(args.uri)
    except Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
