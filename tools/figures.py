"""Regenerate the figures for slides in figures/ from the notebooks' own code (`make figures`).

    python tools/figures.py [NN ...] [--plain]

Each notebook's source (notebooks/src/NN_*.py, jupytext) is executed top to bottom in a fresh
kernel with nbclient, with `GANLAB_FIGURES` pointing at a scratch folder, so that every
`ganlab.plots.save(fig, "NN_topic")` in it writes NN_topic.png there; when the notebook has run
without error its figures replace figures/NN_*.png (a failed run leaves the old ones). The stored
notebooks are not touched: the executed copy is thrown away.

The profile is GANLAB_PROFILE's (quick on a CPU, full on a GPU: `GANLAB_PROFILE=full make figures`).
Figures are drawn in the projector style of `ganlab.plots.talk()` unless --plain is given.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import NOTEBOOKS, ROOT, convert, sources  # noqa: E402

FIGURES = ROOT / "figures"
NAME = re.compile(r"^(\d\d)_[a-z0-9]+(_[a-z0-9]+)*\.png$")  # NN_topic.png, e.g. 05_mode_hopping.png
TALK_CELL = "from ganlab.plots import talk\ntalk()  # added by tools/figures.py: figures for slides"


def bad_names(names: list[str], number: str) -> list[str]:
    """The figure names that do not follow NN_topic.png with NN the number of the notebook that made them."""
    return [n for n in names if not (m := NAME.match(n)) or m.group(1) != number]


def run(src: Path, talk: bool, timeout: int = 1800) -> list[str]:
    """Execute one notebook source with GANLAB_FIGURES set; move its figures into figures/; return their names."""
    nb = convert(src)
    if talk:
        nb.cells.insert(0, new_code_cell(TALK_CELL))
    number = src.name[:2]
    with tempfile.TemporaryDirectory(prefix=f"ganlab-figures-{number}-") as scratch:
        os.environ["GANLAB_FIGURES"] = scratch  # the kernel inherits it; ganlab.plots.save writes there
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        finally:
            del os.environ["GANLAB_FIGURES"]
        made = sorted(p.name for p in Path(scratch).glob("*.png"))
        wrong = bad_names(made, number)
        if wrong:
            raise ValueError(f"{src.stem} saved figures not named '{number}_topic': {wrong}")
        FIGURES.mkdir(exist_ok=True)
        for old in FIGURES.glob(f"{number}_*.png"):
            old.unlink()
        for name in made:
            shutil.move(Path(scratch) / name, FIGURES / name)
    return made


def main(argv: list[str]) -> int:
    talk = "--plain" not in argv
    prefixes = [a for a in argv if a != "--plain"]
    failed = []
    for src in sources(prefixes):
        print(f"{src.stem}: executing ...", flush=True)
        t0 = time.perf_counter()
        try:
            made = run(src, talk)
        except Exception as err:  # report and go on with the other notebooks
            failed.append(src.stem)
            print(f"{src.stem}: FAILED ({type(err).__name__}: {str(err)[-1500:]}); its old figures are kept",
                  flush=True)
            continue
        seconds = time.perf_counter() - t0
        print(f"{src.stem}: {len(made)} figures in {seconds:.0f} s: {', '.join(made) or '-'}", flush=True)
    print(f"figures/ now holds {len(list(FIGURES.glob('*.png')))} figures")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
