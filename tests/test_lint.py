"""The code meets its linter: ruff, configured in pyproject.toml, finds nothing."""

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def ruff_command():
    """Return how to run the ruff the test extras installed beside this Python."""
    beside = Path(sys.executable).with_name("ruff")
    return [str(beside)] if beside.exists() else [shutil.which("ruff") or "ruff"]


def test_ruff_finds_nothing():
    result = subprocess.run([*ruff_command(), "check", "--no-cache", "letterhouse", "tests", "tools"],
                            cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
