"""Copy a storage volume to a file, or a file to a volume, showing progress.

    python examples/volume_transfer.py URI POOL/VOLUME FILE [--upload] [--sparse]

Stops cleanly on Ctrl-C: the KeyboardInterrupt aborts the
transfer, the daemon lets go of the volume, and the partial file is removed.
The test driver has no volume transfers; use a daemon, e.g. qemu:///system.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import virt


class Progress:
    """Prints "done of total" with a rate, at most five times a second."""

    def __init__(self) -> None:
        self.started = self.shown = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.2 and done != total:
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-6) / 2**20
        percent = f"{100 * done // total:3d}%" if total else "    "
        print(f"\r{percent} {done // 2**20} of {total // 2**20} MiB, {rate:.1f} MiB/s",
              end="", file=sys.stderr, flush=True)


def transfer(uri: str, name: str, path: str, upload: bool, sparse: bool) -> int:
    pool_name, _, volume_name = name.partition("/")
    with virt.connect(uri) as conn:
        volume = conn.storage_pool_lookup_by_name(pool_name).storage_vol_lookup_by_name(
            volume_name)
        progress = Progress()
        try:
            if upload:
                count = volume.upload_from(path, sparse=sparse, progress=progress)
            else:
                count = volume.download_to(path, sparse=sparse, progress=progress)
        except KeyboardInterrupt:
            print("\ninterrupted: the transfer was aborted", file=sys.stderr)
            if not upload and os.path.exists(path):
                os.remove(path)
            return 130
        print(file=sys.stderr)
        verb = "uploaded" if upload else "downloaded"
        print(f"{verb} {count} bytes {'to' if upload else 'from'} {volume.get_path()}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Copy a volume to or from a file.")
    parser.add_argument("uri")
    parser.add_argument("volume", metavar="POOL/VOLUME")
    parser.add_argument("file")
    parser.add_argument("--upload", action="store_true", help="from FILE into the volume")
    parser.add_argument("--sparse", action="store_true", help="keep holes as holes")
    args = parser.parse_args()
    return transfer(args.uri, args.volume, args.file, args.upload, args.sparse)


if __name__ == "__main__":
    sys.exit(main())
