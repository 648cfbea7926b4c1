"""The R1 penalty and two time-scale learning rates (TTUR) of ganlab.sweep (notebook 11)."""
import pytest
import torch

from ganlab import data, losses, sweep

SMALL = dict(width=8, depth=2, batch=16, n_samples=20)


@pytest.mark.parametrize("overrides", [dict(r1_gamma=1.0), dict(lr=1e-3, lr_d=4e-3),
                                       dict(r1_gamma=0.5, lr_d=3e-3, lr_end=1e-4)])
def test_batched_seed_matches_the_sequential_run(overrides):
    """Seed 5 inside a sweep of two seeds is the sequential run of seed 5, with R1 and / or TTUR."""
    dist = data.toy("8gaussians")
    result = sweep.train_many("gan", dist, [3, 5], 8, **SMALL, **overrides)
    G, D, history, samples = sweep.train_one("gan", dist, 5, 8, **SMALL, **overrides)
    torch.testing.assert_close(result.samples[1], samples, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(result.loss_d[:, 1], torch.tensor(history.scalars["loss_d"]), atol=1e-5, rtol=1e-4)
    for a, b in zip(result.critic(1).parameters(), D.parameters()):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)


def test_r1_and_ttur_change_the_run_and_lr_d_scales_the_schedule():
    dist = data.toy("8gaussians")
    plain = sweep.train_many("gan", dist, [0], 5, **SMALL)
    for overrides in (dict(r1_gamma=10.0), dict(lr_d=5e-3)):
        assert not torch.allclose(sweep.train_many("gan", dist, [0], 5, **SMALL, **overrides).samples, plain.samples)
    recipe = sweep.method("gan", lr=1e-3, lr_d=4e-3, lr_end=1e-4)
    assert sweep.d_learning_rate(recipe, 5, 10) == pytest.approx(4 * sweep.learning_rate(recipe, 5, 10))
    assert sweep.d_learning_rate(sweep.method("gan"), 3, 10) == 1e-3


def test_r1_penalty_is_the_squared_input_gradient_on_real_data():
    w = torch.tensor([[0.5, -2.0]])
    critic = torch.nn.Linear(2, 1)
    with torch.no_grad():
        critic.weight.copy_(w)
    assert losses.r1_penalty(critic, torch.randn(7, 2)).item() == pytest.approx(0.25 + 4.0)
    quadratic = lambda x: (x**2).sum(dim=1, keepdim=True)  # grad = 2x, ||grad||^2 = 4 ||x||^2
    x = torch.randn(5, 2)
    assert losses.r1_penalty(quadratic, x).item() == pytest.approx(4 * (x**2).sum(1).mean().item(), rel=1e-6)


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="r1_gamma must be a positive number"):
        sweep.method("gan", r1_gamma=-1.0)
    with pytest.raises(ValueError, match="lr_d must be a positive number"):
        sweep.method("gan", lr_d=0.0)
    with pytest.raises(ValueError, match="choose one penalty"):
        sweep.method("wgan_gp", r1_gamma=1.0)
