"""Take a domain through its life: define, start, pause, resume, stop, undefine.

    python examples/lifecycle.py [URI]

On the test driver (the default, test:///default) the domain is a test
domain; on another driver pass ``--xml FILE`` with a domain definition that
driver accepts.  Each step prints the domain's state as libvirt reports it.
"""

from __future__ import annotations

import argparse

import virt

TEST_DOMAIN = """\
<domain type='test'>
  <name>example-lifecycle</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
"""


def show(domain: virt.Domain, step: str) -> None:
    state, reason = domain.get_state()
    print(f"{step:10} -> {state.name.lower()} (reason {reason})")


def lifecycle(uri: str, xml: str) -> None:
    with virt.connect(uri) as conn:
        domain = conn.domain_define_xml(xml)            # persistent, not running
        try:
            show(domain, "defined")
            domain.create()                             # start it
            show(domain, "started")
            domain.suspend()
            show(domain, "suspended")
            domain.resume()
            show(domain, "resumed")
            domain.destroy()                            # a hard stop, like pulling the plug
            show(domain, "destroyed")
        finally:
            if domain.is_active():
                domain.destroy()
            domain.undefine()
        try:
            conn.domain_lookup_by_name(domain.get_name())
        except virt.NoDomainError:
            print("undefined  -> gone")


def main() -> None:
    parser = argparse.ArgumentParser(description="Take a domain through its life.")
    parser.add_argument("uri", nargs="?", default="test:///default")
    parser.add_argument("--xml", type=argparse.FileType("r"),
                        help="the domain's XML (default: a test-driver domain)")
    args = parser.parse_args()
    lifecycle(args.uri, args.xml.read() if args.xml else TEST_DOMAIN)


if __name__ == "__main__":
    main()
