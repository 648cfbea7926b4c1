"""BiGAN / ALI players of notebook 13: shapes, the pairing D judges, the stacked per-seed MLPs, the widget."""
import pytest
import torch
from torch import nn

from ganlab.nets.bigan import bigan_discriminator, bigan_encoder, bigan_generator, seed_mlp


def test_shapes_round_trip():
    E, G, D = bigan_encoder(8, 4).eval(), bigan_generator(8, 4).eval(), bigan_discriminator(8, 4, 16, 16).eval()
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    z = E(x)
    assert z.shape == (3, 8)
    assert G(z).shape == (3, 1, 28, 28)
    assert D(x, z).shape == (3,)


def test_discriminator_sees_the_code():
    D = bigan_discriminator(8, 4, 16, 16).eval()
    x = torch.rand(2, 1, 28, 28)
    assert not torch.allclose(D(x, torch.zeros(2, 8)), D(x, torch.ones(2, 8)))


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="latent_dim"):
        bigan_encoder(0)
    with pytest.raises(ValueError, match="one code per image"):
        bigan_discriminator(8, 4)(torch.zeros(2, 1, 28, 28), torch.zeros(3, 8))
    with pytest.raises(ValueError, match="seeds"):
        seed_mlp([], 2, 1)


def test_seed_mlp_equals_separate_linear_nets():
    seeds = [3, 5]
    stacked = seed_mlp(seeds, 2, 1, width=8, depth=2, salt=1)
    x = torch.randn(2, 4, 2)
    for i, s in enumerate(seeds):
        torch.manual_seed(s * 7919 + 1)
        layers = [nn.Linear(2, 8), nn.Linear(8, 8), nn.Linear(8, 1)]
        net = nn.Sequential(layers[0], nn.LeakyReLU(0.2), layers[1], nn.LeakyReLU(0.2), layers[2])
        torch.testing.assert_close(stacked(x)[i], net(x[i]))
    # a seed's network does not depend on the seeds beside it
    alone = seed_mlp([5], 2, 1, width=8, depth=2, salt=1)
    torch.testing.assert_close(alone(x[1:]), stacked(x)[1:])


def test_neighbour_explorer_callback_updates_in_place():
    from ganlab.widgets.bigan import nearest_codes, neighbour_explorer, show_digit

    g = torch.Generator().manual_seed(0)
    images, bank = torch.rand(4, 1, 28, 28, generator=g) * 2 - 1, torch.rand(6, 1, 28, 28, generator=g) * 2 - 1
    codes, bank_codes = torch.randn(4, 3, generator=g), torch.randn(6, 3, generator=g)
    box = neighbour_explorer(images, images, codes, bank, bank_codes, labels_test=torch.arange(4),
                             labels_train=torch.arange(6), k=2)
    view = box.view
    before = box.children[1].value
    show_digit(view, 3)
    assert box.children[1].value != before
    _, idx = nearest_codes(codes, bank_codes, 2)
    assert (view.neighbour_labels[3] == idx[3].numpy()).all()
    with pytest.raises(ValueError, match="index"):
        show_digit(view, 4)


def test_encoder_layer_before_code_feeds_the_code():
    """Notebook 13 scores E[:-2] (the layer before the code, as BiGAN's Table 1 does): (batch, 2 nef, 7, 7),
    and the code is the last dense layer of exactly that map."""
    E = bigan_encoder(8, 4).eval()
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    hidden = E[:-2](x)
    assert hidden.shape == (3, 2 * 4, 7, 7)
    torch.testing.assert_close(E[-2:](hidden), E(x))
