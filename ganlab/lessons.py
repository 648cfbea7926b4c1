"""The closing "what we saw" checklist and the exercises' checkers.

A lesson is a statement, whether the measured result shows it, and the measured figures:

    what_we_saw([
        ("the vanilla GAN covers fewer modes than WGAN-GP", vanilla < wgan, f"{vanilla} vs {wgan} modes"),
    ])

It prints a tick list. Under the test command (GANLAB_STRICT=1) a lesson not seen raises
`LessonNotSeen`; for a student it prints a friendly note instead (a different seed or profile can
legitimately differ).
"""
from __future__ import annotations

import math

import numpy as np

from .runtime import strict


class _Unseen(list):
    """A list that shows nothing as a cell's result (the tick list is already printed)."""

    def _repr_pretty_(self, printer, cycle):
        pass


class LessonNotSeen(AssertionError):
    """A lesson a notebook states did not hold in the measured results (raised under GANLAB_STRICT=1)."""


def what_we_saw(lessons) -> list[str]:
    """Print each lesson with a tick or a cross. Returns the statements not seen (empty when all
    hold); a notebook ends its cell with the call and shows nothing more than the tick list."""
    failed = []
    for item in lessons:
        if len(item) not in (2, 3):
            raise ValueError("each lesson is (statement, held, figures) or (statement, held)")
        statement, held, figures = (*item, "")[:3]
        held = bool(held)
        print(f"{'✓' if held else '✗'} {statement}" + (f"  [{figures}]" if figures else ""))
        if not held:
            failed.append(statement)
    if failed and strict():
        raise LessonNotSeen(f"{len(failed)} lesson(s) not seen in this run: " + "; ".join(failed))
    if failed:
        print(f"\nNote: {len(failed)} lesson(s) did not show in this run. Training is random: try another "
              "GANLAB_SEED or the full profile, and compare with the figures above.")
    return _Unseen(failed)


def check_answer(got, expected, tol: float = 1e-6, hint: str = "") -> bool:
    """An exercise checker: compares a number or array with the expected one (absolute and relative
    tolerance `tol`) and prints whether it is right, with a hint when it is not."""
    try:
        got_arr = np.asarray(got, dtype=float)
        exp_arr = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        print(f"Not a number: got {got!r}. {hint}".strip())
        return False
    if got_arr.shape != exp_arr.shape:
        print(f"Not yet: expected shape {exp_arr.shape}, got {got_arr.shape}. {hint}".strip())
        return False
    ok = bool(np.allclose(got_arr, exp_arr, atol=tol, rtol=tol, equal_nan=False))
    if ok:
        print("Correct!")
    else:
        err = float(np.max(np.abs(got_arr - exp_arr))) if got_arr.size else math.nan
        print(f"Not yet: off by {err:.3g} (tolerance {tol:g}). {hint}".strip())
    return ok
