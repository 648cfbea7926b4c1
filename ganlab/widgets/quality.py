"""Corrupt real digits and watch every quality metric move (notebook 12, evaluating GANs).

`corruption_explorer(table, samples)` takes what the notebook measured once: for each corruption
kind and level, the metrics of the corrupted digits (`table[kind][level]`, a dict name -> value) and a
few corrupted digits to show (`samples[kind][level]`, (n, 1, 28, 28) in [-1, 1]). Nothing is
recomputed on a move: the callback `show(view, kind, level)` only updates the image and the bars
(`BlitFigureImage`: only the moving artists are redrawn), so it answers at once.

Each bar is the metric's value scaled to the range it takes over the whole table (0 = its best value
in the table, 1 = its worst), so that metrics that fall (IS, precision, recall, density, coverage) and
metrics that rise (FD, KID, two-sample accuracy) can be read on one axis: longer is worse.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch
from torchvision.utils import make_grid

from .core import BlitFigureImage

# metric name -> True when a larger value means a worse generator
WORSE_WHEN_LARGER = {"FD": True, "KID": True, "IS": False, "precision": False, "recall": False,
                     "density": False, "coverage": False, "C2ST accuracy": True}


@dataclass
class CorruptionView:
    table: dict
    samples: dict
    metrics: list
    lo: np.ndarray            # best value of each metric over the table
    hi: np.ndarray            # worst value of each metric over the table
    canvas: BlitFigureImage
    image: object
    bars: list
    labels: list
    title: object
    widget: w.VBox


def _grid(images: torch.Tensor) -> np.ndarray:
    return make_grid(torch.as_tensor(images).cpu(), nrow=len(images), normalize=True, value_range=(-1, 1),
                     pad_value=1.0)[0].numpy()


def badness(view: CorruptionView, values: dict) -> np.ndarray:
    """Each metric scaled to [0, 1] over the table: 0 at its best value, 1 at its worst."""
    v = np.array([values[m] for m in view.metrics], dtype=float)
    span = view.hi - view.lo                      # negative for metrics that fall when worse
    return np.clip((v - view.lo) / np.where(span == 0, 1.0, span), 0, 1)


def show(view: CorruptionView, kind: str, level: int) -> dict:
    """Show corruption `kind` at `level`: its digits and its metrics. Returns the metrics shown."""
    if kind not in view.table:
        raise ValueError(f"unknown corruption {kind!r}; choose one of {', '.join(map(repr, view.table))}")
    levels = view.table[kind]
    if not 0 <= level < len(levels):
        raise ValueError(f"level must be between 0 and {len(levels) - 1}, got {level!r}")
    values = levels[level]
    view.image.set_data(_grid(view.samples[kind][level]))
    for bar, label, b, m in zip(view.bars, view.labels, badness(view, values), view.metrics):
        bar.set_width(b)
        label.set_x(min(b, 0.8) + 0.02)
        label.set_text(f"{values[m]:.3g}")
    view.title.set_text(f"{kind}, level {level}" + (" (clean)" if level == 0 else ""))
    view.canvas.redraw()
    return values


def corruption_explorer(table: dict, samples: dict, size: float = 1.0) -> w.VBox:
    """The widget: a corruption menu and a level slider above the corrupted digits and one bar per
    metric (longer = worse, scaled over the whole table; the number is the metric's value)."""
    kinds = list(table)
    if not kinds:
        raise ValueError("the table of measured corruptions is empty")
    metrics = [m for m in WORSE_WHEN_LARGER if m in table[kinds[0]][0]]
    values = np.array([[row[m] for m in metrics] for kind in kinds for row in table[kind]], dtype=float)
    larger_worse = np.array([WORSE_WHEN_LARGER[m] for m in metrics])
    lo = np.where(larger_worse, values.min(0), values.max(0))
    hi = np.where(larger_worse, values.max(0), values.min(0))
    n_show = len(samples[kinds[0]][0])

    fig, (ax_img, ax_bar) = plt.subplots(2, 1, figsize=(size * max(n_show, 8), 4.6),
                                         gridspec_kw={"height_ratios": (1, 2.2)})
    image = ax_img.imshow(_grid(samples[kinds[0]][0]), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax_img.set_axis_off()
    title = ax_img.set_title(" ")
    y = np.arange(len(metrics))
    bars = list(ax_bar.barh(y, np.zeros(len(metrics)), color="tab:red"))
    labels = [ax_bar.text(0.02, yi, "", va="center", fontsize=9) for yi in y]
    names = [m + (" (up = worse)" if WORSE_WHEN_LARGER[m] else " (down = worse)") for m in metrics]
    ax_bar.set(yticks=y, yticklabels=names, xlim=(0, 1), xlabel="worse ->  (0: best in the table, 1: worst)")
    ax_bar.invert_yaxis()
    fig.tight_layout()
    canvas = BlitFigureImage(fig, [image, title, *bars, *labels])

    kind = w.Dropdown(options=kinds, value=kinds[0], description="corruption")
    level = w.IntSlider(value=0, min=0, max=len(table[kinds[0]]) - 1, description="level",
                        style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    box = w.VBox([w.HBox([kind, level]), canvas.image])
    view = CorruptionView(table, samples, metrics, lo, hi, canvas, image, bars, labels, title, box)
    kind.observe(lambda _: show(view, kind.value, level.value), names="value")
    level.observe(lambda _: show(view, kind.value, level.value), names="value")
    show(view, kind.value, level.value)
    box.view = view
    return box
