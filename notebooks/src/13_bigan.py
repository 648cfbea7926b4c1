# %% [markdown]
# # 13 · BiGAN / ALI: a GAN that also learns to infer $z$ from $x$
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/13_bigan.ipynb)
#
# A GAN's generator maps a code $z$ to an image $x = G(z)$, but gives no way back: for a real digit
# there is no code that says "this one". BiGAN (Donahue, Krähenbühl & Darrell, 2017) and ALI
# (Dumoulin et al., 2017), published at the same time, add an **encoder** $E$ (the inference
# network) beside the **decoder** $G$, and let the discriminator judge *pairs* $(x, z)$: a real image
# with its inferred code, $(x, E(x))$, against a generated image with the code that made it,
# $(G(z), z)$. Nobody asks for $G(E(x)) = x$; the game itself drives $E$ and $G$ to be inverses.
#
# **Learning goals**
# - Write the BiGAN objective of the lecture, its optimal discriminator, and why its optimum makes
#   $E$ and $G$ inverses (checked on a small discrete example: matching the two marginals is not enough).
# - Build an encoder, a decoder and a joint discriminator $D(x, z)$, and train them on the digits.
# - Measure what inference buys and what it does not at this budget: reconstructions $G(E(x))$ of
#   held-out digits scored by the course classifier against $G$(random $z$) and an autoencoder of the
#   same size; $E(x)$ as features (1-NN, linear probe) against raw pixels, the autoencoder's code and
#   a latent regressor, beside BiGAN's Table 1.
# - Run ALI (with its stochastic encoder) against a plain GAN on notebook 05's ring of 8 Gaussians, several
#   seeds trained at once (notebook 05's protocol; the full profile adds the papers' 25-Gaussian grid), and
#   say how far this is from the papers' grid numbers.

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
import torch.nn.functional as F

from ganlab import budget, device, plots, start, train_steps
from ganlab.data.digits import load_digits
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.losses import discriminator_loss
from ganlab.metrics import digits as digit_metrics
from ganlab.runtime import fast_setting
from ganlab.train import fit

dev = device()
train_set, test_set = load_digits("mnist", "train", dev), load_digits("mnist", "test", dev)
seed = start(fast=True)
fast = fast_setting()  # bf16 autocast + channels_last where bf16 is native, else channels_last (see the banner)
print(train_set, test_set, sep="\n")

# %% [markdown]
# ## 1. The objective, and what its optimum means
#
# The lecture's game, with $D$ on pairs:
#
# $$\min_{G, E}\max_D V(D, E, G), \qquad
# V(D, E, G) = \mathbb E_{x \sim p_{\text{data}}}\big[\log D(x, E(x))\big]
#            + \mathbb E_{z \sim p_z}\big[\log\big(1 - D(G(z), z)\big)\big].$$
#
# Call $P_{EX}$ the joint law of $(x, E(x))$ with $x \sim p_{\text{data}}$, and $P_{GZ}$ that of
# $(G(z), z)$ with $z \sim p_z$. $V$ is notebook 02's value with $(x, z)$ in place of $x$, so the same
# pointwise maximisation gives the optimal discriminator and notebook 03's derivation the value:
#
# $$D^*(x, z) = \frac{p_{EX}(x, z)}{p_{EX}(x, z) + p_{GZ}(x, z)}, \qquad
# V(D^*, E, G) = -\log 4 + 2\,\mathrm{JSD}(P_{EX} \,\|\, P_{GZ}).$$
#
# The minimum over $E, G$ is $P_{EX} = P_{GZ}$. Both laws put all their mass on a graph: $P_{EX}$ on
# $\{(x, E(x))\}$, $P_{GZ}$ on $\{(G(z), z)\}$. Equal laws need equal supports, so for (almost) every
# data point $x$ the pair $(x, E(x))$ is also a pair $(G(z), z)$ with $z = E(x)$: $G(E(x)) = x$; and for
# (almost) every code, $E(G(z)) = z$. **At the optimum $E = G^{-1}$** (Donahue et al., Theorem 2).
# Matching the marginals, "E(x) looks like the prior" and "G(z) looks like data", is not enough:
# the *pairing* must agree. A small discrete world shows it: $x$ and $z$ each take 6 values, data and
# prior uniform, $E$ and $G$ permutations. Every choice matches both marginals; only the inverse pair
# reaches the optimum.

# %%
def joint_laws(E_map, G_map, p_x, p_z):
    """P_EX(x, z) = p_x(x) 1[z = E(x)] and P_GZ(x, z) = p_z(z) 1[x = G(z)] as (n_x, n_z) tables."""
    p_ex, p_gz = np.zeros((len(p_x), len(p_z))), np.zeros((len(p_x), len(p_z)))
    p_ex[np.arange(len(p_x)), E_map] = p_x
    p_gz[G_map, np.arange(len(p_z))] = p_z
    return p_ex, p_gz


def value_at_optimal_d(p_ex, p_gz):
    """V(D*, E, G) with D* = p_EX / (p_EX + p_GZ) (0 log 0 = 0)."""
    total = p_ex + p_gz
    with np.errstate(divide="ignore", invalid="ignore"):
        d_star = np.where(total > 0, p_ex / total, 0.5)
        real = np.where(p_ex > 0, p_ex * np.log(d_star), 0.0).sum()
        fake = np.where(p_gz > 0, p_gz * np.log(1 - d_star), 0.0).sum()
    return real + fake


