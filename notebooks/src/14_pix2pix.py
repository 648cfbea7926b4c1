# %% [markdown]
# # 14 · pix2pix: paired image-to-image translation with a conditional GAN and L1
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/14_pix2pix.ipynb)
#
# Notebook 10 translated between two domains **without** pairs. Here every input comes with its
# answer: pix2pix (Isola et al., 2017) learns $G: x \mapsto y$ from pairs $(x, y)$. The obvious
# approach is regression, $\min_G \mathbb{E}\,\|y - G(x)\|_1$; the lecture warns that such a
# point-wise loss "usually leads to unsatisfactory results" when $x$ does not determine $y$: the
# regressor hedges between the possible answers and paints a blur. pix2pix adds a **conditional GAN**
# whose discriminator sees the pair $(x, y)$ and asks "is this a real answer to this input?".
#
# Two tasks, built offline from the digits (no dataset link to go dead): **the top half of a digit ->
# the whole digit** (the top half of a 7 could be the top of a 9: the bottom half is not determined),
# and **a 7x7 version of the digit -> the digit** (close to determined: the coarse digit already says
# which digit it is and where its strokes go). Comparing them shows when the GAN term matters. The
# 7x7 -> 28x28 step is also StackGAN's stage II: a coarse image refined, conditioned on a label.
#
# **Learning goals**
# - Write pix2pix's objective $\mathcal{L}_{cGAN}(G, D) + \lambda \mathcal{L}_{L1}(G)$ with the
#   discriminator conditioned on the input (the pair stacked as channels), $\lambda = 100$ as the paper.
# - Build the U-Net generator and the same encoder-decoder without its skips; a patch discriminator
#   whose patch is 1 pixel, 16 pixels or the whole image (the receptive field computed from the layers).
# - Measure like the paper's Tables 1-3: the course classifier's accuracy on the completions (the
#   analogue of the FCN score) beside a realism measure (the Frechet distance of notebook 12), for L1
#   alone, cGAN alone, both, and the GAN row (a discriminator blind to the input), U-Net against
#   encoder-decoder, and three patch sizes, on both tasks where it teaches something; see where the
#   ordering agrees with the paper's and where the quick profile differs.
# - Build StackGAN's stage II with **conditioning augmentation** ($c \sim N(\mu(y), \sigma(y)^2)$ and
#   its KL term) and measure the variety of its outputs against a fixed embedding of the label.

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from ganlab import budget, device, losses, plots, start, train_steps
from ganlab.data.digits import load_digits
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.metrics import quality
from ganlab.metrics.digits import class_accuracy, digit_classifier, feature_stats, features, frechet_distance
from ganlab.nets.pix2pix import pair_discriminator, receptive_field, score_pairs, unet
from ganlab.nets.stackgan import kl_to_standard_normal, stage_two
from ganlab.runtime import fast_setting
from ganlab.train import fit
from ganlab.widgets.core import BlitFigureImage, measure_latency

dev = device()
train_set, test_set = load_digits("mnist", "train", dev), load_digits("mnist", "test", dev)
seed = start(fast=True)
fast = fast_setting()  # bf16 autocast + channels_last where bf16 is native, else channels_last (see the banner)

# %% [markdown]
# ## 1. Pairs from the digits, and the baselines a completion must beat
#
# **Top half:** the input $x$ is the digit with its bottom 14 rows erased (set to the background, $-1$).
# **7x7:** the input is the digit average-pooled to 7x7 and blown back up to 28x28 (each 4x4 block
# one grey level). The target $y$ is the whole digit in both. Two numbers score a set of completions,
# as in notebook 12:
#
# - **accuracy**: the share of completions that the course's digit classifier reads as the true digit
#   (pix2pix's "FCN score" asks the same of its photos: does an off-the-shelf recogniser see the
#   right content?);
# - **FD**: the Frechet distance between the classifier's 64 features of the completions and of the
#   4,000 real training digits. A blurred digit is recognisable but does not *look* like a real one;
#   the FD sees that, the accuracy does not.
#
# The baselines: the input itself (half a digit, or the 7x7 blocks), and the real held-out digits (the floor).

# %%
def top_half(y):
    """The input of the task: the digit with rows 14..27 set to the background (-1)."""
    x = y.clone()
    x[..., 14:, :] = -1.0
    return x


def coarse(y):
    """The input of the near-deterministic task: the digit average-pooled to 7x7, shown at 28x28 (nearest)."""
    return F.interpolate(F.avg_pool2d(y, 4), size=y.shape[-1], mode="nearest")


classifier = digit_classifier("mnist", dev)
ref_stats = feature_stats(classifier, train_set.images)
ref_feats = features(classifier, train_set.images).numpy()
ref_small = ref_feats[np.random.default_rng(seed).choice(len(ref_feats), len(test_set), replace=False)]
y_test, labels_test = test_set.images, test_set.labels
x_test, x7_test = top_half(y_test), coarse(y_test)


def scores(completions):
    """Accuracy against the true digit, FD against the training digits, and precision / recall (k = 3)."""
    feats = features(classifier, completions).numpy()
    precision, recall = quality.precision_recall(ref_small, feats)
    return {"accuracy": class_accuracy(classifier, completions, labels_test),
            "FD": frechet_distance(classifier, completions, ref_stats), "precision": precision, "recall": recall}


