"""Where the course runs: profile, device, seeding and the banner every notebook prints first.

Profiles change sizes only, never the code path:
  quick  the default on a CPU and what CI runs (each notebook in minutes on 2 cores)
  full   the default where CUDA is available (paper-quality results on one GPU)
Environment variables:
  GANLAB_PROFILE=quick|full   override the automatic choice
  GANLAB_SEED=<int>           the seed (default 0)
  GANLAB_STRICT=1             closing checklists raise instead of warning (the test command sets it)
  GANLAB_OFFLINE=1            never try a download (CI sets CI=true, which implies it)
  GANLAB_FAST=<setting>       the image notebooks' speed setting (one of SPEED_SETTINGS; default: by rule)
  GANLAB_MAX_STEPS=<int>      a cap on every training run's step count, for smoke runs only (e.g. the
                              capped full-profile pass of the test command): `train_steps` applies it,
                              the banner shows it; it changes nothing else (sizes, seeds, code path)

The speed setting (`fast_setting()`, used by the image notebooks 07-10): how a conv net's step runs.

    fast = fast_setting()              # chosen once per process, printed by start(fast=True)
    G, D = fast.prepare(G), fast.prepare(D)   # channels_last weights where chosen
    with fast.autocast():              # bf16 autocast where chosen (a no-op context otherwise)
        loss_d = discriminator_loss(D(real), D(G(z).detach()))
    loss_d.backward()                  # backward and optimiser steps outside the context, as torch advises

The choice is a rule, so a run is reproducible on one machine: bf16 autocast with channels_last where
the device computes bf16 natively (a GPU that supports it; a CPU with AVX-512 BF16 or AMX,
`native_bf16()`), channels_last on other CPUs (on an AVX2-only CPU bf16 autocast is emulated and was
measured 10x slower than fp32), fp32 on other GPUs. `probe_speed()` times the DCGAN step of notebook
07 (ngf 32, batch 64) in each setting, alternating them, to show what the rule buys. Losses
stay in fp32 (autocast computes them so), and evaluation and metrics run outside autocast, in fp32.
That the chosen setting trains as well as fp32 is shown in notebook 07 (same checks, steps/s printed).
"""
from __future__ import annotations

import os
import platform
import random
import sys
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

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


def max_steps() -> int | None:
    """`GANLAB_MAX_STEPS` as a positive int, or None when unset (no cap)."""
    raw = os.environ.get("GANLAB_MAX_STEPS", "").strip()
    if not raw:
        return None
    try:
        cap = int(raw)
    except ValueError:
        cap = 0
    if cap < 1:
        raise ValueError(f"GANLAB_MAX_STEPS must be a positive integer (a cap on training steps), got {raw!r}; "
                         "unset it for no cap")
    return cap


def train_steps(quick: int, full: int) -> int:
    """The number of training steps of a run: `budget(quick, full)`, capped by `GANLAB_MAX_STEPS` when
    set (smoke runs of a profile). Every training-step count in a notebook goes through this one call:
    `steps = train_steps(quick=2_000, full=20_000)`. Sizes (batch, width, seeds) use `budget`."""
    chosen = budget(quick, full)
    cap = max_steps()
    return chosen if cap is None else min(chosen, cap)


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


def banner(data: str | None = None, seed: int | None = None, fast: bool = False) -> str:
    """The lines every notebook prints first: profile, device, seed, versions, data source; with
    `fast=True` also the speed setting (`fast_setting()`, chosen now if not yet)."""
    dev = device()
    where = torch.cuda.get_device_name(0) if dev.type == "cuda" else f"cpu ({torch.get_num_threads()} threads)"
    # The notebook's own description first, then each source a loader recorded ("name: where from").
    described = ([data] if data else []) + [f"{k}: {v}" for k, v in _data_sources.items()]
    lines = [
        f"ganlab | profile: {profile()} | device: {where} | seed: {seed_value() if seed is None else seed}",
        f"versions: {_versions()}",
        "data: " + ("; ".join(described) if described else "generated in code"),
    ]
    cap = max_steps()
    if cap is not None:
        lines.append(f"GANLAB_MAX_STEPS={cap}: every training run stops after at most {cap} steps "
                     "(a smoke run: the results below mean nothing)")
    if fast:
        lines.append(fast_setting().describe())
    return "\n".join(lines)


def start(data: str | None = None, seed: int | None = None, fast: bool = False) -> int:
    """First call of every notebook: seed everything and print the banner (with `fast=True`, the
    image notebooks' speed setting too, see `fast_setting`). Returns the seed."""
    used = seed_everything(seed)
    print(banner(data, used, fast))
    return used


# ---- the speed setting of the image notebooks ------------------------------------------------------

# name -> (autocast dtype or None, channels_last weights and activations)
SPEED_SETTINGS = {
    "fp32": (None, False),
    "channels_last": (None, True),
    "bf16": (torch.bfloat16, False),
    "bf16+channels_last": (torch.bfloat16, True),
}


