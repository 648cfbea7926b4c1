"""Pick an image and see both directions of an unpaired translation (notebook 10).

    translation_explorer(models, images_a, images_b, classify_a, classify_b)

`models` maps a name ("with cycle loss", "without") to a pair (G_ab, G_ba). For the chosen index
the widget shows  a -> G_ab(a) -> G_ba(G_ab(a))  on the top row and  b -> G_ba(b) -> G_ab(G_ba(b))
below, each titled with the digit the domain's classifier reads. `translation_panel` computes what
is shown (a plain function, so a test can call it without a browser).
"""
from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch

from .core import FigureImage


@torch.no_grad()
def translation_panel(G_ab, G_ba, a: torch.Tensor, b: torch.Tensor, classify_a, classify_b,
                      names=("A", "B")) -> tuple[list[torch.Tensor], list[str]]:
    """The six images (28x28, in [-1, 1]) and titles: a, G_ab(a), G_ba(G_ab(a)), b, G_ba(b), G_ab(G_ba(b)).

    `a` and `b` are single images (1, 28, 28); `classify_a(x)` / `classify_b(x)` return the predicted
    digits (n,) of a batch in domain A / B.
    """
    for name, x in (("a", a), ("b", b)):
        if x.dim() != 3:
            raise ValueError(f"{name} must be one image of shape (channels, 28, 28), got {tuple(x.shape)}")
    dev = next(G_ab.parameters()).device
    a, b = a[None].to(dev), b[None].to(dev)
    ab, ba = G_ab(a), G_ba(b)
    aba, bab = G_ba(ab), G_ab(ba)
    A, B = names
    row_a = [(a, A, classify_a), (ab, f"-> {B}", classify_b), (aba, f"-> back to {A}", classify_a)]
    row_b = [(b, B, classify_b), (ba, f"-> {A}", classify_a), (bab, f"-> back to {B}", classify_b)]
    images, titles = [], []
    for x, title, classify in row_a + row_b:
        images.append(x[0, 0].cpu())
        titles.append(f"{title}: reads {int(classify(x)[0])}")
    return images, titles


def translation_explorer(models: dict, images_a: torch.Tensor, images_b: torch.Tensor, classify_a, classify_b,
                         names=("A", "B")) -> w.VBox:
    """A slider picks image i of each domain, buttons pick the model; the 2x3 panel redraws."""
    if not models:
        raise ValueError("models must map at least one name to a pair (G_ab, G_ba)")
    n = min(len(images_a), len(images_b))
    fig, axes = plt.subplots(2, 3, figsize=(6.6, 4.6))
    arts = []
    for ax in axes.flat:
        arts.append(ax.imshow(np.zeros((28, 28)), cmap="gray", vmin=-1, vmax=1, interpolation="nearest"))
        ax.axis("off")
    fig.tight_layout()
    view = FigureImage(fig)
    index = w.IntSlider(value=0, min=0, max=n - 1, description="image", continuous_update=True,
                        layout=w.Layout(width="420px"))
    model = w.ToggleButtons(options=list(models), description="model")

    def update(_=None):
        G_ab, G_ba = models[model.value]
        images, titles = translation_panel(G_ab, G_ba, images_a[index.value], images_b[index.value],
                                           classify_a, classify_b, names)
        for art, ax, image, title in zip(arts, axes.flat, images, titles):
            art.set_data(image.numpy())
            ax.set_title(title, fontsize=9)
        view.redraw()

    index.observe(update, names="value")
    model.observe(update, names="value")
    update()
    return w.VBox([w.HBox([index]), model, view.image])
