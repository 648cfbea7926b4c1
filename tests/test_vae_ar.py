"""Notebook 16's models: the masked convolution is causal, the ELBO / IWAE formulas, shapes, errors, the widget."""
import math

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
import torch  # noqa: E402

from ganlab.nets import autoregressive as ar  # noqa: E402
from ganlab.nets import vae as vae_mod  # noqa: E402


def binary(n=3, seed=0):
    return (torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(seed)) < 0.3).float()


# ---------- the masked convolution ----------

def test_masks_by_hand():
    assert ar.causal_mask(3, "A").tolist() == [[1, 1, 1], [1, 0, 0], [0, 0, 0]]
    assert ar.causal_mask(3, "B").tolist() == [[1, 1, 1], [1, 1, 0], [0, 0, 0]]
    assert ar.causal_mask(7, "A").sum() == 24 and ar.causal_mask(7, "B").sum() == 25


@pytest.mark.parametrize("i, j", [(0, 0), (5, 17), (14, 14), (27, 27)])
def test_pixelcnn_is_causal(i, j):
    """The logit at pixel (i, j) has zero gradient w.r.t. pixel (i, j) and every pixel after it in raster
    order, and a non-zero gradient w.r.t. some pixel before it (except the first pixel)."""
    torch.manual_seed(0)
    net = ar.pixelcnn(width=8, depth=3)
    x = binary(1).requires_grad_(True)
    net(x)[0, 0, i, j].backward()
    grad = x.grad[0, 0].abs().flatten()
    index = i * 28 + j
    assert grad[index:].max() == 0
    if index > 0:
        assert grad[:index].max() > 0


def test_log_likelihood_is_the_sum_of_the_conditionals_and_a_distribution():
    """On a 2x2 'image' world the exact log p sums to a probability distribution over all 16 images."""
    torch.manual_seed(1)
    net = ar.pixelcnn(width=4, depth=1)
    # every image whose first 4 pixels in raster order vary and the rest are 0
    images = torch.zeros(16, 1, 28, 28)
    for k in range(16):
        for b in range(4):
            images[k, 0, 0, b] = (k >> b) & 1
    # log p of the first 4 pixels only: the sum of the first 4 conditionals
    logits = net(images)[:, 0, 0, :4]
    log_p4 = -torch.nn.functional.binary_cross_entropy_with_logits(logits, images[:, 0, 0, :4], reduction="none").sum(1)
    assert torch.logsumexp(log_p4, 0).abs() < 1e-5
    assert ar.log_likelihood(net, images).shape == (16,)


def test_sample_shapes_and_values():
    torch.manual_seed(0)
    x = ar.sample(ar.pixelcnn(width=4, depth=1), 2, torch.Generator().manual_seed(0))
    assert x.shape == (2, 1, 28, 28) and set(x.unique().tolist()) <= {0.0, 1.0}


def test_ar_bad_arguments_name_what_is_allowed():
    with pytest.raises(ValueError, match="'A'.*'B'"):
        ar.causal_mask(3, "C")
    with pytest.raises(ValueError, match="odd positive"):
        ar.causal_mask(4, "A")
    with pytest.raises(ValueError, match="width must be a positive integer"):
        ar.pixelcnn(width=0)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        ar.sample(ar.pixelcnn(4, 1), 0)
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        ar.log_likelihood(ar.pixelcnn(4, 1), torch.zeros(2, 28, 28))


# ---------- the VAE ----------

def test_vae_shapes():
    vae = vae_mod.ConvVAE(latent_dim=5, width=4)
    mu, logvar = vae.encode(binary(3))
    assert mu.shape == logvar.shape == (3, 5)
    assert vae.decode(mu).shape == (3, 1, 28, 28) == vae(binary(3)).shape
    rec, kl = vae_mod.elbo_terms(vae, binary(3))
    assert rec.shape == kl.shape == (3,) and (rec <= 0).all() and (kl >= 0).all()
    assert vae_mod.log_weights(vae, binary(3), 7).shape == (7, 3)


def test_gaussian_kl_against_torch_distributions():
    mu, logvar = torch.randn(4, 3), torch.randn(4, 3)
    q = torch.distributions.Normal(mu, (0.5 * logvar).exp())
    p = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
    expected = torch.distributions.kl_divergence(q, p).sum(1)
    assert torch.allclose(vae_mod.gaussian_kl(mu, logvar), expected, atol=1e-5)


