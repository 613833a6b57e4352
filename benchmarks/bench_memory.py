"""Memory held by results, virt and virt.compat against the official binding.

    python benchmarks/bench_memory.py [--domains 10000] [--stats-domains 1000]

Each case runs in a fresh interpreter per binding: it makes the call once on
``test:///default`` (first use: classes built lazily, caches), opens a test
driver node whose XML defines the domains (libvirt's own memory, the same for
everyone, and no Python objects freed for the result to reuse), reads the
resident set size (``VmRSS``), makes and keeps the result, collects garbage
and reads it again.  The difference is what holding the result costs: the
Python objects and the libvirt references they keep.  RSS moves in pages and
an allocator may reuse memory freed earlier in the process, so the Python
heap the result holds (``tracemalloc``, which sees every Python object,
ctypes' included, but not libvirt's own allocations, the same for both
bindings) is shown too.  Cases: the list of every domain
(``list_all_domains()`` / ``listAllDomains()``, 10,000 objects) and every
domain's statistics (``get_all_domain_stats()`` / ``getAllDomainStats()``,
1,000 records).  Below 1.0, virt holds less.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

import _summary

CHILD = r"""
import gc, json, sys, tracemalloc
binding, case, node = sys.argv[1], sys.argv[2], sys.argv[3]

def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")

if binding == "virt":
    import virt
    def open_(uri):
        conn = virt.connect(uri)
        return conn, conn.list_all_domains if case == "list" else conn.get_all_domain_stats
else:
    if binding == "compat":
        import virt.compat as libvirt
    else:
        import libvirt
    libvirt.registerErrorHandler(lambda *_: None, None)
    def open_(uri):
        conn = libvirt.open(uri)
        return conn, conn.listAllDomains if case == "list" else conn.getAllDomainStats
small, call = open_("test:///default")
call()  # first use: classes built lazily, caches
big, call = open_("test://" + node)
gc.collect()
before = rss()
tracemalloc.start()
kept = call()
gc.collect()
python_heap = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
print(json.dumps({"bytes": rss() - before, "heap": python_heap, "items": len(kept)}))
"""


DOMAIN = ("<domain type='test'><name>mem-{i:05d}</name><memory>65536</memory>"
          "<vcpu>1</vcpu><os><type>hvm</type></os></domain>")


def measure(binding: str, case: str, node: str, repeat: int) -> tuple[int, int, int]:
    """(the least RSS growth over *repeat* fresh runs, the Python heap the
    result holds, items in the result)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", CHILD, binding, case, node],
                             check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    return (min(run["bytes"] for run in runs), min(run["heap"] for run in runs),
            runs[0]["items"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=10000)
    parser.add_argument("--stats-domains", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'result held':44} {'virt':>10} {'compat':>10} {'official':>10} "
          f"{'virt/off':>8} {'compat/off':>10}")
    for case, count in (("list", args.domains), ("stats", args.stats_domains)):
        # The node is written here: writing it in the child would leave freed
        # memory there for the result to reuse.
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as node:
            node.write("<node>" + "".join(DOMAIN.format(i=i) for i in range(count)) + "</node>")
            node.flush()
            held = {binding: measure(binding, case, node.name, args.repeat)
                    for binding in ("virt", "compat", "official")}
        items = held["official"][2]
        label = (f"list_all_domains ({items:,} objects)" if case == "list"
                 else f"get_all_domain_stats ({items:,} records)")
        for column, what in ((0, "RSS"), (1, "Python heap")):
            kib = {binding: value[column] / 1024 for binding, value in held.items()}
            print(f"{label + ', ' + what:44} {kib['virt']:8.0f}KiB {kib['compat']:8.0f}KiB "
                  f"{kib['official']:8.0f}KiB {kib['virt'] / kib['official']:8.2f} "
                  f"{kib['compat'] / kib['official']:10.2f}")
            _summary.record("memory", f"{label}, {what}", virt=kib["virt"] / kib["official"],
                            compat=kib["compat"] / kib["official"], target="<= 1.0")


if __name__ == "__main__":
    main()
