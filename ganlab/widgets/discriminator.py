"""Notebook 02's widget: move the generator's distribution p_g and watch the optimal discriminator
D*(x) = p_data(x) / (p_data(x) + p_g(x)) and a network discriminator trained on samples.

The trained discriminators are computed once, when the notebook runs: `train_discriminator_grid`
trains one small MLP for every (mean, std) of p_g on the sliders' grid, all of them at once as a
batch of independent networks (`ganlab.nets.batched`: one batched matrix multiply per layer). A slider move then only
looks the right one up, so the widget answers as fast as its analytic part.
"""
from __future__ import annotations

import math

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import theory
from ..nets.batched import BatchedLinear
from .core import BlitFigureImage, float_slider


def discriminator_grid_nets(k: int, width: int, generator: torch.Generator) -> nn.Sequential:
    """k independent 1 -> width -> width -> 1 MLPs as one network (`ganlab.nets.batched`), SiLU to keep D
    smooth; weights drawn from `generator` at PyTorch's default (Kaiming-uniform) scale, U(-1/sqrt(in), 1/sqrt(in))."""
    layers = []
    for fan_in, fan_out in [(1, width), (width, width), (width, 1)]:
        bound = 1 / math.sqrt(fan_in)
        weight = (torch.rand(k, fan_in, fan_out, generator=generator) * 2 - 1) * bound
        bias = (torch.rand(k, 1, fan_out, generator=generator) * 2 - 1) * bound
        layers.append(BatchedLinear.from_tensors(weight.transpose(1, 2), bias))
    return nn.Sequential(layers[0], nn.SiLU(),   # (k, batch, 1) -> (k, batch, width)
                         layers[1], nn.SiLU(),   # (k, batch, width)
                         layers[2])              # (k, batch, 1): one logit per sample


def train_discriminator_grid(p_data, means, stds, grid, steps: int = 1500, batch: int = 256, width: int = 32,
                             lr: float = 3e-3, seed: int = 0) -> dict:
    """Train one discriminator per p_g = N(mean, std^2), for every mean in `means` and std in `stds`,
    on fresh samples of p_data (a Mixture1D) and p_g at each step, with the GAN discriminator's loss
    (BCE on logits, real = 1, fake = 0). Returns {'means', 'stds', 'grid', 'd'} with d of shape
    (len(means), len(stds), len(grid)): each trained D(x) = sigmoid(logit) on `grid`."""
    if steps <= 0 or batch <= 0 or width <= 0:
        raise ValueError(f"steps, batch and width must be positive, got {steps}, {batch}, {width}")
    gen = torch.Generator().manual_seed(seed)
    mg, sg = np.meshgrid(np.asarray(means, float), np.asarray(stds, float), indexing="ij")
    k = mg.size
    g_mean = torch.tensor(mg.ravel(), dtype=torch.float32).view(k, 1, 1)
    g_std = torch.tensor(sg.ravel(), dtype=torch.float32).view(k, 1, 1)
    nets = discriminator_grid_nets(k, width, gen)
    opt = torch.optim.Adam(nets.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)  # a decaying step: D settles instead of jittering
    for _ in range(steps):
        real = p_data.sample(k * batch, generator=gen).view(k, batch, 1)
        fake = g_mean + g_std * torch.randn(k, batch, 1, generator=gen)
        real_logits, fake_logits = nets(real), nets(fake)
        # the GAN discriminator's loss for each network, summed over the k independent networks
        real_loss = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits), reduction="none")
        fake_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits), reduction="none")
        loss = (real_loss.mean((1, 2)) + fake_loss.mean((1, 2))).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        x = torch.tensor(np.asarray(grid, float), dtype=torch.float32).view(1, -1, 1).expand(k, -1, -1)
        d = torch.sigmoid(nets(x)).view(mg.shape[0], mg.shape[1], -1).numpy()
    return {"means": np.asarray(means, float), "stds": np.asarray(stds, float), "grid": np.asarray(grid, float), "d": d}


def lookup_trained(trained: dict, mean: float, std: float) -> np.ndarray:
    """The trained D on the grid for the (mean, std) of the table nearest to the one asked."""
    i = int(np.abs(trained["means"] - mean).argmin())
    j = int(np.abs(trained["stds"] - std).argmin())
    return trained["d"][i, j]