def jsd(p, q):
    m = (p + q) / 2
    kl = lambda a, b: np.where(a > 0, a * np.log(np.where(a > 0, a, 1) / np.where(b > 0, b, 1)), 0.0).sum()
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


n = 6
uniform = np.full(n, 1 / n)
E_map = np.array([3, 0, 4, 1, 5, 2])                       # E: x -> z, a permutation
inverse = np.argsort(E_map)                                 # G = E^-1: G(E(x)) = x
shifted = np.roll(inverse, 1)                               # another permutation: right marginals, wrong pairs
cases = {"G = E^-1": inverse, "G = E^-1 shifted by one code": shifted}

# %%
# NBVAL_CHECK_OUTPUT
for name, G_map in cases.items():
    p_ex, p_gz = joint_laws(E_map, G_map, uniform, uniform)
    v, j = value_at_optimal_d(p_ex, p_gz), jsd(p_ex, p_gz)
    marginals_match = np.allclose(p_gz.sum(1), uniform) and np.allclose(p_ex.sum(0), uniform)
    kept = np.mean(G_map[E_map] == np.arange(n))
    print(f"{name:30s}: V(D*) = {v:+.4f}, -log 4 + 2 JSD = {-math.log(4) + 2 * j:+.4f}, JSD = {j:.4f} "
          f"(log 2 = {math.log(2):.4f}); marginals match: {marginals_match}; G(E(x)) = x for {kept:.0%}")

# %% [markdown]
# The inverse pair reaches $V = -\log 4$ (JSD 0); the shifted pair matches both marginals exactly, yet
# its two joint laws do not overlap at all: JSD $= \log 2$, the largest value, and $D^*$ tells every
# pair apart. That is the force that pulls $E$ and $G$ towards inverses. A real run stops far from
# this optimum, and how far is what the rest of the notebook measures.
#
# ## 2. The three networks
#
# `ganlab.nets.bigan` holds them, each a DCGAN-style net of notebook 07:
# - the **encoder** $E$: the DCGAN discriminator's body turned into a regressor, ending in a dense
#   layer (a $7 \times 7$ convolution) to the code, deterministic as in BiGAN;
# - the **decoder** $G$: notebook 07's generator;
# - the **joint discriminator** $D(x, z)$: the image through the DCGAN discriminator's body, the code
#   through two dense layers, the two feature vectors concatenated and judged together (with dropout,
#   as ALI's discriminator), so that $D$ can see whether *this* code belongs to *this* image.

# %%
import inspect

from ganlab.nets import bigan

print(inspect.getsource(bigan.bigan_encoder))
print(inspect.getsource(bigan.JointDiscriminator.__init__))

# %%
latent_dim = 32
width = budget(quick=16, full=64)                   # nef = ngf = ndf
batch = budget(quick=64, full=128)
steps = train_steps(quick=1_200, full=10_000)  # full profile: about 8 min of training on a T4 (estimate)
lr = budget(quick=1e-3, full=2e-4)                  # the papers' 2e-4 is too slow for a CPU minute (exercise 3b)

# %%
# NBVAL_CHECK_OUTPUT
with torch.no_grad():
    E_try, G_try = bigan.bigan_encoder(latent_dim, 16).eval(), bigan.bigan_generator(latent_dim, 16).eval()
    D_try = bigan.bigan_discriminator(latent_dim, 16).eval()
    x_try = torch.zeros(2, 1, 28, 28)
    print("E(x):", tuple(E_try(x_try).shape), "| G(z):", tuple(G_try(torch.randn(2, latent_dim)).shape),
          "| D(x, z):", tuple(D_try(x_try, torch.randn(2, latent_dim)).shape))

# %% [markdown]
# ## 3. The training step
#
# One step is two halves, each headed by what it optimises. The losses are on logits
# (`ganlab.losses.discriminator_loss(real_logits, fake_logits)`, the binary cross-entropy). $E$ and $G$
# are one player with one optimiser; their non-saturating cost **swaps the labels**: they want $D$ to
# call the generated pair real and the encoded pair fake (the BiGAN and ALI code do the same).

