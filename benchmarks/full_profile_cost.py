"""What the full profile costs, estimated before anyone waits for it on a GPU.

    .venv/bin/python benchmarks/full_profile_cost.py [--only 07 10] [--repeats 2]

For each notebook that trains, each of its full-profile training runs is rebuilt here at full size
(the nets, batch, seeds and recipe of the notebook's `budget(full=...)` / `train_steps(full=...)`), and
one step of it is
- timed on this CPU (ms per step, 1 thread: `torch.set_num_threads(1)`; best of `--repeats`),
- counted in FLOPs with `torch.utils.flop_counter.FlopCounterMode` (matmuls and convolutions, forward
  and backward; elementwise ops are not counted, they are small beside them here),
- counted in kernel launches (aten ops that compute, views excluded, optimisers in their CUDA default
  foreach form).
Runs that train many seeds at once (`ganlab.sweep.train_many`, the 02 widget's grid of discriminators)
are timed and counted as the difference of two runs of different lengths, so their set-up and final
evaluation cancel out.

The GPU minutes are estimates, not measurements (no GPU was lent to the session that wrote this):

    minutes = full steps x max(FLOPs / (peak x fraction of peak), kernel launches x time per launch)

with the published peaks (T4: 8.1 TFLOPS fp32; H100 SXM: 67 TFLOPS fp32, ~990 TFLOPS bf16 dense),
the fraction of peak a small step reaches (FRACTION below), and a launch floor calibrated on one
measurement: the toy MLP step (notebook 00's: G and D width 128, depth 3, batch 256) runs 235 steps/s
eager on an H100, so one launch costs (1 / 235 s) / (that step's launches). The conv notebooks
(07-10) train under bf16 autocast on an H100 (`fast_setting()`'s rule) and in fp32 on a T4 (no native
bf16: the rule excludes emulated bf16); the toy notebooks train in fp32 everywhere. Evaluation, metrics
and figures are not counted: the totals are training time only.

Prints a markdown table and writes benchmarks/full_profile_cost.json.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import FlopCounterMode

from ganlab import data, losses, nets, sweep, train
from ganlab.metrics.mixtures import N_EVAL
from ganlab.nets.autoregressive import log_likelihood as ar_log_likelihood
from ganlab.nets.autoregressive import pixelcnn
from ganlab.nets.bigan import bigan_discriminator, bigan_encoder, bigan_generator, seed_mlp
from ganlab.nets.cyclegan import patch_discriminator, resnet_generator
from ganlab.nets.infogan import infogan_discriminator, infogan_generator, infogan_latent
from ganlab.nets.pix2pix import pair_discriminator, score_pairs, unet
from ganlab.nets.simgan import refiner
from ganlab.nets.stackgan import stage_two
from ganlab.nets.vae import ConvVAE, bernoulli_log_likelihood, gaussian_kl

OUT = Path(__file__).with_suffix(".json")

# ---- the assumptions of the GPU estimate --------------------------------------------------------
PEAK_TFLOPS = {"T4": {"fp32": 8.1, "bf16": None}, "H100": {"fp32": 67.0, "bf16": 990.0}}
FRACTION = {"fp32": 0.3, "bf16": 0.1}   # of peak, for steps this small (bf16 tensor cores idle more)
H100_TOY_STEPS_PER_S = 235.0            # measured: notebook 00's toy MLP step, eager, on an H100
T4_LAUNCH_FACTOR = 1.5                  # a Colab T4's host (2 slow vCPUs) launches kernels slower
VIEW_OPS = {"view", "_unsafe_view", "t", "expand", "as_strided", "detach", "alias", "transpose", "permute",
            "unsqueeze", "squeeze", "slice", "select", "split", "split_with_sizes", "unbind", "reshape",
            "lift_fresh", "_to_copy_noop", "empty", "empty_like", "empty_strided", "unfold"}


class LaunchCounter(TorchDispatchMode):
    """Counts the aten ops that would launch a kernel on a GPU (views and allocations excluded)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func.overloadpacket.__name__ not in VIEW_OPS:
            self.count += 1
        return func(*args, **(kwargs or {}))


class _GlobalOnly:
    """Stands in for FlopCounterMode's module tracker: its backward hooks fail under torch.autograd.grad
    on a leaf (the gradient penalty: "A leaf node was passed to _will_engine_execute_node"); we only need
    the global total."""
    parents = {"Global"}

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return None


