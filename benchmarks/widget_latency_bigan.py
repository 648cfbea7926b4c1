"""Update latency of notebook 13's widget (`ganlab.widgets.bigan.neighbour_explorer`), kernel side.

    python benchmarks/widget_latency_bigan.py [--moves 40]

The widget is built as the notebook builds it: the 1,000 held-out MNIST digits, their reconstructions,
and the 4,000 training digits as the bank of neighbours (k = 5, seven panels). The codes are random
here (the time a move takes does not depend on what the codes mean: the neighbours are found once, up
front). `ganlab.widgets.core.measure_latency` moves the slider through its range and times each update:
swap seven images and seven titles in place, redraw the moving artists and encode the frame.
Target: median <= 50 ms. On a shared machine wall time counts the waits for a core too, so the CPU time
per move (what an idle machine would show) and the load average are printed beside it.
"""
from __future__ import annotations

import argparse
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from ganlab.data.digits import load_digits  # noqa: E402
from ganlab.widgets.bigan import neighbour_explorer  # noqa: E402
from ganlab.widgets.core import measure_latency  # noqa: E402

TARGET_MEDIAN_MS = 50.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--moves", type=int, default=40, help="positions of the slider (default 40)")
    ap.add_argument("--latent-dim", type=int, default=32, help="code size (default 32, the notebook's)")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average (1 min) {load:.1f}")

    train, test = load_digits("mnist", "train", "cpu"), load_digits("mnist", "test", "cpu")
    g = torch.Generator().manual_seed(0)
    x_test = test.images[:1_000]
    codes_test = torch.randn(len(x_test), args.latent_dim, generator=g)
    codes_train = torch.randn(len(train.images), args.latent_dim, generator=g)
    t0 = time.perf_counter()
    widget = neighbour_explorer(x_test, x_test.flip(-1), codes_test, train.images, codes_train,
                                labels_test=test.labels[:1_000], labels_train=train.labels)
    build_ms = (time.perf_counter() - t0) * 1e3
    measure_latency(widget, moves=5)  # warm-up: first draws fill font and glyph caches
    result = measure_latency(widget, moves=args.moves)
    cpu_ms = result["cpu_ms"]
    ok = "yes" if result["median_ms"] <= TARGET_MEDIAN_MS else "NO"
    print(f"built in {build_ms:.0f} ms; frame: {widget.view.canvas.image.format}, "
          f"{len(widget.view.canvas.image.value) / 1e3:.0f} kB")
    print(f"\n{'widget':32s} {'median ms':>10s} {'p95 ms':>8s} {'CPU ms/move':>12s} {'moves':>6s}  "
          f"median <= {TARGET_MEDIAN_MS:.0f} ms")
    print(f"{'13 neighbour_explorer':32s} {result['median_ms']:10.1f} {result['p95_ms']:8.1f} {cpu_ms:12.1f} "
          f"{result['moves']:6d}  {ok}")
    plt.close("all")


if __name__ == "__main__":
    main()
