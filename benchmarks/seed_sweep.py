"""Wall time of 16 seeds trained in one batched computation (`ganlab.sweep.train_many`) against 16
sequential runs of the same GAN (`ganlab.sweep.train_one`: the same `ganlab.train` steps on ordinary
modules, torch.optim and `train.fit`), same method, steps, width and batch. Both paths compute the
same runs (tests/test_sweep.py checks it).

    .venv/bin/python benchmarks/seed_sweep.py [--method gan] [--seeds 16] [--steps 200] [--width 64] [--batch 256]

Runs on the CPU. Target: >= 2.5x on 2 CPU cores at width 64, batch 256. Measured on the course's
2-core machine, quiet (load < 1), 2 threads: gan 4.30x (2.3 s vs 9.9 s), pacgan 5.38x, wgan_gp 3.97x
(60 steps), gan at width 128 2.36x (the sweep before issue 15: hand-written Adam on
`stack_module_state` tensors). After the rebuild (`nets.batched.BatchedLinear`, torch.optim, the steps of
`ganlab.train`), old and new code run alternately on the quiet machine (load < 2), 2 threads, gan,
defaults (200 steps), three rounds: batched old 2.8 / 3.0 / 2.9 s, new 2.8 / 2.9 / 2.8 s (as fast);
sequential 6.4 to 8.9 s for both (noisy), so speed-ups of 2.3x to 3.1x that day for both versions.
The GPU target (>= 10x) needs a device argument for both paths; not measured here. Timings on a machine
shared with other work are inflated and noisy.
"""
from __future__ import annotations

import argparse
import time

import torch

from ganlab import data, sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="gan", choices=sorted(sweep.METHODS))
    parser.add_argument("--dist", default="8gaussians", choices=data.TOY_NAMES)
    parser.add_argument("--seeds", type=int, default=16)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    dist, seeds = data.toy(args.dist), list(range(args.seeds))
    size = dict(width=args.width, depth=args.depth, batch=args.batch, n_samples=256)

    sweep.train_many(args.method, dist, seeds[:2], 3, **size)  # warm-up
    t0 = time.perf_counter()
    sweep.train_many(args.method, dist, seeds, args.steps, **size)
    batched = time.perf_counter() - t0

    t0 = time.perf_counter()
    for s in seeds:
        sweep.train_one(args.method, dist, s, args.steps, **size)
    sequential = time.perf_counter() - t0

    print(f"{args.method} on {args.dist}: {args.seeds} seeds x {args.steps} steps, width {args.width}, "
          f"depth {args.depth}, batch {args.batch}, {torch.get_num_threads()} CPU threads")
    print(f"batched    {batched:7.1f} s")
    print(f"sequential {sequential:7.1f} s")
    print(f"speed-up   {sequential / batched:7.2f}x  (sequential time / batched time)")


if __name__ == "__main__":
    main()
