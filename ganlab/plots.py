"""Plots: functions that take data (and an optional `ax`) and return the figure.

`save(fig, name)` writes a PNG into the course's `figures/` folder for slides.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch

from .data.toy import ToyDistribution


def _ax(ax, figsize=(4.5, 4.5)):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def _np(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def real_density(dist: ToyDistribution, ax=None, lim: float = 2.0, res: int = 200, n_hist: int = 20_000):
    """The real distribution as a grey image: its density for the mixtures, a histogram of samples otherwise."""
    fig, ax = _ax(ax)
    if dist.centers is not None:
        axis = torch.linspace(-lim, lim, res)
        gx, gy = torch.meshgrid(axis, axis, indexing="xy")
        dens = dist.density(torch.stack([gx, gy], -1)).numpy()
    else:
        pts = dist.sample(n_hist, torch.Generator().manual_seed(0)).numpy()
        dens, _, _ = np.histogram2d(pts[:, 1], pts[:, 0], bins=res, range=[[-lim, lim], [-lim, lim]])
    ax.imshow(np.sqrt(dens), extent=(-lim, lim, -lim, lim), origin="lower", cmap="Greys", alpha=0.6)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")
    return fig


def samples(fake, dist: ToyDistribution | None = None, ax=None, lim: float = 2.0, title: str | None = None,
            s: float = 3):
    """Generated samples (orange) over the real density (grey)."""
    fig, ax = _ax(ax)
    if dist is not None:
        real_density(dist, ax, lim)
    pts = _np(fake)
    ax.scatter(pts[:, 0], pts[:, 1], s=s, c="tab:orange", alpha=0.6, linewidths=0)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")
    if title:
        ax.set_title(title)
    return fig


def discriminator_heatmap(logits, lim: float, ax=None, as_probability: bool = True, colorbar: bool = False):
    """D on a grid: D(x) = sigmoid(logit) in [0, 1] (or the raw critic score when as_probability=False)."""
    fig, ax = _ax(ax)
    values = torch.sigmoid(torch.as_tensor(logits)).numpy() if as_probability else _np(logits)
    kw = dict(vmin=0, vmax=1) if as_probability else {}
    im = ax.imshow(values, extent=(-lim, lim, -lim, lim), origin="lower", cmap="RdBu_r", alpha=0.45, **kw)
    if colorbar:
        fig.colorbar(im, ax=ax, fraction=0.046, label="D(x)" if as_probability else "critic f(x)")
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")
    return fig


def gradient_arrows(points, directions, ax=None, color="k"):
    """Arrows at generated samples along grad_x of D's logit: where the generator loss pushes them."""
    fig, ax = _ax(ax)
    p, d = _np(points), _np(directions)
    norm = np.linalg.norm(d, axis=1, keepdims=True) + 1e-12
    ax.quiver(p[:, 0], p[:, 1], d[:, 0] / norm[:, 0], d[:, 1] / norm[:, 0], color=color, scale=25, width=0.004,
              alpha=0.7)
    return fig


def toy_snapshot(snap: dict, dist: ToyDistribution | None = None, ax=None, arrows: bool = True):
    """One snapshot of `ganlab.train.toy_snapshot`: D heatmap, real density, samples, arrows."""
    fig, ax = _ax(ax)
    lim = snap["lim"]
    discriminator_heatmap(snap["logits"], lim, ax)
    samples(snap["samples"], dist, ax, lim, title=f"step {snap['step']}")
    if arrows and "arrows" in snap:
        gradient_arrows(*snap["arrows"], ax=ax)
    return fig


def snapshot_row(history, dist: ToyDistribution | None = None, n: int = 6, size: float = 2.6):
    """n evenly spaced snapshots of a history side by side."""
    snaps = history.snapshots
    if not snaps:
        raise ValueError("this history has no snapshots; pass snapshot_at and snapshot_fn to fit/train_gan")
    picks = [snaps[i] for i in np.unique(np.linspace(0, len(snaps) - 1, min(n, len(snaps))).round().astype(int))]
    fig, axes = plt.subplots(1, len(picks), figsize=(size * len(picks), size), squeeze=False)
    for ax, snap in zip(axes[0], picks):
        toy_snapshot(snap, dist, ax)
        ax.set_xticks([]), ax.set_yticks([])
    fig.tight_layout()
    return fig


def moving_average(steps, values, window: int = 20):
    """The mean of each `window` consecutive values, a_t = (v_{t-w+1} + ... + v_t) / w, paired with the step
    of each window's last value. A run shorter than `window` (e.g. capped by GANLAB_MAX_STEPS) is averaged
    over all its values."""
    steps, values = np.asarray(steps), np.asarray(values, dtype=float)
    if window < 1:
        raise ValueError(f"window must be a positive number of steps, got {window}")
    w = min(window, len(values)) or 1
    return steps[w - 1:], np.convolve(values, np.ones(w) / w, mode="valid")