baselines = {"real digits (floor)": scores(y_test), "input (top half only)": scores(x_test),
             "input (7x7)": scores(x7_test)}
for name, row in baselines.items():
    print(f"{name:24s} accuracy {row['accuracy']:.3f}   FD {row['FD']:7.1f}   precision {row['precision']:.2f}   "
          f"recall {row['recall']:.2f}   (n = {len(y_test)})")


def spread(images, n):
    """n test images evenly spaced through the set (the MNIST subset is stored sorted by digit)."""
    return images[torch.linspace(0, len(images) - 1, n).long()]


fig, axes = plt.subplots(3, 1, figsize=(9, 3.4))
plots.image_grid(spread(x_test, 20), nrow=20, ax=axes[0], title="input x, task 1: the top half")
plots.image_grid(spread(x7_test, 20), nrow=20, ax=axes[1], title="input x, task 2: the digit at 7x7")
plots.image_grid(spread(y_test, 20), nrow=20, ax=axes[2], title="target y: the whole digit")
fig.tight_layout()
plots.save(fig, "14_task")
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
print("input", tuple(x_test.shape), "| target", tuple(y_test.shape), "| rows 14-27 of every input are background:",
      bool((x_test[..., 14:, :] == -1).all()), "| rows 0-13 are the target's:",
      bool((x_test[..., :14, :] == y_test[..., :14, :]).all()))
blocks = x7_test.unfold(2, 4, 4).unfold(3, 4, 4).flatten(-2)   # (n, 1, 7, 7, 16): the 16 pixels of each 4x4 block
print("7x7 input", tuple(x7_test.shape), "| every 4x4 block is one grey level:",
      bool((blocks == blocks[..., :1]).all()),
      "| and it is the target's block mean:", bool(torch.allclose(F.avg_pool2d(x7_test, 4), F.avg_pool2d(y_test, 4))))

# %% [markdown]
# ## 2. The objective
#
# The discriminator judges **pairs**: $D(x, y)$ should be high for a real pair and low for
# $(x, G(x))$. In code the pair is the input and the output stacked as two channels. With logits
# $\ell = D(x, \cdot)$ and the binary cross-entropy of notebook 04:
#
# $$\mathcal{L}_{cGAN}(G, D) = \mathbb{E}_{x,y}[\log D(x, y)] + \mathbb{E}_{x}[\log(1 - D(x, G(x)))],
# \qquad \mathcal{L}_{L1}(G) = \mathbb{E}_{x,y}\,\|y - G(x)\|_1,$$
#
# $$G^* = \arg\min_G \max_D \; \mathcal{L}_{cGAN}(G, D) + \lambda\,\mathcal{L}_{L1}(G), \qquad \lambda = 100.$$
#
# As in the paper's code: $G$ minimises the non-saturating $-\log D(x, G(x))$, the L1 norm is
# averaged over pixels, and $D$'s loss is halved "to slow down the rate at which D learns". pix2pix
# has no noise vector $z$: the paper found $G$ ignores it, so its answers are close to deterministic.
# The paper's Table 1 also has a **GAN** row: the same objective with a discriminator that does not see
# $x$, $\mathbb{E}_y[\log D(y)] + \mathbb{E}_x[\log(1 - D(G(x)))]$, and $\lambda = 0$: nothing then ties
# the output to its input.
# A check of the pieces on numbers small enough to do by hand:

# %%
# NBVAL_CHECK_OUTPUT
y_small = torch.tensor([[[[1.0, -1.0], [0.0, 0.5]]]])
g_small = torch.tensor([[[[0.5, -1.0], [0.0, 0.0]]]])
print("L1:", F.l1_loss(g_small, y_small).item(), "= (0.5 + 0 + 0 + 0.5) / 4")
print("D's loss at logits real 0, fake 0 (halved):",
      round(0.5 * losses.discriminator_loss(torch.zeros(1), torch.zeros(1)).item(), 4),
      "= log 2 =", round(float(np.log(2)), 4))
print("G's loss at fake logit 0:", round(losses.generator_loss_non_saturating(torch.zeros(1)).item(), 4), "= log 2; "
      "lambda * L1 =", 100 * F.l1_loss(g_small, y_small).item())

# %% [markdown]
# ## 3. The networks
#
# **Generator.** An encoder halves the image twice and ends in a 3x3 bottleneck; a decoder mirrors
# it. In the **U-Net** each decoder layer also receives the encoder's map of the same size (a skip,
# concatenated as channels): what the input already shows, the top half, can go straight across
# instead of squeezing through the bottleneck. The **encoder-decoder** is the same layers without the
# skips. **Discriminator.** A stack of convolutions whose every score sees a window of $r$ pixels,
# $r = 1 + \sum_\ell (k_\ell - 1) \prod_{m<\ell} s_m$ (notebook 10): 1x1 convolutions give the
# **PixelGAN** ($r = 1$: it can only judge intensities), notebook 10's PatchGAN gives $r = 16$, and
# two stride-2 convolutions then a 7x7 one give an **ImageGAN** with one score for the whole image.