def test_bernoulli_log_likelihood_by_hand():
    logits = torch.zeros(1, 1, 28, 28)
    assert torch.allclose(vae_mod.bernoulli_log_likelihood(logits, binary(1)), torch.tensor([784 * math.log(0.5)]))


def test_iwae_formula_on_a_tiny_case():
    log_w = torch.log(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))  # K = 2, batch 2
    assert torch.allclose(vae_mod.iwae_bound(log_w), torch.log(torch.tensor([2.0, 3.0])))
    assert torch.allclose(vae_mod.iwae_bound(log_w[:1]), log_w[0])  # K = 1: the ELBO's one-sample estimate
    assert (vae_mod.iwae_bound(log_w) >= log_w.mean(0)).all()         # Jensen


def test_log_weights_mean_matches_elbo_terms():
    """The mean of the log-weights and the (reconstruction - KL) estimate agree in expectation: the KL
    is the closed form of E_q[log q - log p(z)]."""
    torch.manual_seed(0)
    vae = vae_mod.ConvVAE(latent_dim=3, width=4)
    x = binary(2)
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        lw = vae_mod.log_weights(vae, x, 4_000, g).mean(0)
        rec, kl = zip(*[vae_mod.elbo_terms(vae, x, g) for _ in range(400)])
        elbo = torch.stack(rec).mean(0) - torch.stack(kl).mean(0)
    assert torch.allclose(lw, elbo, atol=0.3)


def test_vae_bad_arguments_name_what_is_allowed():
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        vae_mod.ConvVAE(latent_dim=0)
    vae = vae_mod.ConvVAE(4, 4)
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        vae_mod.elbo_terms(vae, torch.zeros(2, 784))
    with pytest.raises(ValueError, match="k must be a positive integer"):
        vae_mod.log_weights(vae, binary(2), 0)
    with pytest.raises(ValueError, match=r"\(K, batch\)"):
        vae_mod.iwae_bound(torch.zeros(3))


# ---------- the widget ----------

def test_latent_walk_updates_in_place():
    from ganlab.widgets.core import measure_latency
    from ganlab.widgets.latent import latent_walk, show_walk, walk_code

    z0, z1 = torch.randn(2, 5)
    assert torch.allclose(walk_code(z0, z1, 0.0), z0) and torch.allclose(walk_code(z0, z1, 1.0), z1, atol=1e-6)
    torch.manual_seed(0)
    vae = vae_mod.ConvVAE(4, 4).eval()
    decoders = {"VAE": lambda z: torch.sigmoid(vae.decode(z)),
                "flat": lambda z: torch.zeros(len(z), 1, 28, 28) + z.mean(1)[:, None, None, None]}
    box = latent_walk(decoders, {"VAE": 4, "flat": 3}, n_pairs=3, to_unit={"VAE": lambda im: im[:, 0].numpy()})
    assert box.view.frames["VAE"].shape == (3, 21, 28, 28)
    with torch.no_grad():  # the stored frame at t = 0.5 is the decoded walk point
        z0, z1 = box.view.codes["VAE"][1]
        expected = torch.sigmoid(vae.decode(walk_code(z0, z1, 0.5)[None]))[0, 0].numpy()
    assert abs(box.view.frames["VAE"][1, 10] - expected).max() < 1e-5
    view, before = box.view, box.view.canvas.image.value
    show_walk(view, 0.5, 2)
    assert view.canvas.image.value != before and view.titles[0].get_text() == "VAE, t = 0.50"
    with pytest.raises(ValueError, match="pair must be in 0..2"):
        show_walk(view, 0.5, 3)
    assert measure_latency(box, moves=3)["moves"] > 0
    with pytest.raises(ValueError, match="one latent size per decoder"):
        latent_walk(decoders, {"VAE": 4})


def test_cropped_sampling_draws_the_same_digits():
    torch.manual_seed(0)
    net = ar.pixelcnn(width=4, depth=2)
    assert ar.rows_seen(net) == 3 + 2
    a = ar.sample(net, 2, torch.Generator().manual_seed(3), crop=True)
    b = ar.sample(net, 2, torch.Generator().manual_seed(3), crop=False)
    assert torch.equal(a, b)
