import math

import pytest
import torch

from ganlab.data import toy
from ganlab.metrics.mixtures import coverage_metrics, mode_coverage, nearest_mode

RING = toy("8gaussians")
GRID = toy("25gaussians")


def on_modes(dist, modes, per_mode, offset=0.0):
    """per_mode points on each listed mode, shifted by `offset` (radially along x)."""
    pts = [dist.centers[m] + torch.tensor([offset, 0.0]) for m in modes for _ in range(per_mode)]
    return torch.stack(pts)


def test_real_samples_cover_every_mode_with_high_quality():
    x = RING.sample(2_500, torch.Generator().manual_seed(0))
    r = mode_coverage(x, RING)
    assert int(r.modes_covered) == 8
    # 3 std in 2D holds 1 - exp(-9/2) = 98.9% of a Gaussian's mass
    assert abs(float(r.high_quality) - (1 - math.exp(-4.5))) < 0.01
    assert float(r.reverse_kl) < 0.01
    g = mode_coverage(GRID.sample(2_500, torch.Generator().manual_seed(1)), GRID)
    assert int(g.modes_covered) == 25


def test_collapse_on_three_modes():
    x = on_modes(RING, [0, 3, 5], 100)
    r = mode_coverage(x, RING)
    assert int(r.modes_covered) == 3
    assert float(r.high_quality) == 1.0
    assert r.covered.tolist() == [m in (0, 3, 5) for m in range(8)]
    assert float(r.reverse_kl) == pytest.approx(math.log(8 / 3), rel=1e-5)


def test_far_samples_are_low_quality_and_cover_nothing():
    std = RING.std
    near = on_modes(RING, range(8), 10, offset=2.9 * std)
    far = on_modes(RING, range(8), 10, offset=3.1 * std)
    assert float(mode_coverage(near, RING).high_quality) == 1.0
    r = mode_coverage(far, RING)
    assert float(r.high_quality) == 0.0 and int(r.modes_covered) == 0
    # the nearest-mode histogram is still uniform: reverse KL sees no collapse
    assert float(r.reverse_kl) == pytest.approx(0.0, abs=1e-6)


def test_threshold_is_a_fifth_of_the_expected_count():
    # 8 modes, n = 800: expected 100 per mode, covered from 20 high-quality samples on
    x = torch.cat([on_modes(RING, [0], 20), on_modes(RING, [1], 19), on_modes(RING, [2], 761)])
    r = mode_coverage(x, RING)
    assert r.counts[:3].tolist() == [20, 19, 761]
    assert r.covered[:3].tolist() == [True, False, True]
    assert int(mode_coverage(x, RING, min_fraction=0.01).modes_covered) == 3


def test_batch_of_sample_sets_gives_per_seed_results():
    full = RING.sample(400, torch.Generator().manual_seed(0))
    half = on_modes(RING, [0, 1, 2, 3], 100)
    one = on_modes(RING, [7], 400)
    r = mode_coverage(torch.stack([full, half, one]), RING)
    assert r.modes_covered.tolist() == [8, 4, 1]
    assert r.counts.shape == (3, 8)
    single = mode_coverage(half, RING)
    assert torch.equal(r.counts[1], single.counts)
    assert float(r.reverse_kl[2]) == pytest.approx(math.log(8), rel=1e-5)


def test_raw_centres_need_std_and_bad_inputs_are_named():
    x = torch.zeros(10, 2)
    assert int(mode_coverage(x, torch.zeros(1, 2), std=0.1).modes_covered) == 1
    with pytest.raises(ValueError, match="std"):
        mode_coverage(x, torch.zeros(1, 2))
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        mode_coverage(torch.zeros(10, 3), RING)
    with pytest.raises(ValueError, match="swissroll"):
        mode_coverage(x, toy("swissroll"))
    with pytest.raises(ValueError, match="min_fraction"):
        mode_coverage(x, RING, min_fraction=0)
    with pytest.raises(ValueError, match="batch"):
        mode_coverage(torch.zeros(2, 10, 2), RING).as_dict()


def test_nearest_mode_and_eval_fn():
    idx, d = nearest_mode(RING.centers + 0.01, RING.centers)
    assert idx.tolist() == list(range(8))
    assert torch.allclose(d, torch.full((8,), math.sqrt(2) * 0.01), atol=1e-6)
    G = torch.nn.Linear(2, 2)
    with torch.no_grad():
        G.weight.zero_(), G.bias.copy_(RING.centers[2])
    m = coverage_metrics(G, torch.randn(100, 2), RING)
    assert m == {"modes_covered": 1.0, "high_quality": 1.0, "reverse_kl": pytest.approx(math.log(8), rel=1e-5)}
    assert G.training
