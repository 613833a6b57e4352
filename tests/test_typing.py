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


EVENTS_AND_STATS = """
    import virt

    def on_lifecycle(event: virt.DomainLifecycle) -> None:
        name: str = event.detail.name
        value: int = event.detail.value
        print(event.event.name, name, value)

    def on_job(event: virt.DomainJobCompleted) -> None:
        operation = event.params.operation
        if operation is not None:
            print(operation.name)

    with virt.connect("test:///default") as conn:
        conn.subscribe(virt.DomainLifecycle, on_lifecycle)
        for record in conn.get_all_domain_stats():
            state = record.stats.state_state
            if state is not None:
                print(state.name, state is virt.DomainState.RUNNING)
"""


def test_an_event_detail_and_a_stats_state_have_name_and_value(user_python: Path,
                                                               tmp_path: Path) -> None:
    result = mypy(user_python, tmp_path, EVENTS_AND_STATS)
    assert result.returncode == 0, result.stdout
    # The check can fail: what mypy types as int has no .name.
    result = mypy(user_python, tmp_path,
                  EVENTS_AND_STATS.replace("event.detail.name", "event.detail.value.name"))
    assert result.returncode == 1 and '"int" has no attribute "name"' in result.stdout, \
        result.stdout


def test_the_wheel_ships_the_stubs_of_the_lazy_modules(user_python: Path) -> None:
    out = subprocess.run([str(user_python), "-c", "import virt, pathlib; print(pathlib.Path("
                          "virt.__file__).parent)"], capture_output=True, text=True,
                         check=True, timeout=120).stdout.strip()
    generated = Path(out) / "_generated"
    for module in ("enums", "errors", "events", "params", "records"):
        assert (generated / f"{module}.pyi").is_file(), module