def flop_counter() -> FlopCounterMode:
    counter = FlopCounterMode(display=False)
    counter.mod_tracker = _GlobalOnly()
    return counter


def adam(module_or_params, lr=2e-4, betas=(0.5, 0.999)):
    params = module_or_params.parameters() if isinstance(module_or_params, torch.nn.Module) else module_or_params
    return torch.optim.Adam(params, lr=lr, betas=betas, foreach=True)  # CUDA's default form


def images(n):
    return torch.rand(n, 1, 28, 28) * 2 - 1


# ---- the full-profile training runs, one builder per run ----------------------------------------
# A builder returns (step, per): `step()` runs one training step; `per` is 1, or for a run timed by
# difference a callable run(steps) (see `measure`).

def toy_gan(width, depth, batch, k=1, wgan=None, dist="8gaussians"):
    def build():
        G, D = nets.toy_generator(2, width, depth), nets.toy_discriminator(width, depth)
        sample = data.toy(dist).sample
        kw = {}
        if wgan == "clipping":
            opt_g = torch.optim.RMSprop(G.parameters(), 5e-5, foreach=True)
            opt_d = torch.optim.RMSprop(D.parameters(), 5e-5, foreach=True)
            kw = dict(d_loss=losses.critic_loss_wasserstein, g_loss=losses.generator_loss_wasserstein, clip=0.01)
        elif wgan == "gp":
            opt_g, opt_d = adam(G, 1e-3, (0.5, 0.9)), adam(D, 1e-3, (0.5, 0.9))
            kw = dict(d_loss=losses.critic_loss_wasserstein, g_loss=losses.generator_loss_wasserstein,
                      penalty=lambda c, r, f: losses.gradient_penalty(c, r, f))
        else:
            opt_g, opt_d = adam(G, 1e-3), adam(D, 1e-3)
        step = train.gan_step(G, D, opt_g, opt_d, lambda: sample(batch), lambda: torch.randn(batch, 2), k=k, **kw)
        return lambda: step(0)
    return build


def d_only_1d(width, depth, batch):
    def build():
        D = nets.mlp(1, 1, width=width, depth=depth, activation="tanh")
        opt = adam(D, 2e-3)
        p, q = torch.distributions.Normal(0.0, 1.0), torch.distributions.Normal(1.5, 1.0)

        def step():
            loss = losses.discriminator_loss(D(p.sample((batch, 1))), D(q.sample((batch, 1))))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        return step
    return build


def discriminator_grid(steps_full):
    import numpy as np

    from ganlab import theory
    from ganlab.widgets.discriminator import train_discriminator_grid

    p_data = theory.mixture(weights=[0.5, 0.5], means=[-1.5, 1.5], stds=[0.5, 0.5])

    def run(steps):
        train_discriminator_grid(p_data, means=np.arange(-2.0, 2.01, 0.5), stds=np.array([0.5, 1.0, 1.5, 2.0]),
                                 grid=np.linspace(-5, 5, 501), steps=steps)
    return run


def many(method, dist, n_seeds, width, depth, batch, **overrides):
    seeds = list(range(n_seeds))

    def run(steps):
        sweep.train_many(method, data.toy(dist), seeds, steps, width=width, depth=depth, batch=batch,
                         n_samples=N_EVAL, **overrides)
    return run


def dcgan(ngf, batch, latent_dim=64, n_classes=0, mismatch=False, ema=False):
    def build():
        from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

        G = nets.dcgan_generator(latent_dim, ngf, n_classes=n_classes)
        D = nets.dcgan_discriminator(ngf, n_classes=n_classes)
        opt_g, opt_d = adam(G), adam(D)
        G_ema = AveragedModel(G, multi_avg_fn=get_ema_multi_avg_fn(0.999), use_buffers=True) if ema else None
        real = images(batch)
        labels = torch.randint(10, (batch,))
        cond = (lambda y: (y,)) if n_classes else (lambda y: ())

        def step():
            z = torch.randn(batch, latent_dim)
            asked = torch.randint(10, (batch,))
            fake = G(z, *cond(asked))
            negatives = D(fake.detach(), *cond(asked))
            if mismatch:
                negatives = torch.cat([negatives, D(real, *cond((labels + 1) % 10))])
            loss_d = losses.discriminator_loss(D(real, *cond(labels)), negatives)
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            loss_g = losses.generator_loss_non_saturating(D(fake, *cond(asked)))
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
            if G_ema is not None:
                G_ema.update_parameters(G)
        return step
    return build


