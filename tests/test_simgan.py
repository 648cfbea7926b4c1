"""SimGAN (notebook 15): the font simulator and the refiner."""
import time

import pytest
import torch

from ganlab.data.rendered import FONT_DIR, FONTS, WIDTHS, DigitSimulator, glyph_mask
from ganlab.nets.simgan import receptive_width, refiner


@pytest.fixture(scope="module")
def sim():
    return DigitSimulator()


def test_every_font_renders_every_digit(sim):
    assert sim.masks.shape == (len(FONTS), 10, len(WIDTHS), 64, 64)
    ink = sim.masks.sum((-1, -2))                      # pixels of ink per glyph and stroke width
    assert (ink > 50).all()
    # thicker strokes have more ink (erode < as drawn < dilate)
    assert (ink[..., 0] < ink[..., 1]).all() and (ink[..., 1] < ink[..., 2]).all()
    # the glyph's larger side is the 40 px box
    m = glyph_mask("7", FONT_DIR / "DejaVuSans.ttf")
    rows, cols = m.any(1).nonzero().flatten(), m.any(0).nonzero().flatten()
    assert abs(max(rows[-1] - rows[0], cols[-1] - cols[0]).item() + 1 - 40) <= 2


def test_samples_are_seeded_binary_and_labelled(sim):
    a, ya = sim.sample(64, torch.Generator().manual_seed(3))
    b, yb = sim.sample(64, torch.Generator().manual_seed(3))
    c, _ = sim.sample(64, torch.Generator().manual_seed(4))
    assert a.shape == (64, 1, 28, 28) and ya.shape == (64,) and ya.dtype == torch.long
    assert torch.equal(a, b) and torch.equal(ya, yb) and not torch.equal(a, c)
    assert set(a.unique().tolist()) == {-1.0, 1.0}
    assert ((a > 0).float().mean((1, 2, 3)) > 0.01).all()       # every digit has ink (a thin "1": about 2 %)
    with pytest.raises(ValueError, match="positive integer"):
        sim.sample(0, torch.Generator())


def test_the_labels_are_the_digits_drawn(sim):
    """The course's MNIST classifier reads rendered digits far above chance: the labels are right."""
    from ganlab.metrics.digits import class_accuracy, digit_classifier

    x, y = sim.sample(500, torch.Generator().manual_seed(0))
    assert class_accuracy(digit_classifier("mnist"), x, y) > 0.6


def test_simulator_is_fast(sim):
    t0 = time.perf_counter()
    sim.sample(2_000, torch.Generator().manual_seed(0))
    assert time.perf_counter() - t0 < 2.0                      # thousands per second


def test_unknown_font_names_the_choices():
    with pytest.raises(FileNotFoundError, match="Comic"):
        DigitSimulator(fonts=("ComicSans",))


def test_refiner_keeps_shape_and_range_and_is_local():
    torch.manual_seed(0)
    R = refiner(width=8, n_blocks=2)
    x = torch.rand(2, 1, 28, 28) * 2 - 1
    assert R(x).shape == x.shape and R(x).abs().max() <= 1
    x = x[:1].clone().requires_grad_(True)
    R(x)[0, 0, 14, 14].backward()
    nz = x.grad[0, 0].abs() > 0
    rows, cols = nz.any(1).nonzero().flatten(), nz.any(0).nonzero().flatten()
    side = receptive_width(2)
    assert side == 11 and (rows[-1] - rows[0] + 1).item() == side and (cols[-1] - cols[0] + 1).item() == side
    with pytest.raises(ValueError, match="width"):
        refiner(width=0)
