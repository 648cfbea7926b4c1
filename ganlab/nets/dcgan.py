"""DCGAN networks for 28x28 digits (Radford, Metz & Chintala, 2016), and their conditional variants.

The DCGAN guidelines, as the lecture lists them:
  * no pooling: the discriminator downsamples with strided convolutions, the generator upsamples
    with fractionally strided (transposed) convolutions;
  * batch normalisation in both nets, except the generator's output layer and the discriminator's
    input layer;
  * no fully connected hidden layers (the two ends, G's first and D's last layer, are dense layers
    written as convolutions, as in the paper);
  * ReLU in the generator with tanh at its output (images in [-1, 1]); LeakyReLU (slope 0.2) in the
    discriminator, which outputs a logit (the losses in `ganlab.losses` take logits);
  * weights initialised from N(0, 0.02) (`dcgan_init`).

Conditional variants (Mirza & Osindero, 2014): with `n_classes > 0` the label enters both nets as a
one-hot vector, concatenated to z in the generator and to the image as `n_classes` constant planes in
the discriminator. Such a net is called as `G(z, labels)` / `D(x, labels)`.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..checks import positive_int


def dcgan_init(module: nn.Module, weighted=(nn.Conv2d, nn.ConvTranspose2d), norms=(nn.BatchNorm2d,)) -> None:
    """DCGAN initialisation: conv weights ~ N(0, 0.02), biases 0; batchnorm scale ~ N(1, 0.02), shift 0.
    `weighted` / `norms` name the layer types it touches (InfoGAN's Q head passes its dense ones)."""
    if isinstance(module, weighted):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, norms):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def generator_body(in_dim: int, ngf: int) -> nn.Sequential:
    """in_dim numbers -> a 1 x 28 x 28 image in [-1, 1]."""
    return nn.Sequential(
        nn.Unflatten(1, (in_dim, 1, 1)),                                     # in_dim x 1 x 1
        nn.ConvTranspose2d(in_dim, ngf * 4, 7, 1, 0, bias=False),            # (ngf*4) x 7 x 7
        nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),           # (ngf*2) x 14 x 14
        nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1),                             # 1 x 28 x 28, no batchnorm
        nn.Tanh(),
    )


def discriminator_body(in_channels: int, ndf: int) -> nn.Sequential:
    """in_channels x 28 x 28 -> (ndf*2) x 7 x 7 features (InfoGAN's Q head can share this body)."""
    return nn.Sequential(
        nn.Conv2d(in_channels, ndf, 4, 2, 1),                                # ndf x 14 x 14, no batchnorm
        nn.LeakyReLU(0.2, True),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),                        # (ndf*2) x 7 x 7
        nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, True),
    )


def discriminator_head(ndf: int) -> nn.Sequential:
    """(ndf*2) x 7 x 7 features -> one logit per image. A 7x7 convolution of a 7x7 map without padding
    has one output position: it is a dense layer ((ndf*2)*49 -> 1) written as a convolution, like the
    generator's first layer (a 7x7 transposed convolution of a 1x1 code)."""
    return nn.Sequential(
        nn.Conv2d(ndf * 2, 1, 7, 1, 0),                                      # 1 x 1 x 1
        nn.Flatten(0),                                                       # (batch,) logits
    )


def check_labels(labels, n: int, n_classes: int, check_values: bool = True) -> None:
    """A clear error for labels that are not (n,) integers in [0, n_classes)."""
    integer_dtypes = (torch.int64, torch.int32, torch.uint8, torch.int16, torch.int8)
    if not torch.is_tensor(labels) or labels.dtype not in integer_dtypes:
        raise TypeError(f"labels must be an integer tensor of shape ({n},) with values 0..{n_classes - 1}, "
                        f"got {type(labels).__name__}"
                        + (f" of dtype {labels.dtype}" if torch.is_tensor(labels) else ""))
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},) (one per sample), got {tuple(labels.shape)}")
    if check_values and n and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)][0]
        raise ValueError(f"label {int(bad)} is out of range; labels must be in 0..{n_classes - 1}")


class _Conditional(nn.Module):
    """Shared label handling. Values are checked on every call on the CPU; on a GPU only on the
    first call, since reading them back costs a host sync per step."""

    def __init__(self, n_classes: int):
        super().__init__()
        self.n_classes = n_classes
        self._checked_on_device = False

    def one_hot(self, labels: torch.Tensor, n: int) -> torch.Tensor:
        check_values = labels.device.type == "cpu" or not self._checked_on_device if torch.is_tensor(labels) else True
        check_labels(labels, n, self.n_classes, check_values)
        self._checked_on_device = self._checked_on_device or (labels.device.type != "cpu")
        return F.one_hot(labels.long(), self.n_classes).float()


class ConditionalGenerator(_Conditional):
    """G(z, y): the DCGAN generator fed z concatenated with one_hot(y)."""

    def __init__(self, latent_dim: int, ngf: int, n_classes: int):
        super().__init__(n_classes)
        self.latent_dim = latent_dim
        self.net = generator_body(latent_dim + n_classes, ngf)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return self.net(torch.cat([z, self.one_hot(labels, len(z))], dim=1))  # (latent+classes) -> 1 x 28 x 28


class ConditionalDiscriminator(_Conditional):
    """D(x, y): the DCGAN discriminator fed the image with n_classes planes, plane y all ones."""

    def __init__(self, ndf: int, n_classes: int):
        super().__init__(n_classes)
        self.net = nn.Sequential(discriminator_body(1 + n_classes, ndf), discriminator_head(ndf))

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        planes = self.one_hot(labels, len(x))[:, :, None, None].expand(-1, -1, *x.shape[2:])  # classes x 28 x 28
        return self.net(torch.cat([x, planes], dim=1))                                       # (batch,) logits


def dcgan_generator(latent_dim: int = 64, ngf: int = 32, n_classes: int = 0) -> nn.Module:
    """z (batch, latent_dim) -> images (batch, 1, 28, 28) in [-1, 1]; with n_classes > 0, G(z, labels)."""
    positive_int("latent_dim", latent_dim), positive_int("ngf", ngf)
    if not isinstance(n_classes, int) or n_classes < 0:
        raise ValueError(f"n_classes must be 0 (unconditional) or a positive integer, got {n_classes!r}")
    G = ConditionalGenerator(latent_dim, ngf, n_classes) if n_classes else generator_body(latent_dim, ngf)
    G.apply(dcgan_init)
    return G


def dcgan_discriminator(ndf: int = 32, n_classes: int = 0) -> nn.Module:
    """images (batch, 1, 28, 28) -> logits (batch,); with n_classes > 0, D(images, labels)."""
    positive_int("ndf", ndf)
    if not isinstance(n_classes, int) or n_classes < 0:
        raise ValueError(f"n_classes must be 0 (unconditional) or a positive integer, got {n_classes!r}")
    D = (ConditionalDiscriminator(ndf, n_classes) if n_classes
         else nn.Sequential(discriminator_body(1, ndf), discriminator_head(ndf)))
    D.apply(dcgan_init)
    return D
