# %% [markdown]
# # 10 · CycleGAN: translating between two digit domains without pairs
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/10_cyclegan.ipynb)
#
# Two collections of handwritten digits: MNIST (domain A: thin pen strokes, scanned at 28x28) and
# the UCI digits (domain B: 8x8 blocky images, here upsampled to 28x28, so thick and blurred).
# Nobody wrote the same digit in both styles: there are **no pairs**. CycleGAN (Zhu et al., 2017)
# still learns a translation $G: A \to B$ and its way back $F: B \to A$, with two GANs and one
# constraint: a round trip must come home, $F(G(a)) \approx a$ and $G(F(b)) \approx b$.
#
# **Learning goals**
# - Write the CycleGAN objective: least-squares adversarial losses, the cycle-consistency loss and
#   the identity loss, each checked against its formula.
# - Build a small ResNet generator and a PatchGAN discriminator, and write the training step.
# - See $A \to B \to A$ reconstructions, and *measure* whether a translation keeps the digit:
#   label preservation by each domain's classifier, in both directions.
# - Measure what the cycle loss is for: the same training without it (the ablation).

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from ganlab import budget, device, losses, plots, profile, start
from ganlab.data.digits import load_digits
from ganlab.lessons import check_answer, what_we_saw
from ganlab.metrics.digits import class_accuracy, digit_classifier, predict
from ganlab.nets.cyclegan import patch_discriminator, resnet_generator
from ganlab.train import fit

dev = device()
mnist, uci = load_digits("mnist", "train", device=dev), load_digits("uci", "train", device=dev)
mnist_test, uci_test = load_digits("mnist", "test", device=dev), load_digits("uci", "test", device=dev)
seed = start()

# %% [markdown]
# ## 1. Two domains, no pairs
#
# Each domain has its own digit classifier (trained on that domain's real training digits). A
# classifier read on the *other* domain shows the gap a translation has to close.

# %%
clf_a, clf_b = digit_classifier("mnist", device=dev), digit_classifier("uci", device=dev)
gap = {
    "MNIST classifier on MNIST test": class_accuracy(clf_a, mnist_test.images, mnist_test.labels),
    "UCI classifier on UCI test": class_accuracy(clf_b, uci_test.images, uci_test.labels),
    "UCI classifier on MNIST test (no translation)": class_accuracy(clf_b, mnist_test.images, mnist_test.labels),
    "MNIST classifier on UCI test (no translation)": class_accuracy(clf_a, uci_test.images, uci_test.labels),
}
for name, acc in gap.items():
    print(f"{name:48s} {acc:.3f}")

def spread(digits, n):
    """n test images evenly spaced through the set (the MNIST subset is stored sorted by digit)."""
    return digits.images[torch.linspace(0, len(digits) - 1, n).long()]


fig, axes = plt.subplots(1, 2, figsize=(10, 2.4))
plots.image_grid(spread(mnist_test, 16), nrow=16, ax=axes[0], title=f"domain A: MNIST ({len(mnist)} train)")
plots.image_grid(spread(uci_test, 16), nrow=16, ax=axes[1], title=f"domain B: UCI, upsampled ({len(uci)} train)")
fig.tight_layout()

# %% [markdown]
# ## 2. The objective
#
# Two generators, $G: A \to B$ and $F: B \to A$, and two discriminators, $D_B$ (real B or $G(a)$?)
# and $D_A$ (real A or $F(b)$?). CycleGAN uses the **least-squares** GAN losses (Mao et al., 2017)
# on $D$'s raw score: real is pulled to 1, fake to 0,
#
# $$L_D = \tfrac12 \mathbb{E}_b[(D_B(b) - 1)^2] + \tfrac12 \mathbb{E}_a[D_B(G(a))^2], \qquad
#   L_{GAN}(G) = \tfrac12 \mathbb{E}_a[(D_B(G(a)) - 1)^2].$$
#
# Adversarial losses alone only ask that $G(a)$ *look like* some B digit: any B digit. A map that
# turns every 3 into a nice UCI-style 7 is a perfect solution. The **cycle-consistency** loss
# forbids throwing the content away, since $F$ must recover $a$ from $G(a)$:
#
# $$L_{cyc} = \mathbb{E}_a \| F(G(a)) - a \|_1 + \mathbb{E}_b \| G(F(b)) - b \|_1 .$$
#
# The **identity** loss asks a generator to leave alone what is already in its target domain,
# $L_{id} = \mathbb{E}_b\|G(b) - b\|_1 + \mathbb{E}_a\|F(a) - a\|_1$. All together, for the generators:
#
# $$L = L_{GAN}(G, D_B) + L_{GAN}(F, D_A) + \lambda_{cyc} L_{cyc} + \lambda_{id} L_{id},
#   \qquad \lambda_{cyc} = 10,\; \lambda_{id} = \tfrac12 \lambda_{cyc} \text{ (the paper's weights)}.$$
#
# In `ganlab.losses`, the L1 norms are averaged over pixels. A check on numbers small enough to do
# by hand:

