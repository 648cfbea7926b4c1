"""Root pytest hooks: after `make test`, print how long each notebook took under nbval, so the
README's run times can be checked against the test run itself.

`make test` runs two pytest-xdist workers with `--dist loadscope`: a work unit is everything up to the
last '::' of a test's id, so the cells of one notebook stay together in one kernel (nbval needs them in
order), and tests/test_notebook_runs.py gives each notebook's extra run an id of its own for the same reason.
"""
from collections import defaultdict

_notebook_seconds: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


def pytest_terminal_summary(terminalreporter):
    if _notebook_seconds:
        terminalreporter.section("notebook wall times under nbval (seconds)")
        for path, seconds in sorted(_notebook_seconds.items()):
            terminalreporter.write_line(f"{seconds:7.1f}  {path}")
