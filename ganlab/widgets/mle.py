"""Notebook 01's widget: move mu and sigma of a Gaussian model and watch its fit to the data.

Left: the histogram of the data, the model density N(x; mu, sigma^2) over it, and the MLE's mean
marked. Right: the average log-likelihood over (mu, sigma), with the current model and the MLE
marked. The figure is built once; a slider move updates two lines, a marker and the title.
"""
from __future__ import annotations

import math

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .core import BlitFigureImage, float_slider


def gaussian_log_likelihood(x, mu: float, sigma: float) -> float:
    """log L(mu, sigma) = sum_i log N(x_i; mu, sigma^2)
                       = -n/2 log(2 pi sigma^2) - sum_i (x_i - mu)^2 / (2 sigma^2)."""
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma!r}")
    x = np.asarray(x, dtype=float)
    return float(-0.5 * x.size * math.log(2 * math.pi * sigma**2) - ((x - mu) ** 2).sum() / (2 * sigma**2))


def gaussian_mle(x) -> tuple[float, float]:
    """The closed-form MLE of a Gaussian: mu_hat = mean(x), sigma_hat = sqrt(mean((x - mu_hat)^2))."""
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std())


def mle_figure(data, mu: float, sigma: float, lim=None):
    """Build the figure once; returns (fig, artists) for `update_mle`."""
    x = np.asarray(data, dtype=float).ravel()
    mu_hat, sigma_hat = gaussian_mle(x)
    lo, hi = lim if lim is not None else (x.min() - 1.0, x.max() + 1.0)
    grid = np.linspace(lo, hi, 400)
    fig, (ax, ax_ll) = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [1.4, 1]})
    heights, _, _ = ax.hist(x, bins=40, range=(lo, hi), density=True, color="0.8", label=f"data (n = {x.size})")
    (line,) = ax.plot(grid, np.zeros_like(grid), color="tab:blue", lw=2, label="model N(μ, σ²)")
    ax.axvline(mu_hat, color="tab:red", ls="--", lw=1.5, label=f"MLE mean = {mu_hat:.2f}")
    top = max(heights.max(), 1 / (sigma_hat * math.sqrt(2 * math.pi)))  # a narrower model runs off the top
    ax.set(xlim=(lo, hi), ylim=(0, 1.6 * top), xlabel="x")
    ax.legend(loc="upper left", fontsize=8)
    # right: average log-likelihood over a (mu, sigma) grid, computed once from sufficient statistics
    mus = np.linspace(mu_hat - 3 * sigma_hat, mu_hat + 3 * sigma_hat, 121)
    sigmas = np.linspace(0.25 * sigma_hat, 3 * sigma_hat, 100)
    M, S = np.meshgrid(mus, sigmas)
    mean_sq = ((x[:, None] - mus) ** 2).mean(0)  # (len(mus),): mean (x - mu)^2 for each mu
    avg_ll = -0.5 * np.log(2 * math.pi * S**2) - mean_sq[None, :] / (2 * S**2)
    ax_ll.imshow(np.maximum(avg_ll, avg_ll.max() - 4), origin="lower", aspect="auto", cmap="viridis",
                 extent=(mus[0], mus[-1], sigmas[0], sigmas[-1]))
    ax_ll.plot([mu_hat], [sigma_hat], "r*", ms=14, label="MLE")
    (marker,) = ax_ll.plot([mu], [sigma], "wo", mec="k", ms=9, label="model")
    # plain-text labels: mathtext is parsed again on every draw, which costs more than the plot
    ax_ll.set(xlabel="μ", ylabel="σ", title="average log-likelihood (1/n) log L")
    ax_ll.legend(loc="lower right", fontsize=8)
    # fixed margins, not tight_layout: that leaves a layout engine that makes every savefig draw twice
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
    artists = {"x": x, "grid": grid, "line": line, "marker": marker, "ax": ax, "ax_ll": ax_ll,
               "moving": [line, marker, ax.title]}
    update_mle(artists, mu, sigma)
    return fig, artists


def update_mle(artists: dict, mu: float, sigma: float) -> float:
    """The callback: redraw the model density and the marker for (mu, sigma); returns log L(mu, sigma)."""
    x, grid = artists["x"], artists["grid"]
    artists["line"].set_ydata(np.exp(-((grid - mu) ** 2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi)))
    artists["marker"].set_data([mu], [sigma])
    ll = gaussian_log_likelihood(x, mu, sigma)
    # plain text, not mathtext: parsing a new TeX string on each move costs more than the drawing
    artists["ax"].set_title(f"mu = {mu:.2f}, sigma = {sigma:.2f}:  log L = {ll:.1f}  "
                            f"(at the MLE: {gaussian_log_likelihood(x, *gaussian_mle(x)):.1f})")
    return ll


def mle_widget(data, mu: float = 0.0, sigma: float = 1.0, lim=None) -> w.VBox:
    """Sliders for mu and sigma, the figure, and the log-likelihood as text (read by tests)."""
    fig, artists = mle_figure(data, mu, sigma, lim)
    view = BlitFigureImage(fig, artists["moving"])
    x = artists["x"]
    mu_hat, sigma_hat = gaussian_mle(x)
    mu_slider = float_slider("mu", mu, mu_hat - 3 * sigma_hat, mu_hat + 3 * sigma_hat, 0.05)
    sigma_slider = float_slider("sigma", sigma, 0.25 * sigma_hat, 3 * sigma_hat, 0.05)
    readout = w.HTML()

    def on_change(_=None):
        ll = update_mle(artists, mu_slider.value, sigma_slider.value)
        readout.value = f"<b>log-likelihood</b> log L(mu, sigma) = {ll:.2f}"
        view.redraw()

    for slider in (mu_slider, sigma_slider):
        slider.observe(on_change, names="value")
    on_change()
    return w.VBox([w.HBox([mu_slider, sigma_slider]), readout, view.image])