# %%
# NBVAL_CHECK_OUTPUT
a_small = torch.tensor([[[[0.0, 1.0], [-1.0, 0.5]]]])            # a 2x2 "image"
round_trip = torch.tensor([[[[0.2, 1.0], [-0.6, 0.5]]]])         # F(G(a))
print("cycle loss:", round(losses.cycle_consistency_loss(a_small, round_trip).item(), 4),
      "= (0.2 + 0 + 0.4 + 0) / 4 =", (0.2 + 0 + 0.4 + 0) / 4)
print("least squares, D's loss for scores real (1, 0.5), fake (0, 1):",
      losses.lsgan_discriminator_loss(torch.tensor([1.0, 0.5]), torch.tensor([0.0, 1.0])).item(),
      "| G's loss for fake (0, 1):", losses.lsgan_generator_loss(torch.tensor([0.0, 1.0])).item())

# %% [markdown]
# ## 3. The networks
#
# **Generator**: a ResNet, as in the paper, scaled down to 28x28: a 7x7 convolution, one stride-2
# downsampling to 14x14, a few residual blocks $x + f(x)$, one upsampling back to 28x28 and a 7x7
# convolution to one channel with tanh. Residual blocks make "change little" the easy default,
# which fits a task where the digit must survive. **Discriminator**: a PatchGAN, a small
# convolutional net whose output is a 5x5 grid of scores, each judging one overlapping patch
# (22x22 pixels) of the image: style is local. Both use instance normalisation.

# %%
ngf = ndf = budget(quick=16, full=32)
n_blocks = budget(quick=2, full=6)
batch = budget(quick=32, full=64)
steps = budget(quick=300, full=5_000)
lam_cyc = 10.0

print(resnet_generator(ngf, n_blocks))

# %%
# NBVAL_CHECK_OUTPUT
x = mnist.images[:4]
print("G(a):", tuple(resnet_generator(ngf, n_blocks).to(dev)(x).shape), "| PatchGAN D(a):",
      tuple(patch_discriminator(ndf).to(dev)(x).shape), "(batch, 1, 5, 5): one score per patch")

# %% [markdown]
# ## 4. The training step
#
# The generators update first, on all their losses, then the two discriminators on theirs (the
# fakes detached: $D$'s update must not move $G$). `lam_cyc = 0` gives the ablation: adversarial
# losses only (the identity weight follows $\lambda_{id} = \frac12 \lambda_{cyc}$, so it goes too).
# The cycle loss is computed and recorded in both runs, so we can watch what happens to it when
# nothing asks for it.

# %%
def cyclegan_step(G_ab, G_ba, D_a, D_b, opt_g, opt_d, lam_cyc, gen):
    """The step function `fit` calls: one update of both generators, then of both discriminators."""
    lam_id = 0.5 * lam_cyc

    def step(_):
        a, _ = mnist.sample(batch, gen)
        b, _ = uci.sample(batch, gen)

        # Update G_ab, G_ba: fool D_b and D_a, come home after a round trip, leave the target domain alone
        fake_b, fake_a = G_ab(a), G_ba(b)
        loss_adv = losses.lsgan_generator_loss(D_b(fake_b)) + losses.lsgan_generator_loss(D_a(fake_a))
        with torch.set_grad_enabled(lam_cyc > 0):  # the ablation only records them: no graph needed
            loss_cyc = losses.cycle_consistency_loss(a, G_ba(fake_b)) + losses.cycle_consistency_loss(b, G_ab(fake_a))
            loss_id = losses.identity_loss(b, G_ab(b)) + losses.identity_loss(a, G_ba(a))
        opt_g.zero_grad(set_to_none=True)
        (loss_adv + lam_cyc * loss_cyc + lam_id * loss_id).backward()
        opt_g.step()

        # Update D_a, D_b: real -> 1, translated -> 0 (least squares)
        loss_d = (losses.lsgan_discriminator_loss(D_b(b), D_b(fake_b.detach()))
                  + losses.lsgan_discriminator_loss(D_a(a), D_a(fake_a.detach())))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        return {"loss_d": loss_d.detach(), "loss_g": loss_adv.detach(), "cycle": loss_cyc.detach(),
                "identity": loss_id.detach()}
    return step


