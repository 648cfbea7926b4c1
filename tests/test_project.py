"""The project's own consistency: environment.yml lists what pyproject.toml lists; notebooks match sources."""
import re
import subprocess
import sys
from pathlib import Path

import tomllib
import yaml

from ganlab.runtime import COLAB_REPO

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"torch": "pytorch"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {CONDA_NAMES.get(_name(r), _name(r))
              for r in project["dependencies"] + project["optional-dependencies"]["lab"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    for d in env["dependencies"]:
        if isinstance(d, dict):
            listed |= {_name(x) for x in d.get("pip", []) if not x.startswith("-")}
    listed -= {"python", "pip"}
    assert wanted == listed, f"only in pyproject: {wanted - listed}; only in environment.yml: {listed - wanted}"


def test_stored_notebooks_match_their_sources():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "course.py"), "sync-check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_notebook_opens_with_a_colab_link_to_itself():
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        link = f"colab.research.google.com/github/{COLAB_REPO}/blob/main/notebooks/{nb.name}"
        assert link in nb.read_text(), f"{nb.name}: Colab link missing or wrong (expected {link})"
