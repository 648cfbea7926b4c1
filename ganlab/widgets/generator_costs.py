"""Widget of notebook 04: the three generator costs and the gradient each gives, as D gets stronger.

For a fake sample with logit l = sigma^-1(D(G(z))) the costs (all minimised by G, `ganlab.losses`) are

    saturating          J = log(1 - D)       = -softplus(l)    dJ/dl = -D
    non-saturating      J = -log D           =  softplus(-l)   dJ/dl = -(1 - D)
    maximum likelihood  J = -1/2 exp(l)                        dJ/dl = -1/2 exp(l)

A strong discriminator pushes the fakes' logits far below 0 (D -> 0): the saturating cost's
gradient then vanishes like D, the non-saturating one stays near 1. The slider moves the mean
logit D gives the fakes; the bars show the mean |dJ/dl| each cost passes back to the generator.
"""
from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch

from .. import losses
from .core import BlitFigureImage, float_slider

COSTS = {
    "saturating  log(1-D)": losses.generator_loss_saturating,
    "non-saturating  -log D": losses.generator_loss_non_saturating,
    "max. likelihood  -exp(l)/2": losses.generator_loss_maximum_likelihood,
}
COLORS = ("tab:red", "tab:green", "tab:blue")


def cost_curves(logits) -> dict:
    """Per-sample cost J(l) and its gradients dJ/dl and dJ/dD for each cost, by autograd through
    `ganlab.losses` (float64). dJ/dD = (dJ/dl) / (D (1 - D)), since dD/dl = D (1 - D).

    Returns {name: {'cost', 'grad_logit', 'grad_d'}} of numpy arrays, plus 'd' = sigmoid(logits).
    """
    logits = torch.as_tensor(np.asarray(logits, dtype=float)).requires_grad_(True)
    d = torch.sigmoid(logits).detach()
    out = {"d": d.numpy()}
    for name, loss in COSTS.items():
        per_sample = torch.vmap(loss)(logits)  # each loss is a batch mean; on one scalar it is that sample's cost
        (grad,) = torch.autograd.grad(per_sample.sum(), logits)
        out[name] = {"cost": per_sample.detach().numpy(), "grad_logit": grad.numpy(),
                     "grad_d": (grad / (d * (1 - d))).numpy()}
    return out


def fake_logits(mean_logit: float, spread: float = 1.0, n: int = 256, seed: int = 0) -> np.ndarray:
    """The logits a discriminator gives a batch of fakes: mean_logit + spread * N(0, 1) (fixed draws)."""
    if spread < 0:
        raise ValueError(f"spread must be non-negative, got {spread}")
    return mean_logit + spread * np.random.default_rng(seed).standard_normal(n)


def gradient_magnitudes(mean_logit: float, spread: float = 1.0) -> dict:
    """Mean |dJ/dl| over the fake batch, for each cost: what the widget's bars show."""
    curves = cost_curves(fake_logits(mean_logit, spread))
    return {name: float(np.abs(curves[name]["grad_logit"]).mean()) for name in COSTS}


def generator_costs_widget(mean_logit: float = -6.0, spread: float = 1.0, dpi: int = 80):
    """Slider: the mean logit D gives the fakes (left = a confident D). Panels: the costs against
    D(G(z)) (the lecture's figure), |dJ/dl| against the logit, and the mean gradient each cost gives.

    Returns a VBox; `box.update(mean_logit)` is the slider's callback and `box.values` the numbers shown.
    """
    d_axis = np.linspace(1e-4, 1 - 1e-4, 400)
    l_axis = np.linspace(-12, 4, 400)
    by_d, by_l = cost_curves(np.log(d_axis) - np.log1p(-d_axis)), cost_curves(l_axis)
    names = list(COSTS)

    fig, (ax_c, ax_g, ax_b) = plt.subplots(1, 3, figsize=(13, 3.8))
    markers_c, markers_g = [], []
    for name, color in zip(names, COLORS):
        ax_c.plot(d_axis, by_d[name]["cost"], color=color, label=name)
        ax_g.semilogy(l_axis, np.abs(by_l[name]["grad_logit"]), color=color, label=name)
        markers_c.append(ax_c.plot([], [], "o", color=color, ms=8)[0])
        markers_g.append(ax_g.plot([], [], "o", color=color, ms=8)[0])
    ax_c.set(xlabel="D(G(z))", ylabel="generator cost J(G)", ylim=(-10, 10), title="the three costs")
    ax_c.legend(fontsize=8, loc="lower left")
    ax_g.set(xlabel="logit l of a fake", ylabel="|dJ/dl|", ylim=(1e-6, 1e2), title="gradient against the logit")
    vline_c, vline_g = ax_c.axvline(0.5, color="k", lw=0.8), ax_g.axvline(0.0, color="k", lw=0.8)
    bars = ax_b.bar(range(3), [1, 1, 1], color=COLORS, log=True)
    ax_b.set(xticks=range(3), xticklabels=["saturating", "non-sat.", "max. lik."], ylim=(1e-7, 1e2),
             ylabel="mean |dJ/dl| over the fakes")
    ax_b.set_title("gradient each cost gives")
    fig.tight_layout()
    view = BlitFigureImage(fig, [*markers_c, *markers_g, vline_c, vline_g, *bars], dpi=dpi)
    slider = float_slider("D's mean logit on fakes", mean_logit, -12.0, 4.0, 0.25)
    readout = w.HTML()  # the numbers as text: cheaper than drawing them into the figure
    box = w.VBox([slider, readout, view.image])

    def update(value: float) -> dict:
        curves = cost_curves(np.concatenate([[value], fake_logits(value, spread)]))  # [the mean, the batch]
        mags = {name: float(np.abs(curves[name]["grad_logit"][1:]).mean()) for name in names}
        d = float(curves["d"][0])
        for i, name in enumerate(names):
            markers_c[i].set_data([d], [curves[name]["cost"][0]])
            markers_g[i].set_data([value], [abs(curves[name]["grad_logit"][0])])
            bars[i].set_height(mags[name])
        vline_c.set_xdata([d, d])
        vline_g.set_xdata([value, value])
        readout.value = (f"D(G(z)) = {d:.2e} &nbsp; mean |dJ/dl|: saturating {mags[names[0]]:.2e}, "
                         f"non-saturating {mags[names[1]]:.2e}, max. likelihood {mags[names[2]]:.2e} &nbsp; "
                         f"(non-saturating / saturating = {mags[names[1]] / mags[names[0]]:.3g}x)")
        view.redraw()
        box.values = {"mean_logit": value, "d": d, **mags}
        return box.values

    slider.observe(lambda change: update(change["new"]), names="value")
    box.update = update
    update(mean_logit)
    return box
