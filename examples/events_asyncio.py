"""Watch domain lifecycle events with asyncio while another task causes some.

    python examples/events_asyncio.py [URI] [--count N]

Prints each event as it arrives and stops after N of them (default 6: a
domain defined, started, suspended, resumed, stopped and undefined by the
task below).  On another driver than the test driver, leave the task out
with ``--watch-only`` and make things happen with virsh.
"""

from __future__ import annotations

import argparse
import asyncio

import virt
import virt.aio

TEST_DOMAIN = ("<domain type='test'><name>example-events</name><memory>65536</memory>"
               "<os><type>hvm</type></os></domain>")


async def cause_events(conn: virt.Connection) -> None:
    """Define, start, pause, resume, stop and undefine a test domain."""
    domain = conn.domain_define_xml(TEST_DOMAIN)
    for step in (domain.create, domain.suspend, domain.resume, domain.destroy,
                 domain.undefine):
        await asyncio.sleep(0.05)
        step()


async def watch(uri: str, count: int, watch_only: bool) -> int:
    virt.aio.register()                         # in the running loop, before connecting
    conn = virt.connect(uri)
    seen = 0
    async with conn.events(virt.DomainLifecycle) as events:
        task = None if watch_only else asyncio.ensure_future(cause_events(conn))
        async for event in events:
            seen += 1
            print(f"{seen}: {event.domain.get_name()} {event.event.name.lower()} "
                  f"({event.detail.name.lower()})")
            if seen == count:
                break
        if task is not None:
            await task
    conn.close()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description="Watch domain lifecycle events.")
    parser.add_argument("uri", nargs="?", default="test:///default")
    parser.add_argument("--count", type=int, default=6, help="stop after this many events")
    parser.add_argument("--watch-only", action="store_true",
                        help="only watch: do not define a test domain")
    args = parser.parse_args()
    asyncio.run(watch(args.uri, args.count, args.watch_only))


if __name__ == "__main__":
    main()
