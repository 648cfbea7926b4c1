"""DCGAN nets: shapes, output range, the guidelines (no dense layers, batchnorm placement, init),
and the conditional variants' label handling."""
import pytest
import torch
from torch import nn

from ganlab.nets import dcgan_discriminator, dcgan_generator


def _modules(net):
    return list(net.modules())


@pytest.mark.parametrize("latent_dim, ngf, ndf", [(64, 32, 32), (16, 8, 8)])
def test_shapes_and_range(latent_dim, ngf, ndf):
    G, D = dcgan_generator(latent_dim, ngf), dcgan_discriminator(ndf)
    x = G(torch.randn(5, latent_dim))
    assert x.shape == (5, 1, 28, 28) and x.min() >= -1 and x.max() <= 1
    assert D(x).shape == (5,)


def test_guidelines_hold():
    G, D = dcgan_generator(), dcgan_discriminator()
    for net in (G, D):
        assert not any(isinstance(m, (nn.Linear, nn.MaxPool2d, nn.AvgPool2d)) for m in _modules(net))
    assert isinstance(list(G)[-1], nn.Tanh) and not isinstance(list(G)[-2], nn.BatchNorm2d)
    assert any(isinstance(m, nn.ReLU) for m in _modules(G))
    assert not any(isinstance(m, nn.LeakyReLU) for m in _modules(G))
    body = D[0]
    assert isinstance(body[0], nn.Conv2d) and not isinstance(body[1], nn.BatchNorm2d)  # no batchnorm on D's input
    assert any(isinstance(m, nn.LeakyReLU) and m.negative_slope == 0.2 for m in _modules(D))
    convs = [m for m in _modules(G) + _modules(D) if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    weights = torch.cat([c.weight.flatten() for c in convs])
    assert abs(weights.std().item() - 0.02) < 0.002 and abs(weights.mean().item()) < 0.002


def test_conditional_shapes_and_label_use():
    G, D = dcgan_generator(16, 8, n_classes=10).eval(), dcgan_discriminator(8, n_classes=10).eval()
    z = torch.randn(4, 16).repeat(2, 1)
    y = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7])
    x = G(z, y)
    assert x.shape == (8, 1, 28, 28) and D(x, y).shape == (8,)
    assert not torch.allclose(x[:4], x[4:])          # same z, other labels: other images
    assert not torch.allclose(D(x, y), D(x, (y + 1) % 10))


@pytest.mark.parametrize("labels, error, match", [
    (torch.tensor([0, 1, 10]), ValueError, "label 10 is out of range; labels must be in 0..9"),
    (torch.tensor([0, -1, 2]), ValueError, "label -1"),
    (torch.tensor([0.0, 1.0, 2.0]), TypeError, "integer tensor"),
    (torch.tensor([0, 1]), ValueError, r"shape \(3,\)"),
    ([0, 1, 2], TypeError, "integer tensor"),
])
def test_bad_labels_give_clear_errors(labels, error, match):
    G, D = dcgan_generator(16, 8, n_classes=10), dcgan_discriminator(8, n_classes=10)
    with pytest.raises(error, match=match):
        G(torch.randn(3, 16), labels)
    with pytest.raises(error, match=match):
        D(torch.randn(3, 1, 28, 28), labels)


@pytest.mark.parametrize("kwargs", [dict(latent_dim=0), dict(ngf=2.5), dict(n_classes=-1)])
def test_bad_sizes_are_refused(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        dcgan_generator(**kwargs)


def test_the_ends_are_dense_layers_written_as_convolutions():
    """D's 7x7 head over a 7x7 map and G's 7x7 transposed convolution of a 1x1 code each have one
    position on their small side: each equals a dense layer with the same weights (notebook 07 says so)."""
    torch.manual_seed(0)
    head = dcgan_discriminator(ndf=8)[1][0]                     # Conv2d(16, 1, 7): (16*49 -> 1)
    feats = torch.randn(3, 16, 7, 7)
    dense = feats.flatten(1) @ head.weight.flatten(1).T + head.bias
    assert torch.allclose(head(feats).flatten(1), dense, atol=1e-5)
    first = dcgan_generator(latent_dim=5, ngf=4)[1]              # ConvTranspose2d(5, 16, 7) of a 1x1 code
    z = torch.randn(3, 5)
    dense = (z @ first.weight.flatten(1)).reshape(3, 16, 7, 7)
    assert torch.allclose(first(z[:, :, None, None]), dense, atol=1e-5)
