"""``python -m virt``: look at a libvirt connection, move volumes to and from files.

``python -m virt [URI]`` prints the libvirt version, the host, and every domain,
network and storage pool with its state (the default URI, test:///default, is
libvirt's built-in test driver, which needs no daemon).
``python -m virt download VOLUME FILE`` and ``python -m virt upload VOLUME FILE``
copy a storage volume, named as POOL/NAME or by its path, to or from a file,
with a progress bar on a terminal.  ``--json`` prints the result as JSON.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import stat
import sys
import time
from typing import Any, TextIO

from . import __version__, connect, get_version
from .connection import Connection
from .errors import Error, LibraryNotFoundError
from .storage import StorageVol

#: The URI schemes of libvirt's drivers (before any ``+transport``).
KNOWN_DRIVERS = frozenset({
    "bhyve", "ch", "esx", "gsx", "hyperv", "interface", "libxl", "lxc", "network",
    "nodedev", "nwfilter", "openvz", "qemu", "secret", "storage", "test", "vbox", "vmwarefusion",
    "vmwareplayer", "vmwarews", "vpx", "vz", "xen",
})

DESCRIPTION = """\
Look at a libvirt connection, or copy a storage volume to or from a file.

  python -m virt [URI]                 the host, domains, networks and pools
  python -m virt download VOLUME FILE  a volume's bytes into FILE
  python -m virt upload VOLUME FILE    FILE's bytes into a volume

A VOLUME is POOL/NAME or the volume's path.  The default URI, test:///default,
is libvirt's built-in test driver, which needs no daemon.
"""

COMMANDS = ("summary", "download", "upload")


# -- summary ---------------------------------------------------------------------------


def summary(conn: Connection) -> dict[str, Any]:
    """What the summary shows, as plain data (the ``--json`` output)."""
    node = conn.node_get_info()
    domains = []
    for domain in sorted(conn.list_all_domains(), key=lambda d: d.get_name()):
        info = domain.get_info()
        domains.append({"name": domain.get_name(), "state": info.state.name.lower(),
                        "vcpus": info.nr_virt_cpu, "memory_kib": info.memory})
    networks = [{"name": network.get_name(), "active": bool(network.is_active())}
                for network in conn.list_all_networks()]
    pools = []
    for pool in conn.list_all_storage_pools():
        pool_info = pool.get_info()
        pools.append({"name": pool.get_name(), "state": pool_info.state.name.lower(),
                      "volumes": len(pool.list_all_volumes()),
                      "available_bytes": pool_info.available})
    return {
        "virt": __version__,
        "libvirt": "{}.{}.{}".format(*get_version()),
        "uri": conn.get_uri(),
        "driver": conn.get_type(),
        "host": {"hostname": conn.get_hostname(), "model": node.model, "cpus": node.cpus,
                 "mhz": node.mhz, "memory_kib": node.memory},
        "domains": domains,
        "networks": networks,
        "pools": pools,
    }


def print_summary(data: dict[str, Any], out: TextIO) -> None:
    host = data["host"]
    print(f"virt {data['virt']} on libvirt {data['libvirt']}", file=out)
    print(f"connection: {data['uri']} ({data['driver']} driver)", file=out)
    print(f"host:       {host['hostname']}: {host['model']}, {host['cpus']} CPUs at "
          f"{host['mhz']} MHz, {host['memory_kib'] // 1024} MiB", file=out)
    print(f"domains:    {len(data['domains'])}", file=out)
    for domain in data["domains"]:
        print(f"  {domain['name']:24} {domain['state']:10} {domain['vcpus']} vCPU  "
              f"{domain['memory_kib'] // 1024} MiB", file=out)
    for network in data["networks"]:
        state = "active" if network["active"] else "inactive"
        print(f"network:    {network['name']:24} {state}", file=out)
    for pool in data["pools"]:
        print(f"pool:       {pool['name']:24} {pool['state']:10} {pool['volumes']} volumes, "
              f"{pool['available_bytes'] // 2**20} MiB free", file=out)


# -- transfers -------------------------------------------------------------------------


def find_volume(conn: Connection, name: str) -> StorageVol:
    """The volume *name* names: an absolute path, or ``POOL/VOLUME``."""
    if name.startswith("/"):
        return conn.storage_vol_lookup_by_path(name)
    pool_name, slash, volume_name = name.partition("/")
    if not slash or not pool_name or not volume_name:
        raise UsageError(f"VOLUME must be POOL/NAME or an absolute path, not {name!r}")
    with conn.storage_pool_lookup_by_name(pool_name) as pool:
        return pool.storage_vol_lookup_by_name(volume_name)


def size_text(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


class ProgressBar:
    """A one-line progress bar on *out* (a terminal), redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, label: str, out: TextIO) -> None:
        self.label = label
        self.out = out
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn < 0.1 and (not total or done < total):
            return
        self.drawn = now
        rate = done / max(now - self.started, 1e-6)
        if total:
            fraction = min(done / total, 1.0)
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            text = (f"{self.label} [{bar}] {int(fraction * 100):3d}% {size_text(done)} of "
                    f"{size_text(total)}, {size_text(rate)}/s")
        else:
            text = f"{self.label} {size_text(done)}, {size_text(rate)}/s"
        self.out.write("\r" + text + "\x1b[K")
        self.out.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            self.out.write("\n")
            self.out.flush()