# %%
ngf = ndf = budget(quick=16, full=32)
batch = budget(quick=32, full=64)
steps = train_steps(quick=400, full=5_000)
lam = 100.0
lr = 1e-3  # the paper's 2e-4 is 5x slower: too slow for 400 steps (see the note after training)
print(unet(ngf))

# %%
# NBVAL_CHECK_OUTPUT
x4 = x_test[:4]
for skips in (True, False):
    G_probe = unet(ngf, skips=skips).to(dev)
    print(f"{'U-Net' if skips else 'encoder-decoder'}: G(x) {tuple(G_probe(x4).shape)}, "
          f"{sum(p.numel() for p in G_probe.parameters()):,} parameters")
for patch in (1, 16, 28):
    D_probe = pair_discriminator(ndf, patch_size=patch).to(dev)
    print(f"patch {patch:2d}: D(x, y) scores {tuple(score_pairs(D_probe, x4, y_test[:4]).shape)}, "
          f"each sees {receptive_field(D_probe)} x {receptive_field(D_probe)} px")

# %% [markdown]
# ## 4. The training step
#
# First $D$ on real and generated pairs (the fakes detached: $D$'s update must not move $G$), then $G$
# on the adversarial term plus $\lambda$ times the L1 term. An arm is a choice of generator (skips or
# not), of $\lambda$ (0 for cGAN alone) and of the patch size (none for L1 alone, which trains no $D$).
# `conditional=False` gives the GAN row's discriminator, which sees the output alone; `task` picks the
# input (the top half or the 7x7 digit). Adam with $\beta_1 = 0.5$ as the paper, but a learning rate of
# $10^{-3}$ (the paper's $2 \cdot 10^{-4}$ leaves 400 steps far from converged: the completions stay dim).

# %%
def pix2pix_step(G, D, opt_g, opt_d, lam, gen, task=top_half, conditional=True):
    """The step function `fit` calls: one update of D (if any), then one of G."""
    def judge(x, y):
        return score_pairs(D, x, y, conditional=conditional)

    def step(_):
        y, _ = train_set.sample(batch, gen)
        x, y = fast.inputs(task(y)), fast.inputs(y)
        out = {}
        with fast.autocast():
            fake = G(x)

        # Update D: maximise log D(x, y) + log(1 - D(x, G(x)))  (binary cross-entropy on logits, halved)
        if D is not None:
            with fast.autocast():
                loss_d = 0.5 * losses.discriminator_loss(judge(x, y), judge(x, fake.detach()))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            out["loss_d"] = loss_d.detach()

        # Update G: minimise -log D(x, G(x)) + lambda * |y - G(x)|_1
        with fast.autocast():
            loss_l1 = F.l1_loss(fake, y)
            loss_g = lam * loss_l1
            if D is not None:
                loss_adv = losses.generator_loss_non_saturating(judge(x, fake))
                loss_g = loss_g + loss_adv
                out["loss_g_adv"] = loss_adv.detach()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        out["loss_l1"] = loss_l1.detach()
        return out
    return step


def train(name, skips=True, lam=lam, patch=16, conditional=True, task=top_half):
    """A fresh G (and D unless patch is None), the same seed in every arm, trained for `steps` steps."""
    torch.manual_seed(seed)
    G = fast.prepare(unet(ngf, skips=skips).to(dev))
    D = None if patch is None else fast.prepare(
        pair_discriminator(ndf, patch_size=patch, in_ch=int(conditional)).to(dev))
    opt_g = torch.optim.Adam(G.parameters(), lr, betas=(0.5, 0.999))
    opt_d = None if D is None else torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
    history = fit(pix2pix_step(G, D, opt_g, opt_d, lam, torch.Generator().manual_seed(seed), task, conditional), steps,
                  desc=name)
    return G.eval(), history


arms = {  # name: the arm's arguments to `train`                          the paper's table it belongs to
    "L1": dict(patch=None),                                                 # Table 1 (U-Net)
    "GAN": dict(lam=0.0, conditional=False),                                # Table 1: D does not see x
    "cGAN": dict(lam=0.0),                                                  # Table 1
    "L1 + cGAN": dict(),                                                    # Tables 1, 2 and 3 (16 px)
    "L1, encoder-decoder": dict(skips=False, patch=None),                   # Table 2
    "L1 + cGAN, 1x1 PixelGAN": dict(patch=1),                               # Table 3
    "L1 + cGAN, 28x28 ImageGAN": dict(patch=28),                            # Table 3
    "7x7: L1": dict(patch=None, task=coarse),                               # the near-deterministic task
    "7x7: L1 + cGAN": dict(task=coarse),
}
models, histories = {}, {}
for name, kwargs in arms.items():
    models[name], histories[name] = train(name, **kwargs)
    print(f"{name:28s} {histories[name]}")

# %% [markdown]
# **What differs from the paper**, besides the size of everything (28x28 digits, not 256x256
# photos): $G$ has 3 levels (the paper's U-Net 8), widths 16 (64), batches of 32 in the quick profile (the paper 1-10),
# 400 steps in the quick profile (the paper 200 epochs) at a learning rate of $10^{-3}$ (the paper's
# $2 \cdot 10^{-4}$), no dropout, $G$ in eval mode at test time (the paper keeps batch statistics).
# The objective, $\lambda$, Adam's $\beta$s and the initialisation are the paper's.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.3))
for name, hist in histories.items():
    plots.curve(hist, "loss_l1", ax=axes[0], label=name)
    if "loss_g_adv" in hist.scalars:
        plots.curve(hist, "loss_g_adv", ax=axes[1], label=name)
