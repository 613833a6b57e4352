"""Planted mistakes: arguments of the wrong type (each marked MISTAKE)."""

import libvirt

conn = libvirt.open("test:///default")
dom = conn.lookupByName("test")
conn.lookupByName(42)  # MISTAKE: a name is a str
dom.setMemory("64M")  # MISTAKE: memory is an int (KiB)
dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE, 0)  # MISTAKE: one argument too many
conn.lookupByUUID(dom.UUIDString())  # MISTAKE: lookupByUUID takes the 16 bytes
dom.setMemoryParameters([("hard_limit", 1024)], 0)  # MISTAKE: params is a dict
dom.pinVcpu(0, [True, False])  # MISTAKE: the CPU map is a tuple
dom.setMemoryParameters({"hard_limit": "1G"}, 0)  # MISTAKE: memory tunables are ints (KiB)
dom.setSchedulerParameters({"weight": "heavy"})  # MISTAKE: the weight is a number
conn.networkLookupByName(name=None)  # MISTAKE: None is not a name
libvirt.open(b"test:///default")  # MISTAKE: a URI is a str
