"""Explore a digit generator's latent space with sliders, without retraining.

`latent_explorer(G, latent_dim)` shows G(z_i + sum_k a_k u_k) for a row of fixed base codes z_i:
each slider a_k moves every sample along one fixed random direction u_k of the latent space (a unit
vector scaled by sqrt(latent_dim), the typical length of z ~ N(0, I)), so one slider shows what one
direction does to different digits. With a conditional generator (`n_classes > 0`) a "digit" slider
picks the label y of G(z, y): the same z under each digit shows that z carries the style.

`render(view, offsets, digit)` is the plain callback a test calls; the figure is built once and a
move only updates the image (`FigureImage`).
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch
from torchvision.utils import make_grid

from ..nets.mode import evaluating
from .core import FigureImage, float_slider


@dataclass
class LatentView:
    G: torch.nn.Module
    base: torch.Tensor        # (n, latent_dim) fixed base codes
    directions: torch.Tensor  # (k, latent_dim) fixed directions
    n_classes: int
    canvas: FigureImage
    artist: object
    widget: w.VBox


@torch.no_grad()
def render(view: LatentView, offsets, digit: int = 0) -> np.ndarray:
    """The grid image for slider values `offsets` (k floats) and `digit`; updates the figure."""
    shift = torch.as_tensor(np.asarray(offsets, dtype=np.float32)) @ view.directions
    z = view.base + shift
    device = next(view.G.parameters()).device
    with evaluating(view.G):
        if view.n_classes:
            labels = torch.full((len(z),), int(digit), dtype=torch.long, device=device)
            images = view.G(z.to(device), labels)
        else:
            images = view.G(z.to(device))
    grid = make_grid(images.cpu(), nrow=len(z), normalize=True, value_range=(-1, 1), pad_value=1.0)[0].numpy()
    view.artist.set_data(grid)
    view.canvas.redraw()
    return grid


def latent_explorer(G, latent_dim: int, n_classes: int = 0, n_samples: int = 6, n_directions: int = 3,
                    seed: int = 0, size: float = 1.4) -> w.VBox:
    """A row of `n_samples` generated digits and `n_directions` sliders that move their latent codes
    (plus a digit slider for a conditional G). Returns the widget; `.view` holds its state."""
    if n_directions < 1 or n_samples < 1:
        raise ValueError(f"need at least one sample and one direction, "
                         f"got n_samples={n_samples}, n_directions={n_directions}")
    gen = torch.Generator().manual_seed(seed)
    base = torch.randn(n_samples, latent_dim, generator=gen)
    directions = torch.randn(n_directions, latent_dim, generator=gen)
    directions = directions / directions.norm(dim=1, keepdim=True) * latent_dim ** 0.5
    fig, ax = plt.subplots(figsize=(size * n_samples, size * 1.05))
    artist = ax.imshow(np.zeros((30, 30 * n_samples)), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    fig.tight_layout(pad=0.2)
    canvas = FigureImage(fig)
    sliders = [float_slider(f"direction {k + 1}", 0.0, -1.0, 1.0, 0.05) for k in range(n_directions)]
    digit = w.IntSlider(value=0, min=0, max=max(n_classes - 1, 0), description="digit",
                        style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    controls = ([digit] if n_classes else []) + sliders
    box = w.VBox([*controls, canvas.image])
    view = LatentView(G, base, directions, n_classes, canvas, artist, box)

    def update(_=None):
        render(view, [s.value for s in sliders], digit.value)

    for control in controls:
        control.observe(update, names="value")
    update()
    box.view = view
    return box
