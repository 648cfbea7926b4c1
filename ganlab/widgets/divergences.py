"""Widget of notebook 03: the parallel-lines example (Arjovsky et al., 2017, Example 1).

Z ~ U[0, 1], P_0 the law of (0, Z), P_theta the law of (theta, Z). For theta != 0

    KL(P_0 || P_theta) = +inf,   JSD(P_0 || P_theta) = log 2,   W1(P_0, P_theta) = |theta|,

and all are 0 at theta = 0: only W1 shrinks as the segments approach, so only W1 gives a gradient
that moves theta towards 0. The numbers shown are those of `ganlab.theory.parallel_lines`.
"""
from __future__ import annotations

import math

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import theory
from .core import BlitFigureImage, float_slider

KL_SHOWN_AT = 1.25  # where the plot draws KL = +inf (the top of the axis)


def divergence_curves(thetas) -> dict:
    """KL, JSD and W1 between P_0 and P_theta for each theta (KL may be +inf), from `theory.parallel_lines`."""
    values = [theory.parallel_lines(t) for t in np.asarray(thetas, dtype=float)]
    return {key: np.array([v[key] for v in values]) for key in ("kl", "jsd", "w1")}


def _describe(values: dict) -> str:
    kl = "+&infin;" if math.isinf(values["kl"]) else f"{values['kl']:.4f}"
    return (f"&theta; = {values['theta']:+.2f} &nbsp; KL(P<sub>0</sub>||P<sub>&theta;</sub>) = {kl}, "
            f"JS = {values['jsd']:.4f} (log 2 = {math.log(2):.4f}), W<sub>1</sub> = {values['w1']:.4f}")


def parallel_lines_widget(theta: float = 0.5, dpi: int = 80):
    """Slider: theta. Left, the two segments in the plane; right, KL, JS and W1 against theta with
    the current values marked. Returns a VBox; `box.update(theta)` is the slider's callback and
    `box.values` the numbers shown ({'theta', 'kl', 'kl_reverse', 'jsd', 'tv', 'w1'})."""
    fig, (ax_p, ax_d) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 1.6]})
    ax_p.plot([0, 0], [0, 1], color="tab:blue", lw=4, label="P_0 = (0, Z)")
    segment = ax_p.plot([theta, theta], [0, 1], color="tab:orange", lw=4, label="P_theta = (theta, Z)")[0]
    ax_p.set(xlim=(-1.2, 1.2), ylim=(-0.1, 1.3), xlabel="x_1", ylabel="x_2", title="the two distributions")
    ax_p.legend(loc="upper center", fontsize=8, ncol=2)

    thetas = np.linspace(-1, 1, 401)
    thetas = thetas[thetas != 0]  # every curve jumps at 0: draw theta = 0 as a separate point
    curves = divergence_curves(thetas)
    for half in (thetas < 0, thetas > 0):
        ax_d.plot(thetas[half], np.where(np.isinf(curves["kl"][half]), KL_SHOWN_AT, curves["kl"][half]),
                  color="tab:red", lw=2)
        ax_d.plot(thetas[half], curves["jsd"][half], color="tab:purple", lw=2)
    ax_d.plot(thetas, curves["w1"], color="tab:green", lw=2, label="W1 = |theta|")
    ax_d.plot([], [], color="tab:red", lw=2, label="KL = +inf (drawn at the top)")
    ax_d.plot([], [], color="tab:purple", lw=2, label="JS = log 2")
    ax_d.plot([0], [0], "ko", ms=5, label="all are 0 at theta = 0")
    ax_d.set(xlim=(-1.05, 1.05), ylim=(-0.05, KL_SHOWN_AT + 0.08), xlabel="theta", ylabel="divergence (nats)",
             title="divergences between P_0 and P_theta")
    ax_d.legend(loc="lower left", fontsize=8)
    marks = {key: ax_d.plot([], [], "o", color=color, ms=10, mec="k")[0]
             for key, color in (("kl", "tab:red"), ("jsd", "tab:purple"), ("w1", "tab:green"))}
    fig.tight_layout()
    view = BlitFigureImage(fig, [segment, *marks.values()], dpi=dpi)
    slider = float_slider("theta", theta, -1.0, 1.0, 0.01)
    readout = w.HTML()
    box = w.VBox([slider, readout, view.image])

    def update(value: float) -> dict:
        values = {"theta": float(value), **theory.parallel_lines(value)}
        segment.set_xdata([value, value])
        for key, mark in marks.items():
            shown = KL_SHOWN_AT if math.isinf(values[key]) else values[key]
            mark.set_data([value], [shown])
        readout.value = _describe(values)
        view.redraw()
        box.values = values
        return values

    slider.observe(lambda change: update(change["new"]), names="value")
    box.update = update
    update(theta)
    return box