def infogan(noise_dim, ngf, batch, lam):
    def build():
        G, D = infogan_generator(noise_dim, 10, 2, ngf), infogan_discriminator(ngf, 10, 2)
        opt_g, opt_d = adam(G, 1e-3), adam(D, 2e-4)
        real = images(batch)

        def info(q_logits, q_mean, q_log_std, cat, cont):
            return (losses.info_loss_categorical(q_logits, cat)
                    + losses.info_loss_gaussian(q_mean, torch.zeros_like(q_mean), cont))

        def step():
            latent, cat, cont = infogan_latent(batch, noise_dim, 10, 2)
            fake = G(latent)
            d_real = D(real)[0]
            d_fake, *q = D(fake.detach())
            loss_dq = losses.discriminator_loss(d_real, d_fake) + lam * info(*q, cat, cont)
            opt_d.zero_grad(set_to_none=True)
            loss_dq.backward()
            opt_d.step()
            d_fake, *q = D(fake)
            loss_gq = losses.generator_loss_non_saturating(d_fake) + lam * info(*q, cat, cont)
            opt_g.zero_grad(set_to_none=True)
            loss_gq.backward()
            opt_g.step()
        return step
    return build


def cyclegan(ngf, n_blocks, batch, lam_cyc, lam_id):
    def build():
        G_ab, G_ba = resnet_generator(ngf, n_blocks), resnet_generator(ngf, n_blocks)
        D_a, D_b = patch_discriminator(ngf, patch_size=16), patch_discriminator(ngf, patch_size=16)
        opt_g = adam([*G_ab.parameters(), *G_ba.parameters()])
        opt_d = adam([*D_a.parameters(), *D_b.parameters()])
        a, b = images(batch), images(batch)

        def step():
            fake_b, fake_a = G_ab(a), G_ba(b)
            loss_g = (losses.lsgan_generator_loss_unhalved(D_b(fake_b))
                      + losses.lsgan_generator_loss_unhalved(D_a(fake_a)))
            if lam_cyc:
                loss_g = loss_g + lam_cyc * (losses.cycle_consistency_loss(a, G_ba(fake_b))
                                             + losses.cycle_consistency_loss(b, G_ab(fake_a)))
            if lam_id:
                loss_g = loss_g + lam_id * (losses.identity_loss(b, G_ab(b)) + losses.identity_loss(a, G_ba(a)))
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
            loss_d = (losses.lsgan_discriminator_loss(D_b(b), D_b(fake_b.detach()))
                      + losses.lsgan_discriminator_loss(D_a(a), D_a(fake_a.detach())))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
        return step
    return build


def bigan(width, batch, latent=32, game=True):
    """13's BiGAN step (D on (x, z) pairs, then E and G on the swapped labels), or with game=False its
    same-size autoencoder's step (the latent regressor's step costs about the same)."""
    def build():
        E, G = bigan_encoder(latent, width), bigan_generator(latent, width)
        opt_eg = adam([*E.parameters(), *G.parameters()])
        D = bigan_discriminator(latent, width) if game else None
        opt_d = adam(D) if game else None
        x = images(batch)

        def step():
            if not game:
                loss = torch.nn.functional.mse_loss(G(E(x)), x)
                opt_eg.zero_grad(set_to_none=True)
                loss.backward()
                opt_eg.step()
                return
            z = torch.randn(batch, latent)
            e_x, g_z = E(x), G(z)
            loss_d = losses.discriminator_loss(D(x, e_x.detach()), D(g_z.detach(), z))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            loss_eg = losses.discriminator_loss(D(g_z, z), D(x, e_x))
            opt_eg.zero_grad(set_to_none=True)
            loss_eg.backward()
            opt_eg.step()
        return step
    return build


