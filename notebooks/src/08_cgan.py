# %% [markdown]
# # 08 · Conditional GAN: asking for a digit
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/08_cgan.ipynb)
#
# The DCGAN of notebook 07 draws *some* digit: we cannot ask for a 7. A **conditional GAN**
# (Mirza & Osindero, 2014) gives both players the label $y$: the generator draws $G(z, y)$, and the
# discriminator judges the *pair* $D(x, y)$, "is $x$ a real image of digit $y$?".
#
# **Learning goals**
# - Condition both players on a label and follow how the label enters each network.
# - Train a conditional DCGAN with a step function of your own, and draw one row per digit.
# - Measure whether the generator obeys: a digit classifier's accuracy against the asked label.
# - Add mismatched (real image, wrong label) pairs as extra negatives and measure what they change.
# - Evaluate a moving average (EMA) of the generator's weights, steadier than the last iterate.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
import torch

from ganlab import budget, device, plots, start
from ganlab.data.digits import load_digits
from ganlab.lessons import check_answer, what_we_saw
from ganlab.metrics import digits as digit_metrics
from ganlab.nets import dcgan, dcgan_discriminator, dcgan_generator
from ganlab.train import fit

dev = device()
train_set, test_set = load_digits("mnist", "train", dev), load_digits("mnist", "test", dev)
seed = start()
print(train_set, test_set, sep="\n")

# %% [markdown]
# ## Conditioning
#
# Both players now see the label, and the value function is the GAN's with every term conditioned:
#
# $$\min_G \max_D \; \mathbb E_{(x, y) \sim p_\text{data}}[\log D(x, y)] + \mathbb E_{z \sim p_z,\, y \sim p(y)}[\log(1 - D(G(z, y), y))].$$
#
# For a fixed $y$ this is the original game between $p_\text{data}(x \mid y)$ and $p_g(x \mid y)$,
# so its optimum is $p_g(x \mid y) = p_\text{data}(x \mid y)$ for every digit. How does $y$ enter a
# network? The simplest way, and the one used here, is a **one-hot vector concatenated**:
# - in $G$, to the code: the input is $[z, \text{onehot}(y)]$, 64 + 10 numbers;
# - in $D$, to the image: 10 constant planes, plane $y$ all ones, so the first convolution sees the
#   image and the label at every position.
#
# Everything else is the DCGAN of notebook 07.

# %%
print(inspect.getsource(dcgan.ConditionalGenerator.forward))
print(inspect.getsource(dcgan.ConditionalDiscriminator.forward))

# %%
# NBVAL_CHECK_OUTPUT
latent_dim = 64
with torch.no_grad():
    G_demo, D_demo = dcgan_generator(latent_dim, 32, n_classes=10).eval(), dcgan_discriminator(32, n_classes=10).eval()
    z_demo, y_demo = torch.randn(4, latent_dim), torch.tensor([0, 3, 7, 9])
    x_demo = G_demo(z_demo, y_demo)
    print("G(z, y):", tuple(z_demo.shape), "+", tuple(y_demo.shape), "->", tuple(x_demo.shape))
    print("D(x, y):", tuple(x_demo.shape), "+", tuple(y_demo.shape), "->", tuple(D_demo(x_demo, y_demo).shape))
    print("D's first convolution sees", D_demo.net[0][0].in_channels, "channels (1 image + 10 label planes)")
try:
    G_demo(z_demo, torch.tensor([0, 3, 7, 10]))
except ValueError as err:
    print("a bad label is refused:", err)

# %% [markdown]
# ## The step function, with optional mismatched pairs
#
# A conditional discriminator could learn "real-looking digit" and ignore $y$: nothing in the loss
# above punishes it directly for accepting a real 3 labelled "8". Reed et al. (2016, GAN-CLS) add
# **mismatched pairs** (a real image with a wrong label) as extra negatives:
#
# $$L_D = -\log D(x, y) - \tfrac12\big[\log(1 - D(G(z, y), y)) + \log(1 - D(x, y'))\big], \qquad y' \neq y.$$
#
# `mismatch=True` adds them: a wrong label is the true one shifted by a random 1..9 (mod 10), and
# the two kinds of negatives are averaged (one batch of concatenated logits).
#
# **An average of the generator's weights.** GAN training does not settle on a point: the
# generator's weights $\theta_t$ keep circling around a good solution, and the last iterate is one
# sample of that circling (in a short run the accuracy can peak and then sag). An exponential moving
# average (Yazıcı et al., 2019; used by Karras et al., 2018)
#
# $$\bar\theta_t = \beta\,\bar\theta_{t-1} + (1 - \beta)\,\theta_t$$
#
# damps the circling without touching the game: training uses $\theta_t$ as before, and only the
# evaluation and the pictures use $\bar\theta_t$ (`torch.optim.swa_utils.AveragedModel`, which
# averages the batch-norm statistics too). With $\beta = 0.99$ it remembers about the last
# $1/(1-\beta) = 100$ steps, so it lags at the start of training.

