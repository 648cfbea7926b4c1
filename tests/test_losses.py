import math

import pytest
import torch

from ganlab import losses
from ganlab.nets import toy_discriminator

L_REAL = torch.tensor([[2.0], [-1.0], [0.5]])
L_FAKE = torch.tensor([[-3.0], [0.0], [1.5]])
sig = torch.sigmoid


def test_discriminator_loss_is_minus_the_value_function():
    expected = -(torch.log(sig(L_REAL)).mean() + torch.log(1 - sig(L_FAKE)).mean())
    assert torch.allclose(losses.discriminator_loss(L_REAL, L_FAKE), expected, atol=1e-6)


def test_one_sided_label_smoothing_targets_real_only():
    t = 0.9
    expected = -(t * torch.log(sig(L_REAL)) + (1 - t) * torch.log(1 - sig(L_REAL))).mean() \
        - torch.log(1 - sig(L_FAKE)).mean()
    assert torch.allclose(losses.smoothed_discriminator_loss(L_REAL, L_FAKE, 0.9), expected, atol=1e-6)
    with pytest.raises(ValueError, match=r"real_label must be in \(0, 1\]"):
        losses.discriminator_loss(L_REAL, L_FAKE, real_label=1.5)


def test_saturating_generator_loss_is_log_one_minus_d():
    assert torch.allclose(losses.generator_loss_saturating(L_FAKE), torch.log(1 - sig(L_FAKE)).mean(), atol=1e-6)


def test_non_saturating_generator_loss_is_minus_log_d():
    assert torch.allclose(losses.generator_loss_non_saturating(L_FAKE), -torch.log(sig(L_FAKE)).mean(), atol=1e-6)


def test_maximum_likelihood_cost_is_minus_half_d_over_one_minus_d():
    d = sig(L_FAKE)
    assert torch.allclose(losses.generator_loss_maximum_likelihood(L_FAKE), (-0.5 * d / (1 - d)).mean(), atol=1e-5)


def test_losses_on_logits_stay_finite_where_naive_log_sigmoid_overflows():
    extreme = torch.tensor([[-200.0], [200.0]])
    naive = -torch.log(sig(extreme)).mean()
    assert not torch.isfinite(naive)
    stable = losses.generator_loss_non_saturating(extreme)
    assert torch.isfinite(stable) and float(stable) == pytest.approx(100.0)
    assert torch.isfinite(losses.discriminator_loss(extreme, extreme))


def test_saturating_gradient_vanishes_when_d_rejects_fakes():
    logit = torch.tensor([-8.0], requires_grad=True)
    (g_sat,) = torch.autograd.grad(losses.generator_loss_saturating(logit), logit)
    (g_ns,) = torch.autograd.grad(losses.generator_loss_non_saturating(logit), logit)
    # d/dl log(1 - sigmoid(l)) = -sigmoid(l); d/dl -log sigmoid(l) = sigmoid(l) - 1
    assert float(g_sat) == pytest.approx(-float(sig(torch.tensor(-8.0))), rel=1e-5)
    assert abs(float(g_ns)) > 1000 * abs(float(g_sat))


def test_wasserstein_losses():
    real, fake = torch.tensor([1.0, 3.0]), torch.tensor([0.0, -2.0])
    assert float(losses.critic_loss_wasserstein(real, fake)) == pytest.approx(-1.0 - 2.0)
    assert float(losses.generator_loss_wasserstein(fake)) == pytest.approx(1.0)


def test_gradient_penalty_of_a_linear_critic_matches_formula():
    w = torch.tensor([[3.0, 4.0]])  # ||grad|| = 5 everywhere
    critic = lambda x: x @ w.T  # noqa: E731
    real, fake = torch.randn(16, 2), torch.randn(16, 2)
    assert float(losses.gradient_penalty(critic, real, fake)) == pytest.approx((5 - 1) ** 2)


def test_gradient_penalty_is_differentiable_in_the_critic():
    D = toy_discriminator(width=16, depth=2)
    gp = losses.gradient_penalty(D, torch.randn(8, 2), torch.randn(8, 2))
    gp.backward()
    # every weight matrix gets a gradient (the output bias cannot: grad_x does not depend on it)
    assert all(m.weight.grad is not None and m.weight.grad.abs().sum() > 0 for m in D if hasattr(m, 'weight'))
    with pytest.raises(ValueError, match="same shape"):
        losses.gradient_penalty(D, torch.randn(8, 2), torch.randn(4, 2))


def test_generator_loss_by_name_and_clear_error():
    assert losses.generator_loss("saturating") is losses.generator_loss_saturating
    with pytest.raises(ValueError, match="unknown loss 'minmax'; choose one of 'saturating', 'non_saturating'"):
        losses.generator_loss("minmax")
    assert math.isfinite(float(losses.generator_loss("wasserstein")(L_FAKE)))