@dataclass(frozen=True)
class FastSetting:
    """How a conv net's training step runs: autocast dtype (None: fp32) and memory format.
    `how` says why it was chosen; `rates` holds the probe's steps/s per setting (empty without a probe)."""

    name: str
    autocast_dtype: torch.dtype | None
    channels_last: bool
    how: str
    rates: dict = field(default_factory=dict)

    def prepare(self, net: torch.nn.Module) -> torch.nn.Module:
        """The net with channels_last weights where chosen (in place, returned for chaining)."""
        return net.to(memory_format=torch.channels_last) if self.channels_last else net

    def inputs(self, x: torch.Tensor) -> torch.Tensor:
        """A 4-D image batch in the chosen memory format (other tensors unchanged)."""
        return x.contiguous(memory_format=torch.channels_last) if self.channels_last and x.ndim == 4 else x

    def autocast(self):
        """A context running the forward passes in bf16 where chosen; a no-op context for fp32."""
        if self.autocast_dtype is None:
            return nullcontext()
        return torch.autocast(device().type, dtype=self.autocast_dtype)

    def describe(self) -> str:
        rates = ", ".join(f"{k} {v:.1f}" for k, v in self.rates.items())
        return f"speed: {self.name} ({self.how}" + (f"; DCGAN steps/s: {rates}" if rates else "") + ")"


def speed_setting(name: str, how: str = "by name", rates: dict | None = None) -> FastSetting:
    """The FastSetting called `name` (one of SPEED_SETTINGS)."""
    if name not in SPEED_SETTINGS:
        raise ValueError(f"unknown speed setting {name!r}; choose one of {', '.join(map(repr, SPEED_SETTINGS))}")
    dtype, channels_last = SPEED_SETTINGS[name]
    return FastSetting(name, dtype, channels_last, how, dict(rates or {}))


def native_bf16() -> bool:
    """Whether this device computes bf16 natively: a CUDA GPU that supports it, or a CPU with AVX-512
    BF16 or AMX. Without it, bf16 autocast is emulated and several times slower than fp32."""
    if device().type == "cuda":
        # including_emulation=False: a T4 (compute capability 7.5, Colab's free GPU) can hold bf16 tensors,
        # which is all the default check asks, but has no bf16 units, so autocast would be emulated there
        return torch.cuda.is_bf16_supported(including_emulation=False)
    checks = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return any(check is not None and check() for check in checks)


def probe_speed(settings=None, steps: int = 4, rounds: int = 2, batch: int = 64) -> dict[str, float]:
    """steps/s of notebook 07's DCGAN training step (ngf 32, batch `batch`) in each of `settings`
    (default: all of SPEED_SETTINGS, without the bf16 ones where `native_bf16()` is False) on this
    device: settings alternate for `rounds` rounds (so a load change hits all alike), best round kept.
    Leaves the random state untouched (it runs under torch.random.fork_rng)."""
    from .losses import discriminator_loss, generator_loss_non_saturating
    from .nets.dcgan import dcgan_discriminator, dcgan_generator

    dev = device()
    if settings is None:
        settings = [name for name, (dtype, _) in SPEED_SETTINGS.items() if dtype is None or native_bf16()]
    best = {speed_setting(name).name: 0.0 for name in settings}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        arms = {}
        for name in settings:
            setting = speed_setting(name)
            G, D = setting.prepare(dcgan_generator(64, 32).to(dev)), setting.prepare(dcgan_discriminator(32).to(dev))
            opts = torch.optim.Adam(G.parameters(), 2e-4), torch.optim.Adam(D.parameters(), 2e-4)
            arms[name] = (setting, G, D, opts)
        real = torch.rand(batch, 1, 28, 28, device=dev) * 2 - 1
        z = torch.randn(batch, 64, device=dev)

        def step(setting, G, D, opts):
            with setting.autocast():
                fake = G(z)
                loss_d = discriminator_loss(D(setting.inputs(real)), D(fake.detach()))
            opts[1].zero_grad(set_to_none=True)
            loss_d.backward()
            opts[1].step()
            with setting.autocast():
                loss_g = generator_loss_non_saturating(D(fake))
            opts[0].zero_grad(set_to_none=True)
            loss_g.backward()
            opts[0].step()

        for _ in range(rounds):
            for name, arm in arms.items():
                step(*arm)  # warm-up (first calls pick kernels)
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                t0 = time.perf_counter()
                for _ in range(steps):
                    step(*arm)
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                best[name] = max(best[name], steps / (time.perf_counter() - t0))
    return best


_fast: FastSetting | None = None


def fast_setting(refresh: bool = False) -> FastSetting:
    """The speed setting the image notebooks train with, chosen once per process (`refresh=True`
    chooses again): `GANLAB_FAST` if set; else bf16 autocast with channels_last where the device
    computes bf16 natively (`native_bf16()`), channels_last on any other CPU, fp32 on any other GPU.

    The choice is a rule, not a timing: a timing probe could pick a different setting from one run to
    the next (bf16 and bf16+channels_last measure within noise of each other), and then a notebook
    would not be reproducible on the same machine. `probe_speed()` measures what the rule buys (07)."""
    global _fast
    override = os.environ.get("GANLAB_FAST", "").strip().lower()
    if override:
        return speed_setting(override, how="GANLAB_FAST")  # checked every call: a bad value always fails
    if _fast is None or refresh:
        dev, bf16 = device(), native_bf16()
        if bf16:
            _fast = speed_setting("bf16+channels_last", how=f"native bf16 on this {dev.type}")
        elif dev.type == "cpu":
            _fast = speed_setting("channels_last", how="no native bf16 on this CPU, so no bf16 autocast")
        else:
            _fast = speed_setting("fp32", how=f"default on {dev.type} without native bf16")
    return _fast
