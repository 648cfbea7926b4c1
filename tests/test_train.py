import pytest
import torch

from ganlab import data, losses, train
from ganlab.nets import mlp, toy_discriminator, toy_generator


def make_gan(width=32):
    G, D = toy_generator(width=width, depth=2), toy_discriminator(width=width, depth=2)
    opt_g = torch.optim.Adam(G.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), 1e-3, betas=(0.5, 0.999))
    ring = data.toy("8gaussians")
    return G, D, opt_g, opt_d, (lambda: ring.sample(64)), (lambda: torch.randn(64, 2))


def test_train_gan_records_history_and_snapshots():
    G, D, og, od, real, noise = make_gan()
    z = torch.randn(100, 2)
    h = train.train_gan(G, D, og, od, real, noise, 30, snapshot_at=[0, 10, 30],
                        snapshot_fn=lambda: train.toy_snapshot(G, D, z, res=8, arrows=5),
                        eval_every=10, eval_fn=lambda: {"mean_x": float(G(z).mean().detach())}, progress=False)
    assert h.steps_done == 30 and not h.interrupted
    steps, loss_d = h.series("loss_d")
    assert list(steps) == list(range(30)) and len(loss_d) == 30
    assert set(h.scalars) == {"loss_d", "grad_norm_d", "loss_g", "grad_norm_g"}
    assert [s["step"] for s in h.snapshots] == [0, 10, 30]
    assert h.snapshots[1]["samples"].shape == (100, 2) and h.snapshots[1]["logits"].shape == (8, 8)
    assert h.metric_steps == [0, 10, 20, 30]


def test_train_gan_updates_both_players():
    G, D, og, od, real, noise = make_gan()
    g0, d0 = [p.clone() for p in G.parameters()], [p.clone() for p in D.parameters()]
    train.train_gan(G, D, og, od, real, noise, 3, progress=False)
    assert any(not torch.equal(a, b) for a, b in zip(g0, G.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(d0, D.parameters()))


def test_k_discriminator_steps_per_generator_step():
    G, D, og, od, real, noise = make_gan()
    calls = {"real": 0}

    def counting_real():
        calls["real"] += 1
        return real()

    train.train_gan(G, D, og, od, counting_real, noise, 4, k=5, progress=False)
    assert calls["real"] == 20
    with pytest.raises(ValueError, match="positive integer"):
        train.gan_step(G, D, og, od, real, noise, k=0)


def test_history_continues_across_calls():
    G, D, og, od, real, noise = make_gan()
    h = train.train_gan(G, D, og, od, real, noise, 5, progress=False)
    h = train.train_gan(G, D, og, od, real, noise, 5, h, progress=False)
    assert h.steps_done == 10 and list(h.series("loss_g")[0]) == list(range(10))


def test_interrupt_returns_history_and_keeps_models_usable(capsys):
    G, D, og, od, real, noise = make_gan()
    inner = train.gan_step(G, D, og, od, real, noise)

    def step(i):
        if i == 7:
            raise KeyboardInterrupt
        return inner(i)

    h = train.fit(step, 50, progress=False)
    assert h.interrupted and h.steps_done == 7
    assert len(h.series("loss_d")[1]) == 7
    assert "Interrupted after 7 steps" in capsys.readouterr().out
    assert G(torch.randn(4, 2)).shape == (4, 2)
    h = train.fit(inner, 3, h, progress=False)  # and training can continue from there
    assert h.steps_done == 10


def test_nan_loss_stops_with_a_message_naming_the_cause():
    def step(i):
        return {"loss_d": torch.tensor(float("nan") if i == 12 else 1.0)}

    with pytest.raises(train.TrainingDiverged, match=r"loss_d became nan at step 12.*learning rate") as err:
        train.fit(step, 100, check_every=5, progress=False)
    assert err.value.history.steps_done == 15  # stopped at the first check after the NaN


def test_diverging_learning_rate_is_caught():
    G, D, og, od, real, noise = make_gan()
    for group in od.param_groups:
        group["lr"] = 1e6
    for group in og.param_groups:
        group["lr"] = 1e6
    with pytest.raises(train.TrainingDiverged):
        train.train_gan(G, D, og, od, real, lambda: 1e3 * torch.randn(64, 2), 300,
                        g_loss=losses.generator_loss_maximum_likelihood, check_every=10, progress=False)


def test_weight_clipping_and_penalty_options():
    G, D, og, od, real, noise = make_gan()
    od = torch.optim.RMSprop(D.parameters(), 5e-3)
    h = train.train_gan(G, D, og, od, real, noise, 3, k=2, d_loss=losses.critic_loss_wasserstein,
                        g_loss=losses.generator_loss_wasserstein, clip=0.01, progress=False)
    assert max(p.abs().max().item() for p in D.parameters()) <= 0.01 + 1e-7
    h = train.train_gan(G, D, og, od, real, noise, 2, d_loss=losses.critic_loss_wasserstein,
                        penalty=lambda c, r, f: 10 * losses.gradient_penalty(c, r, f), progress=False)
    assert "penalty" in h.scalars


def test_bad_arguments_are_clear():
    with pytest.raises(ValueError, match="non-negative integer"):
        train.fit(lambda i: {}, -1)
    with pytest.raises(ValueError, match="snapshot_fn"):
        train.fit(lambda i: {}, 1, snapshot_at=[0])
    with pytest.raises(KeyError, match="nothing recorded as 'nope'"):
        train.History().series("nope")


def test_grad_norm_matches_manual_computation():
    net = mlp(2, 1, width=8, depth=1)
    net(torch.randn(5, 2)).sum().backward()
    manual = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
    assert torch.allclose(train.grad_norm(net), manual)


def test_evaluating_restores_each_modules_own_mode_also_after_an_error():
    import pytest
    from torch import nn

    from ganlab.nets import evaluating
    G, D = nn.BatchNorm1d(2), nn.Dropout(0.5)
    D.eval()
    with evaluating(G, D):
        assert not G.training and not D.training
    assert G.training and not D.training
    with pytest.raises(RuntimeError), evaluating(G):
        raise RuntimeError("boom")
    assert G.training
