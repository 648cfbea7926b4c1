"""pix2pix's players (ganlab.nets.pix2pix, notebook 14): shapes, skips, patch sizes by construction and by gradients."""
import pytest
import torch

from ganlab.nets.pix2pix import PATCH_SIZES, pair_discriminator, receptive_field, score_pairs, unet


@pytest.mark.parametrize("skips", [True, False])
def test_generator_maps_28x28_to_28x28_in_tanh_range(skips):
    torch.manual_seed(0)
    G = unet(8, skips=skips)
    y = G(torch.randn(3, 1, 28, 28))
    assert y.shape == (3, 1, 28, 28)
    assert y.abs().max() <= 1.0


def test_encoder_decoder_is_the_unet_without_its_skip_channels():
    with_skips, without = unet(8, skips=True), unet(8, skips=False)
    assert with_skips.u2[0].in_channels == 2 * without.u2[0].in_channels
    assert with_skips.u1[0].in_channels == 2 * without.u1[0].in_channels
    # the encoder is the same layers
    assert [p.shape for p in with_skips.d1.parameters()] == [p.shape for p in without.d1.parameters()]


def test_only_the_unet_passes_the_input_around_the_bottleneck():
    """Zero the bottleneck: the U-Net's output still depends on the input, the encoder-decoder's does not."""
    for skips, expect_dependence in ((True, True), (False, False)):
        torch.manual_seed(0)
        G = unet(8, skips=skips).eval()
        with torch.no_grad():
            G.d3[0].weight.zero_()
            G.d3[0].bias.zero_()
            a, b = G(torch.randn(2, 1, 28, 28)), G(torch.randn(2, 1, 28, 28))
        assert (not torch.allclose(a, b)) == expect_dependence


@pytest.mark.parametrize("patch", PATCH_SIZES)
def test_pair_discriminator_sees_its_patch(patch):
    D = pair_discriminator(8, patch_size=patch)
    r = receptive_field(D)
    if patch == 28:
        assert r >= 28  # the whole image
        assert score_pairs(D, torch.randn(2, 1, 28, 28), torch.randn(2, 1, 28, 28)).shape == (2, 1, 1, 1)
    else:
        assert r == patch


def test_pixelgan_score_depends_on_its_own_pixel_only_up_to_its_norm():
    """PixelGAN without its norm's batch statistics: one score's gradient is one pixel (of x and y)."""
    torch.manual_seed(0)
    D = pair_discriminator(8, patch_size=1)
    D[3] = torch.nn.Identity()  # drop the batch norm, which couples pixels through a mean and variance
    x = torch.randn(1, 1, 28, 28, requires_grad=True)
    y = torch.randn(1, 1, 28, 28, requires_grad=True)
    score_pairs(D, x, y)[0, 0, 5, 9].backward()
    for g in (x.grad, y.grad):
        nonzero = g[0, 0].abs() > 0
        assert nonzero.sum() <= 1 and not nonzero[torch.arange(28) != 5].any()


def test_discriminator_is_conditioned_on_the_input():
    """Same output y, different input x: different scores (D judges the pair, not y alone)."""
    torch.manual_seed(0)
    D = pair_discriminator(8, patch_size=16)
    y = torch.randn(1, 1, 28, 28)
    assert not torch.allclose(score_pairs(D, torch.randn(1, 1, 28, 28), y),
                              score_pairs(D, torch.randn(1, 1, 28, 28), y))


def test_bad_arguments_name_the_allowed_values():
    with pytest.raises(ValueError, match="patch_size must be one of"):
        pair_discriminator(8, patch_size=70)
    with pytest.raises(ValueError, match="ngf must be a positive integer"):
        unet(0)
    with pytest.raises(ValueError, match="dropout"):
        unet(8, dropout=1.0)


