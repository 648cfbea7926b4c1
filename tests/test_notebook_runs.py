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


@pytest.mark.skipif(not SEEDS, reason="set GANLAB_OTHER_SEEDS (e.g. 1) to re-execute every notebook with other seeds")
@pytest.mark.parametrize("seed,src", RUNS, ids=[f"seed{s}-{p.stem[:2]}" for s, p in RUNS])
def test_notebook_lessons_hold_with_another_seed(seed, src):
    if src.name[:2] in PENDING:
        pytest.skip(PENDING[src.name[:2]])
    out = ROOT / "test-artifacts" / f"seed{seed}" / f"{src.stem}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    course.execute(src, out=out, env={"GANLAB_SEED": seed, "GANLAB_STRICT": "1", "GANLAB_PROFILE": "quick",
                                      "GANLAB_FIGURES": str(out.parent / "figures")})
