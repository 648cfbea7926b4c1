"""ganlab.metrics.quality: known cases, and cross-checks against torchmetrics, torch-fidelity and prdc
(each installed from the registry by the lab set-up; skipped with the reason if one is missing)."""
import math

import numpy as np
import pytest
import torch

from ganlab.data.digits import load_digits
from ganlab.metrics import quality
from ganlab.metrics.digits import digit_classifier, features, frechet_from_stats


def gauss(n, d=8, shift=0.0, scale=1.0, seed=0):
    return np.random.default_rng(seed).normal(shift, scale, size=(n, d))


@pytest.fixture(scope="module")
def digit_features():
    clf = digit_classifier("mnist", "cpu")
    train, test = load_digits("mnist", "train", "cpu"), load_digits("mnist", "test", "cpu")
    pick = torch.randperm(1_000, generator=torch.Generator().manual_seed(0))[:300]  # the splits are sorted by digit
    return clf, train.images[pick], test.images[pick]


# ---------------------------------------------------------------- known cases
def whitened(n, d, seed):
    """n samples with mean exactly 0 and covariance exactly I."""
    x = gauss(n, d, seed=seed)
    x -= x.mean(0)
    return x @ np.linalg.inv(np.linalg.cholesky(np.cov(x, rowvar=False))).T


def test_frechet_known_gaussians():
    a, b = whitened(500, 2, seed=0), 1.0 + 2.0 * whitened(500, 2, seed=1)
    # ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^1/2) = 2 * 1 + 2 * (1 + 4 - 2 * 2) = 4
    assert quality.frechet(a, b) == pytest.approx(4.0, abs=1e-9)
    assert quality.frechet(a, a) == pytest.approx(0.0, abs=1e-6)


def test_frechet_is_the_one_implementation():
    a, b = gauss(200, seed=0), gauss(200, shift=0.5, seed=1)
    assert quality.frechet(a, b) == frechet_from_stats(quality.gaussian_stats(a), quality.gaussian_stats(b))


def test_fd_bias_falls_like_one_over_n_and_fd_infinity_removes_it():
    a, b = gauss(4_000, 16, seed=0), gauss(4_000, 16, seed=1)
    fit = quality.fd_infinity(a, b, ns=(500, 1_000, 2_000, 4_000))
    assert fit.fds[0] > 1.8 * fit.fds[-1] > 0          # halving N roughly doubles the bias
    assert abs(fit.fd_inf) < 0.2 * fit.fds[-1]           # the extrapolation is near the true 0
    assert fit.slope > 0 and fit.ns == (500, 1_000, 2_000, 4_000)
    default = quality.fd_infinity(a, b)
    assert len(default.ns) >= 2 and max(default.ns) == 4_000


def test_kid_unbiased_and_positive_under_a_shift():
    same = [quality.kid(gauss(200, seed=s), gauss(200, seed=100 + s)) for s in range(20)]
    se = np.std(same) / math.sqrt(len(same))
    assert abs(np.mean(same)) < 3 * se                  # mean 0 for one distribution (values can be < 0)
    assert min(same) < 0
    assert quality.kid(gauss(200, seed=0), gauss(200, shift=0.5, seed=1)) > 10 * max(same)
    # unequal sizes are allowed
    assert np.isfinite(quality.kid(gauss(100, seed=0), gauss(150, seed=1)))


def test_inception_score_extremes():
    confident = torch.eye(10).repeat(20, 1) * 50         # certain and uniform over classes: IS = 10
    assert quality.inception_score(confident) == pytest.approx(10.0, rel=1e-6)
    assert quality.inception_score(torch.zeros(50, 10)) == pytest.approx(1.0)
    one_class = torch.zeros(50, 10)
    one_class[:, 3] = 50                                 # certain but a single class: IS = 1
    assert quality.inception_score(one_class) == pytest.approx(1.0, abs=1e-6)


def test_precision_recall_and_density_coverage_extremes():
    real = gauss(300, seed=0)
    assert quality.precision_recall(real, real) == (1.0, 1.0)
    far = gauss(300, shift=50.0, seed=1)
    assert quality.precision_recall(real, far) == (0.0, 0.0)
    assert quality.density_coverage(real, far) == (0.0, 0.0)
    # a fake set concentrated on one real point: precise but no recall, low coverage
    collapsed = real[:1] + 1e-3 * gauss(300, seed=2)
    p, r = quality.precision_recall(real, collapsed)
    d, c = quality.density_coverage(real, collapsed)
    assert p == 1.0 and r < 0.05 and c < 0.05


def test_two_sample_test():
    null = quality.two_sample_test(gauss(400, seed=0), gauss(400, seed=1))
    assert 0.4 < null.accuracy < 0.6 and null.p_value > 0.01 and null.n_test == 400
    shifted = quality.two_sample_test(gauss(400, seed=0), gauss(400, shift=1.0, seed=1))
    assert shifted.accuracy > 0.9 and shifted.p_value < 1e-20


