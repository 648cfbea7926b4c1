"""The closing "what we saw" checklist and the exercises' checkers.

A lesson states what was measured *and the baseline it beats*: the figure of a null that would fail
it (chance, an untrained or identity model, the ablation, a simple filter, the other recipe). A fact
that follows from construction or geometry is not a lesson: it is a compared cell
(`# NBVAL_CHECK_OUTPUT`) or a unit test.

    what_we_saw([
        lesson("WGAN-GP covers more ring modes than the vanilla GAN (median over 16 seeds)",
               held=wgan >= vanilla + 3, measured=f"WGAN-GP {wgan}/8", baseline=f"vanilla {vanilla}/8"),
    ])

It prints a tick list with both figures. Under the test command (GANLAB_STRICT=1) a lesson not seen
raises `LessonNotSeen`; for a student it prints a friendly note instead (a different seed or profile
can legitimately differ). `tests/test_lessons_name_baselines.py` reads every notebook source and fails
on a checklist line that names no baseline.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .runtime import strict


@dataclass(frozen=True)
class Lesson:
    """One checklist line: the statement, whether it held, the measured figure, the baseline's figure."""

    statement: str
    held: bool
    measured: str
    baseline: str

    def line(self) -> str:
        return (f"{'✓' if self.held else '✗'} {self.statement}\n"
                f"    measured: {self.measured}  |  baseline: {self.baseline}")


def lesson(statement: str, *, held, measured: str, baseline: str) -> Lesson:
    """A checklist line. `measured` is the figure this run produced; `baseline` the figure of the null
    that would fail the lesson (named: "chance 0.10", "untrained G: FD 412", "clipping: 0.27")."""
    for name, text in (("statement", statement), ("measured", measured), ("baseline", baseline)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"a lesson needs a non-empty {name} string, got {text!r}")
    return Lesson(statement, bool(held), measured, baseline)


class _Unseen(list):
    """A list that shows nothing as a cell's result (the tick list is already printed)."""

    def _repr_pretty_(self, printer, cycle):
        pass


class LessonNotSeen(AssertionError):
    """A lesson a notebook states did not hold in the measured results (raised under GANLAB_STRICT=1)."""


def what_we_saw(lessons) -> list[str]:
    """Print each lesson with a tick or a cross, its measured figure and its baseline. Returns the
    statements not seen (empty when all hold); a notebook ends its cell with the call."""
    lessons = list(lessons)
    for item in lessons:
        if not isinstance(item, Lesson):
            raise TypeError(f"each checklist line is a lesson(statement, held=..., measured=..., baseline=...), "
                            f"got {type(item).__name__}: {item!r}")
    failed = [item.statement for item in lessons if not item.held]
    for item in lessons:
        print(item.line())
    if failed and strict():
        raise LessonNotSeen(f"{len(failed)} lesson(s) not seen in this run: " + "; ".join(failed))
    if failed:
        print(f"\nNote: {len(failed)} lesson(s) did not show in this run. Training is random: try another "
              "GANLAB_SEED or the full profile, and compare with the figures above.")
    return _Unseen(failed)


def check_answer(got, expected, tol: float = 1e-6, hint: str = "") -> bool:
    """An exercise checker: compares a number or array with the expected one (absolute and relative
    tolerance `tol`) and prints whether it is right, with a hint when it is not."""
    if got is None:
        print(f"No answer yet: replace the None above with yours. {hint}".strip())
        return False
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
