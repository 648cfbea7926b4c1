"""Update latency of the theory notebooks' analytic widgets (01-04), kernel side: compute + draw + PNG.

    python benchmarks/widget_latency.py [--moves 20]

Each widget is built as its notebook builds it, then `ganlab.widgets.core.measure_latency` moves
every slider through its range and times each update (wall clock). Target: p95 <= 50 ms. On a
shared machine wall time counts the waits for a core too, so the CPU time this process spent per
update (time.process_time, single-threaded work) is printed beside it: what an idle machine would
show. The load and a reference redraw (one small line plot, full `savefig`) are printed as well.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ganlab import theory  # noqa: E402
from ganlab.widgets.core import FigureImage, measure_latency  # noqa: E402

TARGET_P95_MS = 50.0
WIDGETS_DIR = Path(__file__).resolve().parents[1] / "ganlab" / "widgets"


def reference_redraw_ms(repeats: int = 20) -> float:
    """Median time of a full redraw of a one-line plot: a yardstick for how busy the machine is."""
    fig, ax = plt.subplots(figsize=(6, 4))
    (line,) = ax.plot(np.arange(10.0))
    view = FigureImage(fig)
    times = []
    for k in range(repeats):
        line.set_ydata(np.arange(10.0) * (k % 3))
        t0 = time.perf_counter()
        view.redraw()
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times))


def notebook_01_02() -> dict:
    """The widgets of notebooks 01 and 02, built with the notebooks' data."""
    from ganlab.widgets.discriminator import discriminator_widget, train_discriminator_grid
    from ganlab.widgets.mle import mle_widget

    data = np.random.default_rng(0).normal(2.0, 1.5, 2_000)
    p_data = theory.mixture([0.5, 0.5], [-1.5, 1.5], [0.6, 0.6])
    # the lookup costs the same whatever the training length: a short table is enough to time it
    table = train_discriminator_grid(p_data, np.arange(-2.0, 2.01, 0.5), np.array([0.5, 1.0, 1.5, 2.0]),
                                     np.linspace(-5, 5, 501), steps=50)
    return {"01 mle_widget (mu, sigma)": lambda: mle_widget(data),
            "02 discriminator_widget (trained table)": lambda: discriminator_widget(p_data, table, 0.5, 1.0),
            "02 discriminator_widget (analytic only)": lambda: discriminator_widget(p_data, None, 0.5, 1.0)}


def notebook_03_04() -> dict:
    """The factories `*_widget` of ganlab/widgets/divergences.py (03) and generator_costs.py (04),
    called with their defaults; a missing module or a factory that needs arguments is reported."""
    found = {}
    for number, module_name in (("03", "divergences"), ("04", "generator_costs")):
        if not (WIDGETS_DIR / f"{module_name}.py").exists():
            print(f"note: ganlab/widgets/{module_name}.py does not exist yet: notebook {number}'s widgets skipped")
            continue
        module = importlib.import_module(f"ganlab.widgets.{module_name}")
        factories = [(name, fn) for name, fn in inspect.getmembers(module, inspect.isfunction)
                     if name.endswith("_widget") and fn.__module__ == module.__name__]
        if not factories:
            print(f"note: ganlab/widgets/{module_name}.py has no *_widget factory: notebook {number} skipped")
        for name, fn in factories:
            required = [p.name for p in inspect.signature(fn).parameters.values()
                        if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
            if required:
                print(f"note: {module_name}.{name} needs {required}: skipped")
                continue
            found[f"{number} {name}"] = fn
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=20, help="positions per slider (default 20)")
    args = ap.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average (1 min) {load:.1f}; "
          f"reference full redraw of a one-line plot: {reference_redraw_ms():.1f} ms (median)")
    widgets = {**notebook_01_02(), **notebook_03_04()}
    print(f"\n{'widget':46s} {'median ms':>10s} {'p95 ms':>8s} {'CPU ms/move':>12s} {'moves':>6s}  "
          f"p95 <= {TARGET_P95_MS:.0f} ms")
    for name, build in widgets.items():
        widget = build()
        result = measure_latency(widget, moves=args.moves)
        cpu_ms = result["cpu_ms"]
        ok = "yes" if result["p95_ms"] <= TARGET_P95_MS else "NO"
        print(f"{name:46s} {result['median_ms']:10.1f} {result['p95_ms']:8.1f} {cpu_ms:12.1f} "
              f"{result['moves']:6d}  {ok}")
        plt.close("all")
    print("\nOn a shared machine the wall-clock figures scale with its load: compare them with the reference "
          "redraw (about 25 ms on 2 idle cores) and with the CPU time per move.")


if __name__ == "__main__":
    main()