# %%
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from ganlab.losses import discriminator_loss, generator_loss_non_saturating

ngf = ndf = budget(quick=32, full=64)
batch = budget(quick=64, full=128)
steps = budget(quick=600, full=5_000)
ema_decay = budget(quick=0.99, full=0.999)                              # beta: averages ~1/(1 - beta) steps


def make_cgan_step(G, D, opt_g, opt_d, G_ema, mismatch: bool):
    def cgan_step(_):
        real, labels = train_set.sample(batch)
        z = torch.randn(batch, latent_dim, device=dev)
        asked = torch.randint(10, (batch,), device=dev)          # the digits G is asked for
        # (1) Update D: maximise log D(x, y) + log(1 - D(G(z, y'), y')) [+ log(1 - D(x, wrong))]
        fake = G(z, asked)
        negatives = D(fake.detach(), asked)
        if mismatch:
            wrong = (labels + torch.randint(1, 10, (batch,), device=dev)) % 10
            negatives = torch.cat([negatives, D(real, wrong)])
        loss_d = discriminator_loss(D(real, labels), negatives)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        # (2) Update G: maximise log D(G(z, y), y)
        loss_g = generator_loss_non_saturating(D(fake, asked))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        G_ema.update_parameters(G)                                # (3) theta_bar <- beta theta_bar + (1 - beta) theta
        return {"loss_d": loss_d.detach(), "loss_g": loss_g.detach()}
    return cgan_step


# %% [markdown]
# ## Measuring obedience
# The digit classifier of `ganlab.metrics.digits` (trained on real digits) reads each generated
# digit; the **accuracy against the asked label** is the share it reads as the digit we asked for.
# A generator that ignores $y$ scores about 0.1; real held-out digits score the classifier's own
# accuracy. We also record $D$'s mean probability on mismatched real pairs, $D(x, y')$: how much the
# discriminator cares about the label.

# %%
classifier = digit_metrics.digit_classifier("mnist", dev)
real_accuracy = digit_metrics.class_accuracy(classifier, test_set.images, test_set.labels)
n_eval = 1_000
z_eval = torch.randn(n_eval, latent_dim, device=dev)
y_eval = torch.arange(n_eval, device=dev) % 10                         # 100 of each digit
x_check, y_check = test_set.images, test_set.labels
y_wrong = (y_check + 1 + torch.arange(len(y_check), device=dev) % 9) % 10  # a fixed wrong label each


def evaluator(G, G_ema, D):
    @torch.no_grad()
    def evaluate():
        G.eval(), G_ema.eval(), D.eval()
        accuracy = digit_metrics.class_accuracy(classifier, G_ema(z_eval, y_eval), y_eval)
        accuracy_last = digit_metrics.class_accuracy(classifier, G(z_eval, y_eval), y_eval)
        p_right = torch.sigmoid(D(x_check, y_check)).mean()
        p_wrong = torch.sigmoid(D(x_check, y_wrong)).mean()
        G.train(), G_ema.train(), D.train()
        return {"accuracy": accuracy, "accuracy_last_iterate": accuracy_last, "d_real_right": float(p_right), "d_real_wrong": float(p_wrong)}
    return evaluate


