"""Update latency of notebook 11's widget (`ganlab.widgets.games.games_widget`), kernel side.

    python benchmarks/widget_latency_games.py [--moves 20]

Each move recomputes the Dirac-GAN's field on a 15 x 15 grid, a 400-step trajectory and the eigenvalues,
updates the artists in place and encodes the frame (`BlitFigureImage`). Both sliders (step size, weight)
are moved through their range for every regulariser, with the rule it is slowest under. Target: p95 <= 50 ms.
On a shared machine wall time counts the waits for a core too, so the CPU time per move (what an idle
machine would show) and the load average are printed beside it.
"""
from __future__ import annotations

import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ganlab.widgets.core import measure_latency  # noqa: E402
from ganlab.widgets.games import REGULARISERS, games_widget  # noqa: E402

TARGET_P95_MS = 50.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=20, help="positions per slider (default 20)")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average (1 min) {load:.1f}")
    print(f"\n{'regulariser, rule':40s} {'median ms':>10s} {'p95 ms':>8s} {'CPU ms/move':>12s} {'moves':>6s}  "
          f"p95 <= {TARGET_P95_MS:.0f} ms")
    for regulariser in REGULARISERS:
        for rule in ("simultaneous", "optimistic"):
            widget = games_widget(rule=rule, regulariser=regulariser)
            result = measure_latency(widget, moves=args.moves)
            cpu_ms = result["cpu_ms"]
            ok = "yes" if result["p95_ms"] <= TARGET_P95_MS else "NO"
            print(f"{regulariser + ', ' + rule:40s} {result['median_ms']:10.1f} {result['p95_ms']:8.1f} {cpu_ms:12.1f} "
                  f"{result['moves']:6d}  {ok}")
            plt.close("all")


if __name__ == "__main__":
    main()
