"""CycleGAN's players (Zhu et al., 2017), sized for 28x28 digits.

    generator (ResNet):  c7s1-ngf -> d(2 ngf) 14x14 -> n_blocks residual blocks -> u(ngf) 28x28 -> c7s1-1, tanh
    discriminator (PatchGAN): 4x4 convs -> a grid of scores, each seeing one patch_size x patch_size window
                              (10, 16 or 22 px, smaller than the 28 px image)

Instance normalisation (per image, per channel) as in the paper: the style of one image should not
depend on the others in its batch. The residual blocks make "change little" the easy default,
which suits translation: most of the digit should survive.
"""
from __future__ import annotations

import torch
from torch import nn

from ..checks import positive_int


def cyclegan_init(module: nn.Module) -> None:
    """The paper's initialisation: convolution weights ~ N(0, 0.02), biases 0 (instance norm has no
    parameters here). Applied by `resnet_generator` and `patch_discriminator`."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


class ResidualBlock(nn.Module):
    """x + F(x), F = conv3x3, instance norm, ReLU, conv3x3, instance norm (shape kept)."""

    def __init__(self, channels: int):
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1, padding_mode="reflect"), nn.InstanceNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, 1, 1, padding_mode="reflect"), nn.InstanceNorm2d(channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.f(x)


def resnet_generator(ngf: int = 16, n_blocks: int = 3, channels: int = 1) -> nn.Sequential:
    """G: image (batch, channels, 28, 28) -> image (batch, channels, 28, 28) in [-1, 1]."""
    positive_int("ngf", ngf), positive_int("n_blocks", n_blocks), positive_int("channels", channels)
    net = nn.Sequential(
        nn.Conv2d(channels, ngf, 7, 1, 3, padding_mode="reflect"),
        nn.InstanceNorm2d(ngf), nn.ReLU(),                                        # ngf x 28 x 28
        nn.Conv2d(ngf, 2 * ngf, 3, 2, 1), nn.InstanceNorm2d(2 * ngf), nn.ReLU(),  # 2ngf x 14 x 14
        *[ResidualBlock(2 * ngf) for _ in range(n_blocks)],                       # 2ngf x 14 x 14
        nn.ConvTranspose2d(2 * ngf, ngf, 3, 2, 1, output_padding=1),
        nn.InstanceNorm2d(ngf), nn.ReLU(),                                        # ngf x 28 x 28
        nn.Conv2d(ngf, channels, 7, 1, 3, padding_mode="reflect"), nn.Tanh(),     # channels x 28 x 28
    )
    return net.apply(cyclegan_init)


# PatchGAN layouts for 28x28 images: patch size -> (strided 4x4 convs, extra stride-1 4x4 convs) before the
# final stride-1 4x4 conv to one score map. pix2pix's family (1, 16, 34, 70, ... px) with the sizes that fit 28 px.
PATCH_LAYOUTS = {10: (1, 0), 16: (1, 1), 22: (2, 0)}


def receptive_field(net: nn.Module) -> int:
    """The receptive field (pixels, per side) of one output of a stack of convolutions, computed from
    the layers in order:  r <- r + (k - 1) * d * j,  j <- j * s  (k kernel, d dilation, s stride, j jump),
    starting from r = j = 1. Layers other than convolutions (norms, activations) do not change it."""
    r, j = 1, 1
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            k, s, d = m.kernel_size[0], m.stride[0], m.dilation[0]
            r, j = r + (k - 1) * d * j, j * s
    return r


def patch_discriminator(ndf: int = 16, channels: int = 1, *, patch_size: int = 16,
                        norm: str = "instance") -> nn.Sequential:
    """D: image (batch, channels, 28, 28) -> a grid of raw scores (batch, 1, h, w), one per patch.

    Each score sees only a `patch_size` x `patch_size` window of the image (its receptive field,
    `receptive_field(D)`), smaller than the 28 px image: D judges local texture, not the whole digit.

        patch_size 10: C(ndf, s2) -> score conv                       grid 13 x 13
        patch_size 16: C(ndf, s2) -> C(2ndf, s1) -> score conv         grid 12 x 12  (pix2pix's 16x16 PatchGAN)
        patch_size 22: C(ndf, s2) -> C(2ndf, s2) -> score conv         grid 6 x 6

    All convolutions are 4x4 with padding 1 (pix2pix / CycleGAN's layout, shortened). `norm='instance'`
    (the paper's) normalises each channel over the whole feature map, so a score also depends on the
    rest of the image through 2 numbers per channel (a mean and a variance); `norm='none'` makes each
    score depend on its patch alone (tests/test_cyclegan.py checks both by gradients). Scores are raw
    (least-squares GAN), not probabilities. Taught in notebook 10; pix2pix (14) reuses it.
    """
    positive_int("ndf", ndf), positive_int("channels", channels)
    if patch_size not in PATCH_LAYOUTS:
        raise ValueError(f"patch_size must be one of {sorted(PATCH_LAYOUTS)} (pixels; 28 px images), "
                         f"got {patch_size!r}")
    if norm not in ("instance", "none"):
        raise ValueError(f"unknown norm {norm!r}; choose one of 'instance', 'none'")
    n_strided, n_flat = PATCH_LAYOUTS[patch_size]
    layers, width = [nn.Conv2d(channels, ndf, 4, 2, 1), nn.LeakyReLU(0.2)], ndf  # ndf x 14 x 14, no norm
    for i in range(n_strided - 1 + n_flat):
        stride = 2 if i < n_strided - 1 else 1
        layers += [nn.Conv2d(width, 2 * width, 4, stride, 1),                      # 2ndf x 7 x 7 (s2) or 13 x 13 (s1)
                   nn.InstanceNorm2d(2 * width) if norm == "instance" else nn.Identity(), nn.LeakyReLU(0.2)]
        width *= 2
    layers.append(nn.Conv2d(width, 1, 4, 1, 1))                                    # 1 x h x w scores
    net = nn.Sequential(*layers).apply(cyclegan_init)
    assert receptive_field(net) == patch_size, (receptive_field(net), patch_size)
    return net