# %%
torch.manual_seed(seed)
E = fast.prepare(bigan.bigan_encoder(latent_dim, width).to(dev))
G = fast.prepare(bigan.bigan_generator(latent_dim, width).to(dev))
D = fast.prepare(bigan.bigan_discriminator(latent_dim, width).to(dev))
opt_eg = torch.optim.Adam([*E.parameters(), *G.parameters()], lr, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
stream = torch.Generator().manual_seed(seed)


def bigan_step(_):
    x, _labels = train_set.sample(batch, stream)
    z = torch.randn(batch, latent_dim, generator=stream).to(dev)
    x = fast.inputs(x)
    # (1) Update D: maximise log D(x, E(x)) + log(1 - D(G(z), z))
    with fast.autocast():
        e_x, g_z = E(x), G(z)
        loss_d = discriminator_loss(D(x, e_x.detach()), D(g_z.detach(), z))
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    # (2) Update E and G: maximise log D(G(z), z) + log(1 - D(x, E(x)))  (the labels swapped)
    with fast.autocast():
        loss_eg = discriminator_loss(D(g_z, z), D(x, e_x))
    opt_eg.zero_grad(set_to_none=True)
    loss_eg.backward()
    opt_eg.step()
    return {"loss_d": loss_d.detach(), "loss_eg": loss_eg.detach()}


history = fit(bigan_step, steps, desc="BiGAN")
E.eval(), G.eval()
history

# %% [markdown]
# ## 4. Two baselines of the same size
#
# - an **autoencoder**: the same $E$ and $G$ trained only to reconstruct, $\min \lVert G(E(x)) - x\rVert^2$.
#   It is what a reconstruction *loss* buys; BiGAN has none.
# - a **latent regressor** (BiGAN's Table 1 baseline): a fresh encoder trained to invert a fixed
#   generator, $\min \lVert E'(G(z)) - z\rVert^2$ on generated pairs. The paper inverts a separately
#   trained GAN's $G$; here, to fit the budget, the BiGAN's own $G$, frozen.

# %%
def regression_step(net, opt, inputs, targets):
    """One step of min ||net(inputs) - targets||^2 (mean over the batch)."""
    with fast.autocast():
        loss = F.mse_loss(net(inputs).float(), targets)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.detach()


torch.manual_seed(seed + 1)
E_ae = fast.prepare(bigan.bigan_encoder(latent_dim, width).to(dev))
G_ae = fast.prepare(bigan.bigan_generator(latent_dim, width).to(dev))
autoencoder = torch.nn.Sequential(E_ae, G_ae)
opt_ae = torch.optim.Adam(autoencoder.parameters(), lr, betas=(0.5, 0.999))


def ae_step(_):
    x = fast.inputs(train_set.sample(batch, stream)[0])
    return {"loss_ae": regression_step(autoencoder, opt_ae, x, x)}


E_lr = fast.prepare(bigan.bigan_encoder(latent_dim, width).to(dev))
opt_lr = torch.optim.Adam(E_lr.parameters(), lr, betas=(0.5, 0.999))


def latent_regressor_step(_):
    z = torch.randn(batch, latent_dim, generator=stream).to(dev)
    with torch.no_grad():
        x = G(z)                      # the frozen generator, in eval mode
    return {"loss_lr": regression_step(E_lr, opt_lr, fast.inputs(x), z)}


ae_steps, lr_steps = train_steps(quick=600, full=5_000), train_steps(quick=400, full=5_000)
history_ae = fit(ae_step, ae_steps, desc="autoencoder")
history_lr = fit(latent_regressor_step, lr_steps, desc="latent regressor")
E_ae.eval(), G_ae.eval(), E_lr.eval()
print(history_ae, history_lr, sep="\n")

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.3))
plots.losses(history, names=("loss_d", "loss_eg"), ax=axes[0])
axes[0].axhline(2 * math.log(2), color="k", ls="--", lw=0.8, label="2 log 2: D cannot tell")
axes[0].legend(fontsize=8)
axes[0].set_title("BiGAN")
plots.losses(history_ae, names=("loss_ae",), ax=axes[1])
axes[1].set_title("autoencoder: pixel MSE")
plots.losses(history_lr, names=("loss_lr",), ax=axes[2])
axes[2].set_title("latent regressor: code MSE")
fig.tight_layout()
plots.save(fig, "13_training")
plt.show()

# %% [markdown]
# ## 5. Reconstructions: does the digit survive the round trip?
#
# For each of the 1,000 held-out digits we decode its code, $G(E(x))$, and ask the course classifier
# (`ganlab.metrics.digits`, 97 %+ on real held-out digits) whether the reconstruction is the same
# digit as $x$'s label. Two baselines: $G$ of a *random* code (chance, about 10 %), and the
# autoencoder of the same size, which was trained for exactly this.

# %%
classifier = digit_metrics.digit_classifier("mnist", dev)
x_test, y_test = test_set.images, test_set.labels
z_random = torch.randn(len(x_test), latent_dim, generator=torch.Generator().manual_seed(seed + 7)).to(dev)


@torch.no_grad()
def encode(net, images):
    return torch.cat([net(part) for part in images.split(500)]).float()


@torch.no_grad()
def decode(net, codes):
    return torch.cat([net(part) for part in codes.split(500)]).float()


def kept(images):
    """Share of reconstructions the classifier calls the label of the digit they came from."""
    return digit_metrics.class_accuracy(classifier, images, y_test)


reconstructions = {"BiGAN G(E(x))": decode(G, encode(E, x_test)), "autoencoder": decode(G_ae, encode(E_ae, x_test)),
                   "BiGAN G(random z)": decode(G, z_random)}
kept_share = {name: kept(images) for name, images in reconstructions.items()}
real_acc = kept(x_test)
mse = {name: float(F.mse_loss(images, x_test)) for name, images in reconstructions.items()}
for name, share in kept_share.items():
    print(f"{name:20s}: digit kept {share:.3f}, pixel MSE {mse[name]:.3f}")
print(f"{'real held-out x':20s}: classifier accuracy {real_acc:.3f}")

