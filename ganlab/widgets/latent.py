"""Walk the latent spaces of several generators side by side (notebook 16: a VAE's decoder beside a GAN's G).

`latent_walk({"VAE": decode_vae, "GAN": generate}, {"VAE": 16, "GAN": 64})` draws, for each model,
`n_pairs` pairs of codes (z0, z1) from its prior N(0, I) and shows the image at
    z(t) = cos(pi t / 2) z0 + sin(pi t / 2) z1,
a path on which every point is again distributed N(0, I) (cos^2 + sin^2 = 1), so the walk never leaves
the region the model was trained on (the straight line's midpoint has a norm sqrt(1/2) too small).
A slider moves t (in steps of `t_step`), another picks the pair. Every image of every walk is decoded
once up front (one batch per model), so a move only swaps image data in place (`AxesImage.set_data`)
over the static rest of the figure (`BlitFigureImage`).

`show_walk(view, t, pair)` is the plain callback a test calls; each decoder maps (n, d) codes to
(n, 1, 28, 28) images in [-1, 1] (or logits / probabilities, as long as `to_unit` maps them to (n, 28, 28)
numbers in [0, 1]).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch

from .core import BlitFigureImage, float_slider


@dataclass
class WalkView:
    codes: dict                  # name -> (n_pairs, 2, d) the pairs (z0, z1)
    ts: np.ndarray               # (n_t,) the points of each walk
    frames: dict                 # name -> (n_pairs, n_t, 28, 28) the decoded walks in [0, 1]
    artists: list                # one AxesImage per model
    titles: list                 # one Text per model
    canvas: BlitFigureImage
    widget: w.VBox


def walk_code(z0: torch.Tensor, z1: torch.Tensor, t: float) -> torch.Tensor:
    """cos(pi t / 2) z0 + sin(pi t / 2) z1: z0 at t = 0, z1 at t = 1, N(0, I) all along when z0, z1 are."""
    return math.cos(math.pi * t / 2) * z0 + math.sin(math.pi * t / 2) * z1


def show_walk(view: WalkView, t: float, pair: int) -> None:
    """Show every model's image at point t of walk `pair` (the nearest decoded point; updates in place)."""
    n_pairs = len(next(iter(view.codes.values())))
    if not 0 <= pair < n_pairs:
        raise ValueError(f"pair must be in 0..{n_pairs - 1}, got {pair}")
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"t must be in [0, 1], got {t}")
    k = int(np.abs(view.ts - t).argmin())
    for artist, title, (name, frames) in zip(view.artists, view.titles, view.frames.items()):
        artist.set_data(frames[pair, k])
        title.set_text(f"{name}, t = {view.ts[k]:.2f}")
    view.canvas.redraw()


def _tanh_range(images: torch.Tensor) -> np.ndarray:
    return ((images.detach().float().cpu()[:, 0] + 1) / 2).clamp(0, 1).numpy()


def latent_walk(decoders: dict, latent_dims: dict, *, n_pairs: int = 8, seed: int = 0, to_unit: dict | None = None,
                t_step: float = 0.05, size: float = 3.0, device=None) -> w.VBox:
    """Sliders t (0..1) and pair (0..n_pairs-1); one panel per decoder. Returns the widget; `.view` holds its state.
    `to_unit` maps a model's output to [0, 1] (default: images in [-1, 1], as a tanh generator makes)."""
    if not decoders or set(decoders) != set(latent_dims):
        raise ValueError(f"need one latent size per decoder, got decoders {sorted(decoders)} "
                         f"and sizes {sorted(latent_dims)}")
    if not isinstance(n_pairs, int) or n_pairs < 1:
        raise ValueError(f"n_pairs must be a positive integer, got {n_pairs!r}")
    to_unit = {name: (to_unit or {}).get(name, _tanh_range) for name in decoders}
    stream = torch.Generator().manual_seed(seed)
    if not 0 < t_step <= 1:
        raise ValueError(f"t_step must be in (0, 1], got {t_step!r}")
    codes = {name: torch.randn(n_pairs, 2, latent_dims[name], generator=stream).to(device or "cpu")
             for name in decoders}
    ts = np.linspace(0.0, 1.0, int(round(1 / t_step)) + 1)
    frames = {}
    with torch.no_grad():
        for name, decode in decoders.items():
            z0, z1 = codes[name][:, None, 0], codes[name][:, None, 1]                     # (n_pairs, 1, d)
            walk = torch.stack([walk_code(z0[:, 0], z1[:, 0], float(t)) for t in ts], 1)  # (n_pairs, n_t, d)
            images = to_unit[name](decode(walk.flatten(0, 1)))                          # (n_pairs * n_t, 28, 28)
            frames[name] = np.asarray(images).reshape(n_pairs, len(ts), 28, 28)
    fig, axes = plt.subplots(1, len(decoders), figsize=(size * len(decoders), size * 1.1), squeeze=False)
    artists, titles = [], []
    for ax in axes[0]:
        artists.append(ax.imshow(np.zeros((28, 28)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"))
        titles.append(ax.set_title(" ", fontsize=11))
        ax.set_axis_off()
    fig.suptitle("z(t) = cos(pi t/2) z0 + sin(pi t/2) z1, z0 and z1 drawn from each model's prior", fontsize=9)
    fig.tight_layout()
    canvas = BlitFigureImage(fig, [*artists, *titles])
    t_slider = float_slider("walk t", 0.0, 0.0, 1.0, float(ts[1] - ts[0]))
    pair_slider = w.IntSlider(value=0, min=0, max=n_pairs - 1, description="pair of codes", continuous_update=True,
                              style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    box = w.VBox([t_slider, pair_slider, canvas.image])
    view = WalkView(codes, ts, frames, artists, titles, canvas, box)
    update = lambda _change: show_walk(view, t_slider.value, pair_slider.value)
    t_slider.observe(update, names="value")
    pair_slider.observe(update, names="value")
    show_walk(view, 0.0, 0)
    box.view = view
    return box
