import numpy as np
import pytest
import torch

from ganlab import runtime


def test_profile_from_env(monkeypatch):
    monkeypatch.setenv("GANLAB_PROFILE", "full")
    assert runtime.profile() == "full"
    monkeypatch.setenv("GANLAB_PROFILE", "QUICK")
    assert runtime.profile() == "quick"


def test_profile_automatic_follows_device(monkeypatch):
    monkeypatch.delenv("GANLAB_PROFILE", raising=False)
    expected = "full" if torch.cuda.is_available() else "quick"
    assert runtime.profile() == expected


def test_unknown_profile_names_allowed_values(monkeypatch):
    monkeypatch.setenv("GANLAB_PROFILE", "fast")
    with pytest.raises(ValueError, match="'quick', 'full'"):
        runtime.profile()


def test_budget_picks_by_profile(monkeypatch):
    monkeypatch.setenv("GANLAB_PROFILE", "quick")
    assert runtime.budget(quick=10, full=1000) == 10
    monkeypatch.setenv("GANLAB_PROFILE", "full")
    assert runtime.budget(quick=10, full=1000) == 1000


def test_seed_everything_makes_runs_repeat(monkeypatch):
    monkeypatch.setenv("GANLAB_SEED", "7")
    assert runtime.seed_everything() == 7
    a = (torch.rand(3), np.random.rand(3))
    runtime.seed_everything()
    b = (torch.rand(3), np.random.rand(3))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_bad_seed_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GANLAB_SEED", "abc")
    with pytest.raises(ValueError, match="GANLAB_SEED must be an integer"):
        runtime.seed_value()


def test_strict_and_offline_flags(monkeypatch):
    monkeypatch.delenv("GANLAB_STRICT", raising=False)
    monkeypatch.delenv("GANLAB_OFFLINE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert not runtime.strict() and not runtime.offline()
    monkeypatch.setenv("GANLAB_STRICT", "1")
    monkeypatch.setenv("CI", "true")
    assert runtime.strict() and runtime.offline()


def test_banner_names_profile_device_seed_versions_and_data(monkeypatch):
    monkeypatch.setenv("GANLAB_PROFILE", "quick")
    text = runtime.banner(data="toy 2D, generated in code", seed=3)
    assert "profile: quick" in text and "seed: 3" in text
    assert f"torch {torch.__version__}" in text
    assert "toy 2D, generated in code" in text
    assert "data: toy 2D, generated in code" in text and "data: data:" not in text


def test_start_prints_banner_and_returns_seed(capsys, monkeypatch):
    monkeypatch.setenv("GANLAB_SEED", "5")
    assert runtime.start() == 5
    assert "ganlab | profile:" in capsys.readouterr().out