axes[0].set(xlabel="step", ylabel="L1 (moving average, 20 steps)", title="L1 to the true digit")
axes[1].set(xlabel="step", ylabel="-log D(x, G(x))", title="G's adversarial loss")
axes[0].legend(fontsize=7)
fig.tight_layout()
plots.save(fig, "14_training")
plt.show()

# %% [markdown]
# ## 5. Completions
#
# The same held-out inputs, completed by each arm. Look at the bottom halves: L1 alone hedges
# between the digits an input could be and leaves a grey smear; the adversarial term pushes towards
# one sharp answer, whether or not it is the right one. The GAN row's $G$ answers with *a* digit, not
# the input's. On the 7x7 task (the last rows) there is little to hedge about.

# %%
inputs = {name: x7_test if arms[name].get("task") is coarse else x_test for name in models}
with torch.no_grad():
    completions = {name: G(inputs[name]) for name, G in models.items()}
shown = torch.linspace(0, len(x_test) - 1, 12).long()
rows = [("input: top half", x_test)] + [(n, out) for n, out in completions.items() if inputs[n] is x_test]
rows += [("input: 7x7", x7_test)] + [(n, out) for n, out in completions.items() if inputs[n] is x7_test]
rows += [("true digit", y_test)]
fig, axes = plt.subplots(len(rows), 1, figsize=(7.5, 1.0 * len(rows)))
for ax, (name, images) in zip(axes, rows):
    plots.image_grid(images[shown], nrow=12, ax=ax, title=name)
fig.tight_layout()
plots.save(fig, "14_completions")
plt.show()

# %% [markdown]
# ## 6. Measured, like the paper's tables
#
# Each arm's 1,000 held-out completions scored as in section 1. The paper's numbers are FCN-score
# per-pixel accuracies on Cityscapes labels -> photos: Table 1 L1 0.42, GAN 0.22, cGAN 0.57,
# L1 + cGAN 0.66 (ground truth 0.80); Table 2 (with L1) U-Net 0.48, encoder-decoder 0.35; Table 3
# (L1 + cGAN) 1x1 0.39, 16x16 0.65, 70x70 0.66, whole image 0.42. Our accuracy is a digit
# classifier's, on a different task, so only the **ordering** can be compared. The 7x7 task has no
# paper number: it is here to contrast with the top-half task.

# %%
results = {name: scores(out) for name, out in completions.items()}
results.update(baselines)
print(f"{'':28s}{'accuracy':>10s}{'FD':>9s}{'precision':>11s}{'recall':>8s}")
for name, row in results.items():
    print(f"{name:28s}{row['accuracy']:10.3f}{row['FD']:9.1f}{row['precision']:11.2f}{row['recall']:8.2f}")

paper = {
    "Table 1 (loss, U-Net)": {"L1": 0.42, "GAN": 0.22, "cGAN": 0.57, "L1 + cGAN": 0.66},
    "Table 2 (generator, L1)": {"L1": 0.48, "L1, encoder-decoder": 0.35},
    "Table 3 (patch, L1 + cGAN)": {"L1 + cGAN, 1x1 PixelGAN": 0.39, "L1 + cGAN": 0.65,
                                   "L1 + cGAN, 28x28 ImageGAN": 0.42},
}


def order(d):
    return " > ".join(sorted(d, key=d.get, reverse=True))


print()
for table, row in paper.items():
    ours_acc = {k: results[k]["accuracy"] for k in row}
    ours_fd = {k: -results[k]["FD"] for k in row}  # lower FD is better: order by -FD
    print(f"{table}\n  paper (FCN acc): {order(row)}\n  ours (accuracy): {order(ours_acc)}\n"
          f"  ours (FD, best first): {order(ours_fd)}")
gap_half = results["L1"]["FD"] / results["L1 + cGAN"]["FD"]
gap_7 = results["7x7: L1"]["FD"] / results["7x7: L1 + cGAN"]["FD"]
print(f"\nwhat the cGAN term buys, FD of L1 alone / FD of L1 + cGAN: top half {gap_half:.2f}x, 7x7 {gap_7:.2f}x; "
      f"accuracy L1 vs L1 + cGAN: top half {results['L1']['accuracy']:.3f} vs {results['L1 + cGAN']['accuracy']:.3f}, "
      f"7x7 {results['7x7: L1']['accuracy']:.3f} vs {results['7x7: L1 + cGAN']['accuracy']:.3f}")

