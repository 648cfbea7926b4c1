"""GAN losses as plain functions of the discriminator's logits (or the critic's scores).

Computing on logits uses softplus: log sigmoid(l) = -softplus(-l) and log(1 - sigmoid(l)) =
-softplus(l), which never overflow, where log(sigmoid(l)) computed naively gives -inf for l < -100.
Every function returns the mean over the batch: the quantity an optimiser *minimises*.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, real_label: float = 1.0) -> torch.Tensor:
    """Binary cross-entropy of D, real as 1 and fake as 0:

        L_D = -E_x[ t log D(x) + (1 - t) log(1 - D(x)) ] - E_z[ log(1 - D(G(z))) ],  t = real_label

    With t = 1 this is -(log D(x) + log(1 - D(G(z)))), the negative of the GAN value function.
    One-sided label smoothing sets t = 0.9 for the real samples only (see `smoothed_discriminator_loss`).
    """
    if not 0.0 < real_label <= 1.0:
        raise ValueError(f"real_label must be in (0, 1], got {real_label}")
    real = F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, real_label))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def smoothed_discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, smooth: float = 0.9) -> torch.Tensor:
    """One-sided label smoothing (Salimans et al., 2016): real targets `smooth` (e.g. 0.9), fake targets stay 0.

        L_D = -E_x[ 0.9 log D(x) + 0.1 log(1 - D(x)) ] - E_z[ log(1 - D(G(z))) ]
    """
    return discriminator_loss(real_logits, fake_logits, real_label=smooth)


def generator_loss_saturating(fake_logits: torch.Tensor) -> torch.Tensor:
    """The minimax generator cost, J_G = E_z[ log(1 - D(G(z))) ] = -E[ softplus(l) ].

    Its gradient vanishes when D confidently rejects the fakes (D(G(z)) -> 0): it saturates.
    """
    return -F.softplus(fake_logits).mean()


def generator_loss_non_saturating(fake_logits: torch.Tensor) -> torch.Tensor:
    """The non-saturating ("-log D trick") generator cost, J_G = -E_z[ log D(G(z)) ] = E[ softplus(-l) ]."""
    return F.softplus(-fake_logits).mean()


def generator_loss_maximum_likelihood(fake_logits: torch.Tensor) -> torch.Tensor:
    """The maximum-likelihood generator cost (Goodfellow, 2016), J_G = -1/2 E_z[ exp(sigma^-1(D(G(z)))) ] = -1/2 E[ e^l ].

    With an optimal D, exp(l) = p_data / p_g, so its expected gradient is that of KL(p_data || p_g).
    """
    return -0.5 * torch.exp(fake_logits).mean()


def critic_loss_wasserstein(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    """The WGAN critic's loss, L_C = E_z[ f(G(z)) ] - E_x[ f(x) ]: minimising it maximises the
    Kantorovich-Rubinstein estimate of W(p_data, p_g) = sup_{||f||_L <= 1} E_x f(x) - E_z f(G(z))."""
    return fake_scores.mean() - real_scores.mean()


def generator_loss_wasserstein(fake_scores: torch.Tensor) -> torch.Tensor:
    """The WGAN generator's loss, J_G = -E_z[ f(G(z)) ]."""
    return -fake_scores.mean()


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The WGAN-GP penalty (Gulrajani et al., 2017), to be weighted by lambda (10 in the paper):

        GP = E_xhat[ (||grad_xhat f(xhat)||_2 - 1)^2 ],  xhat = eps x + (1 - eps) G(z),  eps ~ U[0, 1]

    `create_graph=True` so the penalty itself can be differentiated with respect to the critic.
    """
    if real.shape != fake.shape:
        raise ValueError(f"real and fake batches must have the same shape, got {tuple(real.shape)} and {tuple(fake.shape)}")
    eps_shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    eps = torch.rand(eps_shape, device=real.device, dtype=real.dtype)
    xhat = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(xhat).sum(), xhat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


GENERATOR_LOSSES = {
    "saturating": generator_loss_saturating,
    "non_saturating": generator_loss_non_saturating,
    "maximum_likelihood": generator_loss_maximum_likelihood,
    "wasserstein": generator_loss_wasserstein,
}


def generator_loss(name: str):
    """The generator loss function by name: 'saturating', 'non_saturating', 'maximum_likelihood', 'wasserstein'."""
    if name not in GENERATOR_LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(map(repr, GENERATOR_LOSSES))}")
    return GENERATOR_LOSSES[name]
