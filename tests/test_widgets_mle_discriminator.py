"""The widgets of notebooks 01 and 02: moving a slider changes the image and the value shown, and the
plain callbacks compute what they claim."""
import math

import numpy as np
import pytest
from scipy import stats

from ganlab import theory
from ganlab.widgets.core import sliders_in
from ganlab.widgets.discriminator import (
    discriminator_figure,
    discriminator_widget,
    lookup_trained,
    train_discriminator_grid,
    update_discriminator,
)
from ganlab.widgets.mle import gaussian_log_likelihood, gaussian_mle, mle_figure, mle_widget, update_mle


@pytest.fixture(scope="module")
def data():
    return np.random.default_rng(0).normal(2.0, 1.5, 300)


def test_log_likelihood_and_mle_match_scipy(data):
    assert gaussian_log_likelihood(data, 1.0, 2.0) == pytest.approx(stats.norm.logpdf(data, 1.0, 2.0).sum(), rel=1e-12)
    mu, sigma = gaussian_mle(data)
    assert (mu, sigma) == pytest.approx(stats.norm.fit(data), rel=1e-9)
    best = gaussian_log_likelihood(data, mu, sigma)
    for dm, ds in [(0.1, 0), (-0.1, 0), (0, 0.1), (0, -0.1)]:
        assert gaussian_log_likelihood(data, mu + dm, sigma + ds) < best
    with pytest.raises(ValueError, match="sigma must be positive"):
        gaussian_log_likelihood(data, 0.0, 0.0)


def test_mle_callback_returns_log_likelihood_and_moves_the_line(data):
    fig, artists = mle_figure(data, 0.0, 1.0)
    before = artists["line"].get_ydata().copy()
    ll = update_mle(artists, 2.0, 1.5)
    assert ll == pytest.approx(gaussian_log_likelihood(data, 2.0, 1.5))
    assert not np.allclose(before, artists["line"].get_ydata())
    assert artists["marker"].get_xdata()[0] == 2.0


def test_mle_widget_slider_changes_image_and_readout(data):
    widget = mle_widget(data, mu=0.0, sigma=1.0)
    mu_slider, sigma_slider = sliders_in(widget)
    readout, image = widget.children[1], widget.children[2]
    png, text = image.value, readout.value
    assert png[:2] == b"\xff\xd8" and image.format == "jpeg"  # a JPEG frame (BlitFigureImage's default)
    mu_slider.value = 1.5
    assert image.value != png and readout.value != text
    assert f"{gaussian_log_likelihood(data, 1.5, 1.0):.2f}" in readout.value
    png = image.value
    sigma_slider.value = 2.0
    assert image.value != png


P_DATA = theory.mixture([0.5, 0.5], [-1.5, 1.5], [0.6, 0.6])


@pytest.fixture(scope="module")
def trained():
    # small and short: this tests the plumbing; the notebook measures the accuracy
    return train_discriminator_grid(P_DATA, means=[-1.0, 0.0, 1.0], stds=[0.5, 1.0], grid=np.linspace(-4, 4, 101),
                                    steps=300, batch=128, width=16)


def test_train_discriminator_grid_shapes_and_direction(trained):
    assert trained["d"].shape == (3, 2, 101)
    assert np.all((trained["d"] >= 0) & (trained["d"] <= 1))
    # p_g = N(-1, 0.5^2) sits on p_data's left mode: D is low there and high on the right mode
    d = lookup_trained(trained, -1.0, 0.5)
    grid = trained["grid"]
    assert d[np.argmin(np.abs(grid + 1.0))] < 0.5 < d[np.argmin(np.abs(grid - 1.5))]
    assert np.array_equal(lookup_trained(trained, -0.9, 0.55), trained["d"][0, 0])  # the nearest table entry
    with pytest.raises(ValueError, match="positive"):
        train_discriminator_grid(P_DATA, [0.0], [1.0], [0.0], steps=0)


def test_discriminator_callback_computes_d_star(trained):
    fig, artists = discriminator_figure(P_DATA, trained["grid"], 0.0, 1.0, trained)
    out = update_discriminator(artists, 1.0, 0.5)
    grid = trained["grid"]
    pd, pg = P_DATA.pdf(grid), stats.norm.pdf(grid, 1.0, 0.5)
    assert np.allclose(out["d_star"], pd / (pd + pg), atol=1e-12)
    assert np.allclose(artists["dstar_line"].get_ydata(), out["d_star"])
    assert out["max_error"] is not None and 0 <= out["max_error"] <= 1
    # without trained networks the analytic part still works
    fig, artists = discriminator_figure(P_DATA, grid, 0.0, 1.0, None)
    assert update_discriminator(artists, 0.0, 1.0)["max_error"] is None


def test_discriminator_widget_slider_changes_image_and_readout(trained):
    widget = discriminator_widget(P_DATA, trained, mean=0.0, std=1.0)
    mean_slider, std_slider = sliders_in(widget)
    assert (mean_slider.min, mean_slider.max, mean_slider.step) == (-1.0, 1.0, 1.0)
    readout, image = widget.children[1], widget.children[2]
    png, text = image.value, readout.value
    mean_slider.value = 1.0
    assert image.value != png and readout.value != text
    png = image.value
    std_slider.value = 0.5
    assert image.value != png


def test_d_star_is_half_when_p_g_equals_p_data():
    p = theory.gaussian(0.3, 0.8)
    fig, artists = discriminator_figure(p, np.linspace(-4, 4, 81), 0.3, 0.8)
    out = update_discriminator(artists, 0.3, 0.8)
    assert np.allclose(out["d_star"], 0.5, atol=1e-12)
    assert not math.isnan(out["d_star"].sum())
