"""Where the course runs: profile, device, seeding and the banner every notebook prints first.

Profiles change sizes only, never the code path:
  quick  the default on a CPU and what CI runs (each notebook in minutes on 2 cores)
  full   the default where CUDA is available (paper-quality results on one GPU)
Environment variables:
  GANLAB_PROFILE=quick|full   override the automatic choice
  GANLAB_SEED=<int>           the seed (default 0)
  GANLAB_STRICT=1             closing checklists raise instead of warning (the test command sets it)
  GANLAB_OFFLINE=1            never try a download (CI sets CI=true, which implies it)
"""
from __future__ import annotations

import os
import platform
import random
import sys

import numpy as np
import torch

PROFILES = ("quick", "full")
DEFAULT_SEED = 0
COLAB_REPO = "ganlab-course/gan-course"  # where the Open-in-Colab links point

_data_sources: dict[str, str] = {}


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def device() -> torch.device:
    """The device the course trains on: CUDA when available, else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def profile() -> str:
    """`GANLAB_PROFILE` if set, else 'full' on CUDA and 'quick' otherwise."""
    chosen = os.environ.get("GANLAB_PROFILE", "").strip().lower()
    if not chosen:
        return "full" if device().type == "cuda" else "quick"
    if chosen not in PROFILES:
        raise ValueError(f"unknown GANLAB_PROFILE {chosen!r}; choose one of 'quick', 'full' (or unset it)")
    return chosen


def budget(quick, full):
    """Pick a size by profile, so a notebook states its budget in one line:
    `steps = budget(quick=2_000, full=20_000)`."""
    return quick if profile() == "quick" else full


def seed_value() -> int:
    """`GANLAB_SEED` as an int (default 0)."""
    raw = os.environ.get("GANLAB_SEED", str(DEFAULT_SEED)).strip()
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"GANLAB_SEED must be an integer, got {raw!r}") from None


def seed_everything(seed: int | None = None) -> int:
    """Seed torch (CPU and CUDA), numpy and random with one call; returns the seed used."""
    seed = seed_value() if seed is None else int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return seed


def strict() -> bool:
    """True under the test command: checklists raise instead of warning."""
    return _truthy(os.environ.get("GANLAB_STRICT"))


def offline() -> bool:
    """True when downloads must not be tried (GANLAB_OFFLINE=1, or CI=true)."""
    return _truthy(os.environ.get("GANLAB_OFFLINE")) or _truthy(os.environ.get("CI"))


def record_data_source(name: str, description: str) -> None:
    """Data loaders call this so the banner can say where each dataset came from."""
    _data_sources[name] = description


def data_sources() -> dict[str, str]:
    return dict(_data_sources)


def _versions() -> str:
    import matplotlib

    parts = [f"python {platform.python_version()}", f"torch {torch.__version__}", f"numpy {np.__version__}",
             f"matplotlib {matplotlib.__version__}"]
    for name in ("torchvision", "ipywidgets"):
        mod = sys.modules.get(name)
        if mod is None:
            try:
                mod = __import__(name)
            except ImportError:
                continue
        parts.append(f"{name} {mod.__version__}")
    return ", ".join(parts)


def banner(data: str | None = None, seed: int | None = None) -> str:
    """The lines every notebook prints first: profile, device, seed, versions, data source."""
    dev = device()
    where = torch.cuda.get_device_name(0) if dev.type == "cuda" else f"cpu ({torch.get_num_threads()} threads)"
    # The notebook's own description first, then each source a loader recorded ("name: where from").
    described = ([data] if data else []) + [f"{k}: {v}" for k, v in _data_sources.items()]
    lines = [
        f"ganlab | profile: {profile()} | device: {where} | seed: {seed_value() if seed is None else seed}",
        f"versions: {_versions()}",
        "data: " + ("; ".join(described) if described else "generated in code"),
    ]
    return "\n".join(lines)


def start(data: str | None = None, seed: int | None = None) -> int:
    """First call of every notebook: seed everything and print the banner. Returns the seed."""
    used = seed_everything(seed)
    print(banner(data, used))
    return used
