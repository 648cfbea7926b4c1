"""Does the ganlab loop cost anything? Training steps per second of `ganlab.train.train_gan`
against a plain PyTorch loop of the same model, batch and optimiser (target: ratio >= 0.95).

    .venv/bin/python benchmarks/loop_overhead.py [--width 512] [--steps 300] [--repeats 5]

The two are run alternately (ABAB...) so that a busy machine slows both alike; the best of the
repeats is reported for each, as is usual for throughput.
"""
from __future__ import annotations

import argparse
import time

import torch

from ganlab import data, losses, nets, train


def models(width: int, depth: int, seed: int = 0):
    torch.manual_seed(seed)
    G, D = nets.toy_generator(width=width, depth=depth), nets.toy_discriminator(width=width, depth=depth)
    opt_g = torch.optim.Adam(G.parameters(), 1e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), 1e-4, betas=(0.5, 0.999))
    return G, D, opt_g, opt_d


def plain_loop(G, D, opt_g, opt_d, ring, batch: int, steps: int) -> None:
    """The loop a student would write: same losses, same updates, no recording."""
    for _ in range(steps):
        real, z = ring.sample(batch), torch.randn(batch, 2)
        with torch.no_grad():
            fake = G(z)
        loss_d = losses.discriminator_loss(D(real), D(fake))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        loss_g = losses.generator_loss_non_saturating(D(G(torch.randn(batch, 2))))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()


def ganlab_loop(G, D, opt_g, opt_d, ring, batch: int, steps: int) -> None:
    train.train_gan(G, D, opt_g, opt_d, lambda: ring.sample(batch), lambda: torch.randn(batch, 2), steps,
                    progress=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args()
    ring = data.toy("8gaussians")
    best = {"plain": 0.0, "ganlab": 0.0}
    for fn in (plain_loop, ganlab_loop):  # warm-up
        fn(*models(a.width, a.depth), ring, a.batch, 20)
    for _ in range(a.repeats):
        for name, fn in (("plain", plain_loop), ("ganlab", ganlab_loop)):
            m = models(a.width, a.depth)
            t0 = time.perf_counter()
            fn(*m, ring, a.batch, a.steps)
            best[name] = max(best[name], a.steps / (time.perf_counter() - t0))
    print(f"toy GAN, {a.depth} hidden layers of {a.width}, batch {a.batch}, {torch.get_num_threads()} threads, "
          f"best of {a.repeats} x {a.steps} steps")
    print(f"plain PyTorch loop : {best['plain']:8.1f} steps/s")
    print(f"ganlab train_gan   : {best['ganlab']:8.1f} steps/s")
    print(f"ratio ganlab/plain : {best['ganlab'] / best['plain']:.3f}  (target >= 0.95)")


if __name__ == "__main__":
    main()