def curve(history, name: str, ax=None, window: int = 20, label: str | None = None, raw: bool = False):
    """One recorded series of a `History` as its moving average over `window` steps (`raw=True` adds the
    raw values, faint, in the same colour). Returns the axes."""
    fig, ax = _ax(ax, figsize=(6, 3.5))
    steps, values = history.series(name)
    s, a = moving_average(steps, values, window)
    line, = ax.plot(s, a, label=label or name)
    if raw:
        ax.plot(steps, values, alpha=0.25, lw=0.8, color=line.get_color())
    return ax


def losses(history, names=("loss_d", "loss_g"), ax=None, smooth: int = 25):
    """Loss curves of a history (moving average over `smooth` steps, raw values faint)."""
    fig, ax = _ax(ax, figsize=(6, 3.5))
    for name in names:
        curve(history, name, ax=ax, window=smooth, raw=True)
    ax.set(xlabel="step", ylabel="loss")
    ax.legend()
    return fig


def figures_dir() -> Path:
    """`GANLAB_FIGURES` if set, else the `figures/` folder of the course checkout (found from the
    working directory upwards), else ./figures."""
    if os.environ.get("GANLAB_FIGURES"):
        return Path(os.environ["GANLAB_FIGURES"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "ganlab").is_dir() and (folder / "figures").is_dir():
            return folder / "figures"
    return here / "figures"


def save(fig, name: str, dpi: int = 150) -> None:
    """Write `fig` as figures/<name>.png (name like '05_mode_hopping'); see `figures_dir` for where.

    Returns nothing, so a notebook cell ending in `save(...)` shows the figure, not a file path."""
    if not name or any(c in name for c in "/\\") or name.startswith("."):
        raise ValueError(f"figure name must be a plain file name like '05_mode_hopping', got {name!r}")
    path = figures_dir() / (name if name.endswith(".png") else f"{name}.png")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches="tight")


def image_grid(images, nrow: int = 10, ax=None, title: str | None = None, size: float = 6.0):
    """A grid of images in [-1, 1] (batch, channels, h, w), drawn with torchvision's make_grid."""
    from torchvision.utils import make_grid

    grid = make_grid(torch.as_tensor(images).detach().cpu(), nrow=nrow, normalize=True, value_range=(-1, 1),
                     pad_value=1.0)
    fig, ax = _ax(ax, figsize=(size, size * grid.shape[1] / grid.shape[2]))
    ax.imshow(grid.permute(1, 2, 0).numpy(), interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


# Presentation style for a projector: matplotlib's defaults for these rcParams, which `talk()` scales.
TALK_BASE = {
    "font.size": 10.0, "lines.linewidth": 1.5, "lines.markersize": 6.0, "axes.linewidth": 0.8,
    "xtick.major.width": 0.8, "ytick.major.width": 0.8, "xtick.major.size": 3.5, "ytick.major.size": 3.5,
    "grid.linewidth": 0.8, "patch.linewidth": 1.0,
}
_plain_rc: dict | None = None  # the rcParams as they were before talk() switched the style on


class TalkStyle:
    """What `talk()` returns: as a context manager, its exit puts back the rcParams of before the call."""

    def __init__(self, before: dict, plain_before: dict | None):
        self.before, self.plain_before = before, plain_before

    def __enter__(self) -> "TalkStyle":
        return self

    def __exit__(self, *exc) -> None:
        global _plain_rc
        plt.rcParams.update(self.before)
        _plain_rc = self.plain_before


def talk(on: bool = True, scale: float = 1.4, dpi: float = 125.0) -> TalkStyle:
    """Figures for a projector: type, lines, markers and ticks `scale` times matplotlib's defaults
    (10 pt -> 14 pt text at 1.4), figures shown larger on screen (figure.dpi 100 -> `dpi`), and
    tight layout at every draw (figure.autolayout) so that the larger labels do not overlap.

    `talk()` switches it on for the figures made from now on; `talk(False)` restores the rcParams
    of before the first `talk()`; `with talk(): ...` restores them at the end of the block.
    Widgets built after `talk()` get its type too (their figures are drawn at the widget's own dpi).
    """
    global _plain_rc
    if scale <= 0 or dpi <= 0:
        raise ValueError(f"talk() needs scale > 0 and dpi > 0, got scale={scale!r}, dpi={dpi!r}")
    keys = [*TALK_BASE, "figure.dpi", "figure.autolayout"]
    before, plain_before = {k: plt.rcParams[k] for k in keys}, _plain_rc
    if on:
        if _plain_rc is None:
            _plain_rc = dict(before)
        plt.rcParams.update({k: v * scale for k, v in TALK_BASE.items()})
        plt.rcParams.update({"figure.dpi": dpi, "figure.autolayout": True})
    elif _plain_rc is not None:
        plt.rcParams.update(_plain_rc)
        _plain_rc = None
    return TalkStyle(before, plain_before)
