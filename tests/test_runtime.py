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


# ---- the speed setting (fast_setting) ----

def test_fast_setting_override_is_respected(monkeypatch):
    for name in runtime.SPEED_SETTINGS:
        monkeypatch.setenv("GANLAB_FAST", name.upper())
        chosen = runtime.fast_setting()
        assert chosen.name == name and chosen.how == "GANLAB_FAST" and chosen.rates == {}
        assert (chosen.autocast_dtype, chosen.channels_last) == runtime.SPEED_SETTINGS[name]


def test_bad_fast_setting_names_the_allowed_ones(monkeypatch):
    monkeypatch.setenv("GANLAB_FAST", "fp16")
    with pytest.raises(ValueError, match=r"'fp16'.*'fp32', 'channels_last', 'bf16', 'bf16\+channels_last'"):
        runtime.fast_setting()
    with pytest.raises(ValueError, match="unknown speed setting 'turbo'"):
        runtime.speed_setting("turbo")


def test_fast_setting_is_a_rule_chosen_once_per_process(monkeypatch):
    # the choice must not depend on a timing: the same machine gives the same setting every run
    monkeypatch.delenv("GANLAB_FAST", raising=False)
    monkeypatch.setattr(runtime, "probe_speed", lambda *a, **k: pytest.fail("fast_setting must not time anything"))
    monkeypatch.setattr(runtime, "_fast", None)
    for dev, bf16, expected in [("cpu", True, "bf16+channels_last"), ("cpu", False, "channels_last"),
                                ("cuda", True, "bf16+channels_last"), ("cuda", False, "fp32")]:
        monkeypatch.setattr(runtime, "device", lambda dev=dev: torch.device(dev))
        monkeypatch.setattr(runtime, "native_bf16", lambda bf16=bf16: bf16)
        first = runtime.fast_setting(refresh=True)
        assert first.name == expected and runtime.fast_setting() is first


def test_probe_times_each_setting_and_leaves_the_random_state(monkeypatch):
    torch.manual_seed(3)
    expected = torch.rand(2)
    torch.manual_seed(3)
    rates = runtime.probe_speed(["fp32", "channels_last"], steps=1, rounds=1, batch=4)
    assert set(rates) == {"fp32", "channels_last"} and all(v > 0 for v in rates.values())
    assert torch.equal(torch.rand(2), expected)


def test_setting_prepares_nets_inputs_and_autocast():
    net = torch.nn.Conv2d(1, 4, 3)
    x = torch.randn(2, 1, 8, 8)
    fast = runtime.speed_setting("bf16+channels_last")
    fast.prepare(net)
    assert net.weight.is_contiguous(memory_format=torch.channels_last)
    assert fast.inputs(x).is_contiguous(memory_format=torch.channels_last)
    assert fast.inputs(torch.randn(2, 3)).shape == (2, 3)
    with fast.autocast():
        assert net(fast.inputs(x)).dtype == torch.bfloat16
    plain = runtime.speed_setting("fp32")
    with plain.autocast():
        assert torch.nn.Conv2d(1, 4, 3)(x).dtype == torch.float32


def test_banner_prints_the_speed_setting_only_when_asked(monkeypatch):
    monkeypatch.setenv("GANLAB_FAST", "fp32")
    assert "speed: fp32 (GANLAB_FAST)" in runtime.banner(fast=True)
    assert "speed:" not in runtime.banner()


# ---- the step cap (GANLAB_MAX_STEPS) ----

def test_train_steps_without_cap_is_budget(monkeypatch):
    monkeypatch.delenv("GANLAB_MAX_STEPS", raising=False)
    for prof in runtime.PROFILES:
        monkeypatch.setenv("GANLAB_PROFILE", prof)
        assert runtime.train_steps(quick=1_000, full=6_000) == runtime.budget(quick=1_000, full=6_000)
    assert runtime.max_steps() is None


def test_step_cap_changes_step_counts_and_nothing_else(monkeypatch):
    """With GANLAB_MAX_STEPS set, train_steps is capped; every size (budget), the profile, the seed and
    the speed setting are what they were without the cap."""
    monkeypatch.delenv("GANLAB_FAST", raising=False)
    for prof in runtime.PROFILES:
        monkeypatch.setenv("GANLAB_PROFILE", prof)
        monkeypatch.delenv("GANLAB_MAX_STEPS", raising=False)
        before = (runtime.profile(), runtime.budget(quick=(64, 3, 128), full=(256, 3, 256)),
                  runtime.budget(quick=16, full=64), runtime.seed_value(), runtime.fast_setting(refresh=True).name,
                  runtime.device())
        uncapped = runtime.train_steps(quick=1_000, full=6_000)
        monkeypatch.setenv("GANLAB_MAX_STEPS", "3")
        after = (runtime.profile(), runtime.budget(quick=(64, 3, 128), full=(256, 3, 256)),
                 runtime.budget(quick=16, full=64), runtime.seed_value(), runtime.fast_setting(refresh=True).name,
                 runtime.device())
        assert after == before
        assert runtime.train_steps(quick=1_000, full=6_000) == 3 < uncapped
        assert runtime.train_steps(quick=2, full=2) == 2  # a cap above the budget leaves it alone


def test_step_cap_shown_in_banner(monkeypatch):
    monkeypatch.setenv("GANLAB_MAX_STEPS", "2")
    assert "GANLAB_MAX_STEPS=2" in runtime.banner()
    monkeypatch.delenv("GANLAB_MAX_STEPS")
    assert "GANLAB_MAX_STEPS" not in runtime.banner()


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "2.5"])
def test_bad_step_cap_is_a_clear_error(monkeypatch, bad):
    monkeypatch.setenv("GANLAB_MAX_STEPS", bad)
    with pytest.raises(ValueError, match=f"GANLAB_MAX_STEPS must be a positive integer.*{bad!r}"):
        runtime.train_steps(quick=10, full=100)


def test_native_bf16_on_cuda_excludes_emulation(monkeypatch):
    """A T4 (sm 7.5) stores bf16 tensors but computes them emulated: the full profile must not pick bf16
    autocast there (torch's default is_bf16_supported() says True for it)."""
    asked = {}

    def fake_is_bf16_supported(including_emulation=True):
        asked["including_emulation"] = including_emulation
        return including_emulation  # an sm 7.5 GPU: only emulated bf16

    monkeypatch.setattr(runtime, "device", lambda: torch.device("cuda"))
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", fake_is_bf16_supported)
    assert runtime.native_bf16() is False and asked["including_emulation"] is False
