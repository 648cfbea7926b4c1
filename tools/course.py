"""Build and run the course's notebooks from their jupytext sources.

The notebooks are written as `notebooks/src/NN_name.py` (jupytext py:percent: a readable diff) and
stored as `notebooks/NN_name.ipynb` with the outputs of a real top-to-bottom run in a fresh kernel.

    python tools/course.py build [NN ...]    convert the sources and execute them (stored outputs)
    python tools/course.py sync-check        fail if a stored notebook's code differs from its source

`build` also records each notebook's wall time per profile in benchmarks/notebook_times.json.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
TIMES = ROOT / "benchmarks" / "notebook_times.json"


def sources(prefixes: list[str]) -> list[Path]:
    found = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if prefixes:
        found = [p for p in found if p.name[:2] in prefixes]
        missing = set(prefixes) - {p.name[:2] for p in found}
        if missing:
            raise SystemExit(f"no source notebooks/src/NN_*.py for: {', '.join(sorted(missing))}")
    return found


def convert(src: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.pop("jupytext", None)
    return nb


def execute(src: Path, timeout: int = 2400, out: Path | None = None, env: dict | None = None) -> float:
    """Run the notebook top to bottom in a fresh kernel and write it with its outputs to `out` (by
    default the stored notebook). `env` adds variables to the kernel's environment (e.g. another seed)."""
    nb = convert(src)
    out = out or NOTEBOOKS / (src.stem + ".ipynb")
    t0 = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        # MPLBACKEND=Agg (set by the test command) would stop the inline backend storing figures
        kernel_env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        client.execute(env={**kernel_env, **(env or {})})
    finally:
        seconds = time.perf_counter() - t0
        nbformat.write(nb, out)
    return seconds


def record_time(name: str, seconds: float) -> None:
    import torch

    from ganlab.runtime import device, profile

    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    threads = torch.get_num_threads()  # what the kernel got too (OMP_NUM_THREADS is passed on)
    key = f"{profile()} ({device().type}, {threads} thread{'s' if threads > 1 else ''}, {os.cpu_count()} cores)"
    times.setdefault(name, {})[key] = round(seconds, 1)
    TIMES.parent.mkdir(exist_ok=True)
    TIMES.write_text(json.dumps(times, indent=2, sort_keys=True) + "\n")


def build(prefixes: list[str]) -> None:
    for src in sources(prefixes):
        print(f"executing {src.stem} ...", flush=True)
        seconds = execute(src)
        record_time(src.stem, seconds)
        print(f"  {src.stem}: {seconds:.1f} s", flush=True)


def code_cells(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def sync_check() -> list[str]:
    problems = []
    for src in sources([]):
        stored = NOTEBOOKS / (src.stem + ".ipynb")
        if not stored.exists():
            problems.append(f"{stored.name}: missing (run: python tools/course.py build {src.name[:2]})")
        elif code_cells(nbformat.read(stored, as_version=4)) != code_cells(convert(src)):
            problems.append(f"{stored.name}: code differs from {src.relative_to(ROOT)} (rebuild it)")
    return problems


if __name__ == "__main__":
    cmd, *args = sys.argv[1:] or ["help"]
    if cmd == "build":
        build(args)
    elif cmd == "sync-check":
        issues = sync_check()
        print("\n".join(issues) or "stored notebooks match their sources")
        sys.exit(1 if issues else 0)
    else:
        print(__doc__)