# %% [markdown]
# **Reading the tables.** Every arm with the L1 term is read as the right digit about equally often
# (the classifier forgives a blurred stroke), so the accuracy column, the paper's measure, hardly
# separates them in the quick profile; the FD column does. There, as in the paper's Table 1, adding
# the cGAN term to L1 helps, and cGAN alone (no L1) loses the content: its digits look like digits
# but often the wrong one. The **GAN** row differs from the paper's (0.22, the lowest): its
# discriminator never sees the input, yet its completions are read as the right digit about as often
# as cGAN's, on both CI seeds a little more often. The U-Net's skips pass the visible top half
# straight through from the first step, so in 400 steps even a $G$ that is never asked to match its
# input has not drifted away from it; nothing keeps it there either (compare its row of completions
# with the input). As in Table 2, the U-Net beats the encoder-decoder. Table 3 differs: on 28 px digits
# the "whole image" is only 28 px and the ImageGAN does as well as the 16 px PatchGAN or better, while
# the paper's 286 px ImageGAN did worse than its 70 px patches; the 1x1 PixelGAN, as in the paper,
# judges intensities only and does not sharpen the strokes.
#
# **The 7x7 task.** L1 alone is far closer to real digits there than on the top-half task (its FD is
# a fraction): the coarse digit leaves little to hedge about, so L1's average of the possible answers
# is nearly one answer. The cGAN term still sharpens the strokes (the 4x4 blocks leave each stroke's
# exact edge open): it divides L1's FD by a factor of the same order on both tasks (which task's factor
# is larger changes with the seed), and on neither task does it change the accuracy much. On digits the
# difference between the tasks shows in what L1 alone achieves, not in the size of what the GAN term adds.

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
names = list(results)
axes[0].barh(names, [results[n]["accuracy"] for n in names])
axes[0].set(xlim=(0, 1), xlabel="classifier accuracy on the completion (FCN-score analogue)",
            title="is it the right digit?")
axes[1].barh(names, [results[n]["FD"] for n in names])
axes[1].set(xscale="log", xlabel=f"FD to real digits (n = {len(y_test)}, log scale; lower is better)",
            title="does it look real?")
for ax in axes:
    ax.invert_yaxis()
fig.tight_layout()
plots.save(fig, "14_tables")
plt.show()

# %% [markdown]
# ## 7. StackGAN's stage II: coarse to fine, with conditioning augmentation
#
# StackGAN (Zhang et al., 2017) draws a coarse 64x64 image from the text first (stage I), then a second
# GAN refines it to 256x256, conditioned on the coarse image **and** the text again (stage II). Our
# 7x7 -> 28x28 task is stage II at digit scale, with the label $y$ in the role of the text. StackGAN does
# not feed the text embedding $e(y)$ to $G$ as it is. **Conditioning augmentation** draws the condition
#
# $$c = \mu(y) + \sigma(y) \odot \epsilon, \quad \epsilon \sim N(0, I)
# \qquad\text{(reparameterised, so } \mu, \sigma \text{ are trained by backprop)},$$
#
# and adds $\lambda_{KL}\, D_{KL}(N(\mu(y), \sigma(y)^2) \,\|\, N(0, I)) =
# \frac{\lambda_{KL}}{2} \sum_j (\mu_j^2 + \sigma_j^2 - 1 - 2\log\sigma_j)$
# to $G$'s loss ($\lambda_{KL} = 1$ as the paper), so the Gaussian cannot shrink to a point. The
# paper's claim: the random condition gives more variety for one condition. The ablation is the same
# network with the **fixed embedding** $c = \mu(y)$ (no noise, no KL). Both also get a noise vector $z$ (8
# numbers), broadcast as channels like $c$; $D$ sees the coarse digit and the label beside the output
# (`pair_discriminator(in_ch=1 + 10)`). There is no L1 term: StackGAN's objective is adversarial only.

# %%
# NBVAL_CHECK_OUTPUT
mu_small, log_sigma_small = torch.tensor([[0.0, 1.0]]), torch.tensor([[0.0, float(np.log(2.0))]])
print("KL(N((0, 1), diag(1, 4)) || N(0, I)) =", round(kl_to_standard_normal(mu_small, log_sigma_small).item(), 4),
      "= 0.5 * [(0 + 1 - 1 - 0) + (1 + 4 - 1 - 2 log 2)] =", round(0.5 * (4 - 2 * np.log(2)), 4))
probe = stage_two(8)
c_probe, kl_probe = probe.condition(torch.tensor([3, 3]), eps=torch.tensor([[0.0] * 8, [1.0] * 8]))
mu_probe, log_sigma_probe = probe.condition.moments(torch.tensor([3]))
print("eps = 0 gives c = mu(y):", bool(torch.allclose(c_probe[0], mu_probe[0])), "| eps = 1 gives mu + sigma:",
      bool(torch.allclose(c_probe[1], (mu_probe + log_sigma_probe.exp())[0])))

# %%
c_dim = z_dim = 8
stage_steps = train_steps(quick=300, full=5_000)
lam_kl = 1.0
div_inputs, div_draws = budget(quick=200, full=1_000), 6
n_labels = 10


def label_maps(labels):
    """The label as 10 one-hot channels, broadcast to 28x28 (what D sees beside the coarse digit)."""
    return F.one_hot(labels, n_labels).float()[:, :, None, None].expand(-1, -1, 28, 28)


