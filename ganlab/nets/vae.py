"""A convolutional VAE for binarised 28x28 digits, and its two bounds on log p(x) (notebook 16).

The model (Kingma & Welling, 2014), as lecture 001 recaps it:
    p(z) = N(0, I),   p(x | z) = prod_pixels Bernoulli(x_i; sigmoid(decoder(z)_i)),
    q(z | x) = N(mu(x), diag(exp(logvar(x)))),
trained by maximising the evidence lower bound
    ELBO(x) = E_q[log p(x | z)] - KL(q(z | x) || p(z)) <= log p(x),
and scored also with the importance-weighted bound of Burda, Grosse & Salakhutdinov (2016),
    IWAE_K(x) = E[log (1/K) sum_k p(x, z_k) / q(z_k | x)],  z_k ~ q(z | x),
which is the ELBO at K = 1 and rises to log p(x) as K grows.

The encoder is the DCGAN discriminator's body of notebook 07 ending in a dense layer to (mu, logvar);
the decoder is the DCGAN generator's shape (a dense layer to 7x7 maps, two transposed convolutions),
ending in one logit per pixel (no tanh: the Bernoulli likelihood takes logits), without batchnorm so
that a decoded image depends on its code alone.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..checks import positive_int


def _check_binary_images(x: torch.Tensor) -> None:
    if not torch.is_tensor(x) or x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28):
        shape = tuple(x.shape) if torch.is_tensor(x) else type(x).__name__
        raise ValueError(f"expected binarised digits of shape (N, 1, 28, 28) with values 0 or 1, got {shape}")


class ConvVAE(nn.Module):
    """encode(x) -> (mu, logvar), each (batch, latent_dim); decode(z) -> pixel logits (batch, 1, 28, 28).
    x holds binarised digits, values 0 or 1."""

    def __init__(self, latent_dim: int = 16, width: int = 32):
        super().__init__()
        positive_int("latent_dim", latent_dim), positive_int("width", width)
        self.latent_dim = latent_dim
        self.encoder = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2),                   # width x 14 x 14
            nn.Conv2d(width, 2 * width, 4, 2, 1), nn.LeakyReLU(0.2),           # (2 width) x 7 x 7
            nn.Flatten(),                                                      # 2 width * 49
            nn.Linear(2 * width * 49, 2 * latent_dim),                         # (mu, logvar)
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 2 * width * 49), nn.ReLU(),                  # 2 width * 49
            nn.Unflatten(1, (2 * width, 7, 7)),                                # (2 width) x 7 x 7
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.ReLU(),          # width x 14 x 14
            nn.ConvTranspose2d(width, 1, 4, 2, 1),                             # 1 x 28 x 28 logits
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.encoder(2 * x - 1).float().chunk(2, dim=1)           # pixels 0/1 -> -1/+1 in
        return mu, logvar.clamp(-12, 8)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruction logits from the posterior mean: decode(mu(x))."""
        return self.decode(self.encode(x)[0])


def bernoulli_log_likelihood(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """log p(x | logits) = sum_pixels [x log sigmoid(l) + (1 - x) log sigmoid(-l)], one value per image."""
    return -F.binary_cross_entropy_with_logits(logits.float(), x, reduction="none").flatten(1).sum(1)


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, diag exp(logvar)) || N(0, I)) = 1/2 sum_j (mu_j^2 + exp(logvar_j) - 1 - logvar_j), per row."""
    return 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(1)


def elbo_terms(vae: ConvVAE, x: torch.Tensor,
               generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """One-sample estimate of the ELBO's two terms per image: (E_q[log p(x | z)], KL(q(z | x) || p(z))).
    ELBO = first - second; the beta-VAE loss is -(first - beta * second)."""
    _check_binary_images(x)
    mu, logvar = vae.encode(x)
    eps = torch.randn(mu.shape, generator=generator).to(mu.device)
    z = mu + (0.5 * logvar).exp() * eps                                        # the reparameterisation
    return bernoulli_log_likelihood(vae.decode(z), x), gaussian_kl(mu, logvar)


def log_weights(vae: ConvVAE, x: torch.Tensor, k: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """(k, batch) importance log-weights log p(x, z_k) - log q(z_k | x), with z_k ~ q(z | x).
    Their mean over k estimates the ELBO; their log-mean-exp is the IWAE bound."""
    _check_binary_images(x)
    positive_int("k", k)
    mu, logvar = vae.encode(x)
    std = (0.5 * logvar).exp()
    eps = torch.randn((k, *mu.shape), generator=generator).to(mu.device)       # (k, batch, latent)
    z = mu + std * eps
    log_q = (-0.5 * eps.pow(2) - 0.5 * logvar - 0.5 * math.log(2 * math.pi)).sum(-1)
    log_prior = (-0.5 * z.pow(2) - 0.5 * math.log(2 * math.pi)).sum(-1)
    logits = vae.decode(z.flatten(0, 1))                                        # (k * batch, 1, 28, 28)
    log_lik = bernoulli_log_likelihood(logits, x.repeat(k, 1, 1, 1)).view(k, len(x))
    return log_lik + log_prior - log_q


def iwae_bound(log_w: torch.Tensor) -> torch.Tensor:
    """IWAE_K = log (1/K) sum_k exp(log_w_k), per image, from (K, batch) log-weights."""
    if log_w.ndim != 2:
        raise ValueError(f"log-weights must be (K, batch), got shape {tuple(log_w.shape)}")
    return torch.logsumexp(log_w, 0) - math.log(log_w.shape[0])
