"""mypy --strict on user code, against virt installed the way users install it (a wheel).

mypy cannot see through setuptools' editable finder, so the package is built
into a wheel and installed in a virtual environment of its own; mypy then
checks snippets with that environment's interpreter.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rig import require

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def user_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(importlib.util.find_spec("mypy") is not None, "mypy is missing: pip install mypy")
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where),
                    str(ROOT)], check=True, timeout=600)
    wheel = next(where.glob("virt-*.whl"))
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   timeout=600)
    return python


def mypy(python: Path, tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(source))
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--python-executable", str(python), str(snippet)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)


def test_flags_of_another_type_are_rejected(user_python: Path, tmp_path: Path) -> None:
    result = mypy(user_python, tmp_path, """
        import virt

        def f(domain: virt.Domain) -> str:
            return domain.get_xml_desc(flags=virt.DomainStatsTypes.STATE)
    """)
    assert result.returncode == 1, result.stdout
    assert 'Argument "flags" to "get_xml_desc"' in result.stdout


def test_the_right_flags_and_zero_pass(user_python: Path, tmp_path: Path) -> None:
    result = mypy(user_python, tmp_path, """
        import virt

        def f(conn: virt.Connection, domain: virt.Domain) -> None:
            domain.get_xml_desc(flags=virt.DomainXMLFlags.SECURE | virt.DomainXMLFlags.INACTIVE)
            domain.get_xml_desc(flags=0)
            domain.get_xml_desc()
            conn.list_all_domains(flags=virt.ConnectListAllDomainsFlags.ACTIVE)
            state, reason = domain.get_state()
            print(state.name, reason.name, reason.value)
            error = conn.last_error()
            if error is not None:
                print(error.code.name)
            conn.set_error_handler("print")
    """)
    assert result.returncode == 0, result.stdout
