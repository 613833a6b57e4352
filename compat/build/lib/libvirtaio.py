"""``import libvirtaio`` for programs written for libvirt-python: this is virt.compat.aio.

Installed by the virt-libvirt-compat drop-in; see its README.
"""

import _virt_dropin

_virt_dropin.install(__name__)