def pix2pix(ngf, batch, patch=16, skips=True, lam=100.0, conditional=True):
    """14's step: D on (input, output) pairs (halved BCE), then G on the adversarial term + lam * L1;
    `patch=None` is the L1-only arm (no D)."""
    def build():
        G = unet(ngf, skips=skips)
        D = pair_discriminator(ngf, patch_size=patch, in_ch=int(conditional)) if patch else None
        opt_g, opt_d = adam(G), (adam(D) if D is not None else None)
        x, y = images(batch), images(batch)

        def step():
            fake = G(x)
            loss_g = lam * torch.nn.functional.l1_loss(fake, y)
            if D is not None:
                real_s = score_pairs(D, x, y, conditional=conditional)
                fake_s = score_pairs(D, x, fake.detach(), conditional=conditional)
                loss_d = 0.5 * losses.discriminator_loss(real_s, fake_s)
                opt_d.zero_grad(set_to_none=True)
                loss_d.backward()
                opt_d.step()
                fooled = score_pairs(D, x, fake, conditional=conditional)
                loss_g = loss_g + losses.generator_loss_non_saturating(fooled)
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
        return step
    return build


def stage_two_gan(ngf, batch, augment=True, c_dim=8, z_dim=8):
    """14's StackGAN stage II step: D on (coarse digit + label maps, image), then G (adversarial + KL)."""
    def build():
        G = stage_two(ngf, c_dim=c_dim, z_dim=z_dim, augment=augment)
        D = pair_discriminator(ngf, patch_size=16, in_ch=11)
        opt_g, opt_d = adam(G), adam(D)
        x, y = images(batch), images(batch)
        labels = torch.randint(10, (batch,))
        label_maps = torch.nn.functional.one_hot(labels, 10).float()[:, :, None, None].expand(-1, -1, 28, 28)
        cond = torch.cat([x, label_maps], 1)

        def step():
            fake, kl = G(x, labels, torch.randn(batch, z_dim), torch.randn(batch, c_dim))
            loss_d = 0.5 * losses.discriminator_loss(score_pairs(D, cond, y), score_pairs(D, cond, fake.detach()))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            loss_g = losses.generator_loss_non_saturating(score_pairs(D, cond, fake)) + kl
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
        return step
    return build


def simgan(width, n_blocks, batch, pretrain=False):
    """15's step: R on realism + lambda * self-regularisation, then the patch D on refined vs real
    (`pretrain=True`: the self-regularisation step alone)."""
    def build():
        R, D = refiner(width, n_blocks), patch_discriminator(16, patch_size=16)
        opt_r, opt_d = adam(R), adam(D)
        x, y = images(batch), images(batch)

        def step():
            refined = R(x)
            loss_self = (refined - x).abs().mean()
            loss_r = loss_self if pretrain else losses.generator_loss_non_saturating(D(refined)) + 0.5 * loss_self
            opt_r.zero_grad(set_to_none=True)
            loss_r.backward()
            opt_r.step()
            if not pretrain:
                loss_d = losses.discriminator_loss(D(y), D(refined.detach()))
                opt_d.zero_grad(set_to_none=True)
                loss_d.backward()
                opt_d.step()
        return step
    return build


def likelihood_model(net, lr, batch, nll):
    """A step of a model trained by maximum likelihood on binarised digits: one Adam step on nll(net, x)."""
    def build():
        opt = adam(net, lr=lr, betas=(0.9, 0.999))
        x = (torch.rand(batch, 1, 28, 28) > 0.5).float()

        def step():
            loss = nll(net, x)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        return step
    return build


def negative_elbo(net, x):
    """16's VAE loss: the negative ELBO (Bernoulli pixels, KL in closed form), one reparameterised draw."""
    mu, logvar = net.encode(x)
    z = mu + (0.5 * logvar).exp() * torch.randn_like(mu)
    return -(bernoulli_log_likelihood(net.decode(z), x) - gaussian_kl(mu, logvar)).mean()


def vae(latent, width, batch):
    return likelihood_model(ConvVAE(latent, width), 1e-3, batch, negative_elbo)


def pixel_cnn(width, depth, batch):
    """16's PixelCNN: the exact negative log-likelihood of a batch."""
    return likelihood_model(pixelcnn(width, depth), 2e-3, batch, lambda net, x: -ar_log_likelihood(net, x).mean())


