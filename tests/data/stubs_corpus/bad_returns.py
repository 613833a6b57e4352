"""Planted mistakes: results used as what they are not (each marked MISTAKE)."""

import libvirt

conn = libvirt.open("test:///default")
dom = conn.lookupByName("test")
state, reason = dom.info()[0], dom.state()[1]
name: int = dom.name()  # MISTAKE: name() is a str
print(dom.UUID().upper() + "-")  # MISTAKE: UUID() is bytes
print(dom.UUIDString().decode())  # MISTAKE: UUIDString() is already a str
for d in conn.listAllDomains():
    d.lower()  # MISTAKE: listAllDomains() gives virDomain objects
for n in conn.listDefinedDomains():
    n.create()  # MISTAKE: listDefinedDomains() gives names
parent = conn.listAllDevices()[0].parent()
print(parent.upper())  # MISTAKE: parent() is None for the root device
blkio = dom.blkioParameters()
print(blkio["weight"] // 10)  # MISTAKE: a blkio parameter may be a str (device_weight)
err = libvirt.virGetLastError()
print(err[2])  # MISTAKE: None when there was no error
e = libvirt.libvirtError("x")
print(e.get_error_code() + 1)  # MISTAKE: None for a program's own libvirtError
