"""Train many small toy GANs at once: one batched computation over seeds, not a Python loop (notebook 05).

Each seed gets its own generator and discriminator (initialised under `torch.manual_seed(seed)`) and
its own random stream (a `torch.Generator` seeded with `seed`), exactly as the sequential run of one
seed (`train_one`) has. The S generators become one network on [S, batch, d] (`ganlab.nets.batched`:
a linear layer of all seeds is one batched matrix product), and so do the S discriminators. Each
seed's loss is the mean over its own batch, and the seeds' losses are summed: the seeds share no
parameters, so the gradient of the sum is each seed's own gradient, and `torch.optim` on the stacked
parameters updates every seed as its own optimiser would. The training step is made of the course's
`ganlab.train.discriminator_step` and `generator_step` (`RecipeStep`). The data are drawn seed by seed
from each seed's stream, so seed s of a sweep is the run `train_one` makes (tests/test_sweep.py checks
it) and is reproducible on its own.

Methods (the toy settings of the papers):
  gan        vanilla GAN, non-saturating G loss, Adam(lr 1e-3, betas (0.5, 0.999)), k = 1
  pacgan     the same, with D judging packs of m = 2 samples concatenated (Lin et al., 2018)
  wgan_gp    WGAN-GP, lambda = 10, Adam(1e-4, betas (0, 0.9)), n_critic = 5 (Gulrajani et al., 2017)
  wgan_clip  WGAN, weights clipped to [-0.01, 0.01], RMSprop(5e-5), n_critic = 5 (Arjovsky et al., 2017)
Any setting can be overridden per sweep, e.g. `lr_end=1e-4` for a learning rate decaying linearly,
`r1_gamma=1.0` for the R1 penalty (gamma/2) E_x ||grad_x D(x)||^2 on real data (Mescheder et al., 2018), or
`lr_d=4e-3` for two time-scales (TTUR, Heusel et al., 2017: D's rate lr_d, G's lr); notebook 11 uses both.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Callable, Iterable, Sequence

import numpy as np
import torch
from torch import nn
from torch.func import vmap

from . import losses, nets, train
from .nets import batched
from .train import History


@dataclass(frozen=True, kw_only=True)
class Method:
    """One GAN recipe: losses, optimiser and its settings, critic steps per G step, constraint."""

    d_loss: Callable
    g_loss: Callable
    optimizer: str            # 'adam' or 'rmsprop'
    lr: float
    betas: tuple[float, float] = (0.9, 0.999)   # Adam only
    n_critic: int = 1
    gp_lambda: float | None = None
    clip: float | None = None
    pack: int = 1
    lr_end: float | None = None   # if set, lr decays linearly to lr_end over the generator steps
    r1_gamma: float | None = None  # if set, D's loss + (r1_gamma / 2) E_x ||grad_x D(x)||^2 on real x (R1)
    lr_d: float | None = None     # if set, D's learning rate is lr_d (times the same schedule): TTUR


VANILLA = dict(d_loss=losses.discriminator_loss, g_loss=losses.generator_loss_non_saturating)
WASSERSTEIN = dict(d_loss=losses.critic_loss_wasserstein, g_loss=losses.generator_loss_wasserstein)
OPTIMIZERS = ("adam", "rmsprop")
METHODS = {
    "gan": Method(**VANILLA, optimizer="adam", lr=1e-3, betas=(0.5, 0.999)),
    "pacgan": Method(**VANILLA, optimizer="adam", lr=1e-3, betas=(0.5, 0.999), pack=2),
    "wgan_gp": Method(**WASSERSTEIN, optimizer="adam", lr=1e-4, betas=(0.0, 0.9), n_critic=5, gp_lambda=10.0),
    "wgan_clip": Method(**WASSERSTEIN, optimizer="rmsprop", lr=5e-5, n_critic=5, clip=0.01),
}
SETTINGS = tuple(f.name for f in fields(Method))


def method(name: str, **overrides) -> Method:
    """The recipe called `name` ('gan', 'pacgan', 'wgan_gp', 'wgan_clip'), with fields overridden
    (e.g. `lr=2e-4`, `n_critic=1`); None values keep the default."""
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(map(repr, METHODS))}")
    overrides = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(overrides) - set(SETTINGS)
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; choose from {', '.join(SETTINGS)}")
    m = replace(METHODS[name], **overrides)
    if m.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {m.optimizer!r}; choose one of {', '.join(map(repr, OPTIMIZERS))}")
    if m.gp_lambda is not None and m.r1_gamma is not None:
        raise ValueError(f"choose one penalty: gp_lambda={m.gp_lambda!r} (WGAN-GP) or r1_gamma={m.r1_gamma!r} (R1)")
    if not isinstance(m.n_critic, int) or m.n_critic < 1:
        raise ValueError(f"n_critic must be a positive integer, got {m.n_critic!r}")
    for setting in ("lr", "lr_end", "lr_d", "r1_gamma"):
        value = getattr(m, setting)
        if value is not None and not value > 0:
            raise ValueError(f"{setting} must be a positive number, got {value!r}")
    return m


def learning_rate(recipe: Method, step: int, steps: int) -> float:
    """The learning rate of both players during generator step `step` of `steps` (counting from 0):

        lr_t = lr + (lr_end - lr) t / steps    (constant lr when lr_end is None)
    """
    if recipe.lr_end is None:
        return recipe.lr
    return recipe.lr + (recipe.lr_end - recipe.lr) * step / steps


def d_learning_rate(recipe: Method, step: int, steps: int) -> float:
    """D's learning rate during generator step `step`: G's rate scaled by lr_d / lr (TTUR, notebook 11),

        lr_D,t = lr_t * lr_d / lr    (lr_D,t = lr_t when lr_d is None)
    """
    lr = learning_rate(recipe, step, steps)
    return lr if recipe.lr_d is None else lr * recipe.lr_d / recipe.lr


def optimizer(recipe: Method, module: nn.Module) -> torch.optim.Optimizer:
    """The recipe's optimiser on `module`'s parameters: torch.optim.Adam(lr, betas) or RMSprop(lr).
    On a batched network (all seeds' parameters stacked) it updates each seed as its own optimiser would."""
    if recipe.optimizer == "adam":
        return torch.optim.Adam(module.parameters(), lr=recipe.lr, betas=recipe.betas)
    if recipe.optimizer == "rmsprop":
        return torch.optim.RMSprop(module.parameters(), lr=recipe.lr)
    raise ValueError(f"unknown optimizer {recipe.optimizer!r}; choose one of {', '.join(map(repr, OPTIMIZERS))}")


def make_players(seed: int, recipe: Method, width: int, depth: int, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """G and D of one seed: built under torch.manual_seed(seed) (the global RNG is left untouched)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        G = nets.toy_generator(latent_dim, width, depth)
        D = nets.toy_discriminator(width, depth, in_dim=2 * recipe.pack)
    if recipe.pack > 1:
        D = nn.Sequential(nets.Pack(recipe.pack), D)
    return G, D


# ---- the penalties, one value per seed: eps is drawn by the caller, from each seed's own stream ----

def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """WGAN-GP's E_xhat[(||grad_xhat f(xhat)|| - 1)^2], xhat = eps x + (1 - eps) G(z), as `losses.gradient_penalty`
    computes it, for x of shape [batch, d] or [S, batch, d] (then one value per seed, [S]) and a given eps
    [(S,) batch, 1]. A seed's input gradient is its own: the seeds' outputs do not depend on each other's inputs."""
    xhat = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(xhat).sum(), xhat, create_graph=True)
    return ((grad.norm(dim=-1) - 1) ** 2).mean(dim=-1)


def r1_penalty(critic, real: torch.Tensor) -> torch.Tensor:
    """R1's E_x[||grad_x D(x)||^2] on real data, as `losses.r1_penalty` computes it, for x of shape
    [batch, d] or [S, batch, d] (then one value per seed, [S])."""
    x = real.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return grad.pow(2).sum(dim=-1).mean(dim=-1)


@contextmanager
def held_fixed(module: nn.Module):
    """`with held_fixed(D): ...` leaves D's parameters out of the backward passes of the block (D is not
    updated there, so its weight gradients are not computed), then lets them require gradients again."""
    module.requires_grad_(False)
    try:
        yield module
    finally:
        module.requires_grad_(True)


class RecipeStep:
    """The step function of `recipe`: Algorithm 1 with the course's steps, `train.discriminator_step`
    n_critic times, then `train.generator_step` with D held fixed, and the recipe's optimisers, penalty,
    clipping and learning rates (set before each generator step). `step(i)` runs generator step i.

    `draw(fn)` draws a batch: `fn(generator)` for one seed's stream, or each seed's, stacked, for a sweep.
    Within a seed the draws come in the order real, z, eps (the penalty's), then G's z. With
    `per_seed`, the losses are each seed's mean over its batch, [S] (`vmap`); the steps follow their sum.
    """

    def __init__(self, recipe: Method, G: nn.Module, D: nn.Module, draw: Callable, dist, *, steps: int, batch: int,
                 latent_dim: int, per_seed: bool = False):
        self.recipe, self.G, self.D, self.draw, self.dist = recipe, G, D, draw, dist
        self.steps, self.batch, self.latent_dim = steps, batch, latent_dim
        self.opt_g, self.opt_d = optimizer(recipe, G), optimizer(recipe, D)
        self.d_loss, self.g_loss = (vmap(recipe.d_loss), vmap(recipe.g_loss)) if per_seed else (recipe.d_loss,
                                                                                                  recipe.g_loss)
        has_penalty = recipe.gp_lambda is not None or recipe.r1_gamma is not None
        self.penalty = self.weighted_penalty if has_penalty else None

    def sample_real(self) -> torch.Tensor:
        return self.draw(lambda g: self.dist.sample(self.batch, generator=g))

    def sample_z(self) -> torch.Tensor:
        return self.draw(lambda g: torch.randn(self.batch, self.latent_dim, generator=g))

    def weighted_penalty(self, critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        """lambda GP (eps drawn from each seed's stream) or (gamma / 2) R1."""
        if self.recipe.gp_lambda is not None:
            eps = self.draw(lambda g: torch.rand(self.batch, 1, generator=g))
            return self.recipe.gp_lambda * gradient_penalty(critic, real, fake, eps)
        return self.recipe.r1_gamma / 2 * r1_penalty(critic, real)

    def __call__(self, i: int) -> dict:
        for opt, rate in ((self.opt_g, learning_rate), (self.opt_d, d_learning_rate)):
            for group in opt.param_groups:
                group["lr"] = rate(self.recipe, i, self.steps)
        for _ in range(self.recipe.n_critic):
            d_out = train.discriminator_step(self.G, self.D, self.opt_d, self.sample_real(), self.sample_z(),
                                             self.d_loss, self.penalty, self.recipe.clip)
        with held_fixed(self.D):
            return d_out | train.generator_step(self.G, self.D, self.opt_g, self.sample_z(), self.g_loss)


# ---- a sweep's result: one History per seed ----

@dataclass(kw_only=True)
class SweepResult:
    """What a sweep keeps. S = number of seeds, T = number of recorded steps (`sample_at`).

    histories      one `ganlab.train.History` per seed: loss_d, loss_g (and penalty) at every step, and
                   the `train.toy_snapshot` of each recorded step (plots and the replay widget read it)
    samples        [S, n, 2] each seed's G(z) at the end, for a fixed z per seed
    G, D           all seeds' networks, batched (`nets.batched`); `generator(i)`, `critic(i)` give seed i's
    """

    method: str
    seeds: list[int]
    samples: torch.Tensor
    histories: list[History]
    G: nn.Module
    D: nn.Module
    seconds: float = 0.0

    def history(self, i: int) -> History:
        """Seed number i's History (i indexes `seeds`)."""
        return self.histories[i]

    def generator(self, i: int) -> nn.Module:
        """Seed number i's trained generator as an ordinary module (a copy)."""
        return batched.select(self.G, i)

    def critic(self, i: int) -> nn.Module:
        """Seed number i's trained discriminator / critic as an ordinary module (a copy)."""
        return batched.select(self.D, i)

    def losses(self, name: str) -> torch.Tensor:
        """A recorded loss of every seed at every step, [steps, S] ('loss_d', 'loss_g', 'penalty')."""
        return torch.tensor(np.stack([h.series(name)[1] for h in self.histories], axis=1), dtype=torch.float32)

    @property
    def loss_d(self) -> torch.Tensor:
        """[steps, S] the last D loss of each step (without the penalty)."""
        return self.losses("loss_d")

    @property
    def loss_g(self) -> torch.Tensor:
        """[steps, S] G's loss at each step."""
        return self.losses("loss_g")

    @property
    def sample_steps(self) -> list[int]:
        """The steps recorded (`sample_at`)."""
        return [snap["step"] for snap in self.histories[0].snapshots]

    @property
    def sample_history(self) -> torch.Tensor | None:
        """[T, S, n, 2] every seed's G(z) at each recorded step, or None if none was recorded."""
        if not self.sample_steps:
            return None
        return torch.stack([torch.stack([h.snapshots[t]["samples"] for h in self.histories])
                            for t in range(len(self.sample_steps))])

    def __repr__(self) -> str:
        return (f"SweepResult({self.method!r}, {len(self.seeds)} seeds, {self.histories[0].steps_done} steps, "
                f"samples {tuple(self.samples.shape)}, {self.seconds:.1f} s)")


class _Copies(nn.Module):
    """x [..., n, d] -> [..., m n, d], each point m times in a row: a packing D then judges the pack (x, ..., x)."""

    def __init__(self, m: int):
        super().__init__()
        self.m = m

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.repeat_interleave(self.m, dim=-2)


def _eval_z(seed: int, n: int, latent_dim: int) -> torch.Tensor:
    # A stream apart from training's, so changing n_samples never changes training.
    return torch.randn(n, latent_dim, generator=torch.Generator().manual_seed(10_000_019 + seed))


def _check_args(dist, seeds, steps, batch, n_samples, recipe) -> list[int]:
    if not hasattr(dist, "sample"):
        raise TypeError(f"dist must have .sample(n, generator=...), e.g. ganlab.data.toy('8gaussians'); got {dist!r}")
    seeds = [int(s) for s in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be a non-empty list of distinct integers, got {seeds!r}")
    for name, value in (("steps", steps), ("batch", batch), ("n_samples", n_samples)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if batch % recipe.pack:
        raise ValueError(f"batch ({batch}) must be a multiple of the pack size m = {recipe.pack}")
    return seeds


def _split(records: list[dict], snapshots: list[dict], steps: int, seconds: float) -> list[History]:
    """One History per seed from the per-step records, whose values have a seed axis [S]
    (the step's norm of all seeds' gradients together is not a seed's and is left out)."""
    names = [n for n, v in records[0].items() if v.dim() == 1]
    values = {n: torch.stack([r[n] for r in records]).cpu().numpy() for n in names}  # [steps, S]
    histories = []
    for s in range(len(records[0][names[0]])):
        h = History()
        h.steps_done, h.seconds, h.scalar_steps = steps, seconds, list(range(steps))
        h.scalars = {n: v[:, s].tolist() for n, v in values.items()}
        h.snapshots = [{"step": snap["step"], "samples": snap["samples"][s], "logits": snap["logits"][s],
                        "lim": snap["lim"], "arrows": tuple(a[s] for a in snap["arrows"])} for snap in snapshots]
        histories.append(h)
    return histories


def train_many(method_name: str, dist, seeds: Sequence[int], steps: int, *, width: int = 128, depth: int = 3,
               batch: int = 256, latent_dim: int = 2, n_samples: int = 2500, sample_at: Iterable[int] = (),
               device=None, **overrides) -> SweepResult:
    """Train one GAN per seed with `method_name`, all seeds in one batched computation.

    `overrides` change the recipe (any of `SETTINGS`: lr, betas, n_critic, gp_lambda, clip, pack, lr_end, ...).
    At the steps in `sample_at` (0 to `steps`) each seed's `train.toy_snapshot` is recorded in its History.
    Seed s's run is the run `train_one(method_name, dist, s, ...)` makes, up to float rounding.
    """
    recipe = method(method_name, **overrides)
    seeds = _check_args(dist, seeds, steps, batch, n_samples, recipe)
    device = torch.device("cpu") if device is None else torch.device(device)
    sample_at = sorted({int(s) for s in sample_at if 0 <= int(s) <= steps})

    players = [make_players(s, recipe, width, depth, latent_dim) for s in seeds]
    G = batched.stack([G for G, _ in players]).to(device)   # [S, batch, latent] -> [S, batch, 2]
    D = batched.stack([D for _, D in players]).to(device)   # [S, batch, 2] -> [S, batch / pack, 1]
    streams = [torch.Generator().manual_seed(s) for s in seeds]
    z_eval = torch.stack([_eval_z(s, n_samples, latent_dim) for s in seeds]).to(device)

    def draw(fn) -> torch.Tensor:
        return torch.stack([fn(g) for g in streams]).to(device)

    step = RecipeStep(recipe, G, D, draw, dist, steps=steps, batch=batch, latent_dim=latent_dim, per_seed=True)
    plane = D if recipe.pack == 1 else nn.Sequential(_Copies(recipe.pack), D)   # D's view of one point
    records, snapshots = [], []
    t0 = time.perf_counter()
    for i in range(steps + 1):
        if i in sample_at:
            snapshots.append({"step": i, **train.toy_snapshot(G, plane, z_eval)})
        if i < steps:
            records.append(step(i))
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        samples = G(z_eval).cpu()
    return SweepResult(method=method_name, seeds=seeds, samples=samples,
                       histories=_split(records, snapshots, steps, seconds), G=G, D=D, seconds=seconds)


def train_one(method_name: str, dist, seed: int, steps: int, *, width: int = 128, depth: int = 3, batch: int = 256,
              latent_dim: int = 2, n_samples: int = 2500, progress: bool = False, **overrides):
    """The sequential run of one seed that `train_many` batches: the same `RecipeStep` with ordinary
    modules, run by `train.fit`, drawing from the seed's own stream.

    Returns (G, D, history, samples [n_samples, 2]).
    """
    recipe = method(method_name, **overrides)
    _check_args(dist, [seed], steps, batch, n_samples, recipe)
    G, D = make_players(seed, recipe, width, depth, latent_dim)
    stream = torch.Generator().manual_seed(seed)
    step = RecipeStep(recipe, G, D, lambda fn: fn(stream), dist, steps=steps, batch=batch, latent_dim=latent_dim)
    history = train.fit(step, steps, progress=progress)
    with torch.no_grad():
        samples = G(_eval_z(seed, n_samples, latent_dim))
    return G, D, history, samples