def ali_ring(n_seeds, width, depth, batch, ali=True):
    """13's ring / grid section: one MLP per seed stacked (`seed_mlp`), ALI (D on (x, z); E(x, eps) with 2-d
    noise) or the plain GAN."""
    def build():
        seeds = list(range(n_seeds))
        G = seed_mlp(seeds, 2, 2, width, depth, salt=1)
        E = seed_mlp(seeds, 4, 2, width, depth, salt=2) if ali else None
        D = seed_mlp(seeds, 4 if ali else 2, 1, width, depth, salt=3)
        opt_g, opt_d = adam([*G.parameters(), *(E.parameters() if ali else [])]), adam(D)
        x = torch.randn(n_seeds, batch, 2)
        pair = (lambda a, b: torch.cat([a, b], -1)) if ali else (lambda a, b: a)
        bce = torch.nn.functional.binary_cross_entropy_with_logits

        def step():
            z = torch.randn(n_seeds, batch, 2)
            e_x, g_z = (E(torch.cat([x, torch.randn(n_seeds, batch, 2)], -1)) if ali else None), G(z)
            real, fake = D(pair(x, e_x.detach() if ali else None)), D(pair(g_z.detach(), z))
            loss_d = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            fooled = D(pair(g_z, z))
            loss_g = bce(fooled, torch.ones_like(fooled))
            if ali:
                caught = D(pair(x, e_x))
                loss_g = loss_g + bce(caught, torch.zeros_like(caught))
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            opt_g.step()
        return step
    return build


# notebook -> [(run, dtype on an H100, full steps, builder or ("diff", run(steps)))]
# (the steps are the notebooks' full budgets; a run repeated in arms is listed once per arm)
RUNS = {
    "00_start_here": [("toy GAN w128 d3 b256", "fp32", 10_000, toy_gan(128, 3, 256))],
    "02_optimal_discriminator": [
        ("D on 1D samples w64 b2048", "fp32", 10_000 + 4_000, d_only_1d(64, 2, 2_048)),
        ("widget: 36 Ds at once", "fp32", 3_000, ("diff", discriminator_grid(3_000))),
    ],
    "04_saturating_vs_nonsaturating": [("2 D arms w64 d2 b512", "fp32", 2 * 4_000, d_only_1d(64, 2, 512))],
    "05_mode_collapse_8_gaussians": [
        ("vanilla w256 d3 b256", "fp32", 20_000, toy_gan(256, 3, 256)),
        ("sweep gan, 64 seeds x 2 mixtures", "fp32", 2 * 20_000, ("diff", many("gan", "8gaussians", 64, 256, 3, 256))),
        ("sweep pacgan, 64 seeds x 2", "fp32", 2 * 20_000, ("diff", many("pacgan", "8gaussians", 64, 256, 3, 256))),
        ("sweep wgan_gp (2 critic), 64 seeds x 2", "fp32", 2 * 20_000,
         ("diff", many("wgan_gp", "8gaussians", 64, 256, 3, 256, lr=1e-3, betas=(0.5, 0.9), gp_lambda=1.0,
                       n_critic=2))),
    ],
    "06_wgan_swiss_roll": [
        ("clipping w512 k5", "fp32", 10_000, toy_gan(512, 3, 256, k=5, wgan="clipping", dist="swissroll")),
        ("GP w512 k5", "fp32", 10_000, toy_gan(512, 3, 256, k=5, wgan="gp", dist="swissroll")),
        ("GP w512 k2", "fp32", 10_000, toy_gan(512, 3, 256, k=2, wgan="gp", dist="swissroll")),
        ("sweeps clip+gp, 8 seeds x 2 mixtures", "fp32", 2 * 5_000,
         ("diff", lambda s: (many("wgan_clip", "8gaussians", 8, 64, 3, 256)(s),
                             many("wgan_gp", "8gaussians", 8, 64, 3, 256)(s)))),
    ],
    "07_dcgan": [("DCGAN ngf64 b128", "bf16", 6_000, dcgan(64, 128))],
    "08_cgan": [("cGAN ngf64 b128 + EMA", "bf16", 5_000, dcgan(64, 128, n_classes=10, ema=True)),
                ("cGAN + mismatched pairs", "bf16", 5_000, dcgan(64, 128, n_classes=10, mismatch=True, ema=True))],
    "09_infogan": [("InfoGAN noise62 ngf64 b128, x2 arms", "bf16", 2 * 10_000, infogan(62, 64, 128, 1.0))],
    "10_cyclegan": [("adversarial only", "bf16", 5_000, cyclegan(32, 6, 32, 0.0, 0.0)),
                    ("+ identity", "bf16", 5_000, cyclegan(32, 6, 32, 0.0, 5.0)),
                    ("+ cycle (full)", "bf16", 5_000, cyclegan(32, 6, 32, 10.0, 5.0))],
    "11_gans_as_games": [
        ("sweep plain, 64 seeds w64 b128", "fp32", 5_000,
         ("diff", many("gan", "8gaussians", 64, 64, 3, 128, lr_end=1e-4))),
        ("sweep R1", "fp32", 5_000, ("diff", many("gan", "8gaussians", 64, 64, 3, 128, lr_end=1e-4, r1_gamma=1.0))),
        ("sweep TTUR", "fp32", 5_000, ("diff", many("gan", "8gaussians", 64, 64, 3, 128, lr_end=1e-4, lr_d=4e-3))),
    ],
    "12_evaluating_gans": [("DCGAN ngf32 b64", "fp32", 5_000, dcgan(32, 64))],
    "13_bigan": [("BiGAN w64 b128", "bf16", 10_000, bigan(64, 128)),
                 ("autoencoder + latent regressor", "bf16", 2 * 5_000, bigan(64, 128, game=False)),
                 ("ring + grid: GAN, 16 seeds w256", "fp32", 2 * 10_000, ali_ring(16, 256, 3, 128, ali=False)),
                 ("ring + grid: ALI, 16 seeds w256", "fp32", 2 * 10_000, ali_ring(16, 256, 3, 128, ali=True))],
    "14_pix2pix": [("L1 arms (U-Net, enc-dec, 7x7) ngf32 b64", "bf16", 3 * 5_000, pix2pix(32, 64, patch=None)),
                   ("cGAN arms (GAN, cGAN, L1+cGAN, 7x7)", "bf16", 4 * 5_000, pix2pix(32, 64)),
                   ("PixelGAN 1x1", "bf16", 5_000, pix2pix(32, 64, patch=1)),
                   ("ImageGAN 28x28", "bf16", 5_000, pix2pix(32, 64, patch=28)),
                   ("StackGAN stage II, x2 arms", "bf16", 2 * 5_000, stage_two_gan(32, 64))],
    "15_simgan": [("pre-training R w32 4 blocks b64", "bf16", 500, simgan(32, 4, 64, pretrain=True)),
                  ("SimGAN game, 4 arms", "bf16", 4 * 3_000, simgan(32, 4, 64))],
    "16_vae_ar_gan": [("VAE w64 b128, x3 betas", "bf16", 3 * 6_000, vae(16, 64, 128)),
                      ("PixelCNN w32 d6 b128", "bf16", 8_000, pixel_cnn(32, 6, 128)),
                      ("DCGAN ngf64 b128", "bf16", 6_000, dcgan(64, 128))],
}


