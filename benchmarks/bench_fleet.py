"""A fleet poller: one asyncio process driving N hosts, against the official
binding driven by a thread pool of the same size.

    python benchmarks/bench_fleet.py [--daemons 4] [--connections 2] [--domains 100]
                                     [--rounds 3] [--repeat 5] [--switch-interval S]
                                     [--local]

Hosts: ``--daemons`` session daemons (tests/rig.py), each reached over
``--connections`` connections to a test-driver node of ``--domains``
domains (``test+unix:///path/fleet.xml?socket=…``): every call is a real
RPC.  With ``--local``, as many in-process test-driver connections
(``test:///path/fleet.xml``) and no daemon: every call is CPU in this
process, which shows the client's own costs without the daemons' share of
the CPUs.  A polling cycle of one host: list its domains, get all domain
statistics, then the XML of each domain.

Pollers, all in one asyncio loop, W = the number of connections:

- virt.aio, one await at a time: one cycle per connection, gathered, each
  call awaited in turn (a `virt.aio.WorkerPool` of W workers);
- virt.aio, gathered: the same, a host's XML calls gathered;
- virt.aio, run_sync: each connection's cycle as one synchronous function
  run in the pool by ``AsyncConnection.run_sync`` (one trip per cycle);
- official, thread pool: each connection's cycle, written with the official
  binding (``libvirt.open``), run by ``loop.run_in_executor`` on a
  ``ThreadPoolExecutor`` of W threads: the usual way to use it from asyncio;
- official, run_in_executor per call: each call of the official binding's
  cycle awaited through ``loop.run_in_executor`` (what the asyncio programmer
  writes to keep the loop free, call by call): the same trips as the first
  virt.aio row;
- official, per call, gathered: the same, a host's XML calls gathered (the
  second virt.aio row's shape);
- virt (sync), thread pool: the core's synchronous cycle in the thread pool,
  to tell the core's cost from the async layer's.

Throughput is domains polled per second over ``--rounds`` rounds of every
host, after one round to warm up; the pollers run in turn ``--repeat``
times, each repeat starting one poller further down the list (so that no
poller always follows the same one), and the table gives the median rate,
the median and the range of the ratios to the official thread-pool poller
of the same repeat, and
this process's CPU time per domain (the daemons' not included), and
the loop's stall: while each poller runs, a coroutine sleeps 1 ms at a time
and records how late it wakes (target: under 10 ms).  On a machine whose
CPUs the daemons saturate, the stall includes the time the loop's thread
waits for a CPU, which the thread-pool rows show as well.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import _summary  # noqa: E402

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


async def official_per_call_cycle(loop: asyncio.AbstractEventLoop, threads: Any,
                                  conn: Any) -> int:
    domains = await loop.run_in_executor(threads, conn.listAllDomains)
    await loop.run_in_executor(threads, conn.getAllDomainStats)
    for domain in domains:
        await loop.run_in_executor(threads, domain.XMLDesc)
    return len(domains)


async def official_gathered_cycle(loop: asyncio.AbstractEventLoop, threads: Any,
                                  conn: Any) -> int:
    domains, _ = await asyncio.gather(loop.run_in_executor(threads, conn.listAllDomains),
                                      loop.run_in_executor(threads, conn.getAllDomainStats))
    await asyncio.gather(*(loop.run_in_executor(threads, domain.XMLDesc)
                           for domain in domains))
    return len(domains)


async def watch_stalls(stop: asyncio.Event, worst: list[float]) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(0.001)
        worst[0] = max(worst[0], time.perf_counter() - began - 0.001)


async def measure(poll_round: Any, rounds: int) -> tuple[float, float, float]:
    """Domains polled per second over *rounds* rounds, the loop's longest stall,
    and this process's CPU time per domain polled."""
    await poll_round()  # warm up
    worst = [0.0]
    stop = asyncio.Event()
    watcher = asyncio.ensure_future(watch_stalls(stop, worst))
    began, cpu = time.perf_counter(), time.process_time()
    polled = 0
    for _ in range(rounds):
        polled += sum(await poll_round())
    rate = polled / (time.perf_counter() - began)
    cpu_each = (time.process_time() - cpu) / polled
    stop.set()
    await watcher
    return rate, worst[0], cpu_each


Result = tuple[float, float, float]


