"""Legacy-style lifecycle: define, start, pause, snapshot, stop and undefine a guest."""

import libvirt

XML = """<domain type='test'><name>corpus</name><memory>65536</memory>
<os><type>hvm</type></os></domain>"""


def lifecycle(conn: libvirt.virConnect) -> None:
    dom = conn.defineXML(XML)
    try:
        if not dom.isActive():
            dom.create()
        dom.suspend()
        assert dom.state()[0] == libvirt.VIR_DOMAIN_PAUSED
        dom.resume()
        dom.setMemoryFlags(32768, libvirt.VIR_DOMAIN_AFFECT_LIVE)
        snap = dom.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>", 0)
        print(snap.getName(), snap.isCurrent())
        for child in dom.listAllSnapshots():
            print(child.getXMLDesc(0)[:20], child.getDomain().name())
        dom.revertToSnapshot(snap)
        snap.delete()
        flags = libvirt.VIR_DOMAIN_DESTROY_DEFAULT
        flags |= libvirt.VIR_DOMAIN_DESTROY_GRACEFUL
        dom.destroyFlags(flags)
    finally:
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)


with libvirt.open("test:///default") as conn:
    lifecycle(conn)
    print(conn.isAlive(), conn.getURI())
