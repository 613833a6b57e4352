"""Planted mistakes: misspelt methods, constants and functions (each marked MISTAKE)."""

import libvirt
import libvirt_qemu

conn = libvirt.open("test:///default")
dom = conn.lookupByName("test")
dom.shutDown()  # MISTAKE: shutdown
print(libvirt.VIR_DOMAIN_RUNING)  # MISTAKE: VIR_DOMAIN_RUNNING
conn.listAllDomain()  # MISTAKE: listAllDomains
libvirt.openReadonly("test:///default")  # MISTAKE: openReadOnly
libvirt_qemu.qemuMonitorCmd(dom, "info", 0)  # MISTAKE: qemuMonitorCommand
print(dom.blockStats("vda").rd_bytes)  # MISTAKE: a plain tuple
