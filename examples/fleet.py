"""Poll a fleet of libvirt hosts from one asyncio loop.

    python examples/fleet.py qemu+ssh://host1/system qemu+ssh://host2/system ...

Every few seconds, for every host at once: the domains, their state and
memory (all domain statistics in one call), and the disks named in each
domain's XML.  A host that fails is reported and retried next round; the
others go on.  Ctrl-C stops.
"""

from __future__ import annotations

import asyncio
import sys
import xml.etree.ElementTree as ElementTree

import virt
import virt.aio

INTERVAL = 5.0  # seconds between rounds
TIMEOUT = 30.0  # for one host's round


async def poll(conn: virt.aio.AsyncConnection) -> list[str]:
    lines = []
    hostname = await conn.get_hostname()
    records = await conn.get_all_domain_stats(virt.DomainStatsTypes.STATE |
                                              virt.DomainStatsTypes.BALLOON)
    # Gathered calls on one connection go to its worker together: one trip.
    xmls = await asyncio.gather(*(record.domain.get_xml_desc() for record in records))
    for record, xml in zip(records, xmls):
        name = await record.domain.get_name()  # answered locally, no trip
        tree = ElementTree.fromstring(xml)
        disks = [d.get("dev", "?") for d in tree.findall("./devices/disk/target")]
        state = record.stats.state_state
        lines.append(f"{hostname:20} {name:24} state={state} disks={','.join(disks)}")
    return lines


async def host(uri: str) -> None:
    conn: virt.aio.AsyncConnection | None = None
    while True:
        try:
            if conn is None:
                conn = await virt.aio.connect(uri, readonly=True)
            for line in await asyncio.wait_for(poll(conn), TIMEOUT):
                print(line)
        except (virt.Error, asyncio.TimeoutError) as error:
            print(f"{uri}: {type(error).__name__}: {error}", file=sys.stderr)
            if conn is not None:
                await conn.close()
                conn = None
        await asyncio.sleep(INTERVAL)


async def main(uris: list[str]) -> None:
    virt.aio.set_default_pool(virt.aio.WorkerPool(max(4, min(64, len(uris)))))
    await asyncio.gather(*(host(uri) for uri in uris))


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1:] or ["test:///default"]))
    except KeyboardInterrupt:
        pass
