import copy

import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

from ganlab import data, losses, nets, plots, sweep
from ganlab.nets import batched
from ganlab.train import History
from ganlab.widgets.replay import build_replay

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
    assert all(v.abs().max() <= 0.01 + 1e-7 for v in r.D.parameters())


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


def test_a_batched_network_is_each_seeds_module_and_rejects_unknown_layers():
    torch.manual_seed(0)
    players = [nn.Sequential(nets.Pack(2), nn.Linear(4, 5), nn.LeakyReLU(0.2), nn.Linear(5, 1)) for _ in range(3)]
    net = batched.stack(players)
    assert isinstance(net[1], batched.BatchedLinear) and net[1].weight.shape == (3, 5, 4)
    x = torch.randn(3, 6, 2)
    torch.testing.assert_close(net(x), torch.stack([p(x_s) for p, x_s in zip(players, x)]))
    for i, p in enumerate(players):  # select gives seed i back as an ordinary network
        assert all(torch.equal(a, b) for a, b in zip(batched.select(net, i).parameters(), p.parameters()))
    shared = torch.randn(6, 2)  # an input without the seed axis goes to every seed
    torch.testing.assert_close(net(shared), torch.stack([p(shared) for p in players]))
    with pytest.raises(TypeError, match="cannot batch a BatchNorm1d layer"):
        batched.stack([nn.Sequential(nn.BatchNorm1d(2))] * 2)


def test_torch_optim_on_stacked_parameters_is_s_separate_optimisers():
    """Adam / RMSprop on the [S, ...] tensors do, element by element, what S optimisers on S modules do."""
    torch.manual_seed(1)
    modules = [nn.Linear(3, 4) for _ in range(3)]
    net = batched.stack(modules)
    grads = [torch.randn(3, 4, 3) for _ in range(4)], [torch.randn(3, 4) for _ in range(4)]
    for make, foreach in [(lambda p, f: torch.optim.Adam(p, lr=0.1, betas=(0.5, 0.9), foreach=f), False),
                          (lambda p, f: torch.optim.Adam(p, lr=0.1, betas=(0.5, 0.9), foreach=f), True),
                          (lambda p, f: torch.optim.RMSprop(p, lr=0.1, foreach=f), False)]:
        one, stacked = [copy.deepcopy(m) for m in modules], copy.deepcopy(net)
        many, opt = [make(m.parameters(), foreach) for m in one], make(stacked.parameters(), foreach)
        for gw, gb in zip(*grads):
            stacked.weight.grad, stacked.bias.grad = gw.clone(), gb[:, None].clone()
            opt.step()
            for s, (m, o) in enumerate(zip(one, many)):
                m.weight.grad, m.bias.grad = gw[s].clone(), gb[s].clone()
                o.step()
        for s, m in enumerate(one):
            assert torch.equal(stacked.weight[s], m.weight) and torch.equal(stacked.bias[s, 0], m.bias)


@pytest.mark.parametrize("recipe", [sweep.method("gan"), sweep.method("wgan_clip", lr=1e-3),
                                    sweep.method("wgan_gp", n_critic=2, lr=1e-3), sweep.method("gan", r1_gamma=1.0)])
def test_a_sweep_step_is_s_separate_runs_of_the_course_step(recipe):
    """Three seeds stacked, trained by `RecipeStep` (train's steps, losses summed over seeds) with
    torch.optim on the stacked parameters, against three ordinary runs (modules and optimisers of
    their own) fed the same batches: the same arithmetic, up to float rounding."""
    dist, seeds = data.toy("8gaussians"), [0, 1, 2]
    players = [sweep.make_players(s, recipe, 8, 2, 2) for s in seeds]
    G, D = batched.stack([g for g, _ in players]), batched.stack([d for _, d in players])
    streams = [torch.Generator().manual_seed(s) for s in seeds]
    size = dict(steps=4, batch=16, latent_dim=2)
    step = sweep.RecipeStep(recipe, G, D, lambda fn: torch.stack([fn(g) for g in streams]), dist, per_seed=True,
                            **size)
    out = [step(i) for i in range(4)]
    for s, (G_s, D_s) in enumerate(players):
        stream = torch.Generator().manual_seed(seeds[s])
        step_s = sweep.RecipeStep(recipe, G_s, D_s, lambda fn, g=stream: fn(g), dist, **size)
        out_s = [step_s(i) for i in range(4)]
        for name in ("loss_d", "loss_g"):
            torch.testing.assert_close(torch.stack([o[name][s] for o in out]), torch.stack([o[name] for o in out_s]))
        for a, b in zip(batched.select(D, s).parameters(), D_s.parameters()):
            torch.testing.assert_close(a, b)
        for a, b in zip(batched.select(G, s).parameters(), G_s.parameters()):
            torch.testing.assert_close(a, b)