# %%
show = torch.cat([(y_test == d).nonzero()[:2, 0] for d in range(10)])
fig, axes = plt.subplots(4, 1, figsize=(10, 4.6))
plots.image_grid(x_test[show], nrow=20, ax=axes[0], title="held-out digits x")
for ax, (name, images) in zip(axes[1:], reconstructions.items()):
    plots.image_grid(images[show], nrow=20, ax=ax, title=f"{name} (digit kept {kept_share[name]:.0%} of 1,000)")
fig.tight_layout()
plots.save(fig, "13_reconstructions")
plt.show()

# %% [markdown]
# ## 6. $E(x)$ as features: BiGAN's Table 1
#
# An encoder trained without labels gives every image a short vector. How good a representation is
# it? BiGAN's paper (Table 1, permutation-invariant MNIST, MLP networks, 60,000 training digits)
# classifies the 10,000 test digits by their **nearest neighbour** (1-NN, cosine) among the training
# codes, and reports "roughly the same level" for all: BiGAN 97.39 %, BiGAN's $D$ features 97.30,
# latent regressor 97.44, joint latent regressor 97.13, autoencoder ($\ell_2$) 97.58, autoencoder
# ($\ell_1$) 97.63. We do the same on our 4,000 / 1,000 split, and add a **linear probe** (a logistic
# regression on the standardised codes). Baselines: the raw 784 pixels, and an untrained encoder of
# the same architecture (random convolutional features are far from useless).
#
# **Which features the paper scored.** The authors' code (`jeffdonahue/bigan`, its README and
# `train_gan.py`) reports two 1-NN figures: `NNC_e` on the code $E(x)$ itself, and `NNC_e-` on "the
# layer of encoder features immediately before the output", which "normally works better". Its
# example log ends (400 epochs) at `NNC_e` 92.10 % and `NNC_e-` 97.35 %: Table 1's 97.39 is the second
# kind. The same log starts, before any training, at 91.50 % and 96.84 %: most of the paper's
# figure is already there in an untrained encoder. So the table below scores both layers of every
# encoder: the code ($d = 32$) and the layer before it (our encoder's last $2n_{ef} \times 7 \times 7$ map,
# flattened). Their code measures Euclidean distance; we keep cosine, the widget's neighbours.

# %%
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def one_nn_accuracy(train_features, test_features):
    """Label of the nearest training vector by cosine similarity (as the BiGAN paper's 1-NN)."""
    a, b = F.normalize(train_features.float(), dim=1), F.normalize(test_features.float(), dim=1)
    nearest = (b @ a.T).argmax(1)                        # (1,000,) float32: 6,272-d features in the full profile
    return float((train_set.labels[nearest] == y_test).float().mean())


def linear_probe_accuracy(train_features, test_features, max_dims=2_000):
    """A logistic regression on the standardised features; None above max_dims (the CPU solver's cost: the full
    profile's layer before the code has 6,272 dims)."""
    if train_features.shape[1] > max_dims:
        return None
    scaler = StandardScaler().fit(train_features.cpu().numpy())
    probe = LogisticRegression(max_iter=500).fit(scaler.transform(train_features.cpu().numpy()),
                                                 train_set.labels.cpu().numpy())
    return float(probe.score(scaler.transform(test_features.cpu().numpy()), y_test.cpu().numpy()))


@torch.no_grad()
def before_code(net, images):
    """The encoder's layer before the code: everything but the last (dense) layer and the flatten, flattened."""
    return torch.cat([net[:-2](part).flatten(1) for part in images.split(500)]).float()


torch.manual_seed(seed + 3)
E_untrained = bigan.bigan_encoder(latent_dim, width).to(dev).eval()
encoders = {"BiGAN E": E, "autoencoder E": E_ae, "latent regressor": E_lr, "untrained E": E_untrained}
hidden = 2 * width * 7 * 7                                  # size of the layer before the code
feature_sets = {"raw pixels (784)": (train_set.images.flatten(1), x_test.flatten(1))}
for name, net in encoders.items():
    feature_sets[f"{name}, code ({latent_dim})"] = (encode(net, train_set.images), encode(net, x_test))
    feature_sets[f"{name}, before code ({hidden})"] = (before_code(net, train_set.images), before_code(net, x_test))
table = {name: (one_nn_accuracy(*f), linear_probe_accuracy(*f)) for name, f in feature_sets.items()}
paper = {"raw pixels (784)": "-",
         f"BiGAN E, code ({latent_dim})": "authors' log: 92.10 (91.50 untrained)",
         f"BiGAN E, before code ({hidden})": "97.39 (authors' log: 97.35; 96.84 untrained)",
         f"autoencoder E, before code ({hidden})": "97.58 (l2)", f"latent regressor, before code ({hidden})": "97.44"}
print(f"{'features':36s} | 1-NN % (this run) | linear probe % | 1-NN % (BiGAN paper, 60k MNIST, MLPs)")
for name, (nn_acc, probe_acc) in table.items():
    probe = "-" if probe_acc is None else f"{100 * probe_acc:.1f}"
    print(f"{name:36s} | {100 * nn_acc:17.1f} | {probe:>14s} | {paper.get(name, '-')}")
print("paper, also: BiGAN D features 97.30, joint latent regressor 97.13, autoencoder (l1) 97.63")

