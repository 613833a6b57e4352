"""Volume download throughput through a session libvirtd: virt against the
official binding and ``virsh vol-download``, in the same run.

    python benchmarks/bench_stream.py [--size-mib 1024] [--repeat 7] [--chunk-kib 256]
                                      [--output-dir DIR]

Starts a session libvirtd of its own (tests/rig.py: as the unprivileged user
``virt-test`` when run as root), makes a ``dir`` pool with one raw volume of
``--size-mib`` MiB of random data, and downloads it to a file, one method
after the other, ``--repeat`` rounds (the order rotates every round):

- ``virt recv_into``: `virt.Stream.recv_into` into one reused buffer, each
  piece written to the file;
- ``virt download_to``: `virt.StorageVol.download_to`, the whole job;
- ``official recv``: the official binding's ``virStream.recv`` loop, each
  piece written to the file (its documented way of reading a stream);
- ``virsh``: ``virsh vol-download`` (C, ``virStreamRecvAll``), process start
  and connection included.

The downloads go to a file in ``--output-dir``: by default ``/dev/shm`` (a
tmpfs) where there is one, so that the disk's write-back of the previous
round does not blur the next; every method writes the same file the same way.

The recv loops read ``--chunk-kib`` KiB at a time (libvirt delivers at most
one 256 KiB message per call).  Throughput ratios are given three ways: best
round against best round, median against median, and the median of the
ratios within each round (the methods of a round run back to back, so this
one suffers least from the machine's drift); above 1.0 means virt is faster.
The client's CPU time per GiB (user + system, this process, or the virsh process) is printed too:
the daemon, which reads the volume and sends it, sets the pace of every
method, so CPU time is where the clients differ most.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))

import _summary  # noqa: E402

import virt  # noqa: E402
from rig import SessionDaemon  # noqa: E402

try:
    import libvirt
except ImportError as exc:  # pragma: no cover
    raise SystemExit("the official binding is needed: pip install libvirt-python") from exc

MiB = 1 << 20


def make_volume(conn: virt.Connection, daemon: SessionDaemon,
                size: int) -> tuple[virt.StoragePool, virt.StorageVol]:
    directory = daemon.images_dir / f"bench-{uuid.uuid4().hex[:8]}"
    directory.mkdir()
    os.chown(directory, daemon.uid, daemon.gid)
    pool = conn.storage_pool_create_xml(
        f"<pool type='dir'><name>{directory.name}</name>"
        f"<target><path>{directory}</path></target></pool>")
    volume = pool.storage_vol_create_xml(
        f"<volume><name>bench.raw</name><capacity unit='bytes'>{size}</capacity>"
        f"<target><format type='raw'/></target></volume>")
    block = 16 * MiB
    with conn.new_stream() as stream:  # random data, so that nothing is a hole
        volume.upload(stream)
        for start in range(0, size, block):
            stream.send(os.urandom(min(block, size - start)))
    return pool, volume


def virt_recv_into(conn: virt.Connection, volume: virt.StorageVol, path: Path,
                   chunk: int) -> int:
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    total = 0
    with conn.new_stream() as stream, open(path, "wb", buffering=0) as output:
        volume.download(stream)
        recv_into, write = stream.recv_into, output.write
        while True:
            got = recv_into(view)
            if not got:
                break
            piece = view[:got]
            while piece:
                piece = piece[write(piece) or len(piece):]
            total += got
    return total


def virt_download_to(volume: virt.StorageVol, path: Path) -> int:
    return volume.download_to(path)


def official_recv(conn: Any, volume: Any, path: Path, chunk: int) -> int:
    stream = conn.newStream(0)
    volume.download(stream, 0, 0, 0)
    total = 0
    with open(path, "wb", buffering=0) as output:
        while True:
            data = stream.recv(chunk)
            if not data:
                break
            view = memoryview(data)
            while view:
                view = view[output.write(view) or len(view):]
            total += len(data)
    stream.finish()
    return total


def virsh_download(daemon: SessionDaemon, volume_path: str, path: Path) -> int:
    subprocess.run(["virsh", "-q", "-c", daemon.qemu_uri, "vol-download", "--vol", volume_path,
                    "--file", str(path)], check=True, stdin=subprocess.DEVNULL,
                   env={**os.environ, "LC_ALL": "C"})
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--chunk-kib", type=int, default=256)
    parser.add_argument("--output-dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = parser.parse_args()
    size = args.size_mib * MiB
    chunk = args.chunk_kib * 1024
    libvirt.registerErrorHandler(lambda *_: None, None)

    with SessionDaemon() as daemon, \
            tempfile.TemporaryDirectory(prefix="bench-stream-", dir=args.output_dir) as tmp:
        conn = virt.connect(daemon.qemu_uri)
        pool, volume = make_volume(conn, daemon, size)
        volume_path = volume.get_path()
        theirs = libvirt.open(daemon.qemu_uri)
        their_volume = theirs.storageVolLookupByPath(volume_path)
        output = Path(tmp) / "download.img"
        methods: dict[str, Callable[[], int]] = {
            "virt recv_into": lambda: virt_recv_into(conn, volume, output, chunk),
            "virt download_to": lambda: virt_download_to(volume, output),
            "official recv": lambda: official_recv(theirs, their_volume, output, chunk),
            "virsh vol-download": lambda: virsh_download(daemon, volume_path, output),
        }
        names = list(methods)
        times: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        print(f"libvirt {'.'.join(map(str, virt.get_version()))}, volume {args.size_mib} MiB, "
              f"recv chunk {args.chunk_kib} KiB, {args.repeat} rounds, "
              f"{os.cpu_count()} CPUs, output in {tmp}", flush=True)
        for name in names:  # warm up: page cache, daemon threads, virsh binary
            methods[name]()
        for round_number in range(args.repeat):
            order = names[round_number % len(names):] + names[:round_number % len(names)]
            for name in order:
                output.unlink(missing_ok=True)
                who = resource.RUSAGE_CHILDREN if name.startswith("virsh") \
                    else resource.RUSAGE_SELF
                used = resource.getrusage(who)
                began = time.perf_counter()
                got = methods[name]()
                times[name].append(time.perf_counter() - began)
                after = resource.getrusage(who)
                cpu[name].append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
                if got != size:
                    raise SystemExit(f"{name} downloaded {got} bytes, not {size}")
        output.unlink(missing_ok=True)

        best = {name: size / MiB / min(times[name]) for name in names}
        median = {name: size / MiB / statistics.median(times[name]) for name in names}
        cpu_per_gib = {name: statistics.median(cpu[name]) * (1 << 30) / size for name in names}
        print(f"\n{'method':<22}{'best MiB/s':>12}{'median MiB/s':>14}"
              f"{'client CPU s/GiB':>18}")
        for name in names:
            print(f"{name:<22}{best[name]:>12.0f}{median[name]:>14.0f}"
                  f"{cpu_per_gib[name]:>18.2f}")
        print("\nthroughput ratios (> 1.0: virt is faster)     best  median  paired")
        for ours in ("virt recv_into", "virt download_to"):
            for other, target in (("official recv", 1.0), ("virsh vol-download", 0.9)):
                paired = statistics.median(theirs_time / ours_time for ours_time, theirs_time
                                           in zip(times[ours], times[other]))
                ratios = best[ours] / best[other], median[ours] / median[other], paired
                text = "".join(f"{ratio:6.2f}{'' if ratio >= target else '*':1} "
                               for ratio in ratios)
                print(f"  {ours:<18} / {other:<20}{text} (target >= {target:.1f})")
                # A rate: the summary's ratios are times (below 1.0: virt is faster).
                _summary.record("stream", f"{ours} vs {other.split()[0]}", virt=1 / paired,
                                target=f"<= {1 / target:.2f}")
        print("  (* below the target)")
        volume.delete()
        pool.destroy()
        theirs.close()
        conn.close()


if __name__ == "__main__":
    main()
