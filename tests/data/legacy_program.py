"""A program written for libvirt-python, kept unchanged: tests/test_compat_dropin.py
runs it under the official binding and under the drop-in and compares the output."""

import sys

import libvirt


def report(conn):
    print("uri", conn.getURI(), "type", conn.getType(), "alive", conn.isAlive())
    print("node", conn.getInfo())
    for dom in sorted(conn.listAllDomains(), key=lambda d: d.name()):
        state, reason = dom.state()
        print("domain", dom.name(), dom.ID(), dom.UUIDString(), len(dom.UUID()))
        print("  info", dom.info()[:4], "state", state == libvirt.VIR_DOMAIN_RUNNING, reason)
        print("  os", dom.OSType(), "vcpus", dom.maxVcpus(), "scheduler", dom.schedulerType())
        print("  memory", sorted(dom.memoryParameters().items()))
        print("  autostart", dom.autostart(), "persistent", dom.isPersistent())
    print("defined", conn.listDefinedDomains(), "running", conn.listDomainsID())
    for name in conn.listNetworks():
        net = conn.networkLookupByName(name)
        print("network", name, net.bridgeName(), net.isActive(), net.autostart())
    for name in conn.listStoragePools():
        pool = conn.storagePoolLookupByName(name)
        print("pool", name, pool.info()[0], sorted(pool.listVolumes()))


def errors(conn):
    try:
        conn.lookupByName("does-not-exist")
    except libvirt.libvirtError as e:
        print("error", e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN, e.get_error_domain(),
              e.get_error_message())
    seen = []
    libvirt.registerErrorHandler(lambda ctx, err: seen.append((ctx, err[0])), "ctx")
    try:
        conn.networkLookupByName("does-not-exist")
    except libvirt.libvirtError as e:
        print("handled", seen, str(e))
    finally:
        libvirt.registerErrorHandler(None, None)


def lifecycle(conn):
    dom = conn.lookupByName("test")
    flags = 0
    flags |= libvirt.VIR_DOMAIN_AFFECT_CURRENT
    dom.suspend()
    print("suspended", dom.state()[0] == libvirt.VIR_DOMAIN_PAUSED)
    dom.resume()
    dom.destroy()
    print("destroyed", dom.isActive(), dom.ID())
    dom.create()
    print("started", dom.isActive(), dom.ID() > 0)
    xml = dom.XMLDesc(flags).replace("<name>test</name>", "<name>copy</name>")
    xml = xml.replace(dom.UUIDString(), "11111111-2222-3333-4444-555555555555")
    copy = conn.defineXML(xml)
    print("defined", copy.name(), copy.isActive(), sorted(conn.listDefinedDomains()))
    copy.undefine()
    print("undefined", conn.listDefinedDomains())


def main():
    uri = sys.argv[1] if len(sys.argv) > 1 else "test:///default"
    with libvirt.open(uri) as conn:
        report(conn)
        errors(conn)
        lifecycle(conn)
    ro = libvirt.openReadOnly(uri)
    print("read-only", ro.getURI(), ro.close())
    print("version", libvirt.getVersion() > 0)


if __name__ == "__main__":
    main()