# %% [markdown]
# Read the table by layer. On the 32-d code, the autoencoder and the latent regressor lead; the
# BiGAN's code sits near the untrained encoder's and below raw pixels, as in the authors' own log,
# where $E(x)$ itself moves only from 91.50 to 92.10 % in 400 epochs. On the layer before the code,
# the one the paper's 97.39 % scores, the untrained encoder and the BiGAN's jump well above their
# codes, while the autoencoder, whose code was trained to keep everything, gains nothing there.
# Compare it with the untrained encoder's, though: at this budget and step size the game has not
# improved that layer, it has pulled it *below* the random features it started from (printed in the
# checklist). The authors' log shows the other direction after 400 epochs, by half a point. A
# smaller step keeps that layer nearer the untrained one, but in 1,200 steps it also loses the
# reconstructions of section 5 (exercise 3b): the quick budget cannot have both.

# %% [markdown]
# ## 7. Interpolation between two real digits
#
# With an encoder, a latent walk can start and end at *real* images: encode $x_1$ and $x_2$, walk the
# straight line between $E(x_1)$ and $E(x_2)$, and decode (the lecture's ALI figure). The ends are
# reconstructions, so they are only as close to $x_1$, $x_2$ as section 5 measured.

# %%
pairs = [(int(show[2 * a]), int(show[2 * b + 1])) for a, b in ((1, 7), (3, 8), (0, 6), (4, 9))]
ts = torch.linspace(0, 1, 10, device=dev)[:, None]
rows = []
for i, j in pairs:
    z1, z2 = encode(E, x_test[torch.tensor([i, j])])
    rows += [x_test[i:i + 1], decode(G, (1 - ts) * z1 + ts * z2), x_test[j:j + 1]]
fig, ax = plt.subplots(figsize=(9, 4))
plots.image_grid(torch.cat(rows), nrow=12, ax=ax, title="x1 | G((1 - t) E(x1) + t E(x2)), t = 0 ... 1 | x2")
fig.tight_layout()
plots.save(fig, "13_interpolation")
plt.show()

# %% [markdown]
# ## 8. ALI on the ring of 8 Gaussians, against the plain GAN
#
# The ALI paper argues that inference helps the generator cover the modes: reconstructions need
# every data region to have codes that decode back to it. On a 2D mixture of 25 Gaussians on a grid
# it reports, over 10 runs, **13.4 ± 5.8** modes for ALI against **10.4 ± 9.2** for a GAN (its own
# protocol), and PacGAN's table puts ALI at 24.1 of 25 grid modes. The protocol here is notebook 05's
# (`ganlab.metrics.mixtures`: 2,500 samples, a mode is covered with 20 % of its share of
# high-quality samples within $3\sigma$), and so are the MLPs (width 64, depth 3) and the learning
# rate ($10^{-3}$ decaying linearly to $10^{-4}$), the same for both recipes: the plain GAN is ALI's
# game with $D$ blind to $z$ and no encoder. Every seed trains at once: `bigan.seed_mlp` stacks one
# MLP per seed, and Adam on the stacked tensors updates each seed as its own optimiser would.
#
# **ALI's encoder is stochastic.** The authors' mixture experiment (`IshmaelBelghazi/ALI`,
# `experiments/ali_mixture.py`) feeds the encoder $x$ *and* fresh noise, $z = E(x, \epsilon)$ with
# $\epsilon \sim N(0, I_2)$. On a mixture this matters. A deterministic encoder must stretch each
# tight mode ($\sigma = 0.014$) over its whole share of the Gaussian prior, a map with an enormous
# slope; until it manages, its codes $E(x)$ sit on a few thin curves, $D$ tells the pairs apart by
# $z$ alone, and $G$ receives no useful push along $x$. An earlier version of this notebook used the
# deterministic BiGAN encoder here, and with 2,000 steps its ALI covered no mode on any seed (0/8,
# high-quality share 0.01, while the plain GAN covered a median of 5). The noise lets $E$ spread each
# mode over $z$ from the start. ALI is still the slower learner (three networks, and a critic on
# pairs), so both recipes get twice that budget, and the coverage is recorded at four points of
# training. The full profile also runs the papers' 25-Gaussian grid with 16 seeds; the quick one
# cannot afford two more runs (notebook 05's section 5 shows how far a quick grid run stays from the
# papers).

# %%
from ganlab.data.toy import toy
from ganlab.metrics.mixtures import mode_coverage

ring = toy("8gaussians")
stacked = bigan.seed_mlp([7, 8], 2, 1, width=16, depth=2)       # two seeds' discriminators, stacked
x_check = torch.randn(2, 5, 2)                                   # (seeds, batch, 2)
one_by_one = []
for i, s in enumerate([7, 8]):                                   # the same nets built one seed at a time
    alone = bigan.seed_mlp([s], 2, 1, width=16, depth=2)
    one_by_one.append(alone(x_check[i:i + 1])[0])

# %%
# NBVAL_CHECK_OUTPUT
print("stacked seeds equal the seeds built alone:",
      torch.allclose(stacked(x_check), torch.stack(one_by_one), atol=1e-6))

