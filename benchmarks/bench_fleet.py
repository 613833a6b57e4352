"""A fleet poller: one asyncio process driving N hosts, against the official
binding driven by a thread pool of the same size.

    python benchmarks/bench_fleet.py [--daemons 4] [--connections 2] [--domains 100]
                                     [--rounds 5] [--repeat 3]

Hosts: ``--daemons`` session daemons (tests/rig.py), each reached over
``--connections`` connections to a test-driver node of ``--domains``
domains (``test+unix:///path/fleet.xml?socket=…``): every call is a real
RPC.  A polling cycle of one host: list its domains, get all domain
statistics, then the XML of each domain, one call after another.

- virt: ``asyncio.gather`` of one cycle per connection, every call awaited
  (``virt.aio``, a `WorkerPool` of W workers);
- official: ``ThreadPoolExecutor(W).map`` of the same cycle per connection,
  with ``libvirt.open``.

W is the number of connections.  Throughput is domains polled per second
(best of ``--repeat``, each ``--rounds`` cycles of every host); a ratio above
1.0 means virt polls faster.  While virt's cycles run, a coroutine that
sleeps 1 ms at a time measures the loop's longest stall: how late it woke
(target: under 10 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import virt  # noqa: E402
import virt.aio  # noqa: E402
from rig import SessionDaemon  # noqa: E402

try:
    import libvirt
except ImportError as exc:  # pragma: no cover
    raise SystemExit("the official binding is needed: pip install libvirt-python") from exc

DOMAIN = ("<domain type='test'><name>fleet-{i}</name><uuid>{uuid}</uuid>"
          "<memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>")


def node_xml(domains: int) -> str:
    import uuid

    body = "".join(DOMAIN.format(i=i, uuid=uuid.uuid4()) for i in range(domains))
    return f"<node>{body}</node>"


def virt_sync_cycle(conn: virt.Connection) -> int:
    domains = conn.list_all_domains()
    conn.get_all_domain_stats()
    for domain in domains:
        domain.get_xml_desc()
    return len(domains)


def official_cycle(conn: Any) -> int:
    domains = conn.listAllDomains()
    conn.getAllDomainStats()
    for domain in domains:
        domain.XMLDesc()
    return len(domains)


async def virt_cycle(conn: virt.aio.AsyncConnection) -> int:
    domains = await conn.list_all_domains()
    await conn.get_all_domain_stats()
    for domain in domains:
        await domain.get_xml_desc()
    return len(domains)


async def virt_gathered_cycle(conn: virt.aio.AsyncConnection) -> int:
    domains, _ = await asyncio.gather(conn.list_all_domains(), conn.get_all_domain_stats())
    await asyncio.gather(*(domain.get_xml_desc() for domain in domains))
    return len(domains)


async def watch_stalls(stop: asyncio.Event, worst: list[float]) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(0.001)
        worst[0] = max(worst[0], time.perf_counter() - began - 0.001)


async def run_virt(uris: list[str], cycle: Any, rounds: int,
                   repeat: int) -> tuple[float, float]:
    pool = virt.aio.WorkerPool(len(uris))
    conns = [await virt.aio.connect(uri, pool=pool) for uri in uris]
    best, worst = 0.0, [0.0]
    await asyncio.gather(*(cycle(c) for c in conns))  # warm up
    stop = asyncio.Event()
    watcher = asyncio.ensure_future(watch_stalls(stop, worst))
    for _ in range(repeat):
        began = time.perf_counter()
        polled = 0
        for _ in range(rounds):
            polled += sum(await asyncio.gather(*(cycle(c) for c in conns)))
        best = max(best, polled / (time.perf_counter() - began))
    stop.set()
    await watcher
    for conn in conns:
        await conn.close()
    return best, worst[0]



def run_threads(conns: list[Any], cycle: Any, rounds: int, repeat: int) -> float:
    best = 0.0
    with ThreadPoolExecutor(len(conns)) as pool:
        list(pool.map(cycle, conns))  # warm up
        for _ in range(repeat):
            began = time.perf_counter()
            polled = 0
            for _ in range(rounds):
                polled += sum(pool.map(cycle, conns))
            best = max(best, polled / (time.perf_counter() - began))
    for conn in conns:
        conn.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--daemons", type=int, default=4)
    parser.add_argument("--connections", type=int, default=2, help="per daemon")
    parser.add_argument("--domains", type=int, default=100, help="per host")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="sys.setswitchinterval (s); Python's default is 0.005")
    args = parser.parse_args()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    libvirt.registerErrorHandler(lambda *_: None, None)
    daemons: list[SessionDaemon] = []
    try:
        for _ in range(args.daemons):
            daemon = SessionDaemon(capabilities_from=daemons[0] if daemons else None)
            daemons.append(daemon)
            daemon.start()
        uris = []
        for daemon in daemons:
            fixture = daemon.tmpdir / "fleet.xml"
            fixture.write_text(node_xml(args.domains))
            fixture.chmod(0o644)
            uris += [f"test+unix://{fixture}?socket={daemon.socket}"] * args.connections
        rows = {"virt": "virt.aio, gathered per host",
                "sequential": "virt.aio, one await at a time",
                "official": "official, ThreadPoolExecutor",
                "sync": "virt sync, ThreadPoolExecutor"}
        results: dict[str, list[float]] = {name: [] for name in rows}
        stalls: dict[str, list[float]] = {"virt": [], "sequential": []}
        for _ in range(2):  # alternate, so that neither always runs on a warmer machine
            for name, cycle in (("virt", virt_gathered_cycle), ("sequential", virt_cycle)):
                rate, stall = asyncio.run(run_virt(uris, cycle, args.rounds, args.repeat))
                results[name].append(rate)
                stalls[name].append(stall)
            results["official"].append(run_threads([libvirt.open(u) for u in uris],
                                                   official_cycle, args.rounds, args.repeat))
            results["sync"].append(run_threads([virt.connect(u) for u in uris],
                                               virt_sync_cycle, args.rounds, args.repeat))
        theirs = max(results["official"])
        print(f"hosts: {args.daemons} daemons x {args.connections} connections, "
              f"{args.domains} domains each; pool/threads: {len(uris)}; "
              f"switch interval {sys.getswitchinterval() * 1000:g} ms")
        print(f"| {'poller':32} | {'domains/s':>9} | {'/official':>9} | {'longest stall':>13} |")
        print(f"|{'-' * 34}|{'-' * 11}:|{'-' * 10}:|{'-' * 14}:|")
        for name, label in rows.items():
            rate = max(results[name])
            stall = f"{max(stalls[name]) * 1000:.1f} ms" if name in stalls else "-"
            print(f"| {label:32} | {rate:9,.0f} | {rate / theirs:9.2f} | {stall:>13} |")
    finally:
        for daemon in daemons:
            daemon.cleanup()


if __name__ == "__main__":
    main()
