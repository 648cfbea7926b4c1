"""InfoGAN: the information loss against known mutual information, and the nets' shapes."""
import math

import pytest
import torch

from ganlab import losses
from ganlab.nets.infogan import infogan_discriminator, infogan_latent


def symmetric_channel(k: int, eps: float) -> torch.Tensor:
    """P(x | c): x = c with probability 1 - eps, else one of the k - 1 other values."""
    p = torch.full((k, k), eps / (k - 1))
    p.fill_diagonal_(1 - eps)
    return p


def channel_mutual_information(k: int, eps: float) -> float:
    """I(c; x) for c uniform on k values through the symmetric channel: log k - h(eps) - eps log(k - 1)."""
    h = -(1 - eps) * math.log(1 - eps) - eps * math.log(eps)
    return math.log(k) - h - eps * math.log(k - 1)


@pytest.mark.parametrize("eps", [0.1, 0.4])
def test_categorical_bound_is_tight_with_the_true_posterior(eps):
    k, n = 10, 200_000
    g = torch.Generator().manual_seed(0)
    c = torch.randint(k, (n,), generator=g)
    channel = symmetric_channel(k, eps)
    x = torch.multinomial(channel[c], 1, generator=g).squeeze(1)
    # c uniform and the channel symmetric: the posterior P(c | x) is the channel's row for x
    q_logits = channel[x].log()
    bound = math.log(k) - losses.info_loss_categorical(q_logits, c).item()
    assert bound == pytest.approx(channel_mutual_information(k, eps), abs=0.01)


def test_categorical_bound_is_lower_with_a_wrong_posterior():
    k, n, eps = 10, 200_000, 0.2
    g = torch.Generator().manual_seed(1)
    c = torch.randint(k, (n,), generator=g)
    x = torch.multinomial(symmetric_channel(k, eps)[c], 1, generator=g).squeeze(1)
    true_mi = channel_mutual_information(k, eps)
    for wrong in (0.05, 0.5, 0.9):  # Q believes in another noise level: the gap is E KL(P || Q) > 0
        bound = math.log(k) - losses.info_loss_categorical(symmetric_channel(k, wrong)[x].log(), c).item()
        assert bound < true_mi - 0.01
    uniform_q = torch.zeros(n, k)  # a Q that ignores x learns nothing: the bound is 0
    assert math.log(k) - losses.info_loss_categorical(uniform_q, c).item() == pytest.approx(0.0, abs=1e-6)


def test_gaussian_bound_matches_the_mutual_information_of_a_noisy_observation():
    # c ~ N(0, 1), x = c + noise with std s: I = 1/2 log(1 + 1/s^2); the posterior is Gaussian
    n, s = 400_000, 0.5
    g = torch.Generator().manual_seed(2)
    c = torch.randn(n, 1, generator=g)
    x = c + s * torch.randn(n, 1, generator=g)
    post_mean, post_var = x / (1 + s**2), torch.full_like(x, s**2 / (1 + s**2))
    entropy_c = 0.5 * math.log(2 * math.pi * math.e)
    bound = entropy_c - losses.info_loss_gaussian(post_mean, 0.5 * post_var.log(), c).item()
    assert bound == pytest.approx(0.5 * math.log(1 + 1 / s**2), abs=0.01)
    worse = entropy_c - losses.info_loss_gaussian(post_mean, torch.zeros_like(x), c).item()  # std 1: too unsure
    assert worse < bound - 0.05


def test_gaussian_loss_formula_and_shape_errors():
    m, ls, c = torch.tensor([[0.5, -1.0]]), torch.tensor([[0.0, math.log(2.0)]]), torch.tensor([[1.0, 1.0]])
    expected = ((0.5 * math.log(2 * math.pi) + 0.5 * 0.25)
                + (0.5 * math.log(2 * math.pi) + math.log(2) + 0.5 * (2 / 2) ** 2))
    assert losses.info_loss_gaussian(m, ls, c).item() == pytest.approx(expected)
    with pytest.raises(ValueError, match="same shape"):
        losses.info_loss_gaussian(m, ls, c[:, :1])
    with pytest.raises(ValueError, match="batch, K"):
        losses.info_loss_categorical(torch.zeros(3, 10), torch.zeros(4, dtype=torch.long))


def test_latent_and_discriminator_shapes():
    g = torch.Generator().manual_seed(0)
    latent, cat, cont = infogan_latent(8, 62, 10, 2, generator=g)
    assert latent.shape == (8, 74) and cat.shape == (8,) and cont.shape == (8, 2)
    assert torch.equal(latent[:, 62:72].argmax(1), cat) and torch.equal(latent[:, 72:], cont)
    assert cont.abs().max() <= 1
    fixed, _, _ = infogan_latent(4, 62, categories=torch.tensor([3, 3, 3, 3]), continuous=torch.zeros(4, 2))
    assert (fixed[:, 62 + 3] == 1).all() and (fixed[:, 72:] == 0).all()
    d_logit, q_logits, q_mean, q_log_std = infogan_discriminator(ndf=8)(torch.randn(8, 1, 28, 28))
    assert d_logit.shape == (8,) and q_logits.shape == (8, 10) and q_mean.shape == q_log_std.shape == (8, 2)
    with pytest.raises(ValueError, match="28, 28"):
        infogan_discriminator(ndf=8)(torch.randn(2, 1, 32, 32))
    with pytest.raises(ValueError, match="noise_dim"):
        infogan_latent(4, 0)


def test_generator_shape():
    pytest.importorskip("ganlab.nets.dcgan")
    from ganlab.nets.infogan import infogan_generator

    G = infogan_generator(noise_dim=16, ngf=8)
    latent, _, _ = infogan_latent(4, 16)
    assert G(latent).shape == (4, 1, 28, 28)


def test_the_q_head_starts_from_the_dcgan_init():
    torch.manual_seed(0)
    D = infogan_discriminator(ndf=8)
    for m in D.q_head.modules():
        if isinstance(m, torch.nn.Linear):
            assert abs(m.weight.std().item() - 0.02) < 0.004
            assert m.bias is None or m.bias.abs().max() == 0
        if isinstance(m, torch.nn.BatchNorm1d):
            assert abs(m.weight.mean().item() - 1.0) < 0.01 and m.bias.abs().max() == 0
