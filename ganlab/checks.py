"""Argument checks shared by the package: each raises a ValueError that says what was wrong and what is
allowed (the nets' sizes, the data's sample counts)."""
from __future__ import annotations

import numpy as np


def positive_int(name: str, value, allow_zero: bool = False, what: str = "integer") -> int:
    """`value` as an int if it is a positive integer (or zero, with `allow_zero`); a bool is not a count."""
    low = 0 if allow_zero else 1
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{name} must be a {kind} {what}, got {value!r}")
    return int(value)
