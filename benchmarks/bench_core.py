"""Call costs of virt against the official binding (libvirt-python), same run.

    python benchmarks/bench_core.py [--domains 1000] [--repeat 5]

Both bindings talk to libvirt's test driver in this process.  The test
driver's default node is shared by every ``test:///default`` connection of a
process, so the 1,000 extra domains defined once are seen by both.  Each
figure is the best of ``--repeat`` runs (the least disturbed); the ratio is
virt's time over the official binding's: below 1.0, virt is faster.
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from typing import Any

import virt

try:
    import libvirt
except ImportError as exc:  # pragma: no cover - the benchmark needs the oracle
    raise SystemExit("the official binding is needed: pip install libvirt-python") from exc

DOMAIN_XML = ("<domain type='test'><name>bench-{i:04d}</name><memory>65536</memory>"
              "<vcpu>1</vcpu><os><type>hvm</type></os></domain>")


def best(function: Callable[[], Any], number: int, repeat: int) -> float:
    """Seconds per call, the minimum over *repeat* runs of *number* calls."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    libvirt.registerErrorHandler(lambda *_: None, None)

    ours = virt.connect("test:///default")
    theirs = libvirt.open("test:///default")
    defined = [ours.domain_define_xml(DOMAIN_XML.format(i=i)) for i in range(args.domains)]
    try:
        domain, their_domain = ours.domain_lookup_by_name("test"), theirs.lookupByName("test")
        cases: list[tuple[str, int, Callable[[], Any], Callable[[], Any]]] = [
            ("get_lib_version", 20000, ours.get_lib_version, theirs.getLibVersion),
            ("lookup by name", 20000, lambda: ours.domain_lookup_by_name("test"),
             lambda: theirs.lookupByName("test")),
            ("get_name", 50000, domain.get_name, their_domain.name),
            ("is_active", 50000, domain.is_active, their_domain.isActive),
            ("get_info", 20000, domain.get_info, their_domain.info),
            ("get_xml_desc", 5000, domain.get_xml_desc, their_domain.XMLDesc),
            ("get_scheduler_parameters", 20000, domain.get_scheduler_parameters,
             their_domain.schedulerParameters),
            (f"list_all_domains ({args.domains + 1})", 20, ours.list_all_domains,
             theirs.listAllDomains),
            (f"get_all_domain_stats ({args.domains + 1})", 20, ours.get_all_domain_stats,
             theirs.getAllDomainStats),
        ]
        print(f"{'operation':32} {'virt':>12} {'official':>12} {'ratio':>7}")
        for name, number, mine, official in cases:
            t_mine = best(mine, number, args.repeat)
            t_official = best(official, number, args.repeat)
            print(f"{name:32} {t_mine * 1e6:10.2f}µs {t_official * 1e6:10.2f}µs "
                  f"{t_mine / t_official:7.2f}")
    finally:
        for dom in defined:
            dom.undefine()
        theirs.close()
        ours.close()


if __name__ == "__main__":
    main()