def stage_two_step(G, D, opt_g, opt_d, gen):
    """One update of D on (coarse digit, label, image) triples, then one of G: adversarial + lambda_KL * KL."""
    def step(_):
        y, labels = train_set.sample(batch, gen)
        x, y = fast.inputs(coarse(y)), fast.inputs(y)
        cond = fast.inputs(torch.cat([x, label_maps(labels)], 1))              # what D is told: (1 + 10) x 28 x 28
        z = torch.randn(len(y), z_dim, generator=gen).to(dev)
        eps = torch.randn(len(y), c_dim, generator=gen).to(dev)
        with fast.autocast():
            fake, kl = G(x, labels, z, eps)
            # Update D: maximise log D(x, y, image) + log(1 - D(x, y, G(x, c, z)))
            loss_d = 0.5 * losses.discriminator_loss(score_pairs(D, cond, y), score_pairs(D, cond, fake.detach()))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        # Update G: minimise -log D(x, y, G(x, c, z)) + lambda_KL * KL(N(mu, sigma^2) || N(0, I))
        with fast.autocast():
            loss_adv = losses.generator_loss_non_saturating(score_pairs(D, cond, fake))
            loss_g = loss_adv + lam_kl * kl
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        return {"loss_d": loss_d.detach(), "loss_g_adv": loss_adv.detach(), "kl": kl.detach()}
    return step