def test_unconditional_discriminator_ignores_the_input():
    """The paper's "GAN" row: D built with in_ch=0 scores y alone, so x cannot change its score."""
    torch.manual_seed(0)
    D = pair_discriminator(8, patch_size=16, in_ch=0)
    y = torch.randn(2, 1, 28, 28)
    a = score_pairs(D, torch.randn(2, 1, 28, 28), y, conditional=False)
    b = score_pairs(D, torch.randn(2, 1, 28, 28), y, conditional=False)
    assert torch.equal(a, b) and a.shape == (2, 1, 12, 12)
    with pytest.raises(ValueError, match="in_ch must be a non-negative integer"):
        pair_discriminator(8, in_ch=-1)
    with pytest.raises(ValueError, match="conditional must be True"):
        score_pairs(D, y, y, conditional="no")


# StackGAN's stage II (ganlab.nets.stackgan): conditioning augmentation and its KL term

from ganlab.nets.stackgan import ConditioningAugmentation, kl_to_standard_normal, stage_two  # noqa: E402


def test_kl_term_matches_the_closed_form_and_a_monte_carlo_estimate():
    mu, log_sigma = torch.tensor([[0.5, -1.0, 0.0]]), torch.tensor([[0.0, 0.3, -0.7]])
    sigma2 = torch.exp(2 * log_sigma)
    by_hand = 0.5 * (mu ** 2 + sigma2 - 1 - torch.log(sigma2)).sum()
    assert torch.allclose(kl_to_standard_normal(mu, log_sigma), by_hand)
    assert kl_to_standard_normal(torch.zeros(4, 3), torch.zeros(4, 3)).item() == 0.0   # N(0, I) against itself
    q = torch.distributions.Normal(mu, log_sigma.exp())
    c = q.sample((200_000,))
    p = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
    monte_carlo = (q.log_prob(c) - p.log_prob(c)).sum(-1).mean()
    assert abs(monte_carlo.item() - by_hand.item()) < 0.02


def test_conditioning_augmentation_is_reparameterised():
    torch.manual_seed(0)
    ca = ConditioningAugmentation(10, 4)
    y = torch.tensor([2, 2, 7])
    mu, log_sigma = ca.moments(y)
    eps = torch.randn(3, 4)
    c, kl = ca(y, eps)
    assert torch.allclose(c, mu + log_sigma.exp() * eps)
    assert torch.allclose(kl, kl_to_standard_normal(mu, log_sigma))
    c.sum().backward()   # gradients reach mu and sigma through the sample
    assert ca.fc.weight.grad.abs().sum() > 0
    # the same label gives the same moments, fresh eps gives a different c
    assert torch.allclose(mu[0], mu[1]) and not torch.allclose(ca(y)[0], ca(y)[0])


def test_fixed_embedding_is_deterministic_with_no_kl():
    ca = ConditioningAugmentation(10, 4, augment=False)
    y = torch.tensor([1, 5])
    c1, kl = ca(y)
    c2, _ = ca(y, torch.randn(2, 4))
    assert torch.equal(c1, c2) and torch.equal(c1, ca.moments(y)[0]) and kl.item() == 0.0


@pytest.mark.parametrize("augment", [True, False])
def test_stage_two_shapes_and_noise(augment):
    torch.manual_seed(0)
    G = stage_two(8, c_dim=4, z_dim=3, augment=augment).eval()
    x, y = torch.randn(5, 1, 28, 28), torch.arange(5)
    out, kl = G(x, y, torch.randn(5, 3))
    assert out.shape == (5, 1, 28, 28) and out.abs().max() <= 1 and kl.shape == ()
    assert G.net.d1[0].in_channels == 1 + 4 + 3      # the coarse digit, c and z as channels
    with pytest.raises(ValueError, match="z must have shape"):
        G(x, y, torch.randn(5, 4))


def test_stackgan_bad_arguments_name_the_allowed_values():
    with pytest.raises(ValueError, match="c_dim must be a positive integer"):
        ConditioningAugmentation(10, 0)
    with pytest.raises(ValueError, match="augment must be True"):
        ConditioningAugmentation(10, 4, augment="yes")
    with pytest.raises(ValueError, match=r"labels in 0\.\.9"):
        ConditioningAugmentation(10, 4)(torch.tensor([10]))
    with pytest.raises(ValueError, match="z_dim must be a positive integer"):
        stage_two(8, z_dim=0)
