"""Sample-quality metrics on features: what a number about a generator can and cannot say.

Taught in notebook 12 (evaluating GANs). Every function takes FEATURES (an (N, d) array or tensor:
the digit classifier's 64 penultimate features, `ganlab.metrics.digits.features`), or the
classifier's logits for the score, so the same code scores any feature extractor.

    gaussian_stats(f)                         (mean, covariance) of features
    frechet(a, b)                             Frechet distance (FID's formula) between fitted Gaussians
    fd_infinity(a, b)                         FD extrapolated to infinitely many samples (fit against 1/N)
    kid(a, b)                                 kernel distance: unbiased MMD^2, cubic polynomial kernel
    inception_score(logits)                   exp E_x KL(p(y|x) || p(y)) on a classifier's logits
    precision_recall(real, fake, k=3)         improved precision / recall (k-NN balls)
    density_coverage(real, fake, k=5)         density / coverage (k-NN balls around real samples)
    two_sample_test(real, fake)               a classifier two-sample test: held-out accuracy, p-value

Cross-checked in tests/test_metrics_quality.py against torchmetrics, torch-fidelity and prdc.
The Frechet distance has ONE implementation, `ganlab.metrics.digits.frechet_from_stats`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy import stats as scipy_stats

from .digits import frechet_from_stats


def _as_array(features, name: str = "features") -> np.ndarray:
    """Features as a float64 numpy array of shape (N, d)."""
    f = features.detach().cpu().double().numpy() if torch.is_tensor(features) else np.asarray(features, dtype=float)
    if f.ndim != 2 or len(f) < 2:
        raise ValueError(f"{name} must be an (N, d) array with N >= 2, got shape {f.shape}")
    if not np.isfinite(f).all():
        raise ValueError(f"{name} contain NaN or infinite values")
    return f


def _pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a, b = _as_array(a, "first features"), _as_array(b, "second features")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"the two feature sets differ in dimension: {a.shape[1]} vs {b.shape[1]}")
    return a, b


def _positive_int(name: str, value, limit: int | None = None) -> int:
    if not isinstance(value, (int, np.integer)) or value < 1 or (limit is not None and value > limit):
        allowed = "an integer >= 1" + ("" if limit is None else f" and <= {limit}")
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return int(value)


def gaussian_stats(features) -> tuple[np.ndarray, np.ndarray]:
    """(mu, Sigma): the mean and the (unbiased, N - 1) covariance of (N, d) features."""
    f = _as_array(features)
    return f.mean(0), np.cov(f, rowvar=False)


def frechet(a, b) -> float:
    """Frechet distance between Gaussians fitted to two feature sets (FID's formula, Heusel et al. 2017):
        FD = ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)).
    Biased upwards with finitely many samples (about c / N): see `fd_infinity`."""
    a, b = _pair(a, b)
    return frechet_from_stats(gaussian_stats(a), gaussian_stats(b))


@dataclass(frozen=True)
class Extrapolation:
    """FD measured at several sample sizes and the line FD(N) = fd_inf + slope / N fitted to them."""

    fd_inf: float
    slope: float
    ns: tuple[int, ...]
    fds: tuple[float, ...]


def fd_infinity(a, b, ns=None, draws: int = 1, seed: int = 0) -> Extrapolation:
    """FD extrapolated to infinitely many samples (FID-infinity, Chong & Forsyth 2020).

    The FD of N samples is biased by about c / N, so FD(N) is measured at several N (N rows drawn
    without replacement from each set, FD averaged over `draws` draws) and the least-squares line
    FD(N) = fd_inf + slope / N is extrapolated to 1/N = 0. `ns` defaults to 8 sizes from
    min(len) / 8 to min(len)."""
    a, b = _pair(a, b)
    n_max = min(len(a), len(b))
    if ns is None:
        ns = np.unique(np.linspace(max(n_max // 8, a.shape[1] + 2), n_max, 8).astype(int))
    ns = tuple(_positive_int("each N", int(n), n_max) for n in ns)
    if len(set(ns)) < 2:
        raise ValueError(f"need at least two different sample sizes to fit a line, got ns={ns}")
    draws = _positive_int("draws", draws)
    rng = np.random.default_rng(seed)
    fds = tuple(float(np.mean([frechet(a[rng.choice(len(a), n, replace=False)], b[rng.choice(len(b), n, replace=False)])
                               for _ in range(draws)])) for n in ns)
    slope, intercept = np.polyfit(1.0 / np.asarray(ns, dtype=float), np.asarray(fds), 1)
    return Extrapolation(float(intercept), float(slope), ns, fds)


def kid(a, b) -> float:
    """Kernel (Inception) distance, Binkowski et al. 2018: the unbiased estimate of the squared MMD
    with the cubic polynomial kernel k(x, y) = (x . y / d + 1)^3,
        KID = sum_{i != j} k(a_i, a_j) / (m (m-1)) + sum_{i != j} k(b_i, b_j) / (n (n-1))
              - 2 sum_{i, j} k(a_i, b_j) / (m n).
    Unbiased: its mean is 0 when the two sets come from one distribution (so it can be < 0)."""
    a, b = _pair(a, b)
    d, m, n = a.shape[1], len(a), len(b)
    k_aa, k_bb, k_ab = ((x @ y.T / d + 1) ** 3 for x, y in ((a, a), (b, b), (a, b)))
    return float((k_aa.sum() - np.trace(k_aa)) / (m * (m - 1)) + (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
                 - 2 * k_ab.mean())


def inception_score(logits) -> float:
    """Inception-style score on a classifier's logits (Salimans et al. 2016), here the digit classifier's:
        IS = exp( E_x KL(p(y|x) || p(y)) ),  p(y) = E_x p(y|x).
    1 when every sample gets the same class distribution, the number of classes (10) when each sample
    is classified with certainty and the classes are equally frequent. It never looks at real data."""
    x = torch.as_tensor(_as_array(logits, "logits"))
    log_p = torch.log_softmax(x, 1)                                      # (N, K) log p(y|x)
    log_marginal = torch.logsumexp(log_p, 0) - np.log(len(x))            # (K,) log p(y)
    kl = (log_p.exp() * (log_p - log_marginal)).sum(1)                   # (N,) KL(p(y|x) || p(y))
    return float(kl.mean().exp())


def _kth_neighbour_distance(x: np.ndarray, k: int) -> np.ndarray:
    """Distance of each row of x to its k-th nearest other row (the radius of its k-NN ball)."""
    d = _distances(x, x)
    return np.partition(d, k, axis=1)[:, k]  # column 0 after partition is the point itself (distance 0)


def _distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(len(x), len(y)) Euclidean distances."""
    sq = (x ** 2).sum(1)[:, None] + (y ** 2).sum(1)[None, :] - 2 * x @ y.T
    return np.sqrt(np.maximum(sq, 0))


