"""The linter the project uses (ruff, configured in pyproject.toml: line length 120, pycodestyle, pyflakes,
import order, bugbear) finds nothing in the package, the tests, the benchmarks, the tools and the notebook
sources. `ruff check --fix` repairs the import order; long lines are wrapped by hand."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff() -> list[str]:
    found = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("ruff is missing: pip install -e '.[lab]'")
    return [found]


def test_ruff_finds_nothing():
    paths = ["ganlab", "tests", "benchmarks", "tools", "conftest.py", "notebooks/src"]
    done = subprocess.run([*ruff(), "check", "--no-cache", "--output-format", "concise", *paths],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"ruff check {' '.join(paths)}:\n{done.stdout}{done.stderr}"
