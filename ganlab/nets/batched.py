"""S independent copies of a small network run as one: a leading seed axis on every tensor.

A linear layer of S seeds, h_s = x_s W_s^T + b_s for every s, is one batched matrix product,

    torch.baddbmm(b [S, 1, out], x [S, batch, in], W^T [S, in, out])  ->  h [S, batch, out]

instead of S small ones (`BatchedLinear`). Elementwise activations and `Pack` already act on
[S, batch, d] as they are. The seeds share no parameters, so the gradient of the *sum* of the S
losses is each seed's own gradient, and `torch.optim` on the stacked parameters does, element by
element, what S separate optimisers do (tests/test_sweep.py checks both).

Used by `ganlab.sweep` (notebooks 05, 06, 11: many seeds of a toy GAN) and the grid of
discriminators of notebook 02's widget.
"""
from __future__ import annotations

import copy
import math
from typing import Sequence

import torch
from torch import nn

from ..checks import positive_int
from .toy import Pack

# Layers that act on each sample alone: they run on [S, batch, d] unchanged.
ELEMENTWISE = (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.ELU, nn.SiLU, nn.Sigmoid, Pack)


class BatchedLinear(nn.Module):
    """S independent linear layers: x [S, batch, in] -> x_s W_s^T + b_s, [S, batch, out]
    (an x [batch, in] without the seed axis goes to every seed).

    weight [S, out, in] (seed s's is an `nn.Linear` weight), bias [S, 1, out]. Initialised as
    `nn.Linear` is, U(-1/sqrt(in), 1/sqrt(in)), independently for each seed.
    """

    def __init__(self, seeds: int, in_features: int, out_features: int, device=None):
        super().__init__()
        for name, value in (("seeds", seeds), ("in_features", in_features), ("out_features", out_features)):
            positive_int(name, value)
        self.weight = nn.Parameter(torch.empty(seeds, out_features, in_features, device=device))
        self.bias = nn.Parameter(torch.empty(seeds, 1, out_features, device=device))
        bound = 1 / math.sqrt(in_features)
        nn.init.uniform_(self.weight, -bound, bound)  # on the "meta" device: no values, no random draw
        nn.init.uniform_(self.bias, -bound, bound)

    @classmethod
    def from_tensors(cls, weight: torch.Tensor, bias: torch.Tensor) -> "BatchedLinear":
        """A layer holding copies of weight [S, out, in] and bias [S, 1, out] (it draws no random numbers)."""
        seeds, out_features, in_features = weight.shape
        layer = cls(seeds, in_features, out_features, device="meta").to_empty(device=weight.device)
        with torch.no_grad():
            layer.weight.copy_(weight)
            layer.bias.copy_(bias.reshape(seeds, 1, out_features))
        return layer

    @classmethod
    def stack(cls, layers: Sequence[nn.Linear]) -> "BatchedLinear":
        """The S layers `layers` as one: seed s's weight and bias are a copy of layers[s]'s."""
        return cls.from_tensors(torch.stack([layer.weight for layer in layers]),
                                torch.stack([layer.bias for layer in layers]))

    def select(self, i: int) -> nn.Linear:
        """Seed i's layer as an ordinary `nn.Linear` (a copy; no random draw)."""
        seeds, out_features, in_features = self.weight.shape
        layer = nn.Linear(in_features, out_features, device="meta").to_empty(device=self.weight.device)
        with torch.no_grad():
            layer.weight.copy_(self.weight[i])
            layer.bias.copy_(self.bias[i, 0])
        return layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:  # [batch, in] without a seed axis: the same input for every seed
            x = x.expand(self.weight.shape[0], -1, -1)
        return torch.baddbmm(self.bias, x, self.weight.transpose(1, 2))  # [S, batch, out]

    def extra_repr(self) -> str:
        seeds, out_features, in_features = self.weight.shape
        return f"seeds={seeds}, in_features={in_features}, out_features={out_features}"


def stack(modules: Sequence[nn.Module]) -> nn.Module:
    """S networks of the same architecture (an `nn.Sequential` of Linear layers, activations and `Pack`)
    as one network on [S, batch, d]: Linear layers become `BatchedLinear`, the rest is shared.
    Seed s of the result computes what modules[s] computes."""
    first = modules[0]
    if any(type(m) is not type(first) for m in modules):
        raise TypeError(f"cannot stack networks of different kinds: {sorted({type(m).__name__ for m in modules})}")
    if isinstance(first, nn.Linear):
        return BatchedLinear.stack(modules)
    if isinstance(first, nn.Sequential):
        if len({len(m) for m in modules}) != 1:
            raise ValueError("cannot stack nn.Sequential blocks of different lengths")
        return nn.Sequential(*(stack(layers) for layers in zip(*modules)))
    if isinstance(first, ELEMENTWISE):
        return copy.deepcopy(first)
    raise TypeError(f"cannot batch a {type(first).__name__} layer over seeds; "
                    f"a batched network is made of Linear layers, {', '.join(t.__name__ for t in ELEMENTWISE)}")


def select(batched: nn.Module, i: int) -> nn.Module:
    """Seed i of a network made by `stack` (or of `BatchedLinear` layers), as an ordinary network (a copy)."""
    if isinstance(batched, BatchedLinear):
        return batched.select(i)
    if isinstance(batched, nn.Sequential):
        return nn.Sequential(*(select(layer, i) for layer in batched))
    return copy.deepcopy(batched)
