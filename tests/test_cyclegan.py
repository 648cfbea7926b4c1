"""CycleGAN: the nets' shapes, the cycle, identity and least-squares losses against their formulas."""
import pytest
import torch

from ganlab import losses
from ganlab.nets.cyclegan import PATCH_LAYOUTS, patch_discriminator, receptive_field, resnet_generator


def test_generator_and_patch_discriminator_shapes():
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    G = resnet_generator(ngf=8, n_blocks=2)
    y = G(x)
    assert y.shape == x.shape and y.abs().max() <= 1
    grids = {10: 13, 16: 12, 22: 6}
    for patch, side in grids.items():
        assert patch_discriminator(ndf=8, patch_size=patch)(x).shape == (3, 1, side, side)
    with pytest.raises(ValueError, match="ngf"):
        resnet_generator(ngf=0)
    with pytest.raises(ValueError, match="ndf"):
        patch_discriminator(ndf=2.5)
    with pytest.raises(ValueError, match=r"patch_size must be one of \[10, 16, 22\].*got 34"):
        patch_discriminator(patch_size=34)
    with pytest.raises(ValueError, match="unknown norm 'batch'"):
        patch_discriminator(norm="batch")


def test_cyclegan_nets_start_from_the_papers_init():
    torch.manual_seed(0)
    for net in (resnet_generator(ngf=8, n_blocks=1), patch_discriminator(ndf=8)):
        for m in net.modules():
            if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
                assert abs(m.weight.std().item() - 0.02) < 0.005 and m.bias.abs().max() == 0


def _input_gradient_support(D, row, col):
    """The pixels (rows, cols slices) on which score (row, col) of D depends, found by the gradient."""
    x = torch.randn(1, 1, 28, 28, requires_grad=True)
    D(x)[0, 0, row, col].backward()
    nz = x.grad[0, 0].abs() > 0
    rows, cols = nz.any(1).nonzero().flatten(), nz.any(0).nonzero().flatten()
    return nz, (rows.min().item(), rows.max().item() + 1), (cols.min().item(), cols.max().item() + 1)


@pytest.mark.parametrize("patch", sorted(PATCH_LAYOUTS))
def test_a_patch_score_depends_only_on_its_receptive_field(patch):
    torch.manual_seed(0)
    D = patch_discriminator(ndf=4, patch_size=patch, norm="none")
    assert receptive_field(D) == patch < 28   # a patch, not the whole 28 x 28 image
    side = D(torch.zeros(1, 1, 28, 28)).shape[-1]
    jump = 2 ** PATCH_LAYOUTS[patch][0]
    centre = side // 2
    nz, (r0, r1), (c0, c1) = _input_gradient_support(D, centre, centre)
    # an interior score sees exactly a patch x patch window, starting at jump * index - padding
    assert (r1 - r0, c1 - c0) == (patch, patch)
    assert nz.sum().item() <= patch * patch and r0 == c0
    # two neighbouring scores' windows are shifted by the layers' total stride
    _, (r0b, _), _ = _input_gradient_support(D, centre + 1, centre)
    assert r0b - r0 == jump
    # changing pixels outside the window leaves the score exactly unchanged
    x = torch.randn(1, 1, 28, 28)
    y = x.clone()
    outside = torch.ones(28, 28, dtype=torch.bool)
    outside[r0:r1, c0:c1] = False
    y[0, 0][outside] = torch.randn(int(outside.sum()))
    with torch.no_grad():
        assert D(x)[0, 0, centre, centre] == D(y)[0, 0, centre, centre]


def test_instance_norm_couples_patches_only_through_per_channel_statistics():
    # with the paper's instance norm, the rest of the image enters a score through each channel's mean and
    # variance only: its gradient outside the window is a small share of the total
    torch.manual_seed(0)
    D = patch_discriminator(ndf=4, patch_size=16, norm="instance")
    x = torch.randn(1, 1, 28, 28, requires_grad=True)
    D(x)[0, 0, 6, 6].backward()
    g = x.grad[0, 0].abs()
    _, (r0, r1), (c0, c1) = _input_gradient_support(patch_discriminator(ndf=4, patch_size=16, norm="none"), 6, 6)
    inside = g[r0:r1, c0:c1].sum()
    assert (g.sum() - inside) < 0.5 * inside


