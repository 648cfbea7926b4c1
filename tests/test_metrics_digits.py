"""Digit metrics: the shipped classifier reads real digits, and every metric tells real digits from
noise. Offline and with an empty data folder: the shipped weights must be enough (no network)."""
import math

import numpy as np
import pytest
import torch

from ganlab.data import digits
from ganlab.metrics import digits as m


@pytest.fixture(autouse=True)
def _offline_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    monkeypatch.setenv("GANLAB_OFFLINE", "1")
    monkeypatch.setattr(digits, "_try_download", lambda: pytest.fail("a download was tried while offline"))
    monkeypatch.setattr(m, "train_classifier", lambda *a, **k: pytest.fail("the shipped weights were not used"))


@pytest.fixture(scope="module")
def data():
    return digits.load_digits("mnist", "train", "cpu"), digits.load_digits("mnist", "test", "cpu")


@pytest.mark.parametrize("domain", ["mnist", "uci"])
def test_shipped_classifier_is_accurate(domain):
    test = digits.load_digits(domain, "test", "cpu")
    clf = m.digit_classifier(domain, "cpu")
    assert not clf.training
    assert m.class_accuracy(clf, test.images, test.labels) >= 0.97


def test_histogram_and_entropy(data):
    _, test = data
    clf = m.digit_classifier("mnist", "cpu")
    hist = m.class_histogram(clf, test.images)
    assert hist.shape == (10,) and math.isclose(hist.sum(), 1.0)
    assert m.class_entropy(hist) > 0.98 * math.log(10)             # real digits: every class
    assert m.class_entropy(np.eye(10)[3]) == 0.0                    # one digit only
    assert math.isclose(m.class_entropy(np.ones(10)), math.log(10))
    ones = test.images[test.labels == 1]
    assert m.class_entropy(m.class_histogram(clf, ones)) < 0.3      # a collapsed "generator"


def test_frechet_distance_tells_real_from_noise(data):
    train, test = data
    clf = m.digit_classifier("mnist", "cpu")
    stats = m.feature_stats(clf, train.images)
    floor = m.frechet_distance(clf, test.images, stats)
    noise = torch.rand(1000, 1, 28, 28) * 2 - 1
    blurred = torch.nn.functional.avg_pool2d(test.images, 3, 1, 1)
    fd_noise, fd_blur = m.frechet_distance(clf, noise, stats), m.frechet_distance(clf, blurred, stats)
    assert 0 <= floor < fd_blur < fd_noise and fd_noise > 50 * floor
    assert math.isclose(m.frechet_distance(clf, test.images, test.images), 0.0, abs_tol=1e-6)


def test_frechet_formula_against_closed_form():
    a = (np.zeros(2), np.eye(2))
    b = (np.array([3.0, 4.0]), 4 * np.eye(2))
    # ||mu||^2 + Tr(I + 4I - 2 * 2I) = 25 + 2
    assert math.isclose(m.frechet_from_stats(a, b), 27.0, rel_tol=1e-9)


def test_bad_images_are_refused(data):
    clf = m.digit_classifier("mnist", "cpu")
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        m.predict(clf, torch.zeros(3, 28, 28))


def test_accuracy_of_noise_is_near_chance(data):
    _, test = data
    clf = m.digit_classifier("mnist", "cpu")
    shuffled = test.labels[torch.randperm(len(test.labels), generator=torch.Generator().manual_seed(0))]
    assert m.class_accuracy(clf, test.images, shuffled) < 0.2


def test_one_image_repeated_scores_its_distance_plus_the_reference_spread():
    """The no-variety baseline of notebook 08: FD(N(f, 0), N(mu, S)) = |f - mu|^2 + Tr S."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(200, 6))
    mu, cov = a.mean(0), np.cov(a, rowvar=False)
    f = rng.normal(size=6)
    fd = m.frechet_from_stats((f, np.zeros((6, 6))), (mu, cov))
    assert np.isclose(fd, ((f - mu) ** 2).sum() + np.trace(cov), rtol=1e-6)
