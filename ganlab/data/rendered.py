"""A digit simulator: the digits 0-9 rendered from the fonts matplotlib ships (notebook 15, SimGAN).

    sim = DigitSimulator()                      # glyph masks from 14 bundled fonts, built once (~0.2 s)
    images, labels = sim.sample(4000, gen)      # (n, 1, 28, 28) in [-1, 1], labels (n,) known

Nothing is downloaded: the fonts are the TrueType files in `matplotlib/mpl-data/fonts/ttf` (DejaVu
Sans / Serif / Mono with their bold and italic faces, STIX, Computer Modern). Each glyph outline
(`matplotlib.textpath.TextPath`) is rasterised once at 64x64 with `Path.contains_points`, scaled so
its larger side is 40 px (20 px of the 28 px image, as MNIST's digits fill a 20x20 box), centred on
its bounding box. A sample then picks a glyph and a stroke width (the mask eroded or dilated by
max-pooling, at 64 px) and warps it to 28x28 with a random affine map (rotation, scale, shear,
shift) in one batched `grid_sample`. The simulator's look is deliberately a simulator's: hard,
binary ink (thresholded at half coverage), uniform strokes, typeset shapes. MNIST's digits are
pen strokes, grey at their edges. That gap is what a refiner must close.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONTS = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSerif", "DejaVuSerif-Bold",
         "DejaVuSerif-Italic", "DejaVuSansMono", "DejaVuSansMono-Bold", "STIXGeneral", "STIXGeneralBol",
         "STIXGeneralItalic", "cmr10", "cmss10", "cmtt10")
RES = 64          # glyph masks are rasterised at 64 x 64
BOX = 40          # the glyph's larger side, in pixels of the 64 px mask (20 px of the 28 px image)
WIDTHS = (-1, 0, 1)  # stroke width: erode by 1 px, as drawn, dilate by 1 px (at 64 px)


def glyph_mask(char: str, font_file: Path, res: int = RES, box: int = BOX) -> torch.Tensor:
    """The filled outline of one character as a (res, res) mask of 0/1, scaled so its larger side is
    `box` pixels and centred on its bounding box."""
    path = TextPath((0, 0), char, size=100, prop=FontProperties(fname=str(font_file)))
    verts = path.vertices
    lo, hi = verts.min(0), verts.max(0)
    scale = box / max(hi - lo)
    centre = (lo + hi) / 2
    # pixel centres in glyph coordinates (y up in the font, down in the image)
    coords = (np.arange(res) + 0.5 - res / 2) / scale
    gx, gy = np.meshgrid(coords + centre[0], -coords + centre[1])
    inside = path.contains_points(np.stack([gx.ravel(), gy.ravel()], 1))
    return torch.from_numpy(inside.reshape(res, res).astype(np.float32))


def _stroke(masks: torch.Tensor, width: int) -> torch.Tensor:
    """Masks (n, 1, H, W) with strokes thinned (width < 0: erosion) or thickened (dilation) by |width| px."""
    if width == 0:
        return masks
    k = 2 * abs(width) + 1
    if width > 0:
        return F.max_pool2d(masks, k, 1, abs(width))
    return -F.max_pool2d(-masks, k, 1, abs(width))


@dataclass
class Jitter:
    """The ranges of the random affine map and stroke width (each drawn uniformly)."""

    rotation: float = 12.0     # degrees, +-
    scale: tuple = (0.85, 1.1)
    shear: float = 0.25        # x += shear * y, +-
    shift: float = 1.5         # pixels of the 28 px image, +-


class DigitSimulator:
    """Renders labelled 28x28 digits from matplotlib's bundled fonts with random affine jitter."""

    def __init__(self, fonts=FONTS, jitter: Jitter | None = None, device=None):
        missing = [f for f in fonts if not (FONT_DIR / f"{f}.ttf").exists()]
        if missing:
            raise FileNotFoundError(f"fonts {missing} not found in {FONT_DIR}; choose from "
                                    f"{sorted(p.stem for p in FONT_DIR.glob('*.ttf'))}")
        self.fonts, self.jitter = tuple(fonts), jitter or Jitter()
        self.device = torch.device("cpu") if device is None else torch.device(device)
        masks = torch.stack([torch.stack([glyph_mask(str(d), FONT_DIR / f"{f}.ttf") for d in range(10)])
                             for f in self.fonts])                                  # (fonts, 10, 64, 64)
        flat = masks.reshape(-1, 1, RES, RES)
        # (fonts, 10, widths, 64, 64): every glyph at every stroke width, precomputed
        self.masks = torch.stack([_stroke(flat, w) for w in WIDTHS], 1).reshape(
            len(self.fonts), 10, len(WIDTHS), RES, RES).to(self.device)

    def render(self, font: torch.Tensor, digit: torch.Tensor, width: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
        """Glyphs (font, digit, width index) warped by affine maps theta (n, 2, 3) in grid_sample's
        normalised coordinates, to (n, 1, 28, 28) binary images in {-1, 1}."""
        masks = self.masks[font, digit, width][:, None]                            # (n, 1, 64, 64)
        grid = F.affine_grid(theta, [len(masks), 1, 28, 28], align_corners=False)
        coverage = F.grid_sample(masks, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        return torch.where(coverage > 0.5, 1.0, -1.0)                               # hard ink, no anti-aliasing

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """n random digits and their labels. The draws use `generator` (CPU) only: seeded, reproducible."""
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        j = self.jitter
        font = torch.randint(len(self.fonts), (n,), generator=generator)
        digit = torch.randint(10, (n,), generator=generator)
        width = torch.randint(len(WIDTHS), (n,), generator=generator)
        u = torch.rand(n, 5, generator=generator) * 2 - 1
        angle = torch.deg2rad(u[:, 0] * j.rotation)
        scale = j.scale[0] + (u[:, 1] + 1) / 2 * (j.scale[1] - j.scale[0])
        shear, shift = u[:, 2] * j.shear, u[:, 3:] * j.shift / 14   # shift in normalised units (14 px = 1)
        # output pixel -> glyph pixel: the inverse of (rotate, shear, scale); the 28 px frame shows
        # the 64 px mask's central 56 px at scale 1 (the 40 px glyph -> 20 px)
        cos, sin = torch.cos(angle), torch.sin(angle)
        a = torch.stack([torch.stack([cos, -sin + shear * cos], 1), torch.stack([sin, cos + shear * sin], 1)], 1)
        a = torch.linalg.inv(a) / scale[:, None, None] * (56 / RES)
        theta = torch.cat([a, -(a @ shift[:, :, None])], 2)
        images = self.render(font.to(self.device), digit.to(self.device), width.to(self.device), theta.to(self.device))
        return images, digit.to(self.device)

    def __repr__(self) -> str:
        return f"DigitSimulator({len(self.fonts)} fonts x 10 digits x {len(WIDTHS)} stroke widths, {self.jitter})"
