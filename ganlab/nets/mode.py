"""Eval mode for a moment: sampling, snapshots and metrics run the nets as at test time (BatchNorm's
running statistics, no dropout) and then give each net back the mode it had, so training resumes as it was."""
from __future__ import annotations

from contextlib import contextmanager

from torch import nn


@contextmanager
def evaluating(*modules: nn.Module):
    """`with evaluating(G, D): ...` runs the block with every module in eval mode, then restores each one's
    own mode (also when the block raises)."""
    was_training = [m.training for m in modules]
    for m in modules:
        m.eval()
    try:
        yield modules
    finally:
        for m, mode in zip(modules, was_training):
            m.train(mode)
