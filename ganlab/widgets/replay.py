"""Replay a recorded training run: play / scrub through a `History`'s snapshots without retraining.

Each frame shows one snapshot of `ganlab.train.toy_snapshot` (the discriminator's D(x) or the
critic's score as a heatmap, the real density, the generated samples and the arrows grad_x of D's
logit at the samples, where the generator loss pushes them) beside the metric curves up to that
step (e.g. modes covered and the share of high-quality samples).

The figure is built once; a frame only updates its artists (`set_data`, `set_offsets`, `set_UVC`)
and redraws the PNG (`FigureImage`). `show_snapshot(view, i)` is the plain callback a test calls;
`replay(history, dist)` returns the widget: a `Play` button linked to a slider, and the picture.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch

from .. import plots
from .core import FigureImage


@dataclass
class ReplayView:
    """The replay's figure, its artists and its controls (`widget` is what a notebook displays)."""

    history: object
    as_probability: bool
    canvas: FigureImage
    artists: dict
    slider: w.IntSlider
    play: w.Play
    widget: w.VBox
    index: int = -1
    metric_lines: dict = field(default_factory=dict)


def _unit(directions: np.ndarray) -> np.ndarray:
    return directions / (np.linalg.norm(directions, axis=1, keepdims=True) + 1e-12)


def _heat_values(logits, as_probability: bool) -> np.ndarray:
    logits = torch.as_tensor(logits).float()
    return (torch.sigmoid(logits) if as_probability else logits).numpy()


def _build_figure(history, dist, metrics, as_probability, size):
    snap = history.snapshots[0]
    lim = snap["lim"]
    rows = max(len(metrics), 1)
    fig = plt.figure(figsize=(size * 2, size))
    grid = fig.add_gridspec(rows, 2, width_ratios=(1, 1), wspace=0.3, hspace=0.45)
    ax = fig.add_subplot(grid[:, 0])
    art = {"ax": ax}
    kw = dict(vmin=0, vmax=1) if as_probability else {}
    art["heat"] = ax.imshow(_heat_values(snap["logits"], as_probability), extent=(-lim, lim, -lim, lim),
                            origin="lower", cmap="RdBu_r", alpha=0.45, **kw)
    if dist is not None:
        plots.real_density(dist, ax, lim)
    art["samples"] = ax.scatter(*snap["samples"].numpy().T, s=3, c="tab:orange", alpha=0.6, linewidths=0)
    if "arrows" in snap:
        points, directions = (t.numpy() for t in snap["arrows"])
        u = _unit(directions)
        art["arrows"] = ax.quiver(points[:, 0], points[:, 1], u[:, 0], u[:, 1], color="k", scale=25, width=0.004,
                                  alpha=0.7)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xticks=[], yticks=[])
    art["title"] = ax.set_title("")
    lines = {}
    for row, name in enumerate(metrics):
        steps, values = history.series(name)
        ax_m = fig.add_subplot(grid[row, 1])
        ax_m.plot(steps, values, color="0.8", lw=1)  # the whole run, faint
        line, = ax_m.plot([], [], color="tab:blue", lw=2, marker="o", ms=3)
        now = ax_m.axvline(0, color="tab:red", lw=1)
        ax_m.set(ylabel=name.replace("_", " "), xlim=(0, max(history.steps_done, 1)))
        if name == "modes_covered" and dist is not None and dist.n_modes:
            ax_m.set_ylim(-0.3, dist.n_modes + 0.3)
        elif name == "high_quality":
            ax_m.set_ylim(0, 1)
        if row == rows - 1:
            ax_m.set_xlabel("step")
        lines[name] = (steps, values, line, now)
    return fig, art, lines


def build_replay(history, dist=None, metrics=("modes_covered", "high_quality"), *, as_probability: bool = True,
                 interval_ms: int = 400, size: float = 4.8, dpi: int = 80) -> ReplayView:
    """Build the replay of `history` (with snapshots from `ganlab.train.toy_snapshot`) over `dist`.

    `metrics` names metrics the history recorded (`History.series`); `as_probability=False` shows a
    WGAN critic's raw score instead of D(x) = sigmoid(logit).
    """
    if not history.snapshots:
        raise ValueError("this history has no snapshots; pass snapshot_at and snapshot_fn to fit/train_gan")
    known = sorted(history.scalars) + sorted(history.metrics)
    for name in metrics:
        if name not in history.metrics and name not in history.scalars:
            raise ValueError(f"the history recorded no {name!r}; recorded: {', '.join(known) or 'nothing'}")
    fig, art, lines = _build_figure(history, dist, tuple(metrics), as_probability, size)
    last = len(history.snapshots) - 1
    slider = w.IntSlider(value=0, min=0, max=last, step=1, description="snapshot", continuous_update=True,
                         style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    play = w.Play(value=0, min=0, max=last, step=1, interval=interval_ms, description="play")
    w.jslink((play, "value"), (slider, "value"))
    canvas = FigureImage(fig, dpi=dpi)
    box = w.VBox([w.HBox([play, slider]), canvas.image])
    view = ReplayView(history, as_probability, canvas, art, slider, play, box, metric_lines=lines)
    slider.observe(lambda change: show_snapshot(view, change["new"]), names="value")
    show_snapshot(view, 0)
    return view


def show_snapshot(view: ReplayView, index: int) -> None:
    """Draw snapshot `index`: update the heatmap, samples, arrows, title and metric curves up to its step."""
    snaps = view.history.snapshots
    if not 0 <= index < len(snaps):
        raise ValueError(f"snapshot index {index} out of range; this history has snapshots 0..{len(snaps) - 1}")
    snap, art = snaps[index], view.artists
    heat = _heat_values(snap["logits"], view.as_probability)
    art["heat"].set_data(heat)
    if not view.as_probability:
        art["heat"].set_clim(float(heat.min()), float(heat.max()))
    art["samples"].set_offsets(snap["samples"].numpy())
    if "arrows" in art and "arrows" in snap:
        points, directions = (t.numpy() for t in snap["arrows"])
        art["arrows"].set_offsets(points)
        u = _unit(directions)
        art["arrows"].set_UVC(u[:, 0], u[:, 1])
    step = snap["step"]
    art["title"].set_text(f"step {step}")
    for steps, values, line, now in view.metric_lines.values():
        upto = steps <= step
        line.set_data(steps[upto], values[upto])
        now.set_xdata([step, step])
    view.index = index
    view.canvas.redraw()


def replay(history, dist=None, metrics=("modes_covered", "high_quality"), **kwargs) -> w.VBox:
    """The replay widget of `history`: press play, or drag the slider through the snapshots."""
    return build_replay(history, dist, metrics, **kwargs).widget