def download(volume: StorageVol, path: str, sparse: bool, bar: ProgressBar | None) -> int:
    """Download *volume* into the file *path*, which is replaced only once the
    download is complete: until then the bytes go to a new file next to it,
    removed if the download fails or is interrupted.  A *path* that exists and
    is not a regular file (``/dev/null``, a pipe) is written directly."""
    if os.path.exists(path) and not os.path.isfile(path):
        return volume.download_to(path, sparse=sparse, progress=bar)
    directory, name = os.path.split(os.path.abspath(path))
    for attempt in range(100):
        partial = os.path.join(directory, f".{name}.part{attempt or ''}")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"cannot make a temporary file next to {path}")
    try:
        if os.path.isfile(path):  # the new file gets the old one's permissions
            os.chmod(partial, stat.S_IMODE(os.stat(path).st_mode))
        with open(fd, "wb", buffering=0) as output:
            count = volume.download_to(output, sparse=sparse, progress=bar)
        os.replace(partial, path)
    except BaseException:
        os.remove(partial)  # no half-downloaded file left behind
        raise
    return count


def transfer(conn: Connection, args: argparse.Namespace) -> dict[str, Any]:
    """Run ``download`` or ``upload``; returns the summary of what was moved."""
    volume = find_volume(conn, args.volume)
    show = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    bar = ProgressBar(args.command, sys.stderr) if show else None
    started = time.monotonic()
    try:
        if args.command == "download":
            count = download(volume, args.file, args.sparse, bar)
        else:
            count = volume.upload_from(args.file, sparse=args.sparse, progress=bar)
    finally:
        if bar is not None:
            bar.end()
    seconds = time.monotonic() - started
    return {"operation": args.command, "volume": volume.get_name(), "path": volume.get_path(),
            "file": os.fspath(args.file), "bytes": count, "sparse": args.sparse,
            "seconds": round(seconds, 3)}


def print_transfer(data: dict[str, Any], out: TextIO) -> None:
    direction = "from" if data["operation"] == "download" else "to"
    rate = data["bytes"] / max(data["seconds"], 1e-6)
    print(f"{data['operation']}ed {size_text(data['bytes'])} ({data['bytes']} bytes) "
          f"{direction} {data['path']} in {data['seconds']:.2f} s ({size_text(rate)}/s)",
          file=out)


# -- errors ----------------------------------------------------------------------------


class UsageError(Exception):
    """A command line that names something impossible (exit status 2)."""


def hint(error: Error, uri: str | None) -> str | None:
    """A likely cause and remedy for *error*, where the cause is a common one."""
    if isinstance(error, LibraryNotFoundError):
        return None  # its message says what to install
    message = error.message.lower()
    scheme = (uri or "").partition(":")[0].partition("+")[0].lower()
    if (scheme and scheme not in KNOWN_DRIVERS) or "no connection driver available" in message:
        return (f"libvirt has no driver for this URI{f' ({scheme}:)' if scheme else ''}: "
                f"check its spelling (qemu:///system, qemu:///session, test:///default, …); "
                f"a driver may also need its package (libvirt-daemon-driver-qemu, …)")
    if error.int1 in (errno.EACCES, errno.EPERM) or "permission denied" in message \
            or isinstance(error, PermissionError):
        return ("this user may not use that socket: try qemu:///session, join the 'libvirt' "
                "group (then log in again), or run as root")
    if "failed to connect socket" in message or error.int1 in (errno.ENOENT,
                                                                errno.ECONNREFUSED):
        return ("is the libvirt daemon running? Start it with 'systemctl start libvirtd' "
                "(or virtqemud), or check the socket in the URI")
    return None


def report(error: BaseException, uri: str | None) -> None:
    print(f"error: {error}", file=sys.stderr)
    if isinstance(error, Error):
        advice = hint(error, uri)
        if advice:
            print(f"hint: {advice}", file=sys.stderr)


# -- the command line ------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m virt", description=DESCRIPTION,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version",
                     version=f"virt {__version__} (Python {sys.version.split()[0]})")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print the result as JSON")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    show = commands.add_parser("summary", parents=[common],
                               help="show the host, domains, networks and pools (the default)")
    show.add_argument("uri", nargs="?", default="test:///default",
                      help="libvirt connection URI (default: %(default)s)")
    for name, what in (("download", "copy a volume's bytes into FILE"),
                       ("upload", "copy FILE's bytes into a volume")):
        command = commands.add_parser(name, parents=[common], help=what, description=what)
        command.add_argument("volume", metavar="VOLUME", help="POOL/NAME or the volume's path")
        command.add_argument("file", metavar="FILE",
                             help="the file to write" if name == "download" else "the file to read")
        command.add_argument("-c", "--connect", metavar="URI", default=None,
                             help="libvirt connection URI (default: libvirt's choice, "
                                  "LIBVIRT_DEFAULT_URI)")
        command.add_argument("--sparse", action="store_true",
                             help="keep holes as holes (sparse files and volumes)")
        command.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                             help="show a progress bar on stderr (auto: when it is a terminal)")
    return top


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in (*COMMANDS, "-h", "--help", "--version"):
        arguments.insert(0, "summary")  # python -m virt [URI] [--json]
    args = parser().parse_args(arguments)
    uri = args.uri if args.command == "summary" else args.connect
    try:
        with connect(uri, readonly=args.command == "summary") as conn:
            if args.command == "summary":
                data = summary(conn)
                printer = print_summary
            else:
                data = transfer(conn, args)
                printer = print_transfer
    except UsageError as error:
        print(f"python -m virt {args.command}: error: {error}", file=sys.stderr)
        return 2
    except (Error, OSError) as error:
        report(error, uri)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the transfer was aborted", file=sys.stderr)
        return 130
    if args.json:
        json.dump(data, sys.stdout, indent=2)
        print()
    else:
        printer(data, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