def measure(builder, repeats: int) -> dict:
    """ms per step on this CPU (best of `repeats`), FLOPs and kernel launches per step."""
    if isinstance(builder, tuple):  # ("diff", run): a run of n steps, set-up and evaluation cancel out
        run = builder[1]
        short, long_ = 1, 3
        times = {}
        for n in (short, long_):
            best = math.inf
            for _ in range(repeats):
                t0 = time.perf_counter()
                run(n)
                best = min(best, time.perf_counter() - t0)
            times[n] = best
        counts = {}
        for n in (short, long_):
            flops, launches = flop_counter(), LaunchCounter()
            with flops, launches:
                run(n)
            counts[n] = (flops.get_total_flops(), launches.count)
        per = long_ - short
        return {"ms": max(times[long_] - times[short], 0.0) / per * 1e3,
                "flops": (counts[long_][0] - counts[short][0]) / per,
                "launches": (counts[long_][1] - counts[short][1]) / per}
    step = builder()
    step()  # warm-up
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - t0)
    flops, launches = flop_counter(), LaunchCounter()
    with flops, launches:
        step()
    return {"ms": best * 1e3, "flops": flops.get_total_flops(), "launches": launches.count}


def launch_seconds() -> float:
    """Seconds per kernel launch on an H100, from the measured toy step rate."""
    step = toy_gan(128, 3, 256)()
    step()
    counter = LaunchCounter()
    with counter:
        step()
    return (1 / H100_TOY_STEPS_PER_S) / counter.count


