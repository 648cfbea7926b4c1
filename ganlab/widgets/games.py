"""Widget of notebook 11: the Dirac-GAN played by an update rule, with a regulariser.

Choose the update rule (simultaneous, alternating, extragradient, optimistic), the regulariser (none, R1,
instance noise, consensus, WGAN with clipping, WGAN-GP) and move the step size h and the regulariser's
weight: the vector field, the trajectory from (1, 1) and the eigenvalues on the complex plane follow.
Crosses are the eigenvalues lambda of the field's Jacobian at the equilibrium (the continuous-time
picture: Re lambda < 0 converges); dots are the eigenvalues mu of the update map (the rule with step h
converges when every |mu| < 1, inside the unit circle). All numbers come from `ganlab.games`.
"""
from __future__ import annotations

import functools

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np

from .. import games
from .core import BlitFigureImage, float_slider

# regulariser -> (dirac_field settings for a weight, step settings, what the weight means)
REGULARISERS = {
    "none": (lambda c: {}, lambda c: {}, "unused"),
    "R1": (lambda c: {"r1": c}, lambda c: {}, "gamma"),
    "instance noise": (lambda c: {"noise": c}, lambda c: {}, "sigma"),
    "consensus": (lambda c: {"consensus": c}, lambda c: {}, "consensus weight"),
    "WGAN, clipping": (lambda c: {"loss": "wgan"}, lambda c: {"clip": max(c, 1e-3), "n_critic": 5}, "clip c"),
    "WGAN-GP": (lambda c: {"loss": "wgan", "gp": c}, lambda c: {"n_critic": 5}, "penalty weight"),
}
START, LIM, GRID = (1.0, 1.0), 2.2, 15


def game_state(rule: str, regulariser: str, h: float, weight: float, steps: int = 300) -> dict:
    """Everything the widget shows for one setting: the field on a grid, the trajectory from (1, 1),
    the eigenvalues lambda of J at (0, 0) (none for WGAN-GP: no derivative at psi = 0) and mu of the
    update map, and the final distance to the equilibrium. WGAN recipes train the critic 5 steps per G step."""
    if regulariser not in REGULARISERS:
        raise ValueError(f"unknown regulariser {regulariser!r}; choose one of {', '.join(map(repr, REGULARISERS))}")
    if not h > 0:
        raise ValueError(f"step size h must be > 0, got {h!r}")
    field_kw, step_kw, _ = REGULARISERS[regulariser]
    field = functools.partial(games.dirac_field, **field_kw(weight))
    axis = np.linspace(-LIM, LIM, GRID)
    grid = np.stack(np.meshgrid(axis, axis), axis=-1)  # [GRID, GRID, 2]: (theta, psi)
    path = games.trajectory(rule, field, START, h, steps, **step_kw(weight))
    if regulariser == "WGAN-GP":
        lam = mu = np.array([], dtype=complex)
    else:
        kw = {k: v for k, v in field_kw(weight).items()}
        lam = games.dirac_eigenvalues(**kw)
        mu = games.update_eigenvalues(rule, field, h, **step_kw(weight))
    return {"grid": grid, "field": field(grid), "path": path, "lambda": lam, "mu": mu,
            "distance": float(np.linalg.norm(path[-1])), "max_abs_mu": float(np.abs(mu).max()) if mu.size else np.nan}