async def run(uris: list[str], rounds: int, repeat: int) -> dict[str, list[Result]]:
    """Each poller *repeat* times, in turn: (rate, stall) per run."""
    loop = asyncio.get_running_loop()
    workers = len(uris)
    pool = virt.aio.WorkerPool(workers)
    threads = ThreadPoolExecutor(workers)
    ours = [await virt.aio.connect(uri, pool=pool) for uri in uris]
    theirs = [libvirt.open(uri) for uri in uris]
    sync = [virt.connect(uri) for uri in uris]

    def in_threads(cycle: Any, conns: list[Any]) -> Any:
        return lambda: asyncio.gather(*(loop.run_in_executor(threads, cycle, c)
                                        for c in conns))

    pollers = {
        "virt": lambda: asyncio.gather(*(virt_cycle(c) for c in ours)),
        "gathered": lambda: asyncio.gather(*(virt_gathered_cycle(c) for c in ours)),
        "run_sync": lambda: asyncio.gather(*(c.run_sync(virt_sync_cycle) for c in ours)),
        "official": in_threads(official_cycle, theirs),
        "official_call": lambda: asyncio.gather(*(official_per_call_cycle(loop, threads, c)
                                                  for c in theirs)),
        "official_gathered": lambda: asyncio.gather(*(official_gathered_cycle(loop, threads, c)
                                                      for c in theirs)),
        "sync": in_threads(virt_sync_cycle, sync),
    }
    results: dict[str, list[Result]] = {name: [] for name in pollers}
    names = list(pollers)
    for turn in range(repeat):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            results[name].append(await measure(pollers[name], rounds))
    for conn in ours:
        await conn.close()
    for other in theirs + sync:
        other.close()
    threads.shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--daemons", type=int, default=4)
    parser.add_argument("--connections", type=int, default=2, help="per daemon")
    parser.add_argument("--domains", type=int, default=100, help="per host")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="sys.setswitchinterval (s); Python's default is 0.005")
    parser.add_argument("--local", action="store_true",
                        help="in-process test-driver connections, no daemons")
    args = parser.parse_args()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    libvirt.registerErrorHandler(lambda *_: None, None)
    daemons: list[SessionDaemon] = []
    local = tempfile.TemporaryDirectory()
    try:
        uris = []
        if args.local:
            fixture = Path(local.name) / "fleet.xml"
            fixture.write_text(node_xml(args.domains))
            uris = [f"test://{fixture}"] * (args.daemons * args.connections)
        for _ in range(0 if args.local else args.daemons):
            daemon = SessionDaemon(capabilities_from=daemons[0] if daemons else None)
            daemons.append(daemon)
            daemon.start()
        for daemon in daemons:
            fixture = daemon.tmpdir / "fleet.xml"
            fixture.write_text(node_xml(args.domains))
            fixture.chmod(0o644)
            uris += [f"test+unix://{fixture}?socket={daemon.socket}"] * args.connections
        rows = {"virt": "virt.aio, one await at a time",
                "gathered": "virt.aio, each host's XMLs gathered",
                "run_sync": "virt.aio, a cycle per trip, run_sync",
                "official": "official, thread pool",
                "official_call": "official, run_in_executor per call",
                "official_gathered": "official, per call, XMLs gathered",
                "sync": "virt (sync), thread pool"}
        results = asyncio.run(run(uris, args.rounds, args.repeat))
        where = ("in-process test driver" if args.local
                 else f"{args.daemons} daemons x {args.connections} connections")
        print(f"hosts: {where}, "
              f"{args.domains} domains each; {len(uris)} workers / threads; "
              f"switch interval {sys.getswitchinterval() * 1000:g} ms; "
              f"median of {args.repeat} paired runs")
        print(f"| {'poller':36} | {'domains/s':>9} | {'/official':>9} | {'range':>9} | "
              f"{'client CPU/domain':>17} | {'loop stall, median':>18} | {'worst':>7} |")
        print(f"|{'-' * 38}|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|{'-' * 18}:|{'-' * 19}:|"
              f"{'-' * 8}:|")
        official = [rate for rate, _, _ in results["official"]]
        for name, label in rows.items():
            rates = [rate for rate, _, _ in results[name]]
            ratios = [mine / theirs for mine, theirs in zip(rates, official)]
            stalls = [stall * 1000 for _, stall, _ in results[name]]
            cpu = statistics.median(each * 1e6 for _, _, each in results[name])
            spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
            print(f"| {label:36} | {statistics.median(rates):9,.0f} | "
                  f"{statistics.median(ratios):9.2f} | {spread:>9} | {cpu:14.1f} us | "
                  f"{statistics.median(stalls):15.1f} ms | {max(stalls):4.1f} ms |")
            if name.startswith("official"):
                continue
            # The summary's ratios are times: the official pool's rate over this one's.
            _summary.record("fleet", label, virt=1 / statistics.median(ratios),
                            target=">= 1.0 x rate (<= 1.0 here)")
            _summary.record("fleet", f"{label}: loop stall, ms",
                            virt=statistics.median(stalls), target="< 10 ms")
    finally:
        for daemon in daemons:
            daemon.cleanup()
        local.cleanup()


if __name__ == "__main__":
    main()
