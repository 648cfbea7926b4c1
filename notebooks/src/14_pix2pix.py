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
# The task, built offline from the digits (no dataset link to go dead): **the top half of a digit ->
# the whole digit**. The top half of a 7 could be the top of a 9; the bottom half is not determined.
#
# **Learning goals**
# - Write pix2pix's objective $\mathcal{L}_{cGAN}(G, D) + \lambda \mathcal{L}_{L1}(G)$ with the
#   discriminator conditioned on the input (the pair stacked as channels), $\lambda = 100$ as the paper.
# - Build the U-Net generator and the same encoder-decoder without its skips; a patch discriminator
#   whose patch is 1 pixel, 16 pixels or the whole image (the receptive field computed from the layers).
# - Measure like the paper's Tables 1-3: the course classifier's accuracy on the completions (the
#   analogue of the FCN score) beside a realism measure (the Frechet distance of notebook 12), for L1
#   alone, cGAN alone and both, U-Net against encoder-decoder, and three patch sizes; see where the
#   ordering agrees with the paper's and where the quick profile differs.

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
# The input $x$ is the digit with its bottom 14 rows erased (set to the background, $-1$); the target
# $y$ is the whole digit. Two numbers score a set of completions, as in notebook 12:
#
# - **accuracy**: the share of completions that the course's digit classifier reads as the true digit
#   (pix2pix's "FCN score" asks the same of its photos: does an off-the-shelf recogniser see the
#   right content?);
# - **FD**: the Frechet distance between the classifier's 64 features of the completions and of the
#   4,000 real training digits. A blurred digit is recognisable but does not *look* like a real one;
#   the FD sees that, the accuracy does not.
#
# The baselines: the input itself (half a digit), and the real held-out digits (the floor).

# %%
def top_half(y):
    """The input of the task: the digit with rows 14..27 set to the background (-1)."""
    x = y.clone()
    x[..., 14:, :] = -1.0
    return x


classifier = digit_classifier("mnist", dev)
ref_stats = feature_stats(classifier, train_set.images)
ref_feats = features(classifier, train_set.images).numpy()
ref_small = ref_feats[np.random.default_rng(seed).choice(len(ref_feats), len(test_set), replace=False)]
y_test, labels_test = test_set.images, test_set.labels
x_test = top_half(y_test)


def scores(completions):
    """Accuracy against the true digit, FD against the training digits, and precision / recall (k = 3)."""
    feats = features(classifier, completions).numpy()
    precision, recall = quality.precision_recall(ref_small, feats)
    return {"accuracy": class_accuracy(classifier, completions, labels_test),
            "FD": frechet_distance(classifier, completions, ref_stats), "precision": precision, "recall": recall}


baselines = {"real digits (floor)": scores(y_test), "input (top half only)": scores(x_test)}
for name, row in baselines.items():
    print(f"{name:24s} accuracy {row['accuracy']:.3f}   FD {row['FD']:7.1f}   precision {row['precision']:.2f}   "
          f"recall {row['recall']:.2f}   (n = {len(y_test)})")


def spread(images, n):
    """n test images evenly spaced through the set (the MNIST subset is stored sorted by digit)."""
    return images[torch.linspace(0, len(images) - 1, n).long()]


fig, axes = plt.subplots(2, 1, figsize=(9, 2.3))
plots.image_grid(spread(x_test, 20), nrow=20, ax=axes[0], title="input x: the top half")
plots.image_grid(spread(y_test, 20), nrow=20, ax=axes[1], title="target y: the whole digit")
fig.tight_layout()
plots.save(fig, "14_task")
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
print("input", tuple(x_test.shape), "| target", tuple(y_test.shape), "| rows 14-27 of every input are background:",
      bool((x_test[..., 14:, :] == -1).all()), "| rows 0-13 are the target's:", bool((x_test[..., :14, :] == y_test[..., :14, :]).all()))

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
# A check of the pieces on numbers small enough to do by hand:

