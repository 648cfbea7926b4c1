"""The DCGAN training step of notebook 07, run through `ganlab.train.fit`, against a plain PyTorch
loop with the same model, batch, data and optimiser: steps per second and their ratio.

    .venv/bin/python benchmarks/dcgan_step.py [--ngf 32] [--batch 64] [--steps 40] [--repeats 3]

The two are run alternately (ABAB...) so that a busy machine slows both alike; the best of the
repeats is reported for each. Measured here on a CPU only (no GPU was available to this task).
"""
from __future__ import annotations

import argparse
import time

import torch

from ganlab import device
from ganlab.data.digits import load_digits
from ganlab.losses import discriminator_loss, generator_loss_non_saturating
from ganlab.nets import dcgan_discriminator, dcgan_generator
from ganlab.train import fit

LATENT = 64


def setup(ngf: int, dev):
    torch.manual_seed(0)
    G, D = dcgan_generator(LATENT, ngf).to(dev), dcgan_discriminator(ngf).to(dev)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    return G, D, opt_g, opt_d


def make_step(G, D, opt_g, opt_d, data, batch, dev):
    """Notebook 07's step function, verbatim."""
    def dcgan_step(_):
        real, _labels = data.sample(batch)
        z = torch.randn(batch, LATENT, device=dev)
        fake = G(z)
        loss_d = discriminator_loss(D(real), D(fake.detach()))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        loss_g = generator_loss_non_saturating(D(fake))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        return {"loss_d": loss_d.detach(), "loss_g": loss_g.detach()}
    return dcgan_step


def plain_loop(G, D, opt_g, opt_d, data, batch, dev, steps):
    """The same updates in a bare for-loop: no recording, no progress bar."""
    for _ in range(steps):
        real, _labels = data.sample(batch)
        z = torch.randn(batch, LATENT, device=dev)
        fake = G(z)
        loss_d = discriminator_loss(D(real), D(fake.detach()))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        loss_g = generator_loss_non_saturating(D(fake))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()


def timed(fn, dev) -> float:
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ngf", type=int, default=32)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    dev = device()
    data = load_digits("mnist", "train", dev)
    models_fit, models_plain = setup(args.ngf, dev), setup(args.ngf, dev)
    step = make_step(*models_fit, data, args.batch, dev)
    fit(step, 5, progress=False)  # warm-up
    plain_loop(*models_plain, data, args.batch, dev, 5)
    best = {"fit": float("inf"), "plain": float("inf")}
    for _ in range(args.repeats):
        best["fit"] = min(best["fit"], timed(lambda: fit(step, args.steps, progress=False), dev))
        best["plain"] = min(best["plain"],
                            timed(lambda: plain_loop(*models_plain, data, args.batch, dev, args.steps), dev))
    rate = {k: args.steps / v for k, v in best.items()}
    print(f"device {dev}, {torch.get_num_threads()} threads; DCGAN ngf={args.ngf}, batch {args.batch}, {data.source}")
    print(f"fit (notebook 07 code path): {rate['fit']:.2f} steps/s; plain loop: {rate['plain']:.2f} steps/s; "
          f"ratio {rate['fit'] / rate['plain']:.3f}")


if __name__ == "__main__":
    main()
