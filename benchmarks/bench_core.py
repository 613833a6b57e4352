"""Call costs of virt against the official binding (libvirt-python), same run.

    python benchmarks/bench_core.py [--domains 1000] [--repeat 5]

Both bindings talk to libvirt's test driver in this process.  The test
driver's default node is shared by every ``test:///default`` connection of a
process, so the 1,000 extra domains defined once are seen by both.  The
rounds are interleaved (each round times every operation with virt, the
official binding and the floor, back to back) and each figure is the best of
``--repeat`` rounds (the least disturbed).  "ratio" is virt's time over the
official binding's (below 1.0, virt is faster); "/floor" is virt's time over
the floor's: the same C calls made directly through `virt.raw` with the same
Python result, what a ctypes binding cannot go below.
"""

from __future__ import annotations

import argparse
import ctypes
import timeit
from collections.abc import Callable
from typing import Any, Optional

import virt
import virt.raw as raw

try:
    import libvirt
except ImportError as exc:  # pragma: no cover - the benchmark needs the oracle
    raise SystemExit("the official binding is needed: pip install libvirt-python") from exc

DOMAIN_XML = ("<domain type='test'><name>bench-{i:04d}</name><memory>65536</memory>"
              "<vcpu>1</vcpu><os><type>hvm</type></os></domain>")


def per_call(function: Callable[[], Any], number: int) -> float:
    """Seconds per call over *number* calls."""
    return timeit.timeit(function, number=number) / number


class Bare:
    """The floor: each C call made directly through `virt.raw`, with the same
    Python result virt returns, and nothing else (no checks, no wrappers)."""

    def __init__(self, conn: virt.Connection, domain: virt.Domain) -> None:
        self.conn, self.dom = conn._as_parameter_, domain._as_parameter_

    def get_lib_version(self) -> int:
        version = ctypes.c_ulong()
        raw.virConnectGetLibVersion(self.conn, ctypes.byref(version))
        return version.value

    def lookup(self) -> None:
        raw.virDomainFree(raw.virDomainLookupByName(self.conn, b"test"))

    def get_name(self) -> str:
        name: bytes = raw.virDomainGetName(self.dom)
        return name.decode("utf-8", "surrogateescape")

    def is_active(self) -> bool:
        return bool(raw.virDomainIsActive(self.dom))

    def get_info(self) -> tuple[int, int, int, int, int]:
        info = raw.virDomainInfo()
        raw.virDomainGetInfo(self.dom, ctypes.byref(info))
        return (info.state, info.maxMem, info.memory, info.nrVirtCpu, info.cpuTime)

    def get_xml_desc(self) -> str:
        xml = raw.virDomainGetXMLDesc(self.dom, 0)
        text: bytes = xml.value
        raw.free(xml)
        return text.decode("utf-8", "surrogateescape")

    def get_scheduler_parameters(self) -> dict[str, Any]:
        count = ctypes.c_int()
        kind = raw.virDomainGetSchedulerType(self.dom, ctypes.byref(count))
        raw.free(kind)
        params = (raw.virTypedParameter * count.value)()
        raw.virDomainGetSchedulerParameters(self.dom, params, ctypes.byref(count))
        result = {p.field.decode(): getattr(p.value, _MEMBERS[p.type])
                  for p in params[:count.value]}
        raw.virTypedParamsClear(params, count.value)
        return result


#: Typed-parameter type code -> the member of the value union that holds it.
_MEMBERS = {raw.VIR_TYPED_PARAM_INT: "i", raw.VIR_TYPED_PARAM_UINT: "ui",
            raw.VIR_TYPED_PARAM_LLONG: "l", raw.VIR_TYPED_PARAM_ULLONG: "ul",
            raw.VIR_TYPED_PARAM_DOUBLE: "d", raw.VIR_TYPED_PARAM_BOOLEAN: "b",
            raw.VIR_TYPED_PARAM_STRING: "s"}

Case = tuple[str, int, Callable[[], Any], Callable[[], Any], Optional[Callable[[], Any]]]


def run(cases: list[Case], rounds: int) -> list[tuple[str, float, float, float | None]]:
    """The best per-call time of each column over *rounds* interleaved rounds:
    each round times every case, virt, official and floor back to back, so a
    disturbance of the machine hits the three alike."""
    times: dict[str, list[float]] = {name: [float("inf")] * 3 for name, *_ in cases}
    for _ in range(rounds):
        for name, number, mine, official, floor in cases:
            best = times[name]
            for column, function in enumerate((mine, official, floor)):
                if function is not None:
                    best[column] = min(best[column], per_call(function, number))
    return [(name, *times[name][:2], None if floor is None else times[name][2])
            for name, _, _, _, floor in cases]


def report(rows: list[tuple[str, float, float, float | None]]) -> None:
    print(f"{'operation':32} {'virt':>11} {'official':>11} {'floor':>11} "
          f"{'ratio':>6} {'/floor':>6}")
    for name, mine, official, floor in rows:
        floor_time = f"{floor * 1e6:9.2f}µs" if floor is not None else f"{'—':>11}"
        floor_ratio = f"{mine / floor:6.2f}" if floor is not None else f"{'—':>6}"
        print(f"{name:32} {mine * 1e6:9.2f}µs {official * 1e6:9.2f}µs {floor_time} "
              f"{mine / official:6.2f} {floor_ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the number of calls per measurement")
    args = parser.parse_args()
    libvirt.registerErrorHandler(lambda *_: None, None)

    ours = virt.connect("test:///default")
    theirs = libvirt.open("test:///default")
    defined = [ours.domain_define_xml(DOMAIN_XML.format(i=i)) for i in range(args.domains)]
    try:
        domain, their_domain = ours.domain_lookup_by_name("test"), theirs.lookupByName("test")
        bare = Bare(ours, domain)
        cases: list[Case] = [
            ("get_lib_version", 20000, ours.get_lib_version, theirs.getLibVersion,
             bare.get_lib_version),
            ("lookup by name", 20000, lambda: ours.domain_lookup_by_name("test"),
             lambda: theirs.lookupByName("test"), bare.lookup),
            ("get_name", 50000, domain.get_name, their_domain.name, bare.get_name),
            ("is_active", 50000, domain.is_active, their_domain.isActive, bare.is_active),
            ("get_info", 20000, domain.get_info, their_domain.info, bare.get_info),
            ("get_xml_desc", 5000, domain.get_xml_desc, their_domain.XMLDesc,
             bare.get_xml_desc),
            ("get_scheduler_parameters", 20000, domain.get_scheduler_parameters,
             their_domain.schedulerParameters, bare.get_scheduler_parameters),
            (f"list_all_domains ({args.domains + 1})", 20, ours.list_all_domains,
             theirs.listAllDomains, None),
            (f"get_all_domain_stats ({args.domains + 1})", 20, ours.get_all_domain_stats,
             theirs.getAllDomainStats, None),
        ]
        cases = [(name, max(1, int(number * args.scale)), *functions)
                 for name, number, *functions in cases]  # type: ignore[misc]
        report(run(cases, args.repeat))
    finally:
        for dom in defined:
            dom.undefine()
        theirs.close()
        ours.close()


if __name__ == "__main__":
    main()