def test_each_seeds_penalty_is_its_own():
    """The input gradient of the summed critic output gives each seed the penalty of its own critic."""
    torch.manual_seed(2)
    critics = [nets.toy_discriminator(8, 2) for _ in range(3)]
    net = batched.stack(critics)
    real, fake, eps = torch.randn(3, 10, 2), torch.randn(3, 10, 2), torch.rand(3, 10, 1)
    gp, r1 = sweep.gradient_penalty(net, real, fake, eps), sweep.r1_penalty(net, real)
    assert gp.shape == r1.shape == (3,)
    for s, critic in enumerate(critics):
        torch.testing.assert_close(gp[s], sweep.gradient_penalty(critic, real[s], fake[s], eps[s]))
        torch.testing.assert_close(r1[s], losses.r1_penalty(critic, real[s]))
        torch.manual_seed(7)  # losses.gradient_penalty draws its eps from the global RNG: give it the same
        eps_s = torch.rand(10, 1)
        torch.manual_seed(7)
        torch.testing.assert_close(sweep.gradient_penalty(critic, real[s], fake[s], eps_s),
                                   losses.gradient_penalty(critic, real[s], fake[s]))


def test_each_seed_has_a_history_that_plots_and_the_replay_read():
    dist = data.toy("8gaussians")
    r = sweep.train_many("pacgan", dist, [0, 1], 4, sample_at=[0, 4], **SMALL)
    h = r.history(1)
    assert isinstance(h, History) and h.steps_done == 4 and sorted(h.scalars) == ["loss_d", "loss_g"]
    torch.testing.assert_close(torch.tensor(h.series("loss_g")[1], dtype=torch.float32), r.loss_g[:, 1])
    assert [s["step"] for s in h.snapshots] == [0, 4] and h.snapshots[-1]["logits"].shape == (60, 60)
    torch.testing.assert_close(h.snapshots[-1]["samples"], r.samples[1])
    plots.losses(h)
    plots.snapshot_row(h, dist, n=2)
    build_replay(h, dist, metrics=())
    plt.close("all")


def test_results_are_built_with_keywords_and_unknown_settings_name_the_allowed_ones():
    state = torch.get_rng_state()
    r = sweep.train_many("gan", data.toy("8gaussians"), [0], 2, sample_at=[2], **SMALL)
    r.critic(0), r.generator(0)
    assert torch.equal(torch.get_rng_state(), state)  # a sweep leaves the global random state alone
    with pytest.raises(TypeError):
        sweep.SweepResult("gan", [0], r.samples, r.histories, r.G, r.D)
    with pytest.raises(ValueError, match="unknown setting.*'widht'.*choose from.*lr_end"):
        sweep.train_many("gan", data.toy("8gaussians"), [0], 2, widht=8)


def test_an_unknown_optimizer_is_rejected_with_the_allowed_names():
    with pytest.raises(ValueError, match="unknown optimizer 'sgd'; choose one of 'adam', 'rmsprop'"):
        sweep.method("gan", optimizer="sgd")


def test_pack_lives_in_nets():
    x = torch.arange(12.0).reshape(6, 2)
    assert nets.Pack(2)(x).shape == (3, 4) and torch.equal(nets.Pack(2)(x)[1], torch.tensor([4.0, 5, 6, 7]))
