"""Progress and cancellation of `StorageVol.download_to`/`upload_from`, and the
``python -m virt download``/``upload`` commands, against the session libvirtd.

The volumes live in a ``dir`` pool of their own under the daemon's images
directory; the CLI runs as a subprocess, on a pseudo-terminal where the test
is about the progress bar.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import test_stream_daemon as streams
import virt
from rig import SessionDaemon, require
from test_stream_daemon import digest, make_volume, open_by, wait_for

ROOT = Path(__file__).resolve().parent.parent
MiB = 1 << 20
SIZE = 8 * MiB


#: The stream tests' fixtures: a connection to the daemon's QEMU driver, a dir pool.
conn = streams.conn
pool = streams.pool


class Stop(Exception):
    """What the progress callback raises to stop a transfer."""


@pytest.fixture
def volume(pool: virt.StoragePool) -> Iterator[virt.StorageVol]:
    vol = make_volume(pool, SIZE)
    yield vol
    vol.delete()


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.img"
    path.write_bytes(os.urandom(SIZE))
    return path


# -- the API -------------------------------------------------------------------------


def test_progress_of_an_upload_and_a_download(volume: virt.StorageVol, data_file: Path,
                                              tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    assert volume.upload_from(data_file, progress=lambda *call: calls.append(call)) == SIZE
    assert calls[-1] == (SIZE, SIZE)
    assert len(calls) >= SIZE // (1 << 20)  # one call a piece, 1 MiB pieces at most
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {SIZE}

    calls.clear()
    output = tmp_path / "back.img"
    assert volume.download_to(output, progress=lambda *call: calls.append(call)) == SIZE
    assert digest(output) == digest(data_file)
    assert calls[-1] == (SIZE, SIZE)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_progress_of_sparse_and_partial_transfers(volume: virt.StorageVol, data_file: Path,
                                                  tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    with open(data_file, "rb") as source:
        source.seek(MiB)
        volume.upload_from(source, length=2 * MiB, progress=lambda *c: calls.append(c))
    assert calls[-1] == (2 * MiB, 2 * MiB)
    calls.clear()
    output = tmp_path / "part.img"
    assert volume.download_to(output, MiB, 3 * MiB, sparse=True,
                              progress=lambda *c: calls.append(c)) == 3 * MiB
    assert calls[-1] == (3 * MiB, 3 * MiB)


def test_progress_of_a_sparse_file_upload(volume: virt.StorageVol, tmp_path: Path) -> None:
    source = tmp_path / "sparse.img"
    with open(source, "wb") as file:  # a hole, 1 MiB of data, a hole
        file.truncate(SIZE)
        file.seek(3 * MiB)
        file.write(os.urandom(MiB))
    calls: list[tuple[int, int]] = []
    assert volume.upload_from(source, sparse=True, progress=lambda *c: calls.append(c)) == SIZE
    assert calls[0] == (3 * MiB, SIZE)  # the leading hole, in one step
    assert calls[-1] == (SIZE, SIZE)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_an_exception_in_the_progress_callback_stops_the_transfer(
        volume: virt.StorageVol, conn: virt.Connection, libvirtd: SessionDaemon,
        data_file: Path, tmp_path: Path) -> None:
    pid = libvirtd.pid
    assert pid is not None
    seen: list[int] = []

    def stop_after_a_mebibyte(done: int, total: int) -> None:
        seen.append(done)
        if done >= MiB:
            raise Stop

    with pytest.raises(Stop):
        volume.upload_from(data_file, progress=stop_after_a_mebibyte)
    assert MiB <= seen[-1] < SIZE
    wait_for(lambda: not open_by(pid, volume.get_path()), 10, "the daemon to let go")
    seen.clear()
    with pytest.raises(Stop):
        volume.download_to(tmp_path / "stopped.img", progress=stop_after_a_mebibyte)
    assert MiB <= seen[-1] < SIZE
    wait_for(lambda: not open_by(pid, volume.get_path()), 10, "the daemon to let go")
    assert conn.is_alive()
    # and the connection still moves the whole volume
    assert volume.download_to(tmp_path / "whole.img") == SIZE


def test_a_progress_that_is_not_callable_is_refused(volume: virt.StorageVol,
                                                    tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="progress"):
        volume.download_to(tmp_path / "x.img", progress=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="progress"):
        volume.upload_from(tmp_path / "x.img", progress="yes")  # type: ignore[arg-type]
    assert not (tmp_path / "x.img").exists()


# -- the command line ------------------------------------------------------------------


def cli(*args: str, stderr_tty: bool = False) -> tuple[int, str, str]:
    """Run ``python -m virt ARGS``: exit status, standard output, standard error
    (a pseudo-terminal with *stderr_tty*)."""
    command = [sys.executable, "-m", "virt", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not stderr_tty:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
        return result.returncode, result.stdout, result.stderr
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal,
                                   stdin=subprocess.DEVNULL, env=env)
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.stdout is not None
        out = process.stdout.read().decode()
        process.stdout.close()
        status = process.wait(timeout=120)
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    return status, out, b"".join(chunks).decode()


def test_cli_upload_and_download_by_pool_and_name(volume: virt.StorageVol,
                                                  pool: virt.StoragePool, data_file: Path,
                                                  libvirtd: SessionDaemon,
                                                  tmp_path: Path) -> None:
    name = f"{pool.get_name()}/{volume.get_name()}"
    status, out, err = cli("upload", "-c", libvirtd.qemu_uri, name, str(data_file))
    assert status == 0, err
    assert f"uploaded 8.0 MiB ({SIZE} bytes) to {volume.get_path()}" in out
    assert err == ""  # not a terminal: no progress bar
    output = tmp_path / "cli.img"
    status, out, err = cli("download", "-c", libvirtd.qemu_uri, "--json", name, str(output))
    assert status == 0, err
    summary = json.loads(out)
    assert summary["operation"] == "download" and summary["bytes"] == SIZE
    assert summary["path"] == volume.get_path() and summary["file"] == str(output)
    assert digest(output) == digest(data_file)
    output.chmod(0o600)  # downloading again replaces it, keeping its permissions
    status, out, err = cli("download", "-c", libvirtd.qemu_uri, "--sparse", name, str(output))
    assert status == 0, err
    assert digest(output) == digest(data_file) and output.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cli.img", "data.img"]
    status, out, err = cli("download", "-c", libvirtd.qemu_uri, name, "/dev/null")
    assert status == 0 and f"({SIZE} bytes)" in out, err


def test_cli_progress_bar_on_a_terminal(volume: virt.StorageVol, data_file: Path,
                                        libvirtd: SessionDaemon, tmp_path: Path) -> None:
    volume.upload_from(data_file)
    output = tmp_path / "tty.img"
    status, out, err = cli("download", "-c", libvirtd.qemu_uri, volume.get_path(),
                           str(output), stderr_tty=True)
    assert status == 0, err
    assert "\r" in err and "100%" in err and "8.0 MiB of 8.0 MiB" in err, err
    assert err.endswith("\n")
    assert out.startswith("downloaded 8.0 MiB")
    assert digest(output) == digest(data_file)
    status, _, err = cli("download", "-c", libvirtd.qemu_uri, "--progress", "never",
                         volume.get_path(), str(output), stderr_tty=True)
    assert status == 0 and err == ""


def test_cli_interrupted_download(pool: virt.StoragePool, libvirtd: SessionDaemon,
                                  tmp_path: Path) -> None:
    pid = libvirtd.pid
    assert pid is not None
    big = make_volume(pool, 1 << 30)  # sparse, but a download sends every byte
    output = tmp_path / "interrupted.img"
    output.write_bytes(b"what was there before")
    output.chmod(0o640)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "virt", "download", "-c", libvirtd.qemu_uri,
             "--progress", "always", big.get_path(), str(output)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert process.stderr is not None
        assert process.stderr.read(len("\rdownload [")) == b"\rdownload ["  # under way
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert b"interrupted: the transfer was aborted" in err
        assert output.read_bytes() == b"what was there before"  # untouched
        assert [path.name for path in tmp_path.iterdir()] == [output.name]  # no partial file
        wait_for(lambda: not open_by(pid, big.get_path()), 10, "the daemon to let go")
    finally:
        big.delete()


def test_cli_errors(pool: virt.StoragePool, libvirtd: SessionDaemon, tmp_path: Path) -> None:
    status, _, err = cli("download", "-c", libvirtd.qemu_uri,
                         f"{pool.get_name()}/missing.img", str(tmp_path / "x"))
    assert status == 1 and "error:" in err and "missing.img" in err
    assert not (tmp_path / "x").exists()
    status, _, err = cli("upload", "-c", libvirtd.qemu_uri, "no-pool-slash",
                         str(tmp_path / "x"))
    assert status == 2 and "POOL/NAME" in err


def test_cli_hint_for_a_socket_this_user_may_not_use(libvirtd: SessionDaemon,
                                                     tmp_path: Path) -> None:
    # A daemon socket in a directory only root may enter, tried by the daemon's
    # unprivileged user: libvirt's "Permission denied".
    require(libvirtd.as_other_user, "needs tests run as root, the daemon as another user")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    socket_path = private / "libvirt-sock"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(socket_path))
        listener.listen()
        code = ("import sys; from virt.__main__ import main; "
                f"sys.exit(main(['qemu+unix:///system?socket={socket_path}']))")
        result = libvirtd.run_python(code)
    assert result.returncode == 1, result.stderr
    assert "Permission denied" in result.stderr
    assert "hint: this user may not use that socket" in result.stderr
