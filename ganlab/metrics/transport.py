"""Exact optimal transport between two empirical distributions (small sample sets).

For two sets of n points each with mass 1/n, {x_i} and {y_j}, the earth mover's (Wasserstein-1)
distance is

    W(P, Q) = min_pi  sum_ij pi_ij ||x_i - y_j||,  pi >= 0, rows and columns summing to 1/n,

and for equal sizes an optimal plan is a permutation (Birkhoff-von Neumann: the vertices of that
polytope are permutation matrices), so W = (1/n) min_sigma sum_i ||x_i - y_sigma(i)||: an assignment
problem, solved exactly by `scipy.optimize.linear_sum_assignment` in O(n^3). For unequal sizes the
plan is no longer a permutation and `wasserstein_lp` solves the linear programme with `linprog`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment, linprog
from scipy.spatial.distance import cdist


@dataclass(frozen=True)
class Transport:
    """An optimal plan: x[i] moves to y[target[i]] (equal sizes); `plan` is the n x m mass matrix."""

    distance: float
    target: np.ndarray | None
    plan: np.ndarray


def _points(a, name: str) -> np.ndarray:
    a = a.detach().cpu().numpy() if torch.is_tensor(a) else np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2 or len(a) == 0:
        raise ValueError(f"{name} must be a non-empty (n, d) or (n,) array of points, got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} holds NaN or inf values")
    return a.astype(float)


def _check(x, y) -> tuple[np.ndarray, np.ndarray]:
    x, y = _points(x, "x"), _points(y, "y")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must have the same dimension, got {x.shape[1]} and {y.shape[1]}")
    return x, y


def wasserstein(x, y) -> Transport:
    """Exact W1 between two equal-size point sets (uniform weights), with the optimal assignment.

        W = (1/n) min_sigma sum_i ||x_i - y_sigma(i)||_2

    For sets of different sizes use `wasserstein_lp`. n up to a few thousand is practical (O(n^3)).
    """
    x, y = _check(x, y)
    if len(x) != len(y):
        raise ValueError(f"wasserstein needs equal-size sets (got {len(x)} and {len(y)}); "
                         "use wasserstein_lp for sets of different sizes")
    cost = cdist(x, y)
    rows, cols = linear_sum_assignment(cost)
    n = len(x)
    plan = np.zeros((n, n))
    plan[rows, cols] = 1.0 / n
    return Transport(float(cost[rows, cols].mean()), cols, plan)


def wasserstein_lp(x, y) -> Transport:
    """Exact W1 between point sets of any sizes n and m (weights 1/n and 1/m), by linear programming:

        min_pi sum_ij pi_ij ||x_i - y_j||  s.t.  sum_j pi_ij = 1/n,  sum_i pi_ij = 1/m,  pi >= 0.

    n m variables: keep n m below about 10^5.
    """
    x, y = _check(x, y)
    n, m = len(x), len(y)
    if n * m > 200_000:
        raise ValueError(f"{n} x {m} = {n * m} transport variables is too many for the LP; subsample the sets")
    cost = cdist(x, y)
    rows = np.kron(np.eye(n), np.ones((1, m)))      # sum over j of pi_ij
    cols = np.kron(np.ones((1, n)), np.eye(m))      # sum over i of pi_ij
    res = linprog(cost.ravel(), A_eq=np.vstack([rows, cols]),
                  b_eq=np.concatenate([np.full(n, 1 / n), np.full(m, 1 / m)]), bounds=(0, None), method="highs")
    if not res.success:
        raise RuntimeError(f"the transport LP failed: {res.message}")
    plan = res.x.reshape(n, m)
    return Transport(float(res.fun), None, plan)
