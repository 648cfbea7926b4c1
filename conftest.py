"""Root pytest hooks.

- Under pytest-xdist (`make test` runs two workers with `--dist loadgroup`), the cells of one notebook
  must run in order in one kernel: nbval's items are grouped by notebook, so a notebook goes to one
  worker whole; every other test (unit tests, each notebook's other-seed run) is scheduled on its own.
- After `make test`, print how long each notebook took under nbval, so the README's run times can be
  checked against the test run itself.
"""
from collections import defaultdict
from pathlib import Path

import pytest

_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_itemcollected(item):
    # marked as each item is collected, so the mark is there before xdist reads the groups
    path = item.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        item.add_marker(pytest.mark.xdist_group(Path(path).stem))


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebook wall times under nbval (seconds)")
        for path, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{seconds:7.1f}  {path}")
