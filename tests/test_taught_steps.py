"""The training steps a notebook teaches stay equal in behaviour to the ones `ganlab` holds.

00 writes `discriminator_update` / `generator_update` in the page before it imports
`ganlab.train.discriminator_step` / `generator_step`; this test runs the notebook's own cell and
compares one step of each, from the same weights and batch, with the package's.
"""
from pathlib import Path

import jupytext
import torch

from ganlab import data, nets, train

ROOT = Path(__file__).resolve().parents[1]


def taught(notebook: str, name: str):
    """The function `name` as the notebook's source defines it (its defining cell executed alone)."""
    nb = jupytext.read(ROOT / "notebooks" / "src" / notebook)
    cell = next(c.source for c in nb.cells if c.cell_type == "code" and f"def {name}(" in c.source)
    scope: dict = {"torch": torch}  # what the notebook imported in its earlier cells
    exec(compile(cell, f"{notebook}:{name}", "exec"), scope)
    return scope[name]


def one_step_each(update_d, update_g, seed=3):
    torch.manual_seed(seed)
    ring = data.toy("8gaussians")
    G, D = nets.toy_generator(latent_dim=2, width=16, depth=2), nets.toy_discriminator(width=16, depth=2)
    opt_g, opt_d = torch.optim.Adam(G.parameters(), lr=1e-2), torch.optim.Adam(D.parameters(), lr=1e-2)
    real, z1, z2 = ring.sample(32), torch.randn(32, 2), torch.randn(32, 2)
    loss_d = update_d(G, D, opt_d, real, z1)
    loss_g = update_g(G, D, opt_g, z2)
    weights = torch.cat([p.detach().flatten() for p in (*G.parameters(), *D.parameters())])
    return weights, loss_d, loss_g


def test_00_updates_equal_the_package_steps():
    ours = one_step_each(taught("00_start_here.py", "discriminator_update"),
                         taught("00_start_here.py", "generator_update"))
    package = one_step_each(train.discriminator_step, train.generator_step)
    assert torch.allclose(ours[0], package[0], atol=1e-6)
    assert torch.allclose(ours[1], package[1]["loss_d"]) and torch.allclose(ours[2], package[2]["loss_g"])