def train_cgan(mismatch: bool):
    """A fresh conditional DCGAN trained with the same seed, data order and budget; returns the EMA generator."""
    torch.manual_seed(seed)
    G = dcgan_generator(latent_dim, ngf, n_classes=10).to(dev)
    D = dcgan_discriminator(ndf, n_classes=10).to(dev)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    G_ema = AveragedModel(G, multi_avg_fn=get_ema_multi_avg_fn(ema_decay), use_buffers=True)
    history = fit(make_cgan_step(G, D, opt_g, opt_d, G_ema, mismatch), steps, eval_every=max(steps // 5, 1),
                  eval_fn=evaluator(G, G_ema, D), desc="cGAN + mismatched pairs" if mismatch else "cGAN")
    return G_ema.module.eval(), D.eval(), history


print(f"classifier accuracy on real held-out digits: {real_accuracy:.3f}; {steps} steps of batch {batch} per model")

# %%
G, D, history = train_cgan(mismatch=False)
G_mm, D_mm, history_mm = train_cgan(mismatch=True)
history, history_mm

# %% [markdown]
# ## One row per digit
# From here on `G` and `G_mm` are the averaged (EMA) generators. Row $y$ shows $G(z_j, y)$; column $j$ keeps the same code $z_j$ in every row, so a column shows
# one "style" (slant, thickness) written as ten different digits.

# %%
with torch.no_grad():
    z_cols = torch.randn(10, latent_dim, device=dev, generator=torch.Generator(dev).manual_seed(seed + 1))
    grid = G(z_cols.repeat(10, 1), torch.arange(10, device=dev).repeat_interleave(10))
fig = plots.image_grid(grid, nrow=10, size=5.5, title="row y: G(z_j, y), same z_j down each column")
plots.save(fig, "08_digit_rows")

# %%
accuracy = {"cGAN": history.last("accuracy"), "cGAN + mismatched pairs": history_mm.last("accuracy")}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5))
for name, h in (("cGAN", history), ("cGAN + mismatched pairs", history_mm)):
    line, = ax1.plot(*h.series("accuracy"), marker="o", label=f"{name}: EMA of G")
    ax1.plot(*h.series("accuracy_last_iterate"), marker=".", ls=":", color=line.get_color(), label=f"{name}: last iterate")
    line, = ax2.plot(*h.series("d_real_right"), marker="o", label=f"{name}: D(x, y)")
    ax2.plot(*h.series("d_real_wrong"), marker="x", ls="--", color=line.get_color(), label=f"{name}: D(x, wrong y)")
ax1.axhline(real_accuracy, color="k", ls="--", label="real held-out digits")
ax1.axhline(0.1, color="grey", ls=":", label="label ignored")
ax1.set(xlabel="step", ylabel="classifier accuracy vs asked label", ylim=(0, 1.02))
ax2.set(xlabel="step", ylabel="mean D probability on real test digits", ylim=(0, 1.02))
ax1.legend(fontsize=7), ax2.legend(fontsize=7)
fig.tight_layout()
plots.save(fig, "08_accuracy_and_mismatch")
gap = {name: h.last("d_real_right") - h.last("d_real_wrong") for name, h in (("cGAN", history), ("cGAN + mismatched pairs", history_mm))}
for name, h in (("cGAN", history), ("cGAN + mismatched pairs", history_mm)):
    print(f"{name:24s} accuracy vs asked label {accuracy[name]:.3f} (last iterate {h.last('accuracy_last_iterate'):.3f});  D(x, y) - D(x, wrong y) = {gap[name]:+.3f}")

# %%
with torch.no_grad():
    per_digit = {name: [digit_metrics.class_accuracy(classifier, g(z_eval[:300], torch.full((300,), d, device=dev)),
                                                     torch.full((300,), d, device=dev)) for d in range(10)]
                 for name, g in (("cGAN", G), ("cGAN + mismatched pairs", G_mm))}
fig, ax = plt.subplots(figsize=(7, 3))
for i, (name, values) in enumerate(per_digit.items()):
    ax.bar(np.arange(10) + (i - 0.5) * 0.4, values, width=0.4, label=name)
ax.set(xticks=range(10), xlabel="asked digit", ylabel="accuracy", ylim=(0, 1.05), title="accuracy per asked digit")
ax.legend(fontsize=8)
fig.tight_layout()
plots.save(fig, "08_accuracy_per_digit")

# %% [markdown]
# What the mismatched pairs change, read from the measured numbers above: without them, $D$'s
# probability on a real digit hardly depends on whether its label is right (a small gap
# $D(x, y) - D(x, y')$); with them, $D$ must check the label, the gap widens, and the generator is
# pushed harder to draw the asked digit: with the same budget its accuracy is higher. The size of
# that gain in a short run varies with the seed. The average of the weights helps the generator
# whose last iterate has peaked and sags (with mismatched pairs) and lags behind one that is still
# improving (the plain cGAN): compare the solid and dotted curves. With a long (`full`) budget both generators should
# reach a high accuracy (not measured here: this course was built without a GPU).

# %%
# NBVAL_CHECK_OUTPUT
print("both conditional generators obey the label far above chance (accuracy > 0.3, chance 0.1):",
      min(accuracy.values()) > 0.3)
print("mismatched pairs make D check the label (a wider gap D(x, y) - D(x, wrong y)):",
      gap["cGAN + mismatched pairs"] > gap["cGAN"])