def train(lam_cyc, seed_offset):
    """Fresh generators and discriminators trained with cycle weight lam_cyc (Adam 2e-4, betas (0.5, 0.999))."""
    torch.manual_seed(seed + seed_offset)
    G_ab, G_ba = resnet_generator(ngf, n_blocks).to(dev), resnet_generator(ngf, n_blocks).to(dev)
    D_a, D_b = patch_discriminator(ndf).to(dev), patch_discriminator(ndf).to(dev)
    opt_g = torch.optim.Adam([*G_ab.parameters(), *G_ba.parameters()], 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam([*D_a.parameters(), *D_b.parameters()], 2e-4, betas=(0.5, 0.999))
    gen = torch.Generator().manual_seed(seed + seed_offset)
    history = fit(cyclegan_step(G_ab, G_ba, D_a, D_b, opt_g, opt_d, lam_cyc, gen), steps, desc=f"lam_cyc = {lam_cyc}")
    return G_ab.eval(), G_ba.eval(), history


G_ab, G_ba, hist_cycle = train(lam_cyc, 0)
G_ab_nc, G_ba_nc, hist_nocycle = train(0.0, 0)   # same seed: only the loss differs
print(hist_cycle, hist_nocycle, sep="\n")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
plots.losses(hist_cycle, names=("loss_d", "loss_g"), ax=axes[0])
axes[0].set_title("with the cycle loss: adversarial losses")
for hist, name in ((hist_cycle, "with the cycle loss"), (hist_nocycle, "without (ablation)")):
    s, v = hist.series("cycle")
    axes[1].plot(s, v, label=name)
axes[1].set(xlabel="step", ylabel="L_cyc (both directions)", title="round-trip error during training")
axes[1].legend()
fig.tight_layout()
plots.save(fig, "10_cyclegan_training")

# %% [markdown]
# ## 5. Translations and round trips
#
# Top block: MNIST test digits, their translation to the UCI style, and the way back. Bottom
# block: the same from UCI. Left with the cycle loss, right without.

# %%
@torch.no_grad()
def round_trips(G_ab, G_ba, n=10):
    a, b = spread(mnist_test, n), spread(uci_test, n)
    ab, ba = G_ab(a), G_ba(b)
    return torch.cat([a, ab, G_ba(ab), b, ba, G_ab(ba)]).cpu()


fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
for ax, (g_ab, g_ba), name in zip(axes, ((G_ab, G_ba), (G_ab_nc, G_ba_nc)), ("with the cycle loss", "without (ablation)")):
    plots.image_grid(round_trips(g_ab, g_ba), nrow=10, ax=ax,
                     title=f"{name}\nrows: a, G(a), F(G(a)) | b, F(b), G(F(b))")
fig.tight_layout()
plots.save(fig, "10_round_trips")

# %% [markdown]
# ## 6. Measured: is the digit kept? is the round trip faithful?
#
# **Label preservation** $A \to B$: the share of MNIST test digits whose translation $G(a)$ the
# *UCI* classifier reads as the digit $a$ was, $\frac1N \sum_i 1[\arg\max f_B(G(a_i)) = y_i]$; and
# the same for $B \to A$ with the MNIST classifier. The translator never saw a label: keeping the
# digit is something it must discover. **Reconstruction error**: the mean absolute pixel error of
# the round trip, $\frac1N \sum_i \|F(G(a_i)) - a_i\|_1 / 784$ (pixels in $[-1, 1]$).

# %%
@torch.no_grad()
def translation_scores(G_ab, G_ba):
    a, ya, b, yb = mnist_test.images, mnist_test.labels, uci_test.images, uci_test.labels
    ab, ba = G_ab(a), G_ba(b)
    return {"labels A->B": class_accuracy(clf_b, ab, ya), "labels B->A": class_accuracy(clf_a, ba, yb),
            "recon A->B->A": losses.cycle_consistency_loss(a, G_ba(ab)).item(),
            "recon B->A->B": losses.cycle_consistency_loss(b, G_ab(ba)).item()}


scores = {"with cycle": translation_scores(G_ab, G_ba), "no cycle": translation_scores(G_ab_nc, G_ba_nc)}
print(f"{'':12s}" + "".join(f"{k:>15s}" for k in scores["with cycle"]))
for name, row in scores.items():
    print(f"{name:12s}" + "".join(f"{v:15.3f}" for v in row.values()))
print(f"{'untranslated':12s}{gap['UCI classifier on MNIST test (no translation)']:15.3f}"
      f"{gap['MNIST classifier on UCI test (no translation)']:15.3f}")

# %%
# NBVAL_CHECK_OUTPUT
closer = {k: scores["with cycle"][k] < scores["no cycle"][k] for k in ("recon A->B->A", "recon B->A->B")}
print("round trips closer to the original with the cycle loss:", closer)

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
keys = ["labels A->B", "labels B->A"]
xs = np.arange(2)
untranslated = [gap["UCI classifier on MNIST test (no translation)"], gap["MNIST classifier on UCI test (no translation)"]]
for i, (name, values) in enumerate([("with cycle", [scores["with cycle"][k] for k in keys]),
                                    ("no cycle", [scores["no cycle"][k] for k in keys]),
                                    ("untranslated", untranslated)]):
    axes[0].bar(xs + (i - 1) * 0.27, values, 0.27, label=name)
axes[0].set(xticks=xs, xticklabels=keys, ylim=(0, 1), ylabel="label preserved", title="label preservation")
axes[0].legend(fontsize=8)
keys = ["recon A->B->A", "recon B->A->B"]
for i, name in enumerate(("with cycle", "no cycle")):
    axes[1].bar(xs + (i - 0.5) * 0.35, [scores[name][k] for k in keys], 0.35, label=name)
axes[1].set(xticks=xs, xticklabels=keys, ylabel="mean |error| per pixel", title="round-trip error")
axes[1].legend(fontsize=8)
fig.tight_layout()
plots.save(fig, "10_label_preservation")

# %% [markdown]
# ## 7. Pick an image, see both directions
#
# The slider picks test image $i$ of each domain; the buttons switch between the model trained with
# the cycle loss and the ablation. Each title says which digit that domain's classifier reads.

# %%
from ganlab.widgets.translation import translation_explorer

explorer = translation_explorer(
    {"with cycle loss": (G_ab, G_ba), "without (ablation)": (G_ab_nc, G_ba_nc)},
    spread(mnist_test, 200), spread(uci_test, 200),
    classify_a=lambda x: predict(clf_a, x), classify_b=lambda x: predict(clf_b, x), names=("MNIST", "UCI"))
explorer

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (with a checker).** A 2x2 image $b = \begin{pmatrix} 1 & -1 \\ 0 & 0.5 \end{pmatrix}$
# goes through $F$ then $G$ and comes back as $\begin{pmatrix} 0.6 & -1 \\ 0.2 & 0.5 \end{pmatrix}$.
# What is its cycle-consistency loss (the mean absolute error over pixels)?

# %%
my_answer = None  # a number
check_answer(my_answer if my_answer is not None else float("nan"),
             losses.cycle_consistency_loss(torch.tensor([1.0, -1.0, 0.0, 0.5]), torch.tensor([0.6, -1.0, 0.2, 0.5])).item(),
             tol=1e-6, hint="Average |difference| over the 4 pixels.")

# %% [markdown]
# <details><summary>Solution</summary>
#
# The differences are 0.4, 0, 0.2 and 0: the loss is $(0.4 + 0 + 0.2 + 0)/4 = 0.15$.
#
# ```python
# my_answer = 0.15
# ```
# </details>
#
# **Exercise 2.** Keep the cycle loss but drop the identity loss (set `lam_id = 0` inside
# `cyclegan_step`). Does label preservation change? Look at the ink of the translations: the paper
# introduced the identity loss to keep colours (here, intensity) from drifting.
#
# **Exercise 3.** Replace the PatchGAN by a discriminator that gives one score per image (add a
# global average over its 5x5 output). Which translations get worse, and why does a patch-level
# judge suit a *style* change?
#
# **Exercise 4.** Translate a digit $A \to B$ twice in a row, $G(G(a))$. What should happen if $G$
# learned "the UCI style", and what happens?

# %% [markdown]
# ## What we saw

# %%
with_cycle, no_cycle = scores["with cycle"], scores["no cycle"]
min_preserved = budget(quick=0.2, full=0.85)  # quick: twice chance; a short run is still learning
# Label preservation with and without the cycle loss is compared in the full profile only: the quick run's
# 300 steps are too few to separate them reliably (its figures are printed above all the same).
compare_ablation = [
    ("the cycle loss keeps the digit better than the ablation (averaged over both directions)",
     with_cycle["labels A->B"] + with_cycle["labels B->A"] > no_cycle["labels A->B"] + no_cycle["labels B->A"] + 0.1,
     f"with {with_cycle['labels A->B']:.3f} / {with_cycle['labels B->A']:.3f}, "
     f"without {no_cycle['labels A->B']:.3f} / {no_cycle['labels B->A']:.3f}"),
] if profile() == "full" else []
what_we_saw([
    ("the cycle loss makes round trips faithful: lower reconstruction error than the ablation, both ways",
     with_cycle["recon A->B->A"] < no_cycle["recon A->B->A"] and with_cycle["recon B->A->B"] < no_cycle["recon B->A->B"],
     f"A->B->A {with_cycle['recon A->B->A']:.3f} vs {no_cycle['recon A->B->A']:.3f}, "
     f"B->A->B {with_cycle['recon B->A->B']:.3f} vs {no_cycle['recon B->A->B']:.3f}"),
    (f"with the cycle loss, translations keep the digit in both directions (label preservation >= {min_preserved})",
     min(with_cycle["labels A->B"], with_cycle["labels B->A"]) >= min_preserved,
     f"A->B {with_cycle['labels A->B']:.3f}, B->A {with_cycle['labels B->A']:.3f}"),
    *compare_ablation,
])
