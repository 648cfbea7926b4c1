"""Pick a held-out digit and see what a BiGAN's encoder makes of it (notebook 13).

`neighbour_explorer(...)` shows, for the digit chosen with a slider: the digit x, its reconstruction
G(E(x)), and the k training digits whose codes are nearest to E(x) by cosine similarity (the
neighbours a 1-NN classifier on the codes votes with), each titled with its label. Everything is
computed once up front (reconstructions passed in, neighbours found for every held-out digit at
once), so a move only swaps image data in place (`AxesImage.set_data`, `Text.set_text`) and redraws
those artists over the static rest of the figure (`BlitFigureImage`): about 20-30 ms a move, against
160-230 ms for a full redraw of the seven panels.

`show_digit(view, index)` is the plain callback a test calls.
"""
from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from .core import BlitFigureImage


@dataclass
class NeighbourView:
    images: np.ndarray          # (n, 28, 28) held-out digits in [0, 1]
    recon: np.ndarray           # (n, 28, 28) their reconstructions G(E(x)) in [0, 1]
    neighbours: np.ndarray      # (n, k, 28, 28) nearest training digits in code space
    neighbour_labels: np.ndarray  # (n, k)
    similarity: np.ndarray      # (n, k) cosine similarity of the codes
    labels: np.ndarray          # (n,)
    artists: list               # k + 2 AxesImage
    titles: list                # k + 2 Text
    canvas: BlitFigureImage
    widget: w.VBox


def _unit_range(images: torch.Tensor) -> np.ndarray:
    return ((images.detach().float().cpu()[:, 0] + 1) / 2).clamp(0, 1).numpy()


def nearest_codes(codes_query: torch.Tensor, codes_bank: torch.Tensor, k: int = 5) -> tuple[torch.Tensor, torch.Tensor]:
    """(similarity, index) of the k bank codes nearest to each query code by cosine similarity: (n, k) each."""
    if codes_query.ndim != 2 or codes_bank.ndim != 2 or codes_query.shape[1] != codes_bank.shape[1]:
        raise ValueError(f"codes must be (n, d) and (m, d) with the same d, got {tuple(codes_query.shape)} "
                         f"and {tuple(codes_bank.shape)}")
    sim = F.normalize(codes_query.float(), dim=1) @ F.normalize(codes_bank.float(), dim=1).T
    return sim.topk(k, dim=1)


def show_digit(view: NeighbourView, index: int) -> None:
    """Show held-out digit `index`: x, G(E(x)) and its neighbours in code space (updates in place)."""
    if not 0 <= index < len(view.images):
        raise ValueError(f"index must be in 0..{len(view.images) - 1}, got {index}")
    pictures = [view.images[index], view.recon[index], *view.neighbours[index]]
    texts = [f"x (label {view.labels[index]})", "G(E(x))"] + [
        f"{lab} (cos {s:.2f})" for lab, s in zip(view.neighbour_labels[index], view.similarity[index])]
    for artist, title, picture, text in zip(view.artists, view.titles, pictures, texts):
        artist.set_data(picture)
        title.set_text(text)
    view.canvas.redraw()


def neighbour_explorer(images: torch.Tensor, reconstructions: torch.Tensor, codes: torch.Tensor,
                       bank_images: torch.Tensor, bank_codes: torch.Tensor, *, labels_test: torch.Tensor,
                       labels_train: torch.Tensor, k: int = 5, size: float = 1.5) -> w.VBox:
    """A slider over the held-out digits; the figure shows x, G(E(x)) and the k nearest training digits
    in code space. Images are (n, 1, 28, 28) in [-1, 1]; codes (n, d). Returns the widget; `.view`
    holds its state."""
    if not len(images) == len(reconstructions) == len(codes) == len(labels_test):
        raise ValueError(f"need one reconstruction, code and label per image, got {len(images)} images, "
                         f"{len(reconstructions)} reconstructions, {len(codes)} codes, {len(labels_test)} labels")
    if not isinstance(k, int) or not 1 <= k <= len(bank_codes):
        raise ValueError(f"k must be an integer in 1..{len(bank_codes)}, got {k!r}")
    sim, idx = nearest_codes(codes, bank_codes.to(codes.device), k)
    idx_cpu = idx.cpu()
    bank = _unit_range(bank_images)
    fig, axes = plt.subplots(1, k + 2, figsize=(size * (k + 2), size * 1.25))
    artists, titles = [], []
    for i, ax in enumerate(axes):
        artists.append(ax.imshow(np.zeros((28, 28)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"))
        titles.append(ax.set_title(" ", fontsize=9, color="tab:blue" if i >= 2 else "k"))
        ax.set_axis_off()
    fig.suptitle("held-out digit, its reconstruction, and its nearest training digits in z", fontsize=10)
    fig.tight_layout()
    canvas = BlitFigureImage(fig, [*artists, *titles])
    slider = w.IntSlider(value=0, min=0, max=len(images) - 1, description="held-out digit",
                         continuous_update=True, style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    box = w.VBox([slider, canvas.image])
    view = NeighbourView(_unit_range(images), _unit_range(reconstructions), bank[idx_cpu.numpy()],
                         labels_train.cpu().numpy()[idx_cpu.numpy()], sim.cpu().numpy(), labels_test.cpu().numpy(),
                         artists, titles, canvas, box)
    slider.observe(lambda change: show_digit(view, change["new"]), names="value")
    show_digit(view, 0)
    box.view = view
    return box
