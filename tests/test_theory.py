"""ganlab.theory against independent computations: closed forms, Monte Carlo, bounds, error cases."""
import math

import numpy as np
import pytest
from scipy import stats

from ganlab import theory as T

LOG2 = math.log(2)


def kl_closed_form(m1, s1, m2, s2):
    # written out here, independently of T.kl_gaussians
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


@pytest.mark.parametrize("m1,s1,m2,s2", [(0, 1, 0, 1), (0, 1, 1, 2), (-1, 0.3, 2, 1.5), (3, 2, 0, 0.5)])
def test_kl_of_two_gaussians_matches_closed_form(m1, s1, m2, s2):
    expected = kl_closed_form(m1, s1, m2, s2)
    assert T.kl(T.gaussian(m1, s1), T.gaussian(m2, s2)) == pytest.approx(expected, rel=1e-8, abs=1e-10)
    assert T.kl_gaussians(m1, s1, m2, s2) == pytest.approx(expected, rel=1e-12)


def test_kl_accepts_scipy_and_plain_callables():
    expected = kl_closed_form(0, 1, 1, 2)
    assert T.kl(stats.norm(0, 1), stats.norm(1, 2)) == pytest.approx(expected, rel=1e-7)
    plain_p = lambda x: stats.norm.pdf(x, 0, 1)  # noqa: E731
    plain_q = lambda x: stats.norm.pdf(x, 1, 2)  # noqa: E731
    assert T.kl(plain_p, plain_q, support=(-30, 30)) == pytest.approx(expected, rel=1e-6)


def test_kl_of_mixture_matches_monte_carlo():
    p, q = T.mixture([0.3, 0.7], [-2, 1], [0.5, 1.0]), T.gaussian(0, 2)
    x = p.sample(400_000, generator=__import__("torch").Generator().manual_seed(0)).numpy()[:, 0]
    mc = np.mean(p.logpdf(x) - stats.norm.logpdf(x, 0, 2))
    assert T.kl(p, q) == pytest.approx(mc, abs=5e-3)


