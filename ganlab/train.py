"""A readable training loop for the two-player game, and the small named steps it alternates.

    for each step:
        k times: update D to minimise L_D(D(x), D(G(z)))        (`discriminator_step`)
        once:    update G to minimise J_G(D(G(z)))              (`generator_step`)

`fit` runs any step function for a number of steps and keeps a `History`: the per-step scalars it
returns (kept as tensors, synced only every `check_every` steps, so the loop adds no host sync per
step), metrics evaluated at chosen steps, and snapshots. Pressing stop (KeyboardInterrupt) returns
the history so far with the models as they are; a loss that turns NaN or inf stops training with a
`TrainingDiverged` error that names the likely cause and carries the history.
"""
from __future__ import annotations

import time
from typing import Callable, Iterable

import numpy as np
import torch
from tqdm.auto import tqdm

from . import losses
from .nets.mode import evaluating


class TrainingDiverged(RuntimeError):
    """A recorded loss became NaN or infinite. `.history` holds everything recorded before it."""

    def __init__(self, message: str, history: "History"):
        super().__init__(message)
        self.history = history


LIKELY_CAUSE = (
    "Likely cause: a learning rate too high for this model (try 10x lower), or a loss computed from "
    "probabilities, log(sigmoid(x)), instead of on logits (use ganlab.losses); for a WGAN critic, a "
    "missing Lipschitz constraint (weight clipping or a gradient penalty)."
)


class History:
    """Everything one training run recorded: per-step scalars, metrics, snapshots.

    Plots and widgets read it; they never retrain. `series(name)` gives (steps, values) arrays.
    """

    def __init__(self):
        self.steps_done = 0
        self.scalars: dict[str, list[float]] = {}
        self.scalar_steps: list[int] = []
        self.metrics: dict[str, list[float]] = {}
        self.metric_steps: list[int] = []
        self.snapshots: list[dict] = []
        self.interrupted = False
        self.seconds = 0.0
        self._pending_steps: list[int] = []
        self._pending: list[dict[str, torch.Tensor]] = []

    def log(self, step: int, values: dict[str, torch.Tensor]) -> None:
        """Record one step's scalars without a host sync (they are stacked at `flush`)."""
        self._pending_steps.append(step)
        self._pending.append({k: v.detach() if torch.is_tensor(v) else torch.tensor(float(v))
                              for k, v in values.items()})

    def flush(self) -> tuple[str, int, float] | None:
        """Move pending scalars to floats (one sync). Returns (name, step, value) of the first
        non-finite value, or None."""
        if not self._pending:
            return None
        names = list(self._pending[0])
        stacked = {n: torch.stack([p[n].reshape(()) for p in self._pending]).float().cpu().numpy() for n in names}
        steps = self._pending_steps
        self._pending, self._pending_steps = [], []
        bad = None
        for n, values in stacked.items():
            self.scalars.setdefault(n, []).extend(values.tolist())
            finite = np.isfinite(values)
            if bad is None and not finite.all():
                i = int(np.argmin(finite))
                bad = (n, steps[i], float(values[i]))
        self.scalar_steps.extend(steps)
        return bad

    def add_metrics(self, step: int, values: dict[str, float]) -> None:
        self.metric_steps.append(step)
        for k, v in values.items():
            self.metrics.setdefault(k, []).append(float(v))

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of a recorded scalar or metric."""
        if name in self.scalars:
            return np.asarray(self.scalar_steps), np.asarray(self.scalars[name])
        if name in self.metrics:
            return np.asarray(self.metric_steps), np.asarray(self.metrics[name])
        known = sorted(self.scalars) + sorted(self.metrics)
        raise KeyError(f"nothing recorded as {name!r}; recorded: {', '.join(known) or 'nothing yet'}")

    def last(self, name: str) -> float:
        return float(self.series(name)[1][-1])

    def __repr__(self) -> str:
        state = " (interrupted)" if self.interrupted else ""
        return (f"History({self.steps_done} steps{state}, {self.seconds:.1f} s, scalars={sorted(self.scalars)}, "
                f"metrics={sorted(self.metrics)}, {len(self.snapshots)} snapshots)")


def fit(step_fn: Callable[[int], dict], steps: int, history: History | None = None, *,
        snapshot_at: Iterable[int] = (), snapshot_fn: Callable[[], dict] | None = None,
        eval_every: int | None = None, eval_fn: Callable[[], dict] | None = None,
        check_every: int = 100, progress: bool = True, desc: str = "training") -> History:
    """Run `step_fn(step)` `steps` times, recording what it returns into `history`.

    Passing the history of an earlier (or interrupted) run continues it. After `n` completed steps
    (n = 0 before the first), a snapshot is taken when n is in `snapshot_at` and metrics are
    evaluated when n is a multiple of `eval_every` and at the end.
    """
    if not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if check_every <= 0:
        raise ValueError(f"check_every must be positive, got {check_every}")
    history = History() if history is None else history
    snapshot_at = set(snapshot_at)
    if snapshot_at and snapshot_fn is None:
        raise ValueError("snapshot_at needs a snapshot_fn that returns what to keep")
    if eval_every is not None and (eval_fn is None or eval_every <= 0):
        raise ValueError("eval_every needs a positive value and an eval_fn that returns a dict of metrics")

    def observe(done: int, final: bool = False):
        if done in snapshot_at and not any(s["step"] == done for s in history.snapshots):
            history.snapshots.append({"step": done, **snapshot_fn()})
        if eval_every and (done % eval_every == 0 or final) and done not in history.metric_steps:
            history.add_metrics(done, eval_fn())

    def check():
        bad = history.flush()
        if bad is not None:
            name, step, value = bad
            raise TrainingDiverged(f"training stopped: {name} became {value} at step {step}. {LIKELY_CAUSE}", history)

    start, t0 = history.steps_done, time.perf_counter()
    bar = tqdm(total=steps, desc=desc, disable=not progress, mininterval=0.5, leave=False)
    try:
        observe(start)
        for step in range(start, start + steps):
            history.log(step, step_fn(step))
            history.steps_done = step + 1
            if history.steps_done % check_every == 0:
                check()
                bar.update(history.steps_done - start - bar.n)
            observe(history.steps_done, final=step == start + steps - 1)
        check()
    except KeyboardInterrupt:
        history.interrupted = True
        print(f"Interrupted after {history.steps_done} steps: the models and the history are kept. "
              "Pass the history back to fit/train_gan to continue.")
    finally:
        history.seconds += time.perf_counter() - t0
        bar.close()
    if history.interrupted:
        history.flush()
    return history


def grad_norm(module: torch.nn.Module) -> torch.Tensor:
    """The L2 norm of all of a module's parameter gradients, as a tensor (no host sync)."""
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))