def train_stage_two(name, augment):
    torch.manual_seed(seed)
    G = fast.prepare(stage_two(ngf, c_dim=c_dim, z_dim=z_dim, augment=augment).to(dev))
    D = fast.prepare(pair_discriminator(ndf, patch_size=16, in_ch=1 + n_labels).to(dev))
    opt_g = torch.optim.Adam(G.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
    history = fit(stage_two_step(G, D, opt_g, opt_d, torch.Generator().manual_seed(seed)), stage_steps, desc=name)
    return G.eval(), history


stage_arms = {"stage II, conditioning augmentation": True, "stage II, fixed embedding": False}
for name, augment in stage_arms.items():
    models[name], histories[name] = train_stage_two(name, augment)
    print(f"{name:36s} {histories[name]}")

# %% [markdown]
# **Measuring variety.** For each of 200 held-out coarse digits (with their labels) each generator
# draws 6 outputs, each with fresh $z$ (and $\epsilon$); the variety is the mean distance between two
# outputs of the same input, as a root-mean-square over pixels (0: $G$ ignores its noise; the pixel
# range is 2). Beside it, the same distance between two different real digits of the same class shows
# how much room a class has. Accuracy and FD score the first draw, as in section 6.

# %%
@torch.no_grad()
def draws(G, x, labels, k, gen):
    """k outputs of G per input: (k, n, 1, 28, 28), each with fresh z and eps from `gen`."""
    return torch.stack([G(x, labels, torch.randn(len(x), z_dim, generator=gen).to(dev),
                          torch.randn(len(x), c_dim, generator=gen).to(dev))[0].float() for _ in range(k)])


def pairwise_rms(samples):
    """Mean over pairs i < j of the RMS pixel distance between samples[i] and samples[j] (same input)."""
    k = len(samples)
    d = [(samples[i] - samples[j]).pow(2).mean((1, 2, 3)).sqrt().mean() for i in range(k) for j in range(i + 1, k)]
    return torch.stack(d).mean().item()


div_idx = torch.linspace(0, len(y_test) - 1, div_inputs).long()
variety, stage_samples = {}, {}
for name in stage_arms:
    stage_samples[name] = draws(models[name], x7_test[div_idx], labels_test[div_idx], div_draws,
                                torch.Generator().manual_seed(seed))
    variety[name] = pairwise_rms(stage_samples[name])
    with torch.no_grad():
        completions[name] = models[name](
            x7_test, labels_test,
            torch.randn(len(y_test), z_dim, generator=torch.Generator().manual_seed(seed)).to(dev))[0]
    inputs[name] = x7_test
    results[name] = scores(completions[name])
# (6, 10 classes, 1, 28, 28)
same_class = torch.stack([y_test[labels_test == d][:div_draws] for d in range(10)]).transpose(0, 1)
variety["real digits of one class (the room a class has)"] = pairwise_rms(same_class)
print(f"{'':52s}{'variety (RMS)':>14s}{'accuracy':>10s}{'FD':>8s}")
for name, v in variety.items():
    row = results.get(name)
    print(f"{name:52s}{v:14.3f}" + (f"{row['accuracy']:10.3f}{row['FD']:8.1f}" if row else ""))
print(f"for comparison, 7x7: L1 + cGAN accuracy {results['7x7: L1 + cGAN']['accuracy']:.3f}, "
      f"FD {results['7x7: L1 + cGAN']['FD']:.1f}")

# %%
fig, axes = plt.subplots(2, 1, figsize=(9, 4.4))
picked = torch.arange(0, div_inputs, div_inputs // 10)[:10]
for ax, name in zip(axes, stage_arms):
    # input by input, its draws side by side
    grid = stage_samples[name][:, picked].transpose(0, 1).reshape(-1, 1, 28, 28)
    plots.image_grid(grid, nrow=2 * div_draws, ax=ax, title=f"{name}: {div_draws} draws for each of 10 coarse digits "
                     f"(variety {variety[name]:.3f})")
fig.tight_layout()
plots.save(fig, "14_stackgan_draws")
plt.show()

# %% [markdown]
# **Reading the variety.** Both stage-II generators all but ignore their noise: the draws for one
# input differ by a small fraction of the room a class has (two real digits of one class), and
# conditioning augmentation adds little or nothing over the fixed embedding on the CI seeds (the
# checklist prints it as a measurement, not a lesson). The coarse digit already fixes the answer, and
# as pix2pix found for its $z$, $G$ learns to ignore noise it is not rewarded for using; a random $c$
# is noise too once the label is redundant with the input. StackGAN's case for conditioning
# augmentation is stage I (text -> 64x64), where the condition is nearly the only input and few
# captions per image leave the embedding space sparse. Stage II is trained adversarially only (no L1
# term): compare its accuracy and FD with the 7x7 pix2pix arms printed above.

# %% [markdown]
# ## 8. Pick a partial digit, see every completion
#
# The slider picks a held-out digit, the buttons the task: its top half or its 7x7 version, then each
# arm's completion for that task (stage II: one draw), each titled with the digit the classifier reads,
# then the true digit. The completions were computed once above; a move only updates the images in
# place (`set_data`) and redraws just them and the titles.

# %%
pred = {name: classifier(out).argmax(1).cpu() for name, out in completions.items()}
task_rows = {"top half": [("input: top half", x_test)]
             + [(n, out) for n, out in completions.items() if inputs[n] is x_test],
             "7x7": [("input: 7x7", x7_test)] + [(n, out) for n, out in completions.items() if inputs[n] is x7_test]}
blank = np.full((28, 28), -1.0)


def completion_panel(task, i, n):
    """The n images (28x28 numpy) and titles shown for held-out digit i on `task`: input, each arm, the truth,
    then blank panels up to n."""
    images = [out[i, 0].cpu().numpy() for _, out in task_rows[task]] + [y_test[i, 0].cpu().numpy()]
    titles = [name if name.startswith("input") else "{}\nreads {}".format(name.replace(", ", ",\n"), int(pred[name][i]))
              for name, _ in task_rows[task]] + [f"true: {int(labels_test[i])}"]
    return images + [blank] * (n - len(images)), titles + [""] * (n - len(titles))


def completion_explorer():
    """A slider over held-out digits and buttons for the task; the panel updates in place (blitted)."""
    n = max(len(row) for row in task_rows.values()) + 1
    fig, axes = plt.subplots(1, n, figsize=(1.45 * n, 2.4))
    images, titles = completion_panel("top half", 0, n)
    arts = [ax.imshow(image, cmap="gray", vmin=-1, vmax=1, interpolation="nearest") for ax, image in zip(axes, images)]
    for ax, title in zip(axes, titles):
        ax.set_title(title, fontsize=6.5)
        ax.axis("off")
    fig.tight_layout()
    view = BlitFigureImage(fig, animated=arts + [ax.title for ax in axes])
    index = w.IntSlider(value=0, min=0, max=len(x_test) - 1, description="digit", continuous_update=True,
                        layout=w.Layout(width="420px"))
    task = w.ToggleButtons(options=list(task_rows), description="task")

    def update(_=None):
        for art, ax, image, title in zip(arts, axes, *completion_panel(task.value, index.value, n)):
            art.set_data(image)
            ax.title.set_text(title)
        view.redraw()

    index.observe(update, names="value")
    task.observe(update, names="value")
    update()
    return w.VBox([index, task, view.image])


explorer = completion_explorer()
explorer

# %%
latency = measure_latency(explorer, moves=10)
print(f"widget update: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms "
      f"over {latency['moves']} moves")

# %% [markdown]
# ## Exercises
#
# **Exercise 1 (with a checker).** A discriminator has three 4x4 convolutions with strides 2, 2 and 1.
# How many pixels wide is the window one of its scores sees? (Use the formula of section 3, then check
# with `receptive_field(torch.nn.Sequential(...))`.)

# %%
my_answer = None  # a number
check_answer(my_answer, receptive_field(torch.nn.Sequential(torch.nn.Conv2d(1, 1, 4, 2), torch.nn.Conv2d(1, 1, 4, 2),
                                                            torch.nn.Conv2d(1, 1, 4, 1))),
             tol=0, hint="r = 1 + 3*1 + 3*2 + 3*4")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $r = 1 + (4-1)\cdot 1 + (4-1)\cdot 2 + (4-1)\cdot 2 \cdot 2 = 1 + 3 + 6 + 12 = 22$: notebook 10's
# `patch_size=22` layout.
#
# ```python
# my_answer = 22
# ```
# </details>
#
# **Exercise 2. A third task.** Make the input the digit's edges, `(y - F.avg_pool2d(y, 3, 1, 1)).abs()`
# rescaled to [-1, 1], and train "L1" and "L1 + cGAN" on it (`train(name, patch=None, task=edges)`).
# Where does it sit between the top-half task and the 7x7 task in what the cGAN term buys?
#
# **Exercise 3. Stage II with an L1 term.** Add `100 * F.l1_loss(fake, y)` to the stage-II generator's
# loss. What happens to the variety of both arms, and why (compare pix2pix's remark that $G$ learns
# to ignore its noise)?
#
# **Exercise 4. Longer.** Double `steps`, then double it again. Which of the orderings of section 6
# change, and do they move towards the paper's?

# %% [markdown]
# ## What we saw
# First what this run measured against the paper's tables, then the lessons it shows, each against the
# baseline that would fail it.

# %%
for table, row in paper.items():
    print(f"{table}: " + "; ".join(f"{k} paper {v:.2f} / ours acc {results[k]['accuracy']:.3f}, "
                                   f"FD {results[k]['FD']:.1f}"
                                   for k, v in row.items()))
print(f"Ground truth (real photos / real digits): paper 0.80 / ours acc "
      f"{results['real digits (floor)']['accuracy']:.3f}, FD {results['real digits (floor)']['FD']:.1f}")
print("7x7 task (no paper number): " + "; ".join(f"{k} acc {results[k]['accuracy']:.3f}, FD {results[k]['FD']:.1f}"
                                                for k in ("7x7: L1", "7x7: L1 + cGAN", *stage_arms)))
print("StackGAN stage II, variety of 6 draws per input (RMS): " + "; ".join(f"{k} {v:.3f}" for k, v in variety.items()))
l1, both, inp = results["L1"], results["L1 + cGAN"], results["input (top half only)"]
gan, cgan, ed = results["GAN"], results["cGAN"], results["L1, encoder-decoder"]
l1_7 = results["7x7: L1"]
ca, fixed = "stage II, conditioning augmentation", "stage II, fixed embedding"
print("\nmeasured, not a lesson (the ordering moves between seeds or is within noise in the quick profile):")
print(f"  accuracy, L1 {l1['accuracy']:.3f} vs L1 + cGAN {both['accuracy']:.3f} "
      "(the paper: L1 + cGAN 0.66 well above L1 0.42)")
print(f"  accuracy, U-Net {l1['accuracy']:.3f} vs encoder-decoder {ed['accuracy']:.3f} with L1 "
      "(the paper: 0.48 vs 0.35)")
print(f"  accuracy, GAN (D blind to x) {gan['accuracy']:.3f} vs cGAN {cgan['accuracy']:.3f} (the paper: 0.22 vs 0.57)")
print(f"  what the cGAN term buys in FD (L1 alone / L1 + cGAN): top half {gap_half:.2f}x, 7x7 {gap_7:.2f}x; "
      f"in accuracy: top half {both['accuracy'] - l1['accuracy']:+.3f}, "
      f"7x7 {results['7x7: L1 + cGAN']['accuracy'] - l1_7['accuracy']:+.3f}")
print(f"  variety of stage II's draws for one input: conditioning augmentation {variety[ca]:.3f}, "
      f"fixed embedding {variety[fixed]:.3f} "
      f"(two real digits of one class {variety['real digits of one class (the room a class has)']:.3f})")
print("  FD by patch size, 1 / 16 / 28 px: " + " / ".join(f"{results[k]['FD']:.1f}" for k in
      ("L1 + cGAN, 1x1 PixelGAN", "L1 + cGAN", "L1 + cGAN, 28x28 ImageGAN"))
      + " (the paper, FCN acc: 0.39 / 0.65 / 0.42)")
print(f"  stage II accuracy, conditioning augmentation {results[ca]['accuracy']:.3f} "
      f"vs fixed embedding {results[fixed]['accuracy']:.3f}; "
      f"FD {results[ca]['FD']:.1f} vs {results[fixed]['FD']:.1f}")
_ = what_we_saw([
    lesson("adding the cGAN term makes completions look more real: L1 + cGAN has a lower FD than L1 alone "
           "(by 10 % or more)",
           held=both["FD"] <= 0.9 * l1["FD"],
           measured=f"L1 + cGAN FD {both['FD']:.1f}",
           baseline=f"L1 alone FD {l1['FD']:.1f} (floor {results['real digits (floor)']['FD']:.1f})"),
    lesson("the L1 term keeps the content: L1 + cGAN is read as the right digit more often than cGAN alone "
           "(by 0.1 or more)",
           held=both["accuracy"] >= cgan["accuracy"] + 0.1,
           measured=f"L1 + cGAN accuracy {both['accuracy']:.3f}", baseline=f"cGAN alone {cgan['accuracy']:.3f}"),
    lesson("the U-Net's skips help: with L1 its completions have a lower FD than the encoder-decoder's "
           "(by 10 % or more)",
           held=l1["FD"] <= 0.9 * ed["FD"],
           measured=f"U-Net FD {l1['FD']:.1f}", baseline=f"encoder-decoder FD {ed['FD']:.1f}"),
    lesson("L1 + cGAN's completions are read as the right digit more often than the half digit it was given "
           "(by 0.05 or more)",
           held=both["accuracy"] >= inp["accuracy"] + 0.05,
           measured=f"L1 + cGAN accuracy {both['accuracy']:.3f}",
           baseline=f"the input (top half) {inp['accuracy']:.3f}"),
    lesson("L1 alone blurs only where the input leaves the answer open: its completions of the 7x7 digit are far more "
           "realistic than its completions of the top half (FD lower by 40 % or more)",
           held=l1_7["FD"] <= 0.6 * l1["FD"],
           measured=f"7x7 -> digit, L1 alone: FD {l1_7['FD']:.1f}, accuracy {l1_7['accuracy']:.3f}",
           baseline=f"top half -> digit, L1 alone: FD {l1['FD']:.1f}, accuracy {l1['accuracy']:.3f}"),
])
