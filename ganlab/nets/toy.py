"""Networks, as `nn.Sequential` blocks built by factory functions with named arguments.

The toy 2D players are MLPs. Image networks (DCGAN, conditional, InfoGAN, CycleGAN) are added
beside them by the notebooks that teach them.
"""
from __future__ import annotations

import torch
from torch import nn

from ..checks import positive_int

ACTIVATIONS = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "elu": nn.ELU}


def _activation(name: str) -> nn.Module:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(map(repr, ACTIVATIONS))}")
    return ACTIVATIONS[name]()


def mlp(in_dim: int, out_dim: int, width: int = 128, depth: int = 3, activation: str = "relu") -> nn.Sequential:
    """`depth` hidden layers of `width` units with `activation`, then a linear output layer.

    Shapes: (batch, in_dim) -> (batch, width) x depth -> (batch, out_dim).
    """
    for name, value in (("in_dim", in_dim), ("out_dim", out_dim), ("width", width)):
        positive_int(name, value)
    positive_int("depth", depth, allow_zero=True)
    layers: list[nn.Module] = []
    dims = [in_dim] + [width] * depth
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [nn.Linear(a, b), _activation(activation)]
    layers.append(nn.Linear(dims[-1], out_dim))
    return nn.Sequential(*layers)


def toy_generator(latent_dim: int = 2, width: int = 128, depth: int = 3, out_dim: int = 2) -> nn.Sequential:
    """G: z (batch, latent_dim) -> x (batch, out_dim). ReLU hidden layers, linear output (the data is unbounded)."""
    return mlp(latent_dim, out_dim, width, depth, "relu")


def toy_discriminator(width: int = 128, depth: int = 3, in_dim: int = 2) -> nn.Sequential:
    """D: x (batch, in_dim) -> one logit per sample (batch, 1); D(x) = sigmoid(logit).

    A critic for WGAN is the same network: its output is read as a score, not a logit.
    """
    return mlp(in_dim, 1, width, depth, "relu")


class Pack(nn.Module):
    """PacGAN's packing (notebook 05): m consecutive samples become one input, (batch, d) -> (batch / m, m d)."""

    def __init__(self, m: int):
        super().__init__()
        self.m = m

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(*x.shape[:-2], -1, self.m * x.shape[-1])