def test_errors_name_the_bad_value():
    with pytest.raises(ValueError, match="dimension: 8 vs 4"):
        quality.frechet(gauss(10), gauss(10, d=4))
    with pytest.raises(ValueError, match=r"k must be an integer >= 1 and <= 9, got 0"):
        quality.precision_recall(gauss(10), gauss(10), k=0)
    with pytest.raises(ValueError, match=r"shape \(10,\)"):
        quality.kid(np.zeros(10), gauss(10))
    with pytest.raises(ValueError, match="at least two different sample sizes"):
        quality.fd_infinity(gauss(100), gauss(100), ns=(50, 50))
    with pytest.raises(ValueError, match="NaN"):
        quality.frechet(np.full((5, 2), np.nan), gauss(5, d=2))


# ---------------------------------------------------------------- cross-checks against libraries
class DigitFeatures(torch.nn.Module):
    """The digit classifier's 64 features as a torchmetrics feature module."""

    num_features = 64

    def __init__(self, clf):
        super().__init__()
        self.clf = clf

    def forward(self, images):
        return features(self.clf, images)


@pytest.mark.filterwarnings("ignore:Metric `Kernel Inception Distance` will save")
def test_frechet_and_kid_match_torchmetrics(digit_features):
    image = pytest.importorskip("torchmetrics.image", reason="torchmetrics is not installed")
    clf, real, fake = digit_features
    fid = image.FrechetInceptionDistance(feature=DigitFeatures(clf))
    fid.update(real, real=True)
    fid.update(fake, real=False)
    ours = quality.frechet(features(clf, fake), features(clf, real))
    assert float(fid.compute()) == pytest.approx(ours, rel=1e-4)
    kid_metric = image.KernelInceptionDistance(feature=DigitFeatures(clf), subsets=1, subset_size=len(real))
    kid_metric.update(real, real=True)
    kid_metric.update(fake, real=False)
    kid_mean, _ = kid_metric.compute()
    assert float(kid_mean) == pytest.approx(quality.kid(features(clf, fake), features(clf, real)), rel=1e-6)


def test_match_torch_fidelity(digit_features):
    pytest.importorskip("torch_fidelity", reason="torch-fidelity is not installed")
    from torch_fidelity.metric_fid import fid_features_to_statistics, fid_statistics_to_metric
    from torch_fidelity.metric_isc import isc_features_to_metric
    from torch_fidelity.metric_kid import kid_features_to_metric
    from torch_fidelity.metric_prc import prc_features_to_metric

    clf, real_images, fake_images = digit_features
    real, fake = features(clf, real_images), features(clf, fake_images)
    theirs = fid_statistics_to_metric(fid_features_to_statistics(fake), fid_features_to_statistics(real), False)
    assert theirs["frechet_inception_distance"] == pytest.approx(quality.frechet(fake, real), rel=1e-6)
    kid = kid_features_to_metric(fake, real, kid_subsets=1, kid_subset_size=len(real), verbose=False)
    assert kid["kernel_inception_distance_mean"] == pytest.approx(quality.kid(fake, real), rel=1e-6)
    logits = clf(fake_images)
    isc = isc_features_to_metric(logits.detach(), splits=1, shuffle=False)
    assert isc["inception_score_mean"] == pytest.approx(quality.inception_score(logits), rel=1e-6)
    prc = prc_features_to_metric(fake, real, prc_neighborhood=3, prc_batch_size=10_000, save_cpu_ram=False,
                                 verbose=False)
    assert (prc["precision"], prc["recall"]) == pytest.approx(quality.precision_recall(real, fake, k=3), abs=1e-6)


def test_match_prdc_on_digits_and_on_its_readme_case(digit_features):
    prdc = pytest.importorskip("prdc", reason="prdc is not installed")
    clf, real_images, fake_images = digit_features
    real, fake = features(clf, real_images).numpy(), features(clf, fake_images).numpy()
    for k in (3, 5):
        theirs = prdc.compute_prdc(real_features=real, fake_features=fake, nearest_k=k)
        assert (theirs["precision"], theirs["recall"]) == pytest.approx(quality.precision_recall(real, fake, k))
        assert (theirs["density"], theirs["coverage"]) == pytest.approx(quality.density_coverage(real, fake, k))
    # prdc's README case, smaller: two samples of one N(0, I), 64-D, k = 5 (elsewhere with 2k samples:
    # P 0.71, R 0.71, D 0.97, C 0.963)
    a, b = gauss(1_000, 64, seed=0), gauss(1_000, 64, seed=1)
    theirs = prdc.compute_prdc(real_features=a, fake_features=b, nearest_k=5)
    p, r = quality.precision_recall(a, b, k=5)
    d, c = quality.density_coverage(a, b, k=5)
    assert (p, r, d, c) == pytest.approx((theirs["precision"], theirs["recall"], theirs["density"],
                                          theirs["coverage"]))
    assert 0.55 < p < 0.85 and 0.55 < r < 0.85 and 0.85 < d < 1.15 and c > 0.9
