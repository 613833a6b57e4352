"""``python -m virt``, which ``make demo`` runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "virt", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def test_demo_lists_the_test_driver() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("virt ") and " on libvirt " in lines[0]
    assert "connection: test:///default (TEST driver)" in lines
    assert any(line.split()[:2] == ["test", "running"] for line in lines)
    assert any(line.startswith("network:") and "default" in line for line in lines)


def test_demo_reports_errors_without_a_traceback() -> None:
    result = run("nosuchdriver:///")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_version() -> None:
    import virt

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"virt {virt.__version__} (Python ")


def test_help_is_plain_text() -> None:
    for args in (("--help",), ("download", "--help"), ("upload", "--help"),
                 ("summary", "--help")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: python -m virt")
        for markup in ("``", ":libvirt:", "`virt.", "*", ".. "):
            assert markup not in result.stdout, (args, markup)
    assert "download VOLUME FILE" in run("--help").stdout


def test_summary_as_json() -> None:
    import json

    result = run("--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["uri"] == "test:///default" and data["driver"] == "TEST"
    assert {"name": "test", "state": "running", "vcpus": 2,
            "memory_kib": 2097152} in data["domains"]
    assert [pool["name"] for pool in data["pools"]] == ["default-pool"]
    assert json.loads(run("summary", "test:///default", "--json").stdout) == data


def test_hint_for_an_unknown_driver() -> None:
    result = run("nosuchdriver:///")
    assert result.returncode == 1
    assert "hint: libvirt has no driver for this URI (nosuchdriver:)" in result.stderr


def test_hint_when_the_daemon_is_not_there(tmp_path: Path) -> None:
    result = run(f"qemu+unix:///system?socket={tmp_path}/no-daemon-sock")
    assert result.returncode == 1
    assert "No such file or directory" in result.stderr
    assert "hint: is the libvirt daemon running?" in result.stderr


def test_usage_errors_exit_with_2() -> None:
    result = run("download", "-c", "test:///default", "not-a-volume-name", "/dev/null")
    assert result.returncode == 2 and "VOLUME must be POOL/NAME" in result.stderr
    assert run("download").returncode == 2


def test_a_missing_volume_on_the_test_driver() -> None:
    result = run("download", "-c", "test:///default", "default-pool/missing", "/dev/null")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "missing" in result.stderr
