"""The stubs match: mypy --strict passes on an example that uses every method."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PY = Path(__file__).resolve().parents[1]
EXAMPLE = PY / "examples" / "every_method.py"


def test_mypy_strict_on_the_example_and_the_package() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(EXAMPLE), str(PY / "python" / "smmkit")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_runs() -> None:
    result = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every method ran" in result.stdout


def test_the_stub_matches_the_native_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "smmkit._native"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