def games_widget(rule: str = "simultaneous", regulariser: str = "R1", h: float = 0.2, weight: float = 0.3,
                 steps: int = 300, dpi: int = 80):
    """Dropdowns: update rule, regulariser; sliders: step size h, regulariser weight. Left, the field and the
    trajectory; right, lambda (crosses) and mu (dots) on the complex plane with the unit circle.
    Returns a VBox; `box.update(rule, regulariser, h, weight)` is the callback and `box.values` what it shows."""
    first = game_state(rule, regulariser, h, weight, steps)
    fig, (ax_f, ax_e) = plt.subplots(1, 2, figsize=(11, 4.8))
    grid = first["grid"]
    arrows = ax_f.quiver(grid[..., 0], grid[..., 1], *_arrows(first["field"]), color="0.45", angles="xy",
                         scale_units="xy", scale=1 / 0.25, width=0.004)
    (path,) = ax_f.plot([], [], color="tab:orange", lw=1.6, label="trajectory from (1, 1)")
    (end,) = ax_f.plot([], [], "o", color="tab:red", ms=7, label="end")
    ax_f.plot([0], [0], "*", color="k", ms=12, label="equilibrium (0, 0)")
    ax_f.set(xlim=(-LIM, LIM), ylim=(-LIM, LIM), xlabel="theta (generator)", ylabel="psi (discriminator)",
             aspect="equal")
    ax_f.legend(loc="lower left", fontsize=8)
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    ax_e.plot(circle.real, circle.imag, color="tab:green", lw=1, label="|mu| = 1")
    ax_e.axvline(0, color="0.6", lw=0.8, ls="--", label="Re lambda = 0")
    ax_e.axhline(0, color="0.8", lw=0.5)
    (lam,) = ax_e.plot([], [], "x", color="tab:blue", ms=10, mew=2, label="lambda of J at (0, 0)")
    (mu,) = ax_e.plot([], [], "o", color="tab:red", ms=7, label="mu of the update map")
    ax_e.set(xlim=(-2.0, 1.6), ylim=(-1.4, 1.4), xlabel="real part", ylabel="imaginary part", aspect="equal",
             title="eigenvalues on the complex plane")
    ax_e.legend(loc="lower left", fontsize=8)
    ax_f.set_title(f"Dirac-GAN: field and trajectory ({steps} steps)")
    fig.tight_layout()
    view = BlitFigureImage(fig, [arrows, path, end, lam, mu], dpi=dpi)

    rule_box = w.Dropdown(options=games.RULES, value=rule, description="update rule")
    reg_box = w.Dropdown(options=list(REGULARISERS), value=regulariser, description="regulariser")
    h_slider = float_slider("step size h", h, 0.02, 0.5, 0.02)
    weight_slider = float_slider("regulariser weight", weight, 0.0, 2.0, 0.05)
    readout = w.HTML()
    box = w.VBox([w.HBox([rule_box, reg_box]), h_slider, weight_slider, readout, view.image])

    def update(rule: str, regulariser: str, h: float, weight: float) -> dict:
        state = game_state(rule, regulariser, float(h), float(weight), steps)
        arrows.set_UVC(*_arrows(state["field"]))
        path.set_data(state["path"][:, 0], state["path"][:, 1])
        end.set_data(state["path"][-1:, 0], state["path"][-1:, 1])
        lam.set_data(state["lambda"].real, state["lambda"].imag)
        mu.set_data(state["mu"].real, state["mu"].imag)
        converges = state["max_abs_mu"] < 1 - 1e-6  # |mu| = 1 up to rounding is an orbit
        verdict = ("no eigenvalues (no derivative at psi = 0)" if np.isnan(state["max_abs_mu"])
                   else f"max |mu| = {state['max_abs_mu']:.4f}: {'converges' if converges else 'does not converge'}")
        readout.value = (f"{REGULARISERS[regulariser][2]} = {weight:.2f}, h = {h:.2f} &nbsp; {verdict} &nbsp; "
                         f"distance to (0, 0) after {steps} steps: {state['distance']:.3g}")
        view.redraw()
        box.values = state
        return state

    def on_change(_):
        update(rule_box.value, reg_box.value, h_slider.value, weight_slider.value)

    for control in (rule_box, reg_box, h_slider, weight_slider):
        control.observe(on_change, names="value")
    box.update = update
    update(rule, regulariser, h, weight)
    return box


def _arrows(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrow components scaled so that the longest arrow has length 1 (directions and relative speeds)."""
    scale = max(float(np.abs(v).max()), 1e-12)
    return v[..., 0] / scale, v[..., 1] / scale