def estimate_minutes(flops: float, launches: float, steps: int, gpu: str, dtype: str, per_launch: float) -> float:
    if gpu == "T4":
        dtype = "fp32"  # no native bf16: the speed rule trains in fp32 there
    peak = PEAK_TFLOPS[gpu][dtype] * 1e12 * FRACTION[dtype]
    floor = launches * per_launch * (T4_LAUNCH_FACTOR if gpu == "T4" else 1.0)
    return steps * max(flops / peak, floor) / 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="notebook prefixes, e.g. 07 10")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    per_launch = launch_seconds()
    print(f"CPU: {torch.get_num_threads()} thread; torch {torch.__version__}")
    print(f"assumed: fraction of peak fp32 {FRACTION['fp32']:.0%}, bf16 {FRACTION['bf16']:.0%}; "
          f"launch floor {per_launch * 1e6:.1f} us per kernel on an H100 "
          f"(00's toy step at {H100_TOY_STEPS_PER_S:.0f} steps/s), "
          f"x{T4_LAUNCH_FACTOR} on a T4; conv nets bf16 autocast on an H100, fp32 on a T4")
    rows = []
    for name, runs in RUNS.items():
        if args.only and name[:2] not in args.only:
            continue
        for run, dtype, steps, builder in runs:
            m = measure(builder, args.repeats)
            rows.append({"notebook": name, "run": run, "dtype_h100": dtype, "full_steps": steps,
                         "cpu_ms_per_step": round(m["ms"], 2), "gflop_per_step": round(m["flops"] / 1e9, 4),
                         "launches_per_step": int(m["launches"]),
                         "est_t4_min": round(estimate_minutes(m["flops"], m["launches"], steps, "T4", dtype,
                                                              per_launch), 2),
                         "est_h100_min": round(estimate_minutes(m["flops"], m["launches"], steps, "H100", dtype,
                                                                per_launch), 2)})
            print(f"  {name} | {run}: {rows[-1]['cpu_ms_per_step']} ms, {rows[-1]['gflop_per_step']} GFLOP, "
                  f"{rows[-1]['launches_per_step']} launches", flush=True)
    print("\n| notebook | run | CPU ms/step (1 thread) | GFLOP/step | full steps | est. T4 min | est. H100 min |")
    print("|---|---|---:|---:|---:|---:|---:|")
    totals = {}
    for r in rows:
        print(f"| {r['notebook']} | {r['run']} | {r['cpu_ms_per_step']:.1f} | {r['gflop_per_step']:.3f} | "
              f"{r['full_steps']:,} | "
              f"{r['est_t4_min']:.1f} | {r['est_h100_min']:.1f} |")
        t = totals.setdefault(r["notebook"], [0.0, 0.0])
        t[0] += r["est_t4_min"]
        t[1] += r["est_h100_min"]
    print("\nper notebook (training only, estimates):")
    print("| notebook | est. T4 min | est. H100 min | note |")
    print("|---|---:|---:|---|")
    for name, (t4, h100) in totals.items():
        print(f"| {name} | {t4:.1f} | {h100:.1f} | {'over 10 min on a T4' if t4 > 10 else ''} |")
    if args.only and OUT.exists():  # a partial run replaces its notebooks' rows and keeps the others
        kept = [r for r in json.loads(OUT.read_text())["runs"] if r["notebook"] not in {r["notebook"] for r in rows}]
        rows = kept + rows
        totals = {}
        for r in rows:
            t = totals.setdefault(r["notebook"], [0.0, 0.0])
            t[0] += r["est_t4_min"]
            t[1] += r["est_h100_min"]
    OUT.write_text(json.dumps({"assumptions": {"peak_tflops": PEAK_TFLOPS, "fraction_of_peak": FRACTION,
                                               "h100_toy_steps_per_s": H100_TOY_STEPS_PER_S,
                                               "h100_seconds_per_launch": per_launch,
                                               "t4_launch_factor": T4_LAUNCH_FACTOR,
                                               "cpu_threads": 1, "torch": torch.__version__,
                                               "measured": "CPU times and counts measured; GPU minutes are estimates"},
                               "runs": rows,
                               "totals_min": {k: {"t4": round(v[0], 1), "h100": round(v[1], 1)}
                                              for k, v in totals.items()}},
                              indent=2) + "\n")
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