def discriminator_step(G, D, opt_d, real, z, loss=losses.discriminator_loss, penalty=None,
                       clip: float | None = None) -> dict:
    """One update of D (or a WGAN critic): minimise loss(D(x), D(G(z))) [+ penalty(D, x, G(z))].

    Taught in notebook 00 (`discriminator_update`); tests/test_taught_steps.py keeps the two equal.

    `clip` clamps D's weights to [-clip, clip] after the update (the original WGAN's constraint).
    A loss may also be one value per seed, for S networks trained at once (`ganlab.sweep`): the update
    follows the sum over seeds, whose gradient is each seed's own (a single loss is its own sum).
    """
    with torch.no_grad():
        fake = G(z)
    loss_d = loss(D(real), D(fake))
    total = loss_d
    out = {"loss_d": loss_d.detach()}
    if penalty is not None:
        pen = penalty(D, real, fake)
        total = total + pen
        out["penalty"] = pen.detach()
    opt_d.zero_grad(set_to_none=True)
    total.sum().backward()
    out["grad_norm_d"] = grad_norm(D)
    opt_d.step()
    if clip is not None:
        with torch.no_grad():
            for p in D.parameters():
                p.clamp_(-clip, clip)
    return out


def generator_step(G, D, opt_g, z, loss=losses.generator_loss_non_saturating) -> dict:
    """One update of G: minimise loss(D(G(z))), e.g. the non-saturating -log D(G(z)).

    Taught in notebook 00 (`generator_update`); tests/test_taught_steps.py keeps the two equal.
    As in `discriminator_step`, a loss with one value per seed is followed by its sum over seeds."""
    loss_g = loss(D(G(z)))
    opt_g.zero_grad(set_to_none=True)
    loss_g.sum().backward()
    norm = grad_norm(G)
    opt_g.step()
    return {"loss_g": loss_g.detach(), "grad_norm_g": norm}


def gan_step(G, D, opt_g, opt_d, sample_real: Callable[[], torch.Tensor], sample_z: Callable[[], torch.Tensor], *,
             k: int = 1, d_loss=losses.discriminator_loss, g_loss=losses.generator_loss_non_saturating,
             penalty=None, clip: float | None = None) -> Callable[[int], dict]:
    """The step function of Algorithm 1 (Goodfellow et al., 2014): k updates of D, then one of G."""
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k (discriminator steps per generator step) must be a positive integer, got {k!r}")

    def step(_: int) -> dict:
        for _ in range(k):
            d_out = discriminator_step(G, D, opt_d, sample_real(), sample_z(), d_loss, penalty, clip)
        return d_out | generator_step(G, D, opt_g, sample_z(), g_loss)

    return step


def train_gan(G, D, opt_g, opt_d, sample_real, sample_z, steps: int, history: History | None = None, *,
              k: int = 1, d_loss=losses.discriminator_loss, g_loss=losses.generator_loss_non_saturating,
              penalty=None, clip: float | None = None, **fit_kwargs) -> History:
    """Train G against D for `steps` generator updates; see `gan_step` and `fit`."""
    step = gan_step(G, D, opt_g, opt_d, sample_real, sample_z, k=k, d_loss=d_loss, g_loss=g_loss, penalty=penalty,
                    clip=clip)
    return fit(step, steps, history, **fit_kwargs)


@torch.no_grad()
def _grid(lim: float, res: int, device) -> torch.Tensor:
    axis = torch.linspace(-lim, lim, res, device=device)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)


def toy_snapshot(G, D, z: torch.Tensor, lim: float = 2.0, res: int = 60, arrows: int = 64) -> dict:
    """What the 2D notebooks keep of a moment in training (all on the CPU):

    samples  G(z) for a fixed z                      (n, 2)
    logits   D's logit on a res x res grid over [-lim, lim]^2   (res, res)
    arrows   (points, directions): grad_x of D's logit at the first `arrows` samples, the way
             every generator loss pushes a sample (towards what D calls real)

    For S networks trained at once (`ganlab.nets.batched`, z of shape (S, n, latent)) every entry has
    a leading seed axis: samples (S, n, 2), logits (S, res, res), arrows (S, arrows, 2) each.
    """
    with evaluating(G, D):
        with torch.no_grad():
            samples = G(z)
            logits = D(_grid(lim, res, z.device)).reshape(*samples.shape[:-2], res, res)
        points = samples[..., :arrows, :].clone().requires_grad_(True)
        (direction,) = torch.autograd.grad(D(points).sum(), points)
    return {"samples": samples.cpu(), "logits": logits.cpu(), "lim": lim,
            "arrows": (points.detach().cpu(), direction.cpu())}