def discriminator_figure(p_data, grid, mean: float, std: float, trained: dict | None = None,
                         mass_threshold: float = 0.05):
    """Build the figure once: densities on top, D* (and the trained D) below. Returns (fig, artists)."""
    grid = np.asarray(grid, float)
    pd = p_data.pdf(grid)
    fig, (ax, ax_d) = plt.subplots(2, 1, figsize=(8, 5.6), sharex=True, gridspec_kw={"height_ratios": [1, 1]})
    ax.fill_between(grid, pd, color="k", alpha=0.15)
    ax.plot(grid, pd, "k", lw=2, label="p_data")
    (pg_line,) = ax.plot(grid, np.zeros_like(grid), color="tab:orange", lw=2, label="p_g = N(mean, std²)")
    ax.set(ylim=(0, 1.3 * max(pd.max(), 1 / (math.sqrt(2 * math.pi) * 0.5))), ylabel="density")
    ax.legend(loc="upper right", fontsize=9)
    ax_d.axhline(0.5, color="0.6", ls=":", lw=1)
    (dstar_line,) = ax_d.plot(grid, np.zeros_like(grid), color="tab:blue", lw=3, label="D* = p_data / (p_data + p_g)")
    (trained_line,) = ax_d.plot(grid, np.full_like(grid, np.nan), color="tab:red", lw=1.5, ls="--",
                                label="network D trained on samples")
    ax_d.set(ylim=(-0.03, 1.03), xlim=(grid[0], grid[-1]), xlabel="x", ylabel="D(x)")
    ax_d.legend(loc="lower left", fontsize=9)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.09, top=0.93, hspace=0.08)
    artists = {"grid": grid, "pd": pd, "d_star": theory.optimal_discriminator, "p_data": p_data, "trained": trained,
               "pg_line": pg_line, "dstar_line": dstar_line, "trained_line": trained_line, "title": ax.title,
               "mass_threshold": mass_threshold, "moving": [pg_line, dstar_line, trained_line, ax.title]}
    update_discriminator(artists, mean, std)
    return fig, artists


def update_discriminator(artists: dict, mean: float, std: float) -> dict:
    """The callback: p_g, D* and the trained D for p_g = N(mean, std^2). Returns the curves and,
    when trained Ds are given, the max |D - D*| where p_data + p_g > mass_threshold."""
    grid, p_data = artists["grid"], artists["p_data"]
    p_g = theory.gaussian(mean, std)
    pg = theory.density(p_g)(grid)
    d_star = artists["d_star"](p_data, p_g)(grid)
    artists["pg_line"].set_ydata(pg)
    artists["dstar_line"].set_ydata(d_star)
    out = {"p_g": pg, "d_star": d_star, "trained": None, "max_error": None}
    title = f"p_g = N({mean:.2f}, {std:.2f}²)"
    if artists["trained"] is not None:
        trained = lookup_trained(artists["trained"], mean, std)
        mass = (artists["pd"] + pg) > artists["mass_threshold"]
        out["trained"], out["max_error"] = trained, float(np.abs(trained - d_star)[mass].max())
        artists["trained_line"].set_ydata(trained)
        title += f":  max |D - D*| = {out['max_error']:.3f} where p_data + p_g > {artists['mass_threshold']}"
    artists["title"].set_text(title)
    return out


def discriminator_widget(p_data, trained: dict | None = None, mean: float = 0.0, std: float = 1.0,
                         grid=None) -> w.VBox:
    """Sliders for p_g's mean and std; the figure; a readout of the gap between the trained D and D*.
    With `trained` (from `train_discriminator_grid`) the sliders step through its table."""
    if trained is not None:
        grid = trained["grid"]
        means, stds = trained["means"], trained["stds"]
        m_step = float(np.diff(means).min()) if len(means) > 1 else 0.1
        s_step = float(np.diff(stds).min()) if len(stds) > 1 else 0.1
        m_lo, m_hi, s_lo, s_hi = means.min(), means.max(), stds.min(), stds.max()
    else:
        grid = np.linspace(-5, 6, 500) if grid is None else grid
        m_step, s_step, m_lo, m_hi, s_lo, s_hi = 0.05, 0.05, -3.0, 4.0, 0.3, 3.0
    fig, artists = discriminator_figure(p_data, grid, mean, std, trained)
    view = BlitFigureImage(fig, artists["moving"])
    mean_slider = float_slider("p_g mean", mean, m_lo, m_hi, m_step)
    std_slider = float_slider("p_g std", std, s_lo, s_hi, s_step)
    readout = w.HTML()

    def on_change(_=None):
        out = update_discriminator(artists, mean_slider.value, std_slider.value)
        where = np.abs(out["d_star"] - 0.5) < 0.01
        readout.value = (f"D* ranges over [{out['d_star'].min():.2f}, {out['d_star'].max():.2f}]; "
                         f"D* = 1/2 on {where.mean():.0%} of the plotted range"
                         + ("" if out["max_error"] is None else f"; trained D within {out['max_error']:.3f} of D*"))
        view.redraw()

    for slider in (mean_slider, std_slider):
        slider.observe(on_change, names="value")
    on_change()
    return w.VBox([w.HBox([mean_slider, std_slider]), readout, view.image])