def precision_recall(real, fake, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkaanniemi et al. 2019). Each sample's k-NN ball has the
    radius of its k-th nearest neighbour in its own set; the manifold of a set is the union of balls.
        precision = share of fake samples inside the real manifold   (are samples realistic?)
        recall    = share of real samples inside the fake manifold   (is all of the data covered?)"""
    real, fake = _pair(real, fake)
    k = _positive_int("k", k, min(len(real), len(fake)) - 1)
    d_rf = _distances(real, fake)                                        # (R, F)
    precision = (d_rf <= _kth_neighbour_distance(real, k)[:, None]).any(0).mean()
    recall = (d_rf <= _kth_neighbour_distance(fake, k)[None, :]).any(1).mean()
    return float(precision), float(recall)


def density_coverage(real, fake, k: int = 5) -> tuple[float, float]:
    """Density and coverage (Naeem et al. 2020), on k-NN balls around REAL samples only (robust to
    outlying fakes, which inflate the fake balls of recall):
        density  = 1/(k M) sum_j sum_i 1[fake_j in ball(real_i)]   (about 1 for a perfect generator)
        coverage = 1/N sum_i 1[some fake_j in ball(real_i)]        (share of real balls that are hit)"""
    real, fake = _pair(real, fake)
    k = _positive_int("k", k, len(real) - 1)
    inside = _distances(real, fake) < _kth_neighbour_distance(real, k)[:, None]  # (R, F)
    return float(inside.sum() / (k * len(fake))), float(inside.any(1).mean())


@dataclass(frozen=True)
class TwoSampleTest:
    """Held-out accuracy of a classifier telling real from fake; p-value of it under 'no difference'."""

    accuracy: float
    p_value: float
    n_test: int


def two_sample_test(real, fake, seed: int = 0) -> TwoSampleTest:
    """Classifier two-sample test (Lopez-Paz & Oquab 2017). Label real 1 and fake 0 (the larger set is
    subsampled to the size of the smaller, so that chance is 1/2), train a logistic regression on
    standardised features of a random half, measure its accuracy on the other half.
    If the two sets come from one distribution, the held-out accuracy is Binomial(n_test, 1/2) / n_test:
        p-value = P(Binomial(n_test, 1/2) >= correct).
    An accuracy near 1/2 means the classifier finds no difference; near 1, an easy one."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    real, fake = _pair(real, fake)
    rng = np.random.default_rng(seed)
    n = min(len(real), len(fake))
    real, fake = (f[rng.choice(len(f), n, replace=False)] if len(f) > n else f for f in (real, fake))
    x = np.concatenate([real, fake])
    y = np.concatenate([np.ones(n), np.zeros(n)])
    order = rng.permutation(len(x))
    train, test = order[: len(x) // 2], order[len(x) // 2:]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(x[train], y[train])
    correct = int((model.predict(x[test]) == y[test]).sum())
    p_value = float(scipy_stats.binom.sf(correct - 1, len(test), 0.5))
    return TwoSampleTest(correct / len(test), p_value, len(test))