# %%
toy_seeds = list(range(100 * seed, 100 * seed + budget(quick=4, full=16)))
toy_steps, toy_batch = train_steps(quick=4_000, full=10_000), budget(quick=64, full=128)
toy_latent, toy_noise = 2, 2                                         # ALI's mixture code: 2-d z, 2-d encoder noise
toy_width, toy_depth = budget(quick=(64, 3), full=(256, 3))          # notebook 05's MLPs
mixtures = budget(quick=("8gaussians",), full=("8gaussians", "25gaussians"))


def per_seed_bce(logits, target):
    """The binary cross-entropy of each seed's logits (S, batch, 1) against one label, summed over seeds."""
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target),
                                              reduction="none").mean((1, 2)).sum()


def train_toy(kind, mixture):
    """ALI ('ali') or the plain GAN ('gan') on a 2D mixture, one run per seed, all at once."""
    S = toy_seeds
    G_s = bigan.seed_mlp(S, toy_latent, 2, toy_width, toy_depth, salt=1)
    E_s = bigan.seed_mlp(S, 2 + toy_noise, toy_latent, toy_width, toy_depth, salt=2) if kind == "ali" else None
    D_s = bigan.seed_mlp(S, 2 + (toy_latent if kind == "ali" else 0), 1, toy_width, toy_depth, salt=3)
    pair = (lambda x, z: torch.cat([x, z], -1)) if kind == "ali" else (lambda x, z: x)
    players = [*G_s.parameters(), *(E_s.parameters() if E_s else [])]
    opt_g, opt_d = (torch.optim.Adam(p, 1e-3, betas=(0.5, 0.999)) for p in (players, D_s.parameters()))
    decays = [torch.optim.lr_scheduler.LinearLR(opt, 1.0, 0.1, toy_steps) for opt in (opt_g, opt_d)]  # 1e-3 -> 1e-4
    streams = [torch.Generator().manual_seed(s) for s in S]
    z_eval = torch.stack([torch.randn(2_500, toy_latent, generator=torch.Generator().manual_seed(10**6 + s))
                          for s in S])

    def draw(n, dim):
        return torch.stack([torch.randn(n, dim, generator=g) for g in streams])  # (S, n, dim)

    def step(_):
        x = torch.stack([mixture.sample(toy_batch, g) for g in streams])                  # (S, batch, 2)
        z = draw(toy_batch, toy_latent)
        e_x = E_s(torch.cat([x, draw(toy_batch, toy_noise)], -1)) if E_s else None       # E(x, eps)
        g_z = G_s(z)
        # D: maximise log D(x, E(x, eps)) + log(1 - D(G(z), z))   (the plain GAN: D(x), D(G(z)))
        loss_d = (per_seed_bce(D_s(pair(x, e_x.detach() if E_s else None)), 1)
                  + per_seed_bce(D_s(pair(g_z.detach(), z)), 0))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        # G and E, one player: the labels swapped
        loss_g = per_seed_bce(D_s(pair(g_z, z)), 1) + (per_seed_bce(D_s(pair(x, e_x)), 0) if E_s else 0)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        for decay in decays:
            decay.step()
        return {"loss_d": loss_d.detach() / len(S), "loss_g": loss_g.detach() / len(S)}

    @torch.no_grad()
    def coverage():
        cov = mode_coverage(G_s(z_eval), mixture)
        return {"modes_median": float(cov.modes_covered.float().median()),
                "hq_median": float(cov.high_quality.median())}

    history = fit(step, toy_steps, eval_every=max(toy_steps // 4, 1), eval_fn=coverage, desc=f"{kind}, {mixture.name}")
    with torch.no_grad():
        samples = G_s(z_eval)
    return samples, mode_coverage(samples, mixture), history


toy_runs = {(name, kind): train_toy(kind, toy(name)) for name in mixtures for kind in ("gan", "ali")}
print(f"{'':16s} | modes covered per seed | median | median high quality | median modes at 1/4, 1/2, 3/4 of "
      "training | seconds")
for (name, kind), (_samples, cov, hist) in toy_runs.items():
    modes = cov.modes_covered.float()
    during = ", ".join(f"{v:.0f}" for v in hist.series("modes_median")[1][1:-1])
    print(f"{kind + ', ' + name:16s} | {str(cov.modes_covered.tolist()):22s} | {modes.median():6.1f} | "
          f"{cov.high_quality.median():19.2f} | {during:36s} | {hist.seconds:.0f}")
print("papers, on the 25-Gaussian grid and trained far longer: ALI 13.4 +- 5.8 vs GAN 10.4 +- 9.2 of 25 "
      "(ALI's protocol, 10 runs); ALI 24.1 of 25 (PacGAN's table)")

# %%
fig, axes = plt.subplots(len(mixtures), 2, figsize=(7, 3.5 * len(mixtures)), squeeze=False)
for ax, ((name, kind), (samples, cov, _)) in zip(axes.flat, toy_runs.items()):
    plots.samples(samples[0, :1000], toy(name), ax,
                  title=f"{kind}, seed {toy_seeds[0]}: {int(cov.modes_covered[0])}/{cov.n_modes} modes")
    ax.set_xticks([]), ax.set_yticks([])
fig.tight_layout()
plots.save(fig, "13_ring_8")
plt.show()

# %% [markdown]
# Read the table with its budget. With ALI's own (stochastic) encoder the samples now land on the
# modes on every seed. The middle columns show why the earlier 2,000-step run found nothing: ALI
# gathers on the modes later than the plain GAN (in the stored runs, none covered at half the steps).
# At equal steps its samples also sit less tightly on the modes (the high-quality column: a lesson
# below), while the number of modes covered varies with the seed too much for 4 seeds to order the
# two recipes. The papers' claim, that inference helps coverage, is about the grid, which the full
# profile runs; the checklist prints the mode counts as what this run measured.

# %% [markdown]
# ## 9. Explore: a held-out digit, its reconstruction, its neighbours in $z$
#
# Pick a held-out digit: the widget shows $x$, the BiGAN's reconstruction $G(E(x))$, and the five
# training digits whose codes are nearest to $E(x)$ (cosine), the neighbours that the 1-NN column of
# section 6 votes with. The figure is built once; a move only updates its images.

# %%
from ganlab.widgets.bigan import neighbour_explorer

codes_train, codes_test = feature_sets[f"BiGAN E, code ({latent_dim})"]
explorer = neighbour_explorer(x_test, reconstructions["BiGAN G(E(x))"], codes_test, train_set.images, codes_train,
                              labels_test=y_test, labels_train=train_set.labels)
explorer

# %%
from ganlab.widgets.core import measure_latency

latency = measure_latency(explorer, moves=10)
print(f"widget update: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms "
      f"over {latency['moves']} moves")

# %% [markdown]
# ## Exercises
#
# **1. The optimal discriminator on pairs (with a checker).** In the discrete world of section 1 with
# $G$ = the shifted permutation, what is $D^*(x, z)$ at a pair that only the encoder produces,
# $(x, E(x))$? And the value $V(D^*, E, G)$? (Use the formula, then check with `value_at_optimal_d`.)

# %%
d_star_at_encoder_pair, value = None, None  # your answers
if d_star_at_encoder_pair is not None:
    check_answer([d_star_at_encoder_pair, value], [1.0, 0.0], tol=1e-6,
                 hint="p_GZ is 0 there, so D* = p_EX / p_EX; each log D* term is then log 1")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $P_{GZ}(x, E(x)) = 0$ when $G(E(x)) \ne x$, so $D^* = 1$ there, and on every generated pair $D^* = 0$.
# Both expectations are $\log 1 = 0$: $V(D^*) = 0 = -\log 4 + 2 \log 2$, the largest value, with
# $\mathrm{JSD} = \log 2$: $D$ wins completely although both marginals match.
# </details>
#
# **2. ALI's stochastic encoder.** ALI's encoder outputs a mean and a log standard deviation and
# samples $z = \mu(x) + \sigma(x)\,\epsilon$, $\epsilon \sim N(0, I)$ (the reparametrisation trick, so
# gradients flow through the sample). Change `bigan_encoder`'s last layer to output `2 * latent_dim`
# numbers, split them, and sample in `bigan_step`. Does the digit-kept share of section 5 change
# (use $\mu(x)$ for the reconstruction)?
#
# **3. Longer training.** Double `steps` (and then double it again). Which numbers of sections 5 and 6
# move most: the reconstructions, or the 1-NN accuracy? The paper trained for 400 epochs of 60,000
# digits (about 200,000 steps of 128); the quick profile does 1,200 steps of 64.
#
# **3b. A smaller step for the game.** Train the BiGAN with `lr = 3e-4`, nearer the papers' 2e-4
# (keep 1e-3 for the two baselines of section 4). Compare the BiGAN rows of section 6 with the
# untrained encoder's, and the digit-kept share of section 5: what does the smaller step buy, and
# what does it cost in 1,200 steps?
#
# **4. The encoder's noise, then the grid.** Set `toy_noise = 0` (a deterministic encoder, as BiGAN's)
# and train section 8 again: where do ALI's samples go, and what do the codes $E(x)$ of the ring look
# like (plot them)? Then, with the noise back, set `mixtures = ("25gaussians",)` (the papers' grid;
# notebook 05 shows it) and train for 5x `toy_steps`. Which recipe covers more of the 25 modes?

# %% [markdown]
# ## What we saw
# First what this run measured against the papers, then the lessons it shows, each against the
# baseline that would fail it.

# %%
nn_table = {name: round(100 * v[0], 1) for name, v in table.items()}
print("1-NN % on the 4,000 / 1,000 split, this run:", nn_table)
print("1-NN % in BiGAN's Table 1 (60k / 10k MNIST, the layer before the code): BiGAN 97.39, D 97.30, latent regressor "
      "97.44, joint latent regressor 97.13, AE l2 97.58, AE l1 97.63; the authors' log: code 92.10 (91.50 untrained), "
      "layer before it 97.35 (96.84 untrained)")
toy_modes = {key: cov.modes_covered for key, (_, cov, _) in toy_runs.items()}
toy_hq = {key: float(cov.high_quality.median()) for key, (_, cov, _) in toy_runs.items()}
for name in mixtures:
    n_modes = toy_runs[(name, "gan")][1].n_modes
    print(f"{name}, modes covered over {len(toy_seeds)} seeds, this run ({toy_steps:,} steps): " + ", ".join(
        f"{kind} median {toy_modes[(name, kind)].float().median():.0f}/{n_modes} {toy_modes[(name, kind)].tolist()} "
        f"(high quality {toy_hq[(name, kind)]:.2f})" for kind in ("ali", "gan")))
print("papers, 25-Gaussian grid, trained far longer: ALI 13.4 +- 5.8 vs GAN 10.4 +- 9.2 of 25 (ALI's protocol); "
      "ALI 24.1 of 25, 95.7 % high quality (PacGAN's table)")

# %%
bigan_code, bigan_before = table[f"BiGAN E, code ({latent_dim})"][0], table[f"BiGAN E, before code ({hidden})"][0]
pixel_nn = table["raw pixels (784)"][0]
_ = what_we_saw([
    lesson("the BiGAN's round trip G(E(x)) keeps the digit more often than G of a random code (at least 0.1 above)",
           held=kept_share["BiGAN G(E(x))"] >= kept_share["BiGAN G(random z)"] + 0.1,
           measured=f"BiGAN G(E(x)) {kept_share['BiGAN G(E(x))']:.2f}",
           baseline=f"G(random z) {kept_share['BiGAN G(random z)']:.2f} (chance 0.10)"),
    lesson("at this budget an autoencoder of the same size keeps the digit far more often (at least 0.3 above BiGAN)",
           held=kept_share["autoencoder"] >= kept_share["BiGAN G(E(x))"] + 0.3,
           measured=f"autoencoder {kept_share['autoencoder']:.2f}",
           baseline=f"BiGAN G(E(x)) {kept_share['BiGAN G(E(x))']:.2f}"),
    lesson("the encoder's layer before the code, the one BiGAN's Table 1 scores, is a far better 1-NN feature than "
           f"the {latent_dim}-d code itself (at least 3 points; the authors' log: 97.35 against 92.10)",
           held=bigan_before >= bigan_code + 0.03,
           measured=f"BiGAN E before the code {100 * bigan_before:.1f} %",
           baseline=f"BiGAN code {100 * bigan_code:.1f} %"),
    lesson(f"at this budget raw pixels beat the BiGAN's {latent_dim}-d code for 1-NN (at least 2 points)",
           held=pixel_nn >= bigan_code + 0.02,
           measured=f"BiGAN code {100 * bigan_code:.1f} %",
           baseline=f"raw pixels {100 * pixel_nn:.1f} %"),
    lesson(f"on the ring, at equal steps, ALI's samples sit less tightly on the modes than the plain GAN's "
           f"(median high-quality share over {len(toy_seeds)} seeds, at least 0.1 lower)",
           held=toy_hq[("8gaussians", "ali")] <= toy_hq[("8gaussians", "gan")] - 0.1,
           measured=f"ALI {toy_hq[('8gaussians', 'ali')]:.2f}",
           baseline=f"plain GAN {toy_hq[('8gaussians', 'gan')]:.2f}"),
])
# Which recipe covers more modes, on a few seeds and one budget: printed as what this run measured, not a lesson.
untrained_before = table[f"untrained E, before code ({hidden})"][0]
print(f"measured, not a lesson: the layer before the code, BiGAN {100 * bigan_before:.1f} % against the untrained "
      f"encoder's {100 * untrained_before:.1f} % (1-NN; the authors' log after 400 epochs: 97.35 against 96.84)")
for name in mixtures:
    print(f"measured, not a lesson: on {name} ALI covers a median {toy_modes[(name, 'ali')].float().median():.0f} "
          f"modes (high-quality share {toy_hq[(name, 'ali')]:.2f}), the plain GAN "
          f"{toy_modes[(name, 'gan')].float().median():.0f} ({toy_hq[(name, 'gan')]:.2f}), over {len(toy_seeds)} seeds")

# %% [markdown]
# **Where the quick profile stands.** The papers trained for hundreds of epochs on 60,000 digits; the
# quick profile trains for about a minute on 4,000. The game's pull towards $E = G^{-1}$ (section 1)
# acts slowly: a BiGAN's reconstructions only start to keep the digit, while an autoencoder, which is
# *told* to reconstruct, does so within seconds. On features, read BiGAN's Table 1 for what it
# measures: its 97.39 % is a 1-NN on the encoder's layer *before* the code, where the authors' own log
# starts at 96.84 % before any training; on the code itself their BiGAN ends at 92.10 % (91.50 %
# untrained). This run shows the same shape, lower (4,000 training digits, not 60,000): the layer
# before the code classifies far better than the 32-d code, an untrained encoder is as good on the code
# and better on the layer before it, and at this budget the BiGAN's code stays below raw pixels. So
# the gap between our code's 1-NN and the paper's 97.4 % is mostly a gap between two layers, not a
# failure of the game; how much of the rest a longer run closes, the `full` profile shows.
#
# On the ring, ALI with its own stochastic encoder lands on the modes (section 8); with 4 seeds and
# one budget this run cannot say which recipe covers more, and the papers' claim (ALI 13.4 against
# GAN 10.4 of 25 grid modes) is about the grid, which the `full` profile runs with 16 seeds.
#
# **References.** Donahue, Krähenbühl & Darrell (2017), *Adversarial feature learning* (BiGAN);
# Dumoulin et al. (2017), *Adversarially learned inference* (ALI); Lin et al. (2018), *PacGAN*;
# Srivastava et al. (2017), *VEEGAN* (the grid protocol).
