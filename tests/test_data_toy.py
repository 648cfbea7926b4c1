import math

import numpy as np
import pytest
import torch

from ganlab.data import Mixture1D, gaussian1d, toy


def test_ring_of_8_centres_match_wgan_gp_definition():
    ring = toy("8gaussians")
    assert ring.centers.shape == (8, 2)
    radii = ring.centers.norm(dim=1)
    assert torch.allclose(radii, torch.full((8,), 2 / 1.414), atol=1e-6)
    angles = torch.sort(torch.atan2(ring.centers[:, 1], ring.centers[:, 0])).values
    assert torch.allclose(angles.diff(), torch.full((7,), math.pi / 4), atol=1e-5)
    assert ring.std == pytest.approx(0.02 / 1.414)


def test_grid_of_25_centres_match_wgan_gp_definition():
    grid = toy("25gaussians")
    assert grid.centers.shape == (25, 2)
    assert set(torch.round(grid.centers[:, 0] * 2.828).tolist()) == {-4.0, -2.0, 0.0, 2.0, 4.0}
    assert grid.std == pytest.approx(0.05 / 2.828)


@pytest.mark.parametrize("name", ["8gaussians", "25gaussians"])
def test_mixture_samples_lie_near_their_modes(name):
    dist = toy(name)
    x = dist.sample(4000, torch.Generator().manual_seed(0))
    nearest = torch.cdist(x, dist.centers).min(dim=1).values
    # within 4 std of a centre: in 2D, P(r > 4 sigma) = exp(-8) ~ 3e-4
    assert (nearest < 4 * dist.std).float().mean() > 0.99
    counts = torch.cdist(x, dist.centers).argmin(dim=1).bincount(minlength=dist.n_modes)
    assert counts.min() > 0.5 * 4000 / dist.n_modes


def test_swiss_roll_matches_sklearn_shape_and_scale():
    x = toy("swissroll").sample(5000, torch.Generator().manual_seed(0))
    assert x.shape == (5000, 2)
    r = x.norm(dim=1) * 7.5  # radius of the roll = t, t in [1.5 pi, 4.5 pi], plus noise
    assert r.min() > 1.5 * math.pi - 1.5 and r.max() < 4.5 * math.pi + 1.5
    assert toy("swissroll").centers is None


def test_sampling_is_reproducible_with_a_generator():
    dist = toy("8gaussians")
    a = dist.sample(10, torch.Generator().manual_seed(3))
    b = dist.sample(10, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def test_density_integrates_to_one():
    dist = toy("25gaussians")
    axis = torch.linspace(-2.5, 2.5, 801, dtype=torch.float64)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    dens = dist.density(torch.stack([gx, gy], -1).double())
    cell = (axis[1] - axis[0]) ** 2
    assert float(dens.sum() * cell) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("bad", [0, -5, 2.5, "10", True])
def test_non_positive_or_non_integer_n_is_rejected(bad):
    with pytest.raises(ValueError, match="positive integer"):
        toy("8gaussians").sample(bad)


def test_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match="'8gaussians', '25gaussians', 'swissroll'"):
        toy("rings")


def test_mixture1d_pdf_sample_and_validation():
    mix = Mixture1D((0.3, 0.7), (-2.0, 1.0), (0.5, 1.0))
    x = np.linspace(-10, 10, 20001)
    assert float((mix.pdf(x) * (x[1] - x[0])).sum()) == pytest.approx(1.0, abs=1e-4)
    s = mix.sample(20000, torch.Generator().manual_seed(0))
    assert s.shape == (20000, 1)
    assert float(s.mean()) == pytest.approx(0.3 * -2 + 0.7 * 1, abs=0.05)
    assert mix.logpdf(0.5) == pytest.approx(math.log(mix.pdf(0.5)))
    with pytest.raises(ValueError, match="sum to 1"):
        Mixture1D((0.5, 0.6), (0, 1), (1, 1))
    with pytest.raises(ValueError, match="stds must be positive"):
        gaussian1d(0, 0)