# %% [markdown]
# ## Pick a digit, move z
# The digit slider changes $y$ for the same six codes; the direction sliders move the codes. The
# style follows $z$ and the identity follows $y$.

# %%
from ganlab.widgets.digits import latent_explorer

explorer = latent_explorer(G_mm, latent_dim, n_classes=10, n_samples=6, n_directions=2, seed=seed)
explorer

# %% [markdown]
# ## Exercises
#
# **1. The GAN-CLS loss by hand (with a checker).** For one real image with logit $2$ on its true
# label, a generated image with logit $-1$, and the real image with a wrong label at logit $0$,
# compute $L_D$ above. (Hint: $-\log\sigma(l) = \operatorname{softplus}(-l)$ and
# $-\log(1 - \sigma(l)) = \operatorname{softplus}(l)$.)

# %%
import torch.nn.functional as F

softplus = lambda l: float(F.softplus(torch.tensor(float(l))))
my_loss = softplus(-2) + 0.5 * (softplus(-1) + softplus(0))   # edit if you disagree
check_answer(my_loss, float(discriminator_loss(torch.tensor([2.0]), torch.tensor([-1.0, 0.0]))), tol=1e-4,
             hint="real term softplus(-2); each negative softplus(logit), averaged over the two negatives")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $\operatorname{softplus}(-2) + \tfrac12(\operatorname{softplus}(-1) + \operatorname{softplus}(0)) = 0.1269 + \tfrac12(0.3133 + 0.6931) = 0.630$.
# `discriminator_loss(real_logits, torch.cat([fake_logits, mismatched_logits]))` computes exactly this,
# since the binary cross-entropy averages over the concatenated negatives.
# </details>
#
# **2. A projection discriminator.** Replace the label planes by a projection (Miyato & Koyama,
# 2018): $D(x, y) = \psi(\phi(x)) + e_y^\top \phi(x)$ with a learned embedding $e_y$ and $\phi$ the
# DCGAN body pooled to a vector. Train it and compare the accuracy and the gap.
#
# **3. Class-balanced?** Ask for 1,000 digits with labels drawn from a skewed $p(y)$ (e.g. half of
# them 1s). Is the accuracy per digit the same as above? What does that say about $G(z, y)$?

# %% [markdown]
# ## What we saw
# Accuracies are those of the averaged (EMA) generators. The target is 0.8 in the quick profile (a
# few hundred steps on a CPU: the last iterate still moves from one evaluation to the next, see the
# curve above) and 0.95 in the `full` profile on a GPU (not measured here: this course was built
# without a GPU).

# %%
target = budget(quick=0.8, full=0.95)
lessons = [
    (f"the conditional generator draws the asked digit: classifier accuracy >= {target} (chance 0.1)",
     max(accuracy.values()) >= target, ", ".join(f"{k} {v:.3f}" for k, v in accuracy.items())),
    ("both conditional generators obey the label far above chance (accuracy > 0.3, 3x chance)",
     min(accuracy.values()) > 0.3, f"lowest {min(accuracy.values()):.3f}"),
    ("with the same budget, mismatched pairs give a more obedient generator (higher accuracy)",
     accuracy["cGAN + mismatched pairs"] > accuracy["cGAN"], ", ".join(f"{k} {v:.3f}" for k, v in accuracy.items())),
    ("mismatched pairs teach D to check the label: a wider gap between D(x, y) and D(x, wrong y)",
     gap["cGAN + mismatched pairs"] > gap["cGAN"] + 0.05, ", ".join(f"{k} {v:+.3f}" for k, v in gap.items())),
    ("the classifier reads real held-out digits well (the accuracy is a trustworthy measure)",
     real_accuracy >= 0.97, f"{real_accuracy:.3f}"),
]
unseen = what_we_saw(lessons)

# %%
# NBVAL_CHECK_OUTPUT
print("all lessons seen:", not unseen)

# %% [markdown]
# **References.** Mirza & Osindero (2014), *Conditional generative adversarial nets*; Reed et al.
# (2016), *Generative adversarial text to image synthesis* (GAN-CLS, mismatched pairs); Odena et al.
# (2017), *Conditional image synthesis with auxiliary classifier GANs*; Miyato & Koyama (2018),
# *cGANs with projection discriminator*; Karras et al. (2018), *Progressive growing of GANs*
# (EMA of the generator); Yazıcı et al. (2019), *The unusual effectiveness of averaging in GAN training*.
