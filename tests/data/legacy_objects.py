"""Another program written for libvirt-python, kept unchanged: storage, secrets,
snapshots, networks and node devices on the test driver.  tests/test_compat_dropin.py
runs it under the official binding and under the drop-in and compares the output."""

import sys

import libvirt

POOL = """<pool type='dir'><name>scratch</name>
<target><path>/tmp/legacy-scratch</path></target></pool>"""
VOLUME = """<volume><name>disk{n}.img</name><capacity unit='MiB'>{size}</capacity>
<target><format type='raw'/></target></volume>"""
SECRET = """<secret ephemeral='no' private='yes'><uuid>{uuid}</uuid>
<usage type='volume'><volume>/tmp/legacy-scratch/disk1.img</volume></usage></secret>"""
NETWORK = """<network><name>legacy</name><bridge name='legacybr0'/>
<ip address='192.168.150.1' netmask='255.255.255.0'/></network>"""


def storage(conn):
    pool = conn.storagePoolDefineXML(POOL, 0)
    print("pool", pool.name(), pool.isActive(), pool.isPersistent(), len(pool.UUID()))
    pool.create(0)
    print("pool info", pool.info()[0], pool.autostart(), pool.numOfVolumes())
    for n, size in ((1, 8), (2, 16)):
        vol = pool.createXML(VOLUME.format(n=n, size=size), 0)
        print("volume", vol.name(), vol.key(), vol.path(), vol.info())
    print("volumes", sorted(pool.listVolumes()), sorted(v.name() for v in pool.listAllVolumes()))
    vol = pool.storageVolLookupByName("disk2.img")
    print("lookup", conn.storageVolLookupByPath(vol.path()).name(),
          conn.storageVolLookupByKey(vol.key()).name(), vol.storagePoolLookupByVolume().name())
    try:
        vol.resize(32 * 1024 * 1024, 0)
    except libvirt.libvirtError as e:
        print("resize", e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT)
    vol.delete(0)
    print("after delete", sorted(pool.listVolumes()))
    pool.destroy()
    pool.undefine()
    print("pools", conn.listStoragePools(), conn.listDefinedStoragePools())


def secrets(conn):
    uuid = "7a3a2b4c-1111-2222-3333-444455556666"
    secret = conn.secretDefineXML(SECRET.format(uuid=uuid), 0)
    secret.setValue(b"s3cr3t\x00bytes", 0)
    print("secret", secret.UUIDString(), secret.usageType(), secret.usageID())
    print("value", secret.value(0), conn.secretLookupByUUIDString(uuid).UUID() == secret.UUID())
    print("secrets", conn.listSecrets(), conn.numOfSecrets())
    secret.undefine()
    print("secrets after", conn.listSecrets())


def snapshots(conn):
    dom = conn.lookupByName("test")
    snap = dom.snapshotCreateXML("<domainsnapshot><name>first</name></domainsnapshot>", 0)
    second = dom.snapshotCreateXML("<domainsnapshot><name>second</name></domainsnapshot>", 0)
    print("snapshots", dom.snapshotNum(0), sorted(dom.snapshotListNames(0)))
    print("current", dom.hasCurrentSnapshot(0), dom.snapshotCurrent(0).getName())
    print("parent", second.getParent(0).getName(), second.getConnect().getURI())
    print("snap", snap.getName(), snap.isCurrent(0),
          snap.hasMetadata(0), snap.numChildren(0), snap.listChildrenNames(0))
    print("objects", sorted(s.getName() for s in dom.listAllSnapshots(0)),
          snap.getDomain().name(), snap.domain().name())
    dom.revertToSnapshot(snap, 0)
    print("reverted", dom.snapshotCurrent(0).getName())
    for s in dom.listAllSnapshots(0):
        s.delete(0)
    print("left", dom.snapshotNum(0))


def networks(conn):
    net = conn.networkDefineXML(NETWORK)
    print("network", net.name(), net.isActive(), net.isPersistent(), net.autostart())
    net.create()
    net.setAutostart(1)
    print("started", net.isActive(), net.bridgeName(), net.autostart())
    print("listed", sorted(conn.listNetworks()), conn.listDefinedNetworks())
    net.destroy()
    net.undefine()
    print("gone", sorted(conn.listNetworks()))


def devices(conn):
    print("devices", conn.numOfDevices(None, 0), sorted(conn.listDevices(None, 0)))
    dev = conn.nodeDeviceLookupByName("computer")
    print("device", dev.name(), dev.parent(), dev.numOfCaps(), dev.listCaps())


def errors(conn):
    for call in (lambda: conn.storagePoolLookupByName("none"),
                 lambda: conn.secretLookupByUUIDString("00000000-0000-0000-0000-000000000000"),
                 lambda: conn.lookupByName("test").snapshotLookupByName("none", 0)):
        try:
            call()
        except libvirt.libvirtError as e:
            print("error", e.get_error_code(), e.get_error_domain(), e.get_error_message())


def main():
    conn = libvirt.open(sys.argv[1] if len(sys.argv) > 1 else "test:///default")
    for section in (storage, secrets, snapshots, networks, devices, errors):
        try:
            section(conn)
        except libvirt.libvirtError as e:
            if e.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
                raise
            print(section.__name__, "not supported here:", e)
    print("closed", conn.close())


if __name__ == "__main__":
    main()
