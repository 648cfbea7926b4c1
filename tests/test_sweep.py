import pytest
import torch

from ganlab import data, nets, sweep

SMALL = dict(width=8, depth=2, batch=16, n_samples=20)


@pytest.mark.parametrize("method, overrides", [(m, {}) for m in sorted(sweep.METHODS)]
                         + [("wgan_gp", dict(lr=1e-2, lr_end=1e-3, n_critic=2)), ("wgan_clip", dict(lr_end=1e-6))])
def test_batched_seed_matches_the_sequential_run(method, overrides):
    """Seed 5 inside a sweep of two seeds is the sequential `train_gan` run of seed 5."""
    dist = data.toy("swissroll")
    result = sweep.train_many(method, dist, [3, 5], 8, **SMALL, **overrides)
    G, D, history, samples = sweep.train_one(method, dist, 5, 8, **SMALL, **overrides)
    torch.testing.assert_close(result.samples[1], samples, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(result.loss_d[:, 1], torch.tensor(history.scalars["loss_d"]), atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(result.loss_g[:, 1], torch.tensor(history.scalars["loss_g"]), atol=1e-5, rtol=1e-4)
    for a, b in zip(result.critic(1).parameters(), D.parameters()):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)
    for a, b in zip(result.generator(1).parameters(), G.parameters()):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)


def test_shapes_and_reproducibility():
    dist = data.toy("8gaussians")
    r = sweep.train_many("gan", dist, [0, 1, 2], 6, sample_at=[0, 3, 6, 99], **SMALL)
    assert r.samples.shape == (3, 20, 2) and r.seeds == [0, 1, 2] and r.method == "gan"
    assert r.loss_d.shape == r.loss_g.shape == (6, 3)
    assert r.sample_steps == [0, 3, 6] and r.sample_history.shape == (3, 3, 20, 2)
    torch.testing.assert_close(r.sample_history[-1], r.samples)
    # A seed's run does not depend on which other seeds share the sweep, nor on the global RNG.
    torch.manual_seed(123)
    alone = sweep.train_many("gan", dist, [1], 6, **SMALL)
    torch.testing.assert_close(alone.samples[0], r.samples[1], atol=1e-5, rtol=1e-4)
    assert not torch.allclose(r.samples[0], r.samples[1])


def test_learning_rate_decays_linearly_to_lr_end():
    recipe = sweep.method("wgan_gp", lr=1e-3, lr_end=1e-4)
    assert [sweep.learning_rate(recipe, t, 10) for t in (0, 5)] == pytest.approx([1e-3, 5.5e-4])
    assert sweep.learning_rate(sweep.method("gan"), 7, 10) == 1e-3
    with pytest.raises(ValueError, match="lr_end must be a positive number"):
        sweep.method("gan", lr_end=0.0)
    # A decaying rate changes the run (the schedule is not silently ignored).
    dist = data.toy("8gaussians")
    constant = sweep.train_many("gan", dist, [0], 5, **SMALL)
    decayed = sweep.train_many("gan", dist, [0], 5, lr_end=1e-5, **SMALL)
    assert not torch.allclose(constant.samples, decayed.samples)


def test_clipping_keeps_critic_weights_in_range():
    r = sweep.train_many("wgan_clip", data.toy("8gaussians"), [0, 1], 3, **SMALL)
    assert all(v.abs().max() <= 0.01 + 1e-7 for v in r.params_d.values())


def test_overrides_and_errors():
    dist = data.toy("8gaussians")
    assert sweep.method("wgan_gp", n_critic=2).n_critic == 2
    with pytest.raises(ValueError, match="unknown method 'lsgan'.*'gan'.*'wgan_gp'"):
        sweep.train_many("lsgan", dist, [0], 1)
    with pytest.raises(ValueError, match="unknown setting"):
        sweep.method("gan", learning_rate=1e-3)
    with pytest.raises(ValueError, match="n_critic must be a positive integer"):
        sweep.method("gan", n_critic=0)
    with pytest.raises(ValueError, match="distinct"):
        sweep.train_many("gan", dist, [0, 0], 1, **SMALL)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        sweep.train_many("gan", dist, [0], 0, **SMALL)
    with pytest.raises(ValueError, match="multiple of the pack size"):
        sweep.train_many("pacgan", dist, [0], 1, width=8, depth=1, batch=33)
    with pytest.raises(TypeError, match="sample"):
        sweep.train_many("gan", "8gaussians", [0], 1)


def test_batched_forward_equals_each_seeds_module_and_rejects_unknown_layers():
    from torch import nn
    from torch.func import stack_module_state

    torch.manual_seed(0)
    players = [nn.Sequential(nets.Pack(2), nn.Linear(4, 5), nn.LeakyReLU(0.2), nn.Linear(5, 1)) for _ in range(3)]
    params, _ = stack_module_state(players)
    x = torch.randn(3, 6, 2)
    out = sweep._batched_forward(players[0], params, x)
    torch.testing.assert_close(out, torch.stack([net(x_s) for net, x_s in zip(players, x)]))
    with pytest.raises(TypeError, match="cannot batch a BatchNorm1d layer"):
        sweep._batched_forward(nn.Sequential(nn.BatchNorm1d(2)), {}, x)


def test_an_unknown_optimizer_is_rejected_with_the_allowed_names():
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'; choose one of 'adam', 'rmsprop'"):
        sweep.method("gan", optimizer="sgd")


def test_pack_lives_in_nets():
    x = torch.arange(12.0).reshape(6, 2)
    assert nets.Pack(2)(x).shape == (3, 4) and torch.equal(nets.Pack(2)(x)[1], torch.tensor([4.0, 5, 6, 7]))