# %%
# NBVAL_CHECK_OUTPUT
y_small = torch.tensor([[[[1.0, -1.0], [0.0, 0.5]]]])
g_small = torch.tensor([[[[0.5, -1.0], [0.0, 0.0]]]])
print("L1:", F.l1_loss(g_small, y_small).item(), "= (0.5 + 0 + 0 + 0.5) / 4")
print("D's loss at logits real 0, fake 0 (halved):", round(0.5 * losses.discriminator_loss(torch.zeros(1), torch.zeros(1)).item(), 4),
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
batch = budget(quick=64, full=64)
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
# Adam with $\beta_1 = 0.5$ as the paper, but a learning rate of $10^{-3}$ (the paper's $2 \cdot 10^{-4}$
# leaves 400 steps far from converged: the completions stay dim).

# %%
def pix2pix_step(G, D, opt_g, opt_d, lam, gen):
    """The step function `fit` calls: one update of D (if any), then one of G."""
    def step(_):
        y, _ = train_set.sample(batch, gen)
        x, y = fast.inputs(top_half(y)), fast.inputs(y)
        out = {}
        with fast.autocast():
            fake = G(x)

        # Update D: maximise log D(x, y) + log(1 - D(x, G(x)))  (binary cross-entropy on logits, halved)
        if D is not None:
            with fast.autocast():
                loss_d = 0.5 * losses.discriminator_loss(score_pairs(D, x, y), score_pairs(D, x, fake.detach()))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()
            out["loss_d"] = loss_d.detach()

        # Update G: minimise -log D(x, G(x)) + lambda * |y - G(x)|_1
        with fast.autocast():
            loss_l1 = F.l1_loss(fake, y)
            loss_g = lam * loss_l1
            if D is not None:
                loss_adv = losses.generator_loss_non_saturating(score_pairs(D, x, fake))
                loss_g = loss_g + loss_adv
                out["loss_g_adv"] = loss_adv.detach()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        out["loss_l1"] = loss_l1.detach()
        return out
    return step


def train(name, skips=True, lam=lam, patch=16):
    """A fresh G (and D unless patch is None), the same seed in every arm, trained for `steps` steps."""
    torch.manual_seed(seed)
    G = fast.prepare(unet(ngf, skips=skips).to(dev))
    D = None if patch is None else fast.prepare(pair_discriminator(ndf, patch_size=patch).to(dev))
    opt_g = torch.optim.Adam(G.parameters(), lr, betas=(0.5, 0.999))
    opt_d = None if D is None else torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
    history = fit(pix2pix_step(G, D, opt_g, opt_d, lam, torch.Generator().manual_seed(seed)), steps, desc=name)
    return G.eval(), history


arms = {  # name: (skips, lambda, patch size or None)     the paper's table it belongs to
    "L1": (True, lam, None),                               # Table 1 (U-Net)
    "cGAN": (True, 0.0, 16),                               # Table 1
    "L1 + cGAN": (True, lam, 16),                          # Tables 1, 2 and 3 (16 px)
    "L1, encoder-decoder": (False, lam, None),             # Table 2
    "L1 + cGAN, encoder-decoder": (False, lam, 16),        # Table 2
    "L1 + cGAN, 1x1 PixelGAN": (True, lam, 1),             # Table 3
    "L1 + cGAN, 28x28 ImageGAN": (True, lam, 28),          # Table 3
}
models, histories = {}, {}
for name, (skips, lam_arm, patch) in arms.items():
    models[name], histories[name] = train(name, skips, lam_arm, patch)
    print(f"{name:28s} {histories[name]}")

# %% [markdown]
# **What differs from the paper**, besides the size of everything (28x28 digits, not 256x256
# photos): $G$ has 3 levels (the paper's U-Net 8), widths 16 (64), batches of 64 (the paper 1-10),
# 400 steps (200 epochs) at a learning rate of $10^{-3}$ (the paper's $2 \cdot 10^{-4}$), no dropout, $G$ in eval mode at test time (the paper keeps batch statistics).
# The objective, $\lambda$, Adam's $\beta$s and the initialisation are the paper's.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.3))
for name, hist in histories.items():
    s, v = hist.series("loss_l1")
    axes[0].plot(s, np.convolve(v, np.ones(min(20, len(v))) / min(20, len(v)), "same"), label=name)
    if "loss_g_adv" in hist.scalars:
        s, v = hist.series("loss_g_adv")
        axes[1].plot(s, np.convolve(v, np.ones(min(20, len(v))) / min(20, len(v)), "same"), label=name)
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
# one sharp answer, whether or not it is the right one.

# %%
with torch.no_grad():
    completions = {name: G(x_test) for name, G in models.items()}
shown = torch.linspace(0, len(x_test) - 1, 12).long()
fig, axes = plt.subplots(len(models) + 2, 1, figsize=(7.5, 1.0 * (len(models) + 2)))
plots.image_grid(x_test[shown], nrow=12, ax=axes[0], title="input")
for ax, (name, out) in zip(axes[1:], completions.items()):
    plots.image_grid(out[shown], nrow=12, ax=ax, title=name)
plots.image_grid(y_test[shown], nrow=12, ax=axes[-1], title="true digit")
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
# classifier's, on a different task, so only the **ordering** can be compared.

# %%
results = {name: scores(out) for name, out in completions.items()}
results.update(baselines)
print(f"{'':28s}{'accuracy':>10s}{'FD':>9s}{'precision':>11s}{'recall':>8s}")
for name, row in results.items():
    print(f"{name:28s}{row['accuracy']:10.3f}{row['FD']:9.1f}{row['precision']:11.2f}{row['recall']:8.2f}")

paper = {
    "Table 1 (loss, U-Net)": {"L1": 0.42, "cGAN": 0.57, "L1 + cGAN": 0.66},
    "Table 2 (generator, L1)": {"L1": 0.48, "L1, encoder-decoder": 0.35},
    "Table 2 (generator, L1 + cGAN)": {"L1 + cGAN": 0.55, "L1 + cGAN, encoder-decoder": 0.29},
    "Table 3 (patch, L1 + cGAN)": {"L1 + cGAN, 1x1 PixelGAN": 0.39, "L1 + cGAN": 0.65, "L1 + cGAN, 28x28 ImageGAN": 0.42},
}


def order(d):
    return " > ".join(sorted(d, key=d.get, reverse=True))


print()
for table, row in paper.items():
    ours_acc = {k: results[k]["accuracy"] for k in row}
    ours_fd = {k: -results[k]["FD"] for k in row}  # lower FD is better: order by -FD
    print(f"{table}\n  paper (FCN acc): {order(row)}\n  ours (accuracy): {order(ours_acc)}\n  ours (FD, best first): {order(ours_fd)}")

# %% [markdown]
# **Reading the tables.** Every arm with the L1 term is read as the right digit about equally often
# (the classifier forgives a blurred stroke), so the accuracy column, the paper's measure, hardly
# separates them in the quick profile; the FD column does. There, as in the paper's Table 1, adding
# the cGAN term to L1 helps, and cGAN alone (no L1) loses the content: its digits look like digits
# but often the wrong one. As in Table 2, the U-Net beats the encoder-decoder. Table 3 differs: on
# 28 px digits the "whole image" is only 28 px and the ImageGAN does as well as the 16 px PatchGAN or better,
# while the paper's 286 px ImageGAN did worse than its 70 px patches; the 1x1 PixelGAN, as in the
# paper, judges intensities only and does not sharpen the strokes.

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
names = list(results)
axes[0].barh(names, [results[n]["accuracy"] for n in names])
axes[0].set(xlim=(0, 1), xlabel="classifier accuracy on the completion (FCN-score analogue)", title="is it the right digit?")
axes[1].barh(names, [results[n]["FD"] for n in names])
axes[1].set(xscale="log", xlabel=f"FD to real digits (n = {len(y_test)}, log scale; lower is better)", title="does it look real?")
for ax in axes:
    ax.invert_yaxis()
fig.tight_layout()
plots.save(fig, "14_tables")
plt.show()

# %% [markdown]
# ## 7. Pick a partial digit, see every completion
#
# The slider picks a held-out input; the panel shows the input, each arm's completion and the true
# digit, each titled with the digit the classifier reads. The completions were computed once above;
# a move only updates the images in place (`set_data`) and redraws just them and the titles.

# %%
pred = {name: classifier(out).argmax(1).cpu() for name, out in completions.items()}


def completion_panel(i):
    """The images (28x28 numpy) and titles shown for held-out input i: input, each arm, the truth."""
    images = [x_test[i, 0].cpu().numpy()] + [out[i, 0].cpu().numpy() for out in completions.values()] + [y_test[i, 0].cpu().numpy()]
    titles = ["input"] + [f"{name}\nreads {int(pred[name][i])}" for name in completions] + [f"true: {int(labels_test[i])}"]
    return images, titles


def completion_explorer():
    """A slider over held-out inputs; the panel updates its images and titles in place (blitted)."""
    n = len(completions) + 2
    fig, axes = plt.subplots(1, n, figsize=(1.55 * n, 2.3))
    images, titles = completion_panel(0)
    arts = [ax.imshow(image, cmap="gray", vmin=-1, vmax=1, interpolation="nearest") for ax, image in zip(axes, images)]
    for ax, title in zip(axes, titles):
        ax.set_title(title, fontsize=7)
        ax.axis("off")
    fig.tight_layout()
    view = BlitFigureImage(fig, animated=arts + [ax.title for ax in axes])
    index = w.IntSlider(value=0, min=0, max=len(x_test) - 1, description="digit", continuous_update=True,
                        layout=w.Layout(width="420px"))

    def update(_=None):
        for art, ax, image, title in zip(arts, axes, *completion_panel(index.value)):
            art.set_data(image)
            ax.title.set_text(title)
        view.redraw()

    index.observe(update, names="value")
    update()
    return w.VBox([index, view.image])


explorer = completion_explorer()
explorer

# %%
latency = measure_latency(explorer, moves=10)
print(f"widget update: median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms over {latency['moves']} moves")

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
# **Exercise 2. A task the input determines.** Replace `top_half` by a 7x7 version of the digit
# upsampled back to 28x28, `F.interpolate(F.avg_pool2d(y, 4), size=28, mode="nearest")`, and retrain
# "L1" and "L1 + cGAN". Is the gap in FD between them smaller than on the top-half task? (When $x$
# nearly determines $y$, L1's average of the possible answers is nearly one answer.)
#
# **Exercise 3. StackGAN's stage II.** StackGAN (Zhang et al., 2017) draws a coarse image first and
# refines it, conditioned on the text, with **conditioning augmentation**: the condition is a sample
# $c = \mu(e) + \sigma(e)\,\epsilon$ with a KL term $D_{KL}(N(\mu, \sigma^2) \,\|\, N(0, I))$ in $G$'s
# loss, rather than the fixed embedding $e$. Build stage II here: the input is the 7x7 digit of
# exercise 2 and a one-hot label passed through a linear layer to $(\mu, \log\sigma)$ and broadcast as
# extra channels (`unet(ngf, in_ch=1 + c_dim)`, and `pair_discriminator(..., in_ch=1 + c_dim)`).
# Does conditioning augmentation make the completions of one input more varied (measure the mean
# pixel distance between completions of the same input for several draws of $\epsilon$)?
#
# **Exercise 4. Longer.** Double `steps`, then double it again. Which of the orderings of section 6
# change, and do they move towards the paper's?

# %% [markdown]
# ## What we saw
# First what this run measured against the paper's tables, then the lessons it shows, each against the
# baseline that would fail it.

# %%
for table, row in paper.items():
    print(f"{table}: " + "; ".join(f"{k} paper {v:.2f} / ours acc {results[k]['accuracy']:.3f}, FD {results[k]['FD']:.1f}"
                                   for k, v in row.items()))
l1, both, inp = results["L1"], results["L1 + cGAN"], results["input (top half only)"]
gan, ed = results["cGAN"], results["L1 + cGAN, encoder-decoder"]
print("\nmeasured, not a lesson (the ordering moves between seeds or is within noise in the quick profile):")
print(f"  accuracy, L1 {l1['accuracy']:.3f} vs L1 + cGAN {both['accuracy']:.3f} (the paper: L1 + cGAN 0.66 well above L1 0.42)")
print(f"  accuracy, U-Net {l1['accuracy']:.3f} vs encoder-decoder {results['L1, encoder-decoder']['accuracy']:.3f} with L1 "
      "(the paper: 0.48 vs 0.35)")
print("  FD by patch size, 1 / 16 / 28 px: " + " / ".join(f"{results[k]['FD']:.1f}" for k in
      ("L1 + cGAN, 1x1 PixelGAN", "L1 + cGAN", "L1 + cGAN, 28x28 ImageGAN")) + " (the paper, FCN acc: 0.39 / 0.65 / 0.42)")
_ = what_we_saw([
    lesson("adding the cGAN term makes completions look more real: L1 + cGAN has a lower FD than L1 alone (by 10 % or more)",
           held=both["FD"] <= 0.9 * l1["FD"],
           measured=f"L1 + cGAN FD {both['FD']:.1f}", baseline=f"L1 alone FD {l1['FD']:.1f} (floor {results['real digits (floor)']['FD']:.1f})"),
    lesson("the L1 term keeps the content: L1 + cGAN is read as the right digit more often than cGAN alone (by 0.1 or more)",
           held=both["accuracy"] >= gan["accuracy"] + 0.1,
           measured=f"L1 + cGAN accuracy {both['accuracy']:.3f}", baseline=f"cGAN alone {gan['accuracy']:.3f}"),
    lesson("the U-Net's skips help: with L1 + cGAN its completions have a lower FD than the encoder-decoder's (by 10 % or more)",
           held=both["FD"] <= 0.9 * ed["FD"],
           measured=f"U-Net FD {both['FD']:.1f}", baseline=f"encoder-decoder FD {ed['FD']:.1f}"),
    lesson("L1 + cGAN's completions are read as the right digit more often than the half digit it was given (by 0.05 or more)",
           held=both["accuracy"] >= inp["accuracy"] + 0.05,
           measured=f"L1 + cGAN accuracy {both['accuracy']:.3f}", baseline=f"the input (top half) {inp['accuracy']:.3f}"),
])
