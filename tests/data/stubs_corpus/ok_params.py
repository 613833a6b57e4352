"""Legacy-style typed parameters: read, change and write back tunables as dicts."""

import libvirt

conn = libvirt.open("test:///default")
dom = conn.lookupByName("test")
memory = dom.memoryParameters(libvirt.VIR_DOMAIN_AFFECT_CURRENT)
for key, value in sorted(memory.items()):
    print(key, value)
hard = memory.get(libvirt.VIR_DOMAIN_MEMORY_HARD_LIMIT)
if hard is not None:
    dom.setMemoryParameters({libvirt.VIR_DOMAIN_MEMORY_HARD_LIMIT: hard // 2}, 0)
print(memory["soft_limit"] // 1024, "MiB")
numa = dom.numaParameters()
mode = numa.get("numa_mode")
if isinstance(mode, int):
    print("numa mode", mode)
sched_type, nparams = dom.schedulerType()
sched = dom.schedulerParameters()
weight = int(sched.get("weight", 0))
dom.setSchedulerParameters({"weight": weight + 1})
blkio = dom.blkioParameters()
dom.setBlkioParameters({"weight": 500, "device_weight": str(blkio.get("device_weight", ""))})
for name, info in dom.getCPUStats(True)[0].items():
    print(name, info // 1000)
print(dom.memoryStats().get("actual", 0) // 1024)
print({k: v for k, v in dom.perfEvents().items() if v})
print(dom.blockStats("vda")[1], dom.interfaceStats("testnet0")[0])
print(conn.getCPUStats(libvirt.VIR_NODE_CPU_STATS_ALL_CPUS)["kernel"])
print(dom.getTime()["seconds"])
