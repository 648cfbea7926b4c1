"""pix2pix's players (Isola et al., 2017), sized for 28x28 digits. Taught in notebook 14.

    generator (U-Net):       x (in_ch, 28, 28) -> d1 (ngf, 14) -> d2 (2ngf, 7) -> d3 (4ngf, 3) bottleneck
                             -> u3 (2ngf, 7) [+ d2] -> u2 (ngf, 14) [+ d1] -> u1 (out_ch, 28), tanh
    encoder-decoder:         the same layers without the [+ skip] concatenations (`unet(skips=False)`)
    discriminator on pairs:  D(x, y) scores the input x and an output y stacked as 2 channels (`in_ch=0`:
                             y alone, the paper's unconditional "GAN" row), one score per patch of `patch_size` px:
                             1 (PixelGAN), 10 / 16 / 22 (PatchGAN, from `ganlab.nets.cyclegan.patch_discriminator`),
                             28 (ImageGAN: the whole image)

The U-Net's skips carry each encoder feature map straight to the decoder layer of the same size, so
what the input already shows (the top half of a digit) need not squeeze through the 3x3 bottleneck.
Batch normalisation in G (as the paper); dropout in the decoder is pix2pix's only noise and is off here
by default (the paper found the generator ignores it: its outputs are close to deterministic).
"""
from __future__ import annotations

import torch
from torch import nn

from ..checks import positive_int
from .cyclegan import PATCH_LAYOUTS, cyclegan_init, patch_discriminator, receptive_field

PATCH_SIZES = (1, *sorted(PATCH_LAYOUTS), 28)


class UNet(nn.Module):
    """G: input image (batch, in_ch, 28, 28) -> output image (batch, out_ch, 28, 28) in [-1, 1]."""

    def __init__(self, ngf: int = 16, in_ch: int = 1, out_ch: int = 1, skips: bool = True, dropout: float = 0.0):
        super().__init__()
        for name, v in (("ngf", ngf), ("in_ch", in_ch), ("out_ch", out_ch)):
            positive_int(name, v)
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        self.skips = skips
        k = 2 if skips else 1  # a decoder layer with a skip takes its own input and the encoder's map
        self.d1 = nn.Sequential(nn.Conv2d(in_ch, ngf, 4, 2, 1), nn.LeakyReLU(0.2))        # ngf x 14 x 14
        self.d2 = nn.Sequential(nn.Conv2d(ngf, 2 * ngf, 4, 2, 1), nn.BatchNorm2d(2 * ngf),
                                nn.LeakyReLU(0.2))                                        # 2ngf x 7 x 7
        self.d3 = nn.Sequential(nn.Conv2d(2 * ngf, 4 * ngf, 3, 2, 0), nn.ReLU())          # 4ngf x 3 x 3
        self.u3 = nn.Sequential(nn.ConvTranspose2d(4 * ngf, 2 * ngf, 3, 2, 0), nn.BatchNorm2d(2 * ngf),
                                nn.Dropout(dropout), nn.ReLU())                           # 2ngf x 7 x 7
        self.u2 = nn.Sequential(nn.ConvTranspose2d(k * 2 * ngf, ngf, 4, 2, 1), nn.BatchNorm2d(ngf),
                                nn.ReLU())                                                # ngf x 14 x 14
        self.u1 = nn.Sequential(nn.ConvTranspose2d(k * ngf, out_ch, 4, 2, 1), nn.Tanh())  # out_ch x 28 x 28
        self.apply(pix2pix_init)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e1 = self.d1(x)
        e2 = self.d2(e1)
        h = self.u3(self.d3(e2))
        h = self.u2(torch.cat([h, e2], 1) if self.skips else h)
        return self.u1(torch.cat([h, e1], 1) if self.skips else h)


def pix2pix_init(module: nn.Module) -> None:
    """The paper's initialisation: conv weights ~ N(0, 0.02), batchnorm scales ~ N(1, 0.02), biases 0."""
    cyclegan_init(module)
    if isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def unet(ngf: int = 16, in_ch: int = 1, out_ch: int = 1, *, skips: bool = True, dropout: float = 0.0) -> UNet:
    """The U-Net generator (`skips=True`) or the encoder-decoder with the same layers (`skips=False`)."""
    return UNet(ngf, in_ch, out_ch, skips=skips, dropout=dropout)


def pair_discriminator(ndf: int = 16, *, patch_size: int = 16, in_ch: int = 1, out_ch: int = 1) -> nn.Sequential:
    """D(x, y) as a net on the 2-channel stack torch.cat([x, y], 1): raw logits (batch, 1, h, w), one per
    `patch_size` x `patch_size` window (`receptive_field(D) == patch_size`, or >= 28 for the whole image).

        1:           PixelGAN: 1x1 convs ndf -> 2ndf (batch norm) -> 1, each score sees one pixel   grid 28 x 28
        10, 16, 22:  `patch_discriminator(ndf, in_ch + out_ch, patch_size=...)` (notebook 10)
        28:          ImageGAN: C(ndf, s2) 14 -> C(2ndf, s2) 7 -> 7x7 conv -> one score     grid 1 x 1 (sees 34 px)
    """
    positive_int("ndf", ndf)
    if not isinstance(in_ch, int) or in_ch < 0:
        raise ValueError(f"in_ch must be a non-negative integer (0: D does not see the input), got {in_ch!r}")
    channels = in_ch + out_ch
    if patch_size not in PATCH_SIZES:
        raise ValueError(f"patch_size must be one of {PATCH_SIZES} (pixels; 28 = the whole image), got {patch_size!r}")
    if patch_size in PATCH_LAYOUTS:
        return patch_discriminator(ndf, channels, patch_size=patch_size)
    if patch_size == 1:
        # batch norm as in the paper's code (its default norm); an instance norm costs twice as much at 28 x 28
        net = nn.Sequential(nn.Conv2d(channels, ndf, 1), nn.LeakyReLU(0.2),                          # ndf x 28 x 28
                            nn.Conv2d(ndf, 2 * ndf, 1), nn.BatchNorm2d(2 * ndf), nn.LeakyReLU(0.2),     # 2ndf x 28 x 28
                            nn.Conv2d(2 * ndf, 1, 1))                                                # 1 x 28 x 28
    else:
        net = nn.Sequential(nn.Conv2d(channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2),                    # ndf x 14 x 14
                            nn.Conv2d(ndf, 2 * ndf, 4, 2, 1), nn.InstanceNorm2d(2 * ndf),
                            nn.LeakyReLU(0.2),                                                       # 2ndf x 7 x 7
                            nn.Conv2d(2 * ndf, 1, 7, 1, 0))                                          # 1 x 1 x 1
    return net.apply(cyclegan_init)


def score_pairs(D: nn.Module, x: torch.Tensor, y: torch.Tensor, *, conditional: bool = True) -> torch.Tensor:
    """D's logits for the pairs (x, y): the input is stacked with the output as channels (conditioning).
    `conditional=False` is the paper's unconditional "GAN" row: D (built with `in_ch=0`) sees y alone."""
    if not isinstance(conditional, bool):
        raise ValueError(f"conditional must be True (D sees the pair) or False (D sees y alone), got {conditional!r}")
    return D(torch.cat([x, y], 1)) if conditional else D(y)


__all__ = ["PATCH_SIZES", "UNet", "unet", "pair_discriminator", "score_pairs", "pix2pix_init", "receptive_field"]
