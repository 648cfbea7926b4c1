"""A small PixelCNN for binarised 28x28 digits (van den Oord, Kalchbrenner & Kavukcuoglu, 2016) (notebook 16).

An autoregressive model factorises the image's probability pixel by pixel in raster order,
    p(x) = prod_i p(x_i | x_1, ..., x_{i-1}),
so log p(x) is a sum of 784 exact terms: no latent, no bound. A PixelCNN computes all 784
conditionals in one pass with **masked convolutions**: each kernel is multiplied by a mask that zeroes
the weights on the current pixel's right and below it, so the output at pixel i sees only pixels
before i. The first layer's mask (type 'A') also zeroes the centre (pixel i must not see itself); the
later ones (type 'B') keep it, since their input at i already holds only what came before i.

Sampling has no such shortcut: pixel i needs pixels 1..i-1 drawn first, so a sample takes 784
passes through the network (`sample`).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..checks import positive_int

MASK_TYPES = ("A", "B")


def causal_mask(kernel_size: int, mask_type: str) -> torch.Tensor:
    """(k, k) mask of 0/1: 1 on the rows above the centre and left of the centre on its row; the centre
    itself is 1 for type 'B' and 0 for type 'A'."""
    if mask_type not in MASK_TYPES:
        raise ValueError(f"unknown mask type {mask_type!r}; choose one of 'A' (first layer), 'B' (later layers)")
    if not isinstance(kernel_size, int) or kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be an odd positive integer, got {kernel_size!r}")
    mask = torch.zeros(kernel_size, kernel_size)
    c = kernel_size // 2
    mask[:c, :] = 1                                   # every row above the centre
    mask[c, :c] = 1                                   # the centre row, left of the centre
    mask[c, c] = 1.0 if mask_type == "B" else 0.0     # the centre: seen by 'B' only
    return mask


class MaskedConv2d(nn.Conv2d):
    """A 'same' convolution whose kernel is multiplied by `causal_mask` on every call."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, mask_type: str):
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.register_buffer("mask", causal_mask(kernel_size, mask_type))
        self.mask_type = mask_type

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


def pixelcnn(width: int = 32, depth: int = 4) -> nn.Sequential:
    """x (batch, 1, 28, 28) of 0/1 -> logits (batch, 1, 28, 28): logit i is p(x_i = 1 | pixels before i)."""
    positive_int("width", width), positive_int("depth", depth)
    layers = [MaskedConv2d(1, width, 7, "A"), nn.ReLU()]                   # width x 28 x 28, blind to x_i
    for _ in range(depth):
        layers += [MaskedConv2d(width, width, 3, "B"), nn.ReLU()]         # width x 28 x 28
    layers += [nn.Conv2d(width, width, 1), nn.ReLU(),                     # per pixel: 1x1 convolutions
               nn.Conv2d(width, 1, 1)]                                    # 1 x 28 x 28 logits
    return nn.Sequential(*layers)


def log_likelihood(net: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Exact log p(x) = sum_i log p(x_i | x_<i) in nats, one value per image (x of 0/1)."""
    if x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28):
        raise ValueError(f"expected binarised digits of shape (N, 1, 28, 28), got {tuple(x.shape)}")
    return -F.binary_cross_entropy_with_logits(net(x).float(), x, reduction="none").flatten(1).sum(1)


def rows_seen(net: nn.Module) -> int:
    """How many rows above its own the output at a pixel can see: the sum of the masked layers' reach
    (kernel_size // 2 each; 1x1 layers reach nothing)."""
    return sum(m.kernel_size[0] // 2 for m in net.modules() if isinstance(m, MaskedConv2d))


@torch.no_grad()
def sample(net: nn.Module, n: int, generator: torch.Generator | None = None, device=None,
           crop: bool = True) -> torch.Tensor:
    """n binarised digits drawn pixel by pixel in raster order: 784 passes through `net`.
    crop=True runs each pass on the rows the current pixel can see (`rows_seen` above it, none below:
    the masks hide them): the same logits as the whole image from fewer rows (at a small batch the
    cost of a call, not its rows, dominates, and the saving is small)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    device = device if device is not None else next(net.parameters()).device
    reach = rows_seen(net) if crop else 28
    x = torch.zeros(n, 1, 28, 28, device=device)
    for i in range(28):
        top = max(0, i - reach)                                                  # rows top..i are all it sees
        for j in range(28):
            logits = net(x[:, :, top:i + 1])[:, 0, i - top, j].float()           # (n,) logits of pixel (i, j)
            u = torch.rand(n, generator=generator).to(device)
            x[:, 0, i, j] = (u < torch.sigmoid(logits)).float()                  # x_ij ~ Bernoulli(p(x_ij | x_<ij))
    return x
