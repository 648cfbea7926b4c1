"""GAN losses as plain functions of the discriminator's logits (or the critic's scores).

Computing on logits uses softplus: log sigmoid(l) = -softplus(-l) and log(1 - sigmoid(l)) =
-softplus(l), which never overflow, where log(sigmoid(l)) computed naively gives -inf for l < -100.
Every function returns the mean over the batch: the quantity an optimiser *minimises*.
"""
from __future__ import annotations

import math

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


def smoothed_discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor,
                                smooth: float = 0.9) -> torch.Tensor:
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
    """The maximum-likelihood generator cost (Goodfellow, 2016),
    J_G = -1/2 E_z[ exp(sigma^-1(D(G(z)))) ] = -1/2 E[ e^l ].

    With an optimal D, exp(l) = p_data / p_g, so (D held fixed) its expected gradient is half that of
    KL(p_data || p_g): d/dtheta E_{p_theta}[-1/2 p_data / p_theta0] = -1/2 E_{p_data}[d/dtheta log p_theta]
    = 1/2 d/dtheta KL(p_data || p_theta) at theta0. Taught in notebook 04.
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
        raise ValueError(f"real and fake batches must have the same shape, "
                         f"got {tuple(real.shape)} and {tuple(fake.shape)}")
    eps_shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    eps = torch.rand(eps_shape, device=real.device, dtype=real.dtype)
    xhat = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(xhat).sum(), xhat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def r1_penalty(critic, real: torch.Tensor) -> torch.Tensor:
    """The R1 penalty (Mescheder, Geiger and Nowozin, 2018; notebook 11), to be weighted by gamma / 2:

        R1 = E_x~p_data[ ||grad_x D(x)||_2^2 ]    (D's logit, on real data only: zero-centred)

    It is zero wherever D is flat on the data, so it does not move the equilibrium p_g = p_data, D = 0;
    `create_graph=True` so the penalty itself can be differentiated with respect to D.
    """
    x = real.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    return grad.flatten(1).pow(2).sum(dim=1).mean()


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


# --- Least-squares GAN, cycle-consistency and identity losses (CycleGAN), InfoGAN's information loss ---
# The least-squares losses act on D's raw output (a score, not a logit); the others on images or on Q's outputs.

def lsgan_discriminator_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    """The least-squares GAN discriminator loss (Mao et al., 2017), real as 1 and fake as 0:

        L_D = 1/2 E_x[ (D(x) - 1)^2 ] + 1/2 E_z[ D(G(z))^2 ]

    A square instead of a log: fakes far on the right side of the boundary still get a gradient,
    which is why CycleGAN uses it (steadier than the cross-entropy on images).
    """
    return 0.5 * ((real_scores - 1) ** 2).mean() + 0.5 * (fake_scores ** 2).mean()


def lsgan_generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    """The least-squares GAN generator loss, J_G = 1/2 E_z[ (D(G(z)) - 1)^2 ]: pull D's score of fakes to 1."""
    return 0.5 * ((fake_scores - 1) ** 2).mean()


def lsgan_generator_loss_unhalved(fake_scores: torch.Tensor) -> torch.Tensor:
    """The least-squares generator loss as CycleGAN's code scales it, without the 1/2:

        L_GAN(G) = E_a[ (D(G(a)) - 1)^2 ]

    (the paper halves only D's objective, "to slow down the rate at which D learns"). With the 1/2 of
    `lsgan_generator_loss`, lambda_cyc = 10 would weigh like 20 against it. Taught in notebook 10.
    """
    return ((fake_scores - 1) ** 2).mean()


def cycle_consistency_loss(original: torch.Tensor, reconstructed: torch.Tensor) -> torch.Tensor:
    """The cycle-consistency loss (Zhu et al., 2017) for one direction, the mean absolute error

        L_cyc = E_a[ || F(G(a)) - a ||_1 ] / (number of pixels),   reconstructed = F(G(a))

    (CycleGAN adds the same term for b -> F(b) -> G(F(b))). The L1 norm is averaged over pixels so
    its size does not depend on the image size.
    """
    if original.shape != reconstructed.shape:
        raise ValueError(f"original and reconstructed must have the same shape, got {tuple(original.shape)} "
                         f"and {tuple(reconstructed.shape)}")
    return (reconstructed - original).abs().mean()


def identity_loss(target_domain_images: torch.Tensor, mapped: torch.Tensor) -> torch.Tensor:
    """CycleGAN's identity loss for G: A -> B, the mean absolute error  L_id = E_b[ || G(b) - b ||_1 ] / pixels,
    mapped = G(b): an image already in the target domain should pass through unchanged."""
    return cycle_consistency_loss(target_domain_images, mapped)


def info_loss_categorical(q_logits: torch.Tensor, codes: torch.Tensor) -> torch.Tensor:
    """InfoGAN's information loss for a categorical code c (Chen et al., 2016): the cross-entropy

        L = E_{c ~ p(c), x = G(z, c)}[ -log Q(c | x) ],   Q(. | x) = softmax(q_logits)

    Minimising it maximises the variational lower bound of the mutual information,
        I(c; G(z, c)) >= L_I = H(c) - L,   H(c) = log K for a uniform code with K values,
    which is tight when Q(c | x) equals the true posterior P(c | x).
    `codes` holds the integer value of c per sample (batch,), `q_logits` is (batch, K).
    """
    if q_logits.dim() != 2 or codes.shape != q_logits.shape[:1]:
        raise ValueError(f"q_logits must be (batch, K) and codes (batch,), "
                         f"got {tuple(q_logits.shape)} and {tuple(codes.shape)}")
    return F.cross_entropy(q_logits, codes)


def info_loss_gaussian(q_mean: torch.Tensor, q_log_std: torch.Tensor, codes: torch.Tensor) -> torch.Tensor:
    """InfoGAN's information loss for continuous codes, with Q(c | x) a factorised Gaussian:

        L = E[ -log Q(c | x) ] = E[ sum_j ( 1/2 log(2 pi) + log s_j + (c_j - m_j)^2 / (2 s_j^2) ) ]

    with (m, log s) = (q_mean, q_log_std), all (batch, n_codes); summed over the codes, averaged
    over the batch. As for the categorical code, I(c; G(z, c)) >= L_I = H(c) - L (for c uniform on
    [-1, 1], H(c) = log 2 per code). With s fixed at 1 it is the squared error used by many
    implementations, up to a constant.
    """
    if not (q_mean.shape == q_log_std.shape == codes.shape):
        raise ValueError(f"q_mean, q_log_std and codes must have the same shape, got {tuple(q_mean.shape)}, "
                         f"{tuple(q_log_std.shape)} and {tuple(codes.shape)}")
    nll = 0.5 * math.log(2 * math.pi) + q_log_std + 0.5 * ((codes - q_mean) * torch.exp(-q_log_std)) ** 2
    return nll.reshape(nll.shape[0], -1).sum(1).mean()
