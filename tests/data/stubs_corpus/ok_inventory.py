"""Legacy-style inventory: list a host's domains, networks, pools and devices."""

import sys

import libvirt


def main(uri: str = "test:///default") -> int:
    conn = libvirt.openReadOnly(uri)
    model, memory, cpus, mhz = conn.getInfo()[:4]
    print(f"{conn.getHostname()}: {model}, {memory} MiB, {cpus} CPUs at {mhz} MHz")
    print("libvirt", conn.getLibVersion() // 1000000, conn.getType(), conn.getURI())
    for dom in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
        state, maxmem, mem, vcpus, cputime = dom.info()
        running = state == libvirt.VIR_DOMAIN_RUNNING
        print(dom.name(), dom.UUIDString(), len(dom.UUID()), running, mem // 1024, vcpus)
        reason = dom.state()[1]
        print("  reason", reason, "autostart", bool(dom.autostart()))
        for cpu in dom.vcpus()[0]:
            number, vstate, vtime, host = cpu
            print("  vcpu", number, vtime / 1e9, host)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        print("  xml", len(xml.splitlines()))
    for name in conn.listDefinedDomains():
        print("inactive", conn.lookupByName(name).ID())
    for domid in conn.listDomainsID():
        print("id", domid, conn.lookupByID(domid).name())
    for net in conn.listAllNetworks():
        print(net.name(), net.bridgeName(), net.isActive() == 1)
    for pool in conn.listAllStoragePools():
        pstate, capacity, allocation, available = pool.info()
        print(pool.name(), capacity - allocation, available)
        for vol in pool.listAllVolumes():
            vtype, vcap, valloc = vol.info()
            print("  ", vol.path(), vcap)
    for dev in conn.listAllDevices():
        parent = dev.parent()
        print(dev.name(), parent.upper() if parent is not None else "-", dev.listCaps())
    for cell, free in enumerate(conn.getCellsFreeMemory(0, 1)):
        print("cell", cell, free)
    stats = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE)
    for dom, record in stats:
        print(dom.name(), record.get("state.state"))
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
