"""``python -m virt``, which ``make demo`` runs."""

from __future__ import annotations

import subprocess
import sys


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
