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


def test_pixelgan_score_depends_on_its_own_pixel_only_up_to_instance_norm():
    """PixelGAN without its norm's whole-image statistics: one score's gradient is one pixel (of x and y)."""
    torch.manual_seed(0)
    D = pair_discriminator(8, patch_size=1)
    D[3] = torch.nn.Identity()  # drop the instance norm, which couples pixels through a mean and variance
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
    assert not torch.allclose(score_pairs(D, torch.randn(1, 1, 28, 28), y), score_pairs(D, torch.randn(1, 1, 28, 28), y))


def test_bad_arguments_name_the_allowed_values():
    with pytest.raises(ValueError, match="patch_size must be one of"):
        pair_discriminator(8, patch_size=70)
    with pytest.raises(ValueError, match="ngf must be a positive integer"):
        unet(0)
    with pytest.raises(ValueError, match="dropout"):
        unet(8, dropout=1.0)
