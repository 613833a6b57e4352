"""Legacy-style error handling: handlers, getters, last error, raising libvirtError."""

from typing import Optional

import libvirt


def handler(ctx: list[str], err: tuple[int, int, str, int, Optional[str], Optional[str],
                                        Optional[str], int, int]) -> None:
    ctx.append(err[2])


messages: list[str] = []
libvirt.registerErrorHandler(handler, messages)
conn = libvirt.open("test:///default")
try:
    conn.lookupByName("no-such-domain")
except libvirt.libvirtError as e:
    code = e.get_error_code()
    if code == libvirt.VIR_ERR_NO_DOMAIN:
        print("missing:", e.get_error_message(), e.get_error_domain(), e.get_str1())
    level: Optional[int] = e.get_error_level()
    print(str(e), level, e.get_int1(), e.get_int2(), e.get_str2(), e.get_str3())
    if e.err is not None:
        print(e.err[0], e.err[2])
last = libvirt.virGetLastError()
if last is not None:
    print(last[0], last[2])
print(libvirt.virGetLastErrorMessage(), libvirt.virGetLastErrorCode())
libvirt.virResetLastError()
libvirt.registerErrorHandler(None, None)


def check(ok: bool) -> None:
    if not ok:
        raise libvirt.libvirtError("a program's own failure")


try:
    check(False)
except libvirt.libvirtError as e:
    assert e.get_error_code() is None
print(libvirt.getVersion(), libvirt.getVersion("Test")[1])
