"""Extra executions of every notebook, beyond the stored-output comparison nbval makes.

`GANLAB_OTHER_SEEDS=1,2` (the test command sets it): every notebook re-executed top to bottom in a
fresh kernel with each of those seeds, strictly (a lesson that does not hold raises), outputs not
compared. A lesson that flips with the seed is not a lesson. The executed copies are written to
test-artifacts/seed<N>/ to read what was measured.
"""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402

# Notebooks whose other-seed run has not yet been verified on a quiet machine: skipped with the reason
# (an entry here is a debt, named in the session note; remove it once the run passes).
PENDING: dict[str, str] = {}

SEEDS = [s.strip() for s in os.environ.get("GANLAB_OTHER_SEEDS", "").split(",") if s.strip()]
RUNS = [(seed, src) for seed in SEEDS for src in course.sources([])]


def unit_ids(names: list[str]) -> list[str]:
    """Test ids with a '::' inside: pytest-xdist's --dist loadscope (the test command) groups tests by
    their node id up to the last '::', so each notebook's run becomes a work unit of its own and the
    runs spread over the workers (without it, every run of this module would go to one worker)."""
    return [f"{name}::run" for name in names]


@pytest.mark.skipif(not SEEDS, reason="set GANLAB_OTHER_SEEDS (e.g. 1) to re-execute every notebook with other seeds")
@pytest.mark.parametrize("seed,src", RUNS, ids=unit_ids([f"seed{s}-{p.stem[:2]}" for s, p in RUNS]))
def test_notebook_lessons_hold_with_another_seed(seed, src):
    if src.name[:2] in PENDING:
        pytest.skip(PENDING[src.name[:2]])
    out = ROOT / "test-artifacts" / f"seed{seed}" / f"{src.stem}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    course.execute(src, out=out, env={"GANLAB_SEED": seed, "GANLAB_STRICT": "1", "GANLAB_PROFILE": "quick",
                                      "GANLAB_FIGURES": str(out.parent / "figures")})


# ---- the full profile, capped ----
# `GANLAB_FULL_SMOKE=<cap>` (the test command sets it): every notebook executed top to bottom in the
# full profile with GANLAB_MAX_STEPS=<cap>, checklists not strict (a capped run's results mean nothing),
# so that every cell of the full profile runs on a CPU: its builds, shapes, memory, dtypes, widgets and
# figures. The executed copies and their figures go to test-artifacts/full-capped/, the time of each run
# to test-artifacts/full-capped/<notebook>.seconds.json.
FULL_SMOKE = os.environ.get("GANLAB_FULL_SMOKE", "").strip()
FULL_SOURCES = course.sources([])


@pytest.mark.skipif(not FULL_SMOKE, reason="set GANLAB_FULL_SMOKE=<steps> (e.g. 2) to run the full profile capped")
@pytest.mark.parametrize("src", FULL_SOURCES, ids=unit_ids([f"full-capped-{p.stem[:2]}" for p in FULL_SOURCES]))
def test_notebook_runs_in_full_profile_capped(src):
    import json

    out = ROOT / "test-artifacts" / "full-capped" / f"{src.stem}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    seconds = course.execute(src, out=out, env={"GANLAB_PROFILE": "full", "GANLAB_MAX_STEPS": FULL_SMOKE,
                                                "GANLAB_STRICT": "0", "GANLAB_FIGURES": str(out.parent / "figures")})
    # one file per notebook: two workers may finish at once, and a shared file would lose an entry
    (out.parent / f"{src.stem}.seconds.json").write_text(json.dumps({src.stem: round(seconds, 1)}) + "\n")
