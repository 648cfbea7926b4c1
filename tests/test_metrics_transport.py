import numpy as np
import pytest
import torch
from scipy.stats import wasserstein_distance

from ganlab.metrics.transport import wasserstein, wasserstein_lp


def test_shifted_set_costs_the_shift():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    shift = np.array([3.0, -4.0])        # |shift| = 5, far larger than the spread: every point moves by it
    t = wasserstein(x, x + shift)
    assert t.distance == pytest.approx(5.0, abs=1e-9)
    assert t.plan.sum() == pytest.approx(1.0)
    assert np.allclose(t.plan.sum(0), 1 / 40) and np.allclose(t.plan.sum(1), 1 / 40)


def test_identical_sets_and_permutations():
    x = torch.randn(30, 2)
    perm = torch.randperm(30)
    t = wasserstein(x, x[perm])
    assert t.distance == pytest.approx(0.0, abs=1e-7)
    np.testing.assert_array_equal(perm[t.target].numpy(), np.arange(30))   # each point goes to its copy


def test_one_dimension_matches_scipy():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 200), rng.exponential(2.0, 200)
    assert wasserstein(a, b).distance == pytest.approx(wasserstein_distance(a, b), rel=1e-9)
    c = rng.normal(1, 2, 70)
    assert wasserstein_lp(a[:50], c).distance == pytest.approx(wasserstein_distance(a[:50], c), rel=1e-6)


def test_lp_agrees_with_assignment_on_equal_sizes():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(25, 2)), rng.uniform(size=(25, 2))
    assert wasserstein_lp(x, y).distance == pytest.approx(wasserstein(x, y).distance, rel=1e-6)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="equal-size.*wasserstein_lp"):
        wasserstein(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="same dimension"):
        wasserstein(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        wasserstein(np.full((3, 2), np.nan), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="non-empty"):
        wasserstein(np.zeros((0, 2)), np.zeros((0, 2)))