def test_kl_is_inf_on_support_mismatch_never_nan():
    assert T.kl(T.uniform(0, 1), T.uniform(0.5, 1.5)) == math.inf
    assert T.kl(T.uniform(0, 1), T.uniform(0, 2)) == pytest.approx(math.log(2), abs=1e-9)
    assert T.kl_discrete([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert T.kl_discrete([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))


def test_jsd_bounds_symmetry_and_disjoint_supports():
    p, q = T.gaussian(0, 1), T.mixture([0.5, 0.5], [-2, 2], [0.3, 0.3])
    j = T.jsd(p, q)
    assert 0 < j < LOG2
    assert T.jsd(q, p) == pytest.approx(j, abs=1e-10)
    assert T.jsd(p, p) == pytest.approx(0, abs=1e-10)
    assert T.jsd(T.uniform(0, 1), T.uniform(2, 3)) == pytest.approx(LOG2, abs=1e-9)
    assert T.jsd(T.gaussian(0, 0.1), T.gaussian(100, 0.1)) == pytest.approx(LOG2, abs=1e-9)


def test_jsd_matches_its_definition_through_kl():
    p, q = T.gaussian(0, 1), T.gaussian(1.5, 0.7)
    m = lambda x: 0.5 * (p.pdf(x) + q.pdf(x))  # noqa: E731
    support = (-15, 15)
    expected = 0.5 * T.kl(p, m, support=support) + 0.5 * T.kl(q, m, support=support)
    assert T.jsd(p, q) == pytest.approx(expected, abs=1e-8)


def test_value_function_at_optimal_discriminator_is_minus_log4_plus_2jsd():
    p_data, p_g = T.mixture([0.5, 0.5], [-1, 2], [0.4, 0.6]), T.gaussian(0.5, 1.2)
    d_star = T.optimal_discriminator(p_data, p_g)
    v = T.value_function(p_data, p_g, d_star)
    assert v == pytest.approx(-math.log(4) + 2 * T.jsd(p_data, p_g), abs=1e-8)
    # D* is the best discriminator: any other D scores less
    for other in (lambda x: np.full_like(np.asarray(x, float), 0.5), lambda x: 0.9 * d_star(x) + 0.05):
        assert T.value_function(p_data, p_g, other) < v
    # when p_g = p_data, D* = 1/2 everywhere and V = -log 4
    same = T.optimal_discriminator(p_data, p_data)
    assert np.allclose(same(np.linspace(-5, 5, 101)), 0.5)
    assert T.value_function(p_data, p_data, same) == pytest.approx(-math.log(4), abs=1e-9)


def test_value_function_is_minus_inf_when_d_is_certainly_wrong():
    p = T.uniform(0, 1)
    assert T.value_function(p, T.uniform(2, 3), lambda x: np.zeros_like(np.asarray(x, float))) == -math.inf


def test_optimal_discriminator_matches_ratio_and_is_half_where_both_vanish():
    p_data, p_g = T.gaussian(0, 1), T.gaussian(2, 0.5)
    x = np.linspace(-3, 4, 57)
    expected = stats.norm.pdf(x, 0, 1) / (stats.norm.pdf(x, 0, 1) + stats.norm.pdf(x, 2, 0.5))
    assert np.allclose(T.optimal_discriminator(p_data, p_g)(x), expected, atol=1e-12)
    d = T.optimal_discriminator(T.uniform(0, 1), T.uniform(2, 3))
    out = d(np.array([-5.0, 0.5, 1.5, 2.5]))
    assert not np.isnan(out).any()
    assert out.tolist() == [0.5, 1.0, 0.5, 0.0]
    # plain 2D callables without logpdf (e.g. a toy density on a grid) work too
    d2 = T.optimal_discriminator(lambda xy: np.exp(-(xy**2).sum(-1)), lambda xy: np.zeros(xy.shape[:-1]))
    assert np.allclose(d2(np.zeros((3, 4, 2))), 1.0)


def test_wasserstein1_densities_samples_and_discrete():
    assert T.wasserstein1(T.gaussian(0, 1), T.gaussian(3, 1)) == pytest.approx(3, abs=1e-8)
    assert T.wasserstein1(T.uniform(0, 1), T.uniform(0.5, 1.5)) == pytest.approx(0.5, abs=1e-8)
    # a plain callable goes through the numerical CDF
    w = T.wasserstein1(lambda x: stats.norm.pdf(x, 0, 1), lambda x: stats.norm.pdf(x, 1.5, 1), support=(-12, 14))
    assert w == pytest.approx(1.5, abs=1e-5)
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 1, 20_000), rng.normal(2, 1, 20_000)
    assert T.wasserstein1_from_samples(x, y) == pytest.approx(2, abs=0.05)
    assert T.wasserstein1_discrete([0, 1], [0.5, 0.5], [0, 1], [0.5, 0.5]) == 0
    assert T.wasserstein1_discrete([0, 1], [1, 0], [0, 1], [0, 1]) == pytest.approx(1)


def test_sample_estimates_approach_the_integrals():
    rng = np.random.default_rng(1)
    x, y = rng.normal(0, 1, 200_000), rng.normal(1, 1, 200_000)
    assert T.jsd_from_samples(x, y, bins=60) == pytest.approx(T.jsd(T.gaussian(0, 1), T.gaussian(1, 1)), abs=5e-3)
    # against the exact bin probabilities of the two Gaussians on the same (truncated) bins
    edges = np.linspace(-2.5, 3.5, 31)
    px, py = np.diff(stats.norm.cdf(edges, 0, 1)), np.diff(stats.norm.cdf(edges, 1, 1))
    exact = T.kl_discrete(px / px.sum(), py / py.sum())
    assert T.kl_from_samples(x, y, bins=30, support=(-2.5, 3.5)) == pytest.approx(exact, abs=0.01)
    assert T.kl_from_samples([0.1, 0.2], [5.0, 6.0], bins=4) == math.inf


@pytest.mark.parametrize("theta", [-1.5, -0.2, 0.3, 2.0])
def test_parallel_lines(theta):
    r = T.parallel_lines(theta)
    assert r["kl"] == math.inf and r["kl_reverse"] == math.inf
    assert r["jsd"] == pytest.approx(LOG2) and r["tv"] == 1
    assert r["w1"] == pytest.approx(abs(theta))
    # the 2D samples: the exact OT cost between equal-size point sets with identical z laws ~ |theta|
    p0, pt = T.parallel_lines_sample(theta, 500, generator=__import__("torch").Generator().manual_seed(0))
    assert p0[:, 0].abs().max() == 0 and np.allclose(pt[:, 0].numpy(), theta)


def test_parallel_lines_at_zero():
    assert T.parallel_lines(0.0) == {"kl": 0.0, "kl_reverse": 0.0, "jsd": 0.0, "tv": 0.0, "w1": 0.0}


def test_cdf_of_mixture_and_mass():
    p = T.mixture([0.2, 0.8], [0, 3], [1, 0.5])
    x = np.linspace(-4, 6, 11)
    expected = 0.2 * stats.norm.cdf(x, 0, 1) + 0.8 * stats.norm.cdf(x, 3, 0.5)
    assert np.allclose(T.cdf(p)(x), expected, atol=1e-14)
    assert T.mass(p) == pytest.approx(1, abs=1e-10)
    assert np.allclose(T.density(p)(x), p.pdf(x)) and np.allclose(T.log_density(p)(x), p.logpdf(x))


# ---- error cases ------------------------------------------------------------------------------
def test_density_that_does_not_integrate_to_one_says_its_integral():
    twice = lambda x: 2 * stats.norm.pdf(x)  # noqa: E731
    with pytest.raises(ValueError, match=r"integrates to 2 over \[-10, 10\]"):
        T.kl(twice, T.gaussian(), support=(-10, 10))
    with pytest.raises(ValueError, match="integrates to 0.68"):  # cut off by a too narrow range
        T.jsd(T.gaussian(0, 1), T.gaussian(0, 1), support=(-1, 1))


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="pass support"):
        T.kl(lambda x: stats.norm.pdf(x), T.gaussian())
    with pytest.raises(ValueError, match="lo < hi"):
        T.kl(T.gaussian(), T.gaussian(), support=(1, -1))
    with pytest.raises(TypeError, match="callable"):
        T.density(3.0)
    with pytest.raises(ValueError, match="sums to 0.9"):
        T.kl_discrete([0.5, 0.4], [0.5, 0.5])
    with pytest.raises(ValueError, match="same outcomes"):
        T.jsd_discrete([1.0], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        T.value_function(T.gaussian(), T.gaussian(1), lambda x: 2 + 0 * np.asarray(x, float))
    with pytest.raises(ValueError, match="negative"):
        T.check_density(lambda x: np.sin(x), support=(0, 2 * math.pi))
    with pytest.raises(ValueError, match="lo < hi"):
        T.uniform(1, 1)
    with pytest.raises(ValueError, match="theta"):
        T.parallel_lines(float("nan"))
    with pytest.raises(ValueError, match="1D array"):
        T.wasserstein1_from_samples(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="positive"):
        T.kl_gaussians(0, 0, 0, 1)


def test_value_function_at_d_star_is_finite_when_d_star_rounds_to_one_in_the_tails():
    # D* = 1 in float64 far right of p_data's mass while p_g still has (tiny) mass there:
    # V must use log(1 - D*) = log_expit(log p_g - log p_data), not log(1 - 1) = -inf.
    p_data, p_g = T.mixture((0.3, 0.7), (-1, 1.5), (0.5, 0.8)), T.gaussian(2, 0.5)
    v = T.value_function(p_data, p_g, T.optimal_discriminator(p_data, p_g), support=(-6, 8))
    assert v == pytest.approx(-math.log(4) + 2 * T.jsd(p_data, p_g, support=(-6, 8)), abs=1e-6)


def test_maximum_likelihood_cost_gradient_is_half_that_of_forward_kl():
    """The maximum-likelihood cost -1/2 e^l (losses.generator_loss_maximum_likelihood) with D* frozen at theta0:
    its expected gradient is 1/2 d/dtheta KL(p_data || p_theta), not the whole of it."""
    p_data, theta0, h = T.gaussian(0.0, 1.0), 0.5, 1e-4
    log_ratio0 = lambda x: T.log_density(p_data)(x) - T.log_density(T.gaussian(theta0, 1.0))(x)  # logit of D*_theta0
    pdf = lambda t: T.density(T.gaussian(t, 1.0))
    cost = lambda t: T.integrate_1d(lambda x: pdf(t)(x) * -0.5 * np.exp(log_ratio0(x)), -12, 12)
    kl = lambda t: T.kl(p_data, T.gaussian(t, 1.0))
    grad_cost = (cost(theta0 + h) - cost(theta0 - h)) / (2 * h)
    grad_kl = (kl(theta0 + h) - kl(theta0 - h)) / (2 * h)
    assert grad_cost == pytest.approx(0.5 * grad_kl, abs=1e-6)
    assert abs(grad_cost - grad_kl) > 0.1  # not equal to the whole gradient