def test_cycle_loss_matches_its_formula():
    g = torch.Generator().manual_seed(0)
    a = torch.rand(4, 1, 28, 28, generator=g) * 2 - 1
    G, F = resnet_generator(ngf=8, n_blocks=1), resnet_generator(ngf=8, n_blocks=1)
    with torch.no_grad():
        rec = F(G(a))
        got = losses.cycle_consistency_loss(a, rec)
    # || F(G(a)) - a ||_1, averaged over the batch and the 28 x 28 pixels
    expected = sum((rec[i] - a[i]).abs().sum() for i in range(4)) / (4 * 28 * 28)
    assert got.item() == pytest.approx(expected.item(), rel=1e-6)
    assert losses.cycle_consistency_loss(a, a).item() == 0.0
    assert losses.identity_loss(a, -a).item() == pytest.approx(2 * a.abs().mean().item())
    with pytest.raises(ValueError, match="same shape"):
        losses.cycle_consistency_loss(a, a[:, :, :14])


def test_least_squares_losses_match_their_formulas():
    real, fake = torch.tensor([1.0, 0.5]), torch.tensor([0.0, 1.0])
    # 1/2 mean (D(x) - 1)^2 + 1/2 mean D(G(z))^2 = 1/2 (0 + 0.25) / 2 + 1/2 (0 + 1) / 2
    assert losses.lsgan_discriminator_loss(real, fake).item() == pytest.approx(0.0625 + 0.25)
    assert losses.lsgan_generator_loss(fake).item() == pytest.approx(0.25)  # 1/2 mean (D(G(z)) - 1)^2
    assert losses.lsgan_discriminator_loss(torch.ones(5), torch.zeros(5)).item() == 0.0


def test_the_cycle_loss_trains_a_pair_of_maps_to_invert_each_other():
    # gradient flows through both generators: a few steps on the cycle loss alone lower it
    torch.manual_seed(0)
    G, F = resnet_generator(ngf=4, n_blocks=1), resnet_generator(ngf=4, n_blocks=1)
    opt = torch.optim.Adam([*G.parameters(), *F.parameters()], 1e-2)
    a = torch.rand(8, 1, 28, 28) * 2 - 1
    first = None
    for _ in range(40):
        loss = losses.cycle_consistency_loss(a, F(G(a)))
        first = loss.item() if first is None else first
        opt.zero_grad(), loss.backward(), opt.step()
    assert loss.item() < 0.8 * first


def test_translation_widget_shows_both_directions():
    import ipywidgets as w

    from ganlab.widgets.translation import translation_explorer, translation_panel

    torch.manual_seed(0)
    G_ab, G_ba = resnet_generator(ngf=4, n_blocks=1).eval(), resnet_generator(ngf=4, n_blocks=1).eval()
    a, b = torch.rand(3, 1, 28, 28) * 2 - 1, torch.rand(3, 1, 28, 28) * 2 - 1
    reads_7 = lambda x: torch.full((len(x),), 7)  # noqa: E731  a stand-in classifier
    images, titles = translation_panel(G_ab, G_ba, a[0], b[0], reads_7, reads_7, names=("MNIST", "UCI"))
    assert len(images) == 6 and all(im.shape == (28, 28) for im in images)
    assert torch.equal(images[0], a[0, 0]) and torch.equal(images[3], b[0, 0])
    with torch.no_grad():
        assert torch.allclose(images[2], G_ba(G_ab(a[:1]))[0, 0])
    assert titles[1] == "-> UCI: reads 7" and titles[5] == "-> back to UCI: reads 7"
    widget = translation_explorer({"m": (G_ab, G_ba), "n": (G_ba, G_ab)}, a, b, reads_7, reads_7)
    image = widget.children[-1]
    before = image.value
    slider = widget.children[0].children[0]
    slider.value = 2
    assert isinstance(image, w.Image) and image.value != before
    with pytest.raises(ValueError, match="at least one"):
        translation_explorer({}, a, b, reads_7, reads_7)
    with pytest.raises(ValueError, match="one image"):
        translation_panel(G_ab, G_ba, a, b[0], reads_7, reads_7)
