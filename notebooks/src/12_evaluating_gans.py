# %% [markdown]
# # 12 · Evaluating GANs: what a number about a generator means
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlab-course/gan-course/blob/main/notebooks/12_evaluating_gans.ipynb)
#
# A GAN has no likelihood to report, so the literature scores its *samples*: the Frechet distance
# (FID), the kernel distance (KID), the Inception score, precision and recall, density and coverage,
# classifier two-sample tests. Each number answers a narrower question than "how good is this
# generator?". This notebook computes every one of them on the course's digit classifier, measures
# what each can and cannot see, and checks the code against well-kept libraries (the unit tests
# cross-check `ganlab.metrics.quality` with torchmetrics, torch-fidelity and prdc).
#
# **Learning goals**
# - Compute the Frechet distance on classifier features, measure its sample-size bias (about $1/N$)
#   and remove it by extrapolating to $N = \infty$ (FID-infinity); contrast with the unbiased KID.
# - Run the consistency check of the TTUR paper: a metric should worsen monotonically as images are
#   corrupted more. See which metrics pass.
# - Rank generators of known quality (checkpoints of a DCGAN run, a collapsed generator, real data)
#   with each metric; separate *fidelity* from *diversity* with precision / recall and density / coverage.
# - Use a classifier two-sample test, and see why a good log-likelihood says little about samples
#   (Theis et al., 2016: a model that is 99 % noise loses at most $\log 100 = 4.61$ nats).

# %%
# Colab or a fresh environment: install ganlab if it is missing (does nothing where it is importable).
try:
    import ganlab
except ImportError:
    # %pip install -q "ganlab @ git+https://github.com/ganlab-course/gan-course"
    import ganlab

# %%
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
import torchvision.transforms.functional as TF

from ganlab import device, plots, start, train_steps
from ganlab.data.digits import load_digits
from ganlab.lessons import check_answer, lesson, what_we_saw
from ganlab.metrics import quality
from ganlab.metrics.digits import digit_classifier, features, frechet_from_stats

dev = device()
train_set, test_set = load_digits("mnist", "train", dev), load_digits("mnist", "test", dev)
seed = start()
rng = np.random.default_rng(seed)
print(train_set, test_set, sep="\n")

# %% [markdown]
# ## 1. Features, and the Frechet distance
#
# Every metric here compares **features** of generated and real images. FID uses Inception-v3's
# 2,048 pool features (ImageNet photographs, a download); this course uses its own small digit
# classifier (`ganlab.metrics.digits`, its weights ship with the package) and its 64 penultimate
# features. The numbers are therefore **not comparable with published FID values**, only with each
# other. The Frechet distance fits a Gaussian to each feature set and measures
#
# $$\mathrm{FD} = \lVert \mu_r - \mu_g \rVert^2
# + \operatorname{Tr}\big(\Sigma_r + \Sigma_g - 2(\Sigma_r \Sigma_g)^{1/2}\big),$$
#
# the squared 2-Wasserstein distance between the two Gaussians (Heusel et al., 2017). The reference
# is the 4,000 training digits; "real data" as a generator is the 1,000 held-out digits.

# %%
classifier = digit_classifier("mnist", dev)
ref_feats = features(classifier, train_set.images).numpy()            # (4000, 64) the reference
ref_small = ref_feats[rng.choice(len(ref_feats), 1_000, replace=False)]  # for the k-NN metrics: equal sizes
held_feats = features(classifier, test_set.images).numpy()           # (1000, 64) real held-out digits
fd_real = quality.frechet(held_feats, ref_feats)
print(f"features: {ref_feats.shape[1]}-D; FD(held-out digits, training digits) = {fd_real:.2f} (the real floor)")

# %%
# NBVAL_CHECK_OUTPUT
print(f"FD of the reference with itself: {abs(quality.frechet(ref_feats, ref_feats)):.2f}")
print("precision and recall of the reference against itself:", quality.precision_recall(ref_small, ref_small))
print("the real floor is small (FD < 5):", fd_real < 5)

# %% [markdown]
# ## 2. The FD is biased: about $c/N$
#
# Estimated from $N$ samples, $\hat\mu$ and $\hat\Sigma$ are noisy, and noise only adds distance:
# even two samples of **one** distribution have $\mathrm{FD} > 0$, by roughly $c/N$ with $c$ growing
# like $d^2$. Take the simplest case, $N$ samples of $\mathcal N(0, I_{64})$ against the exact
# distribution, and then two samples of size $N$ each (twice the noise).

# %%
d = 64
exact = (np.zeros(d), np.eye(d))
ns_gauss = (250, 1_000, 5_000)
fd_vs_exact = {n: float(np.mean([frechet_from_stats(quality.gaussian_stats(rng.normal(size=(n, d))), exact)
                                 for _ in range(3)])) for n in ns_gauss}
fd_two_samples = {n: float(np.mean([quality.frechet(rng.normal(size=(n, d)), rng.normal(size=(n, d)))
                                    for _ in range(3)])) for n in ns_gauss}
for n in ns_gauss:
    print(f"N = {n:5d}: FD(sample, exact N(0, I)) = {fd_vs_exact[n]:5.2f}   "
          f"FD(sample, sample) = {fd_two_samples[n]:5.2f}"
          f"   N x FD = {n * fd_vs_exact[n]:6.0f}")
print("measured elsewhere (one sample against the distribution): 4.68, 1.18, 0.27")

# %%
# NBVAL_CHECK_OUTPUT
c_theory = d + d * (d + 1) / 4
print(f"d + d(d+1)/4 = {c_theory:.0f}; N x FD within 20 % of it at every N:",
      all(abs(n * fd_vs_exact[n] / c_theory - 1) < 0.2 for n in ns_gauss))
print("two samples: about twice the bias (1.6-2.4 x) at every N:",
      all(1.6 < fd_two_samples[n] / fd_vs_exact[n] < 2.4 for n in ns_gauss))

# %% [markdown]
# $N \cdot \mathrm{FD}$ is nearly constant: the bias is $c/N$. Against the exact distribution
# $c \approx d + d(d+1)/4 \approx 1{,}100$: $d/N$ from the noise of $\hat\mu$, and since
# $\operatorname{Tr}(\hat\Sigma + I - 2\hat\Sigma^{1/2}) = \sum_i (\sqrt{\lambda_i} - 1)^2
# \approx \tfrac14 \lVert \hat\Sigma - I\rVert_F^2$,
# about $d(d+1)/(4N)$ from the noise of $\hat\Sigma$. When both sides are samples the bias doubles.
# The figures measured elsewhere (4.68, 1.18, 0.27) are the one-sided ones.
#
# **FID-infinity** (Chong & Forsyth, 2020) turns the bias into a tool: measure FD at several $N$,
# fit the line $\mathrm{FD}(N) = \mathrm{FD}_\infty + c/N$, read off the intercept. On real digits:
# two disjoint halves of the training digits (one distribution, so the truth is about 0).

# %%
shuffled = ref_feats[np.random.default_rng(seed).permutation(len(ref_feats))]
half_a, half_b = shuffled[:2_000], shuffled[2_000:]
fit_real = quality.fd_infinity(half_a, half_b, ns=(250, 500, 1_000, 2_000), draws=10, seed=seed)
fit_gauss = quality.fd_infinity(rng.normal(size=(5_000, d)), rng.normal(size=(5_000, d)), ns=(250, 500, 1_000, 5_000))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for ax, fit, title in ((axes[0], fit_gauss, "two samples of N(0, I), 64-D"),
                       (axes[1], fit_real, "two halves of the training digits")):
    inv = 1 / np.array(fit.ns)
    ax.plot(inv, fit.fds, "o", label="FD measured at N")
    grid_inv = np.linspace(0, inv.max(), 50)
    ax.plot(grid_inv, fit.fd_inf + fit.slope * grid_inv, "--", label=f"fit: FD_inf = {fit.fd_inf:.2f}")
    ax.axhline(0, color="k", lw=0.6)
    ax.set(xlabel="1 / N", ylabel="FD", title=title)
    ax.legend()
fig.tight_layout()
plots.save(fig, "12_fd_bias")
plt.show()
print(f"digits: FD at N = {fit_real.ns[0]}: {fit_real.fds[0]:.2f}, at N = {fit_real.ns[-1]}: {fit_real.fds[-1]:.2f}, "
      f"extrapolated to N = infinity: {fit_real.fd_inf:.2f}")

# %% [markdown]
# So an FD is only comparable with an FD computed with **the same $N$** (and the same features).
# A generator scored with 1,000 samples against one scored with 5,000 differs by the bias alone.
#
# ## 3. KID: an unbiased kernel distance
#
# The kernel Inception distance (Binkowski et al., 2018) is the squared maximum mean discrepancy with
# the cubic kernel $k(x, y) = (x^\top y / d + 1)^3$, estimated **without bias**:
#
# $$\mathrm{KID} = \frac{\sum_{i \ne j} k(x_i, x_j)}{m(m-1)} + \frac{\sum_{i \ne j} k(y_i, y_j)}{n(n-1)}
# - \frac{2}{mn}\sum_{i,j} k(x_i, y_j).$$
#
# Its mean is exactly 0 for one distribution (single values can be negative). The cost: it is noisier.

# %%
kid_same = np.array([quality.kid(rng.normal(size=(250, d)), rng.normal(size=(250, d))) for _ in range(20)])
kid_se = kid_same.std(ddof=1) / math.sqrt(len(kid_same))
print(f"20 pairs of samples of N(0, I), N = 250: KID mean {kid_same.mean():+.4f} (standard error {kid_se:.4f}), "
      f"{(kid_same < 0).sum()} of 20 negative; FD of the same pairs is biased to {fd_two_samples[250]:.2f}")

# %% [markdown]
# ## 4. An Inception-style score on the digit classifier
#
# The Inception score (Salimans et al., 2016) asks the classifier $p(y \mid x)$ for each sample:
#
# $$\mathrm{IS} = \exp\big(\mathbb E_x\, \mathrm{KL}(p(y\mid x) \,\Vert\, p(y))\big), \qquad
# p(y) = \mathbb E_x\, p(y \mid x).$$
#
# It is high (up to 10 classes) when each sample is classified confidently *and* the classes are
# balanced. It never looks at real data: a generator that draws one perfect prototype per class scores
# the maximum.

# %%
logits_held = classifier(test_set.images).detach()
is_real = quality.inception_score(logits_held)
print(f"IS of real held-out digits: {is_real:.2f} (maximum 10)")

# %%
# NBVAL_CHECK_OUTPUT
certain = 50 * torch.eye(10).repeat(10, 1)                # 100 samples, each classified with certainty, 10 per class
print(f"IS of certain, balanced predictions: {quality.inception_score(certain):.4f}")
print(f"IS of certain predictions, all of one class: {quality.inception_score(certain[:1].repeat(100, 1)):.4f}")


# %% [markdown]
# ## 5. The consistency check (Heusel et al., 2017)
#
# The TTUR paper, which introduced FID, checked that it worsens **monotonically** as images are
# disturbed more, with six corruptions at four levels each. The same six on digits: Gaussian noise,
# Gaussian blur, implanted rectangles (of ink, the visible colour on a black background), a swirl,
# salt-and-pepper noise, and contamination of the set with images from elsewhere (here, digits whose
# pixels were shuffled).

# %%
def gaussian_noise(x, level, gen):
    return (x + level * torch.randn(x.shape, generator=gen)).clamp(-1, 1)


def gaussian_blur(x, level, gen):
    return TF.gaussian_blur(x, 2 * math.ceil(3 * level) + 1, level)


def rectangles(x, level, gen, side=6):
    out, pos = x.clone(), torch.arange(28)
    for _ in range(int(level)):
        r, c = torch.randint(0, 28 - side, (2, len(x), 1), generator=gen)
        rows, cols = (pos >= r) & (pos < r + side), (pos >= c) & (pos < c + side)   # (N, 28) each
        inside = rows[:, :, None] & cols[:, None, :]                                   # (N, 28, 28)
        out[:, 0][inside] = 1.0
    return out


def swirl(x, level, gen, radius=0.6):
    ys, xs = torch.meshgrid(torch.linspace(-1, 1, 28), torch.linspace(-1, 1, 28), indexing="ij")
    r = torch.hypot(xs, ys)
    angle = torch.atan2(ys, xs) + level * torch.exp(-r / radius)  # rotate the centre most
    grid = torch.stack([r * torch.cos(angle), r * torch.sin(angle)], -1).expand(len(x), 28, 28, 2)
    return F.grid_sample(x + 1, grid, align_corners=True) - 1  # pad with background


def salt_and_pepper(x, level, gen):
    u = torch.rand(x.shape, generator=gen)
    return torch.where(u < level / 2, -1.0, torch.where(u > 1 - level / 2, 1.0, x))


def contamination(x, level, gen):
    out, k = x.clone(), round(level * len(x))
    replaced = torch.randperm(len(x), generator=gen)[:k]
    out[replaced] = x[replaced].flatten(1)[:, torch.randperm(28 * 28, generator=gen)].view(k, 1, 28, 28)
    return out


CORRUPTIONS = {   # name: (function, its four levels)
    "Gaussian noise": (gaussian_noise, (0.1, 0.25, 0.5, 1.0)),
    "Gaussian blur": (gaussian_blur, (0.5, 1.0, 1.5, 2.0)),
    "rectangles": (rectangles, (1, 2, 3, 4)),
    "swirl": (swirl, (1.0, 2.0, 3.0, 4.0)),
    "salt and pepper": (salt_and_pepper, (0.05, 0.1, 0.2, 0.3)),
    "contamination": (contamination, (0.1, 0.25, 0.5, 0.75)),
}
real_images = test_set.images.cpu()
fig, axes = plt.subplots(len(CORRUPTIONS), 1, figsize=(6, 1.1 * len(CORRUPTIONS)))
for ax, (name, (corrupt, levels)) in zip(axes, CORRUPTIONS.items()):
    gen = torch.Generator().manual_seed(seed)
    row = [real_images[:3]] + [corrupt(real_images[:3], level, gen) for level in levels]
    plots.image_grid(torch.cat(row), nrow=15, ax=ax)
    ax.set_title(f"{name}: clean, then levels {levels}", fontsize=8, loc="left")
fig.tight_layout()
plots.save(fig, "12_corruptions")
plt.show()

# %% [markdown]
# One function scores a set of images with every metric of this notebook against the reference. The
# k-NN metrics (section 7) and KID (unbiased at any size) compare sets of equal size (1,000); FD uses all
# 4,000 reference digits (less bias).

# %%
def score(images):
    """Every metric of this notebook for a set of digit images, against the training digits."""
    feats = features(classifier, images).numpy()
    precision, recall = quality.precision_recall(ref_small, feats, k=3)
    density, coverage = quality.density_coverage(ref_small, feats, k=5)
    return {"FD": quality.frechet(feats, ref_feats), "KID": quality.kid(feats, ref_small),
            "IS": quality.inception_score(classifier(images.to(dev)).detach()),
            "precision": precision, "recall": recall, "density": density, "coverage": coverage,
            "C2ST accuracy": quality.two_sample_test(ref_feats, feats, seed=seed).accuracy}


t0 = time.perf_counter()
clean = score(real_images)
score_seconds = time.perf_counter() - t0   # what one widget move would cost if it recomputed
consistency, shown = {}, {}   # name -> [metrics at level 0 (clean), 1, ..., 4]; a few corrupted digits to show
for name, (corrupt, levels) in CORRUPTIONS.items():
    gen = torch.Generator().manual_seed(seed)
    corrupted = [corrupt(real_images, level, gen) for level in levels]
    consistency[name] = [clean] + [score(images) for images in corrupted]
    shown[name] = [real_images[:8]] + [images[:8] for images in corrupted]

# %%
metric_names = list(clean)
fig, axes = plt.subplots(2, 4, figsize=(14, 6))
for ax, metric in zip(axes.flat, metric_names):
    for name in CORRUPTIONS:
        ax.plot(range(5), [row[metric] for row in consistency[name]], marker="o", ms=3, label=name)
    ax.set(title=metric, xlabel="corruption level", xticks=range(5), yscale="log" if metric == "FD" else "linear")
axes[0, 0].legend(fontsize=7)
fig.tight_layout()
plots.save(fig, "12_consistency")
plt.show()

from ganlab.widgets.quality import WORSE_WHEN_LARGER  # which way is worse, for each metric


def worsens(values, larger_is_worse):
    """Does a metric get strictly worse at every level?"""
    steps_ = np.diff(values)
    return bool(np.all(steps_ > 0) if larger_is_worse else np.all(steps_ < 0))


monotone = {m: sum(worsens([row[m] for row in rows], WORSE_WHEN_LARGER[m]) for rows in consistency.values())
            for m in metric_names}
least = min(monotone, key=monotone.get)
for m, count in monotone.items():
    print(f"{m:14s} worsens monotonically for {count}/6 corruptions")
fd_monotone, is_monotone = monotone["FD"], monotone["IS"]

# %% [markdown]
# ## 6. Generators of known quality
#
# A metric is useful if it ranks generators the way we know they rank. We know the order of the
# checkpoints of one training run (later is better, at least early on), that real digits beat any
# generator, and that a collapsed generator (one that draws a handful of digits again and again) is
# bad however sharp its digits are. A short DCGAN run (the nets of notebook 07, `ganlab.nets`):

# %%
from ganlab.nets import dcgan_discriminator, dcgan_generator
from ganlab.train import train_gan

latent_dim, batch = 64, 64
steps = train_steps(quick=600, full=5_000)
checkpoints = (0, steps // 12, steps // 4, steps)
G, D = dcgan_generator(latent_dim, ngf=32).to(dev), dcgan_discriminator(ndf=32).to(dev)
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
z_eval = torch.randn(1_000, latent_dim, device=dev)    # the same codes for every checkpoint


@torch.no_grad()
def generate(z):
    """G(z) in eval mode (batchnorm's running statistics), then back to training mode."""
    G.eval()
    images = G(z).cpu()
    G.train()
    return images


history = train_gan(G, D, opt_g, opt_d, lambda: train_set.sample(batch)[0],
                    lambda: torch.randn(batch, latent_dim, device=dev), steps,
                    snapshot_at=checkpoints, snapshot_fn=lambda: {"images": generate(z_eval)})
history

# %% [markdown]
# Two collapsed generators. The first is the final DCGAN fed only five codes (plus a little jitter):
# each of its digits may look fine, but there are five of them. The second **copies** ten held-out
# digits, one of each class, a hundred times each: every sample is a real digit and every class is
# drawn equally often, yet it has nothing else to offer (a memorising generator).

# %%
few_codes = z_eval[:5].repeat(200, 1) + 0.05 * torch.randn(1_000, latent_dim, device=dev)
generators = {"real held-out digits": real_images}
generators |= {f"DCGAN step {snap['step']}": snap["images"] for snap in reversed(history.snapshots)}
generators["collapsed (5 codes)"] = generate(few_codes)
one_per_class = torch.tensor([int(torch.nonzero(test_set.labels.cpu() == d)[0]) for d in range(10)])
generators["copies 10 digits"] = real_images[one_per_class].repeat(100, 1, 1, 1)   # (1000, 1, 28, 28)
known_order = list(generators)[:-2]   # best to worst: real, then the checkpoints from last to first
scores = {name: score(images) for name, images in generators.items()}

fig, axes = plt.subplots(len(generators), 1, figsize=(8, 1.0 * len(generators)))
for ax, (name, images) in zip(axes, generators.items()):
    plots.image_grid(images[:20], nrow=20, ax=ax)
    ax.set_title(name, fontsize=8, loc="left")
fig.tight_layout()
plots.save(fig, "12_generators")
plt.show()

header = f"{'generator':24s}" + "".join(f"{m:>14s}" for m in metric_names)
print(header)
for name, s in scores.items():
    print(f"{name:24s}" + "".join(f"{s[m]:14.3f}" for m in metric_names))

# %%
def ranks_correctly(metric, larger_is_better):
    """Does `metric` order the generators of known order (real, then checkpoints newest first) correctly?"""
    values = np.array([scores[name][metric] for name in known_order])
    return bool(np.all(np.diff(values) < 0)) if larger_is_better else bool(np.all(np.diff(values) > 0))


correct_order = {m: ranks_correctly(m, better) for m, better in
                 (("FD", False), ("KID", False), ("IS", True), ("precision", True), ("recall", True),
                  ("density", True), ("coverage", True), ("C2ST accuracy", False))}
print("orders real > step", " > step ".join(str(s) for s in reversed(checkpoints)), "correctly:",
      ", ".join(m for m, ok in correct_order.items() if ok) or "none")
print("does not:", ", ".join(m for m, ok in correct_order.items() if not ok) or "none")
final, collapsed, copies = scores[f"DCGAN step {steps}"], scores["collapsed (5 codes)"], scores["copies 10 digits"]
print(f"collapsed vs final DCGAN: FD {collapsed['FD']:.1f} vs {final['FD']:.1f}, "
      f"IS {collapsed['IS']:.2f} vs {final['IS']:.2f}, "
      f"precision {collapsed['precision']:.2f} vs {final['precision']:.2f}, "
      f"recall {collapsed['recall']:.3f} vs {final['recall']:.3f}")
real_scores = scores["real held-out digits"]
print(f"copies of 10 digits vs real held-out digits: IS {copies['IS']:.2f} vs {real_scores['IS']:.2f}, "
      f"precision {copies['precision']:.2f} vs {real_scores['precision']:.2f}, "
      f"recall {copies['recall']:.3f} vs {real_scores['recall']:.3f}, FD {copies['FD']:.1f} vs {real_scores['FD']:.1f}")

# %% [markdown]
# Look at the copier's row. The Inception-style score sees only the classifier's predictions: ten
# confidently read digits in equal shares is what it rewards most, so the copier scores about as well
# as real digits. Its recall and coverage expose it: its thousand samples are ten points in feature
# space, and the balls around ten points hold almost none of the real digits. FD sees it too, but as
# one number that cannot say *what* went wrong: the next section separates the two failures.

# %% [markdown]
# ## 7. Fidelity and diversity: precision / recall, density / coverage
#
# FD folds two failures into one number: samples that are **unrealistic** and real data that the
# generator **never makes**. Kynkaanniemi et al. (2019) measure them apart with k-nearest-neighbour
# balls in feature space: around each point, a ball reaching its $k$-th nearest neighbour ($k = 3$)
# in its own set; a set's "manifold" is the union of its balls.
#
# $$\text{precision} = \tfrac1M \textstyle\sum_j 1[\,y_j \in \text{manifold(real)}\,], \qquad
# \text{recall} = \tfrac1N \textstyle\sum_i 1[\,x_i \in \text{manifold(fake)}\,].$$
#
# One outlying fake sample makes a huge ball that "covers" much real data, so Naeem et al. (2020)
# use balls around real samples only ($k = 5$): **density** counts how many real balls hold each fake
# sample (about 1 for a perfect generator, $> 1$ when fakes crowd where real data are dense),
# **coverage** is the share of real balls that hold at least one fake sample.
#
# Two generators built from real digits, of known failure: one **drops** half the digits (it draws
# only held-out 0-4), one **blurs** every digit, the blur chosen so that both have the same FD.

# %%
drop_images = real_images[test_set.labels.cpu() < 5]                        # ~500 perfect digits, 5 of 10 classes
keep = torch.randperm(len(real_images), generator=torch.Generator().manual_seed(seed))[:len(drop_images)]
drop_feats = features(classifier, drop_images).numpy()
fd_drop = quality.frechet(drop_feats, ref_feats)
blur_levels = np.round(np.linspace(0.3, 1.2, 10), 2)
blur_fds = [quality.frechet(features(classifier, gaussian_blur(real_images[keep], s, None)).numpy(), ref_feats)
            for s in blur_levels]
blur_sigma = float(blur_levels[np.argmin(np.abs(np.log(np.array(blur_fds) / fd_drop)))])
blur_feats = features(classifier, gaussian_blur(real_images[keep], blur_sigma, None)).numpy()
ref_half = ref_small[:len(drop_images)]    # equal sizes for the k-NN metrics
pr = {name: quality.precision_recall(ref_half, f) + quality.density_coverage(ref_half, f)
      for name, f in (("drops digits 5-9", drop_feats), (f"blur sigma {blur_sigma}", blur_feats))}
fd_pair = {"drops digits 5-9": fd_drop, f"blur sigma {blur_sigma}": quality.frechet(blur_feats, ref_feats)}

fig, axes = plt.subplots(1, 2, figsize=(11, 3.2), gridspec_kw={"width_ratios": (1.2, 1)})
plots.image_grid(torch.cat([drop_images[::50][:10], gaussian_blur(real_images[keep][:10], blur_sigma, None)]), nrow=10,
                 ax=axes[0], title="top: drops digits 5-9; bottom: blurred")
x = np.arange(4)
for i, (name, values) in enumerate(pr.items()):
    axes[1].bar(x + 0.38 * i, values, 0.38, label=f"{name} (FD {fd_pair[name]:.0f})")
axes[1].set(xticks=x + 0.19, xticklabels=["precision", "recall", "density", "coverage"], ylim=(0, 1.3))
axes[1].legend(fontsize=8)
fig.tight_layout()
plots.save(fig, "12_precision_recall")
plt.show()
for name, (p, r, dens, cov) in pr.items():
    print(f"{name:18s} FD {fd_pair[name]:7.1f}  precision {p:.2f}  recall {r:.2f}  "
          f"density {dens:.2f}  coverage {cov:.2f}")

# %% [markdown]
# ## 8. A classifier two-sample test
#
# If a classifier cannot tell generated from real features better than chance on held-out data, the
# two sets are indistinguishable *to that classifier* (Lopez-Paz & Oquab, 2017). Its held-out accuracy
# $\hat a$ over $n$ test points is, under "no difference", $\mathrm{Binomial}(n, \tfrac12)/n$, which
# gives a p-value. Here a logistic regression on the 64 standardised features (`quality.two_sample_test`):

# %%
tests = {name: quality.two_sample_test(ref_feats, features(classifier, images).numpy(), seed=seed)
         for name, images in generators.items()}
for name, t in tests.items():
    print(f"{name:24s} held-out accuracy {t.accuracy:.3f} over {t.n_test} points, p-value {t.p_value:.2g}")

# %% [markdown]
# ## 9. The likelihood pitfall (Theis, van den Oord & Bethge, 2016)
#
# Why not score generators by log-likelihood, as for other models? Because a good likelihood and
# good samples are different things. Take any density model $p$ and mix it with noise:
# $q = 0.01\,p + 0.99\,\text{noise}$. Since $q(x) \ge 0.01\,p(x)$,
#
# $$\log q(x) \ge \log p(x) - \log 100 = \log p(x) - 4.61 \text{ nats},$$
#
# so the average log-likelihood drops by *at most* 4.61 nats, a rounding error next to the hundreds
# of nats an image costs, while 99 % of $q$'s samples are noise. Computed exactly: $p$ a Parzen window
# (a Gaussian on each training digit, width chosen on validation digits), the noise $\mathcal N(0, I)$
# on the 784 pixels.

# %%
pixels = train_set.images.cpu().flatten(1).double()
order = torch.randperm(len(pixels), generator=torch.Generator().manual_seed(seed))
centres, validation = pixels[order[:3_000]], pixels[order[3_000:]]
held_pixels = real_images.flatten(1).double()
dim = pixels.shape[1]


def parzen_log_density(x, width):
    """log p(x) = log (1/n sum_i N(x; c_i, width^2 I)), exactly, in nats per image."""
    sq = torch.cdist(x, centres) ** 2                                                  # (len(x), n)
    return (torch.logsumexp(-sq / (2 * width ** 2), 1) - math.log(len(centres))
            - dim / 2 * math.log(2 * math.pi * width ** 2))


def noise_log_density(x):
    return -0.5 * (x ** 2).sum(1) - dim / 2 * math.log(2 * math.pi)


widths = (0.2, 0.3, 0.4, 0.5, 0.7)
width = max(widths, key=lambda s: float(parzen_log_density(validation, s).mean()))
log_p = parzen_log_density(held_pixels, width)
log_q = torch.logaddexp(math.log(0.01) + log_p, math.log(0.99) + noise_log_density(held_pixels))
drop = float((log_p - log_q).mean())

gen = torch.Generator().manual_seed(seed)
n_samples = 1_000
picked = centres[torch.randint(len(centres), (n_samples,), generator=gen)]
from_p = picked + width * torch.randn(n_samples, dim, generator=gen, dtype=torch.double)   # a Parzen sample
is_noise = torch.rand(n_samples, generator=gen) < 0.99
from_q = torch.where(is_noise[:, None], torch.randn(n_samples, dim, generator=gen, dtype=torch.double), from_p)
as_images = lambda x: x.float().view(-1, 1, 28, 28)
sample_scores = {"p (Parzen)": score(as_images(from_p)), "q = 0.01 p + 0.99 noise": score(as_images(from_q))}
print(f"Parzen width {width} (best on validation digits of {widths})")
print(f"mean log-likelihood of held-out digits: p {float(log_p.mean()):.1f} nats, q {float(log_q.mean()):.1f} nats; "
      f"drop {drop:.3f} nats <= log 100 = {math.log(100):.3f} ({drop / abs(float(log_p.mean())):.2%} of |log p|)")
for name, s in sample_scores.items():
    print(f"samples of {name:24s}: FD {s['FD']:8.1f}  precision {s['precision']:.3f}  recall {s['recall']:.3f}")

# %%
# NBVAL_CHECK_OUTPUT
print("log q >= log p - log 100 for every held-out digit:", bool((log_q >= log_p - math.log(100) - 1e-9).all()))

# %%
fig, axes = plt.subplots(2, 1, figsize=(8, 2.2))
for ax, name, x, ll in ((axes[0], "p", from_p, log_p), (axes[1], "q", from_q, log_q)):
    plots.image_grid(as_images(x[:16]).clamp(-1, 1), nrow=16, ax=ax,
                     title=f"samples of {name}: log-likelihood {float(ll.mean()):.0f} nats")
fig.tight_layout()
plots.save(fig, "12_likelihood_pitfall")
plt.show()

# %% [markdown]
# ## 10. Corrupt, and watch every metric
#
# The widget replays what section 5 measured: pick a corruption and a level, see the digits and every
# metric of the table above (each bar scaled over the table: longer is worse, the number is the value).
# Nothing is recomputed on a move. Which metrics react to blur but not to contamination? Which one
# *improves* when digits are corrupted?

# %%
from ganlab.widgets.core import measure_latency
from ganlab.widgets.quality import corruption_explorer

explorer = corruption_explorer(consistency, shown)
explorer

# %%
latency = measure_latency(explorer)
print(f"widget: median {latency['median_ms']:.0f} ms per move (p95 {latency['p95_ms']:.0f} ms); "
      f"recomputing the eight metrics would take {score_seconds * 1e3:.0f} ms")

# %% [markdown]
# ## Exercises
#
# **1. FD in one dimension (with a checker).** For two 1-D Gaussians the FD formula reduces to
# something short. Write it for $\mathcal N(\mu_a, \sigma_a^2)$ and $\mathcal N(\mu_b, \sigma_b^2)$;
# the checker compares it with `frechet_from_stats` on $\mathcal N(0, 1)$ and $\mathcal N(1, 2^2)$.

# %%
def fd_1d(mu_a, sigma_a, mu_b, sigma_b):
    return 0.0   # replace with the formula


check_answer(fd_1d(0.0, 1.0, 1.0, 2.0), frechet_from_stats((np.zeros(1), np.eye(1)), (np.ones(1), 4 * np.eye(1))),
             hint="expand Tr(S_a + S_b - 2 (S_a S_b)^(1/2)) with S = sigma^2")

# %% [markdown]
# <details><summary>Solution</summary>
#
# $(\mu_a - \mu_b)^2 + \sigma_a^2 + \sigma_b^2 - 2\sigma_a\sigma_b = (\mu_a - \mu_b)^2 + (\sigma_a - \sigma_b)^2$,
# here $1 + 1 = 2$: `return (mu_a - mu_b) ** 2 + (sigma_a - sigma_b) ** 2`.
# </details>
#
# **2. The bias of KID.** Repeat section 2's experiment with `quality.kid` at $N = 250, 1000, 5000$
# (both sides samples). Does $N \cdot \mathrm{KID}$ stay constant, as $N \cdot \mathrm{FD}$ did? What
# happens to its spread?
#
# **3. The k of precision and recall.** Recompute section 7 with $k = 1$ and $k = 10$. Which way do
# both numbers move, and why (think of the radius of the balls)?
#
# **4. A stronger two-sample test.** Replace the logistic regression by a 1-nearest-neighbour classifier
# (`sklearn.neighbors.KNeighborsClassifier(1)`) and compare the accuracies of section 8. Which
# generators does the linear test miss?

# %% [markdown]
# ## What we saw
# Figures of the quick profile (600 DCGAN steps). The Gaussian and likelihood lessons do not depend on
# the profile; in the full profile expect the final DCGAN closer to the real floor on every metric.

# %%
p_drop, r_drop, d_drop, c_drop = pr["drops digits 5-9"]
p_blur, r_blur, d_blur, c_blur = pr[f"blur sigma {blur_sigma}"]
ll_p = float(log_p.mean())
fd_ratio = fd_pair["drops digits 5-9"] / fd_pair[f"blur sigma {blur_sigma}"]
_ = what_we_saw([
    lesson("the FD of two samples of ONE 64-D Gaussian is far from 0 and falls like 1/N",
           held=fd_vs_exact[250] > 10 * fd_vs_exact[5_000] and fd_vs_exact[250] > 3,
           measured=f"FD {fd_vs_exact[250]:.2f}, {fd_vs_exact[1_000]:.2f}, {fd_vs_exact[5_000]:.2f} at N = 250, 1k, 5k "
                    "(elsewhere 4.68, 1.18, 0.27)",
           baseline="the true distance 0"),
    lesson("extrapolating to N = infinity removes most of the bias on real digits (two halves of one set)",
           held=abs(fit_real.fd_inf) < 0.5 * fit_real.fds[-1],
           measured=f"FD_inf {fit_real.fd_inf:.2f}",
           baseline=f"FD at N = {fit_real.ns[-1]}: {fit_real.fds[-1]:.2f} "
                    f"(at N = {fit_real.ns[0]}: {fit_real.fds[0]:.2f})"),
    lesson("KID is unbiased: over 20 pairs of one Gaussian (N = 250) its mean is within 3 standard errors of 0",
           held=abs(kid_same.mean()) < 3 * kid_se,
           measured=f"KID {kid_same.mean():+.4f} +- {kid_se:.4f}",
           baseline=f"FD of the same pairs {fd_two_samples[250]:.2f}"),
    lesson("consistency check: FD rises monotonically over four levels of each of the six corruptions",
           held=fd_monotone == 6,
           measured=f"FD monotone {fd_monotone}/6, IS {is_monotone}/6",
           baseline=f"the least consistent metric, {least}: {monotone[least]}/6"),
    lesson("FD ranks real digits and the DCGAN checkpoints in their known order",
           held=correct_order["FD"],
           measured="FD " + " < ".join(f"{scores[n]['FD']:.1f}" for n in known_order),
           baseline="C2ST accuracy saturates: " + ", ".join(f"{scores[n]['C2ST accuracy']:.3f}" for n in known_order)),
    lesson("IS cannot see a generator that copies ten digits, one per class; recall can: IS within 20 % of the "
           "real digits', recall below a tenth of theirs",
           held=copies["IS"] >= 0.8 * real_scores["IS"] and copies["recall"] < 0.1 * real_scores["recall"],
           measured=f"copies of 10 digits: IS {copies['IS']:.2f}, recall {copies['recall']:.3f}",
           baseline=f"real held-out digits: IS {real_scores['IS']:.2f}, recall {real_scores['recall']:.3f}"),
    lesson("at a similar FD, precision tells the mode-dropper from the blur: the dropper's precision stays near "
           "the real digits', the blur's falls at least 0.15 below it",
           held=max(fd_ratio, 1 / fd_ratio) < 1.5 and p_drop >= real_scores["precision"] - 0.1
           and p_drop - p_blur >= 0.15 and 0.3 < r_drop < 0.8,
           measured=f"drop: P {p_drop:.2f} R {r_drop:.2f} C {c_drop:.2f}; "
                    f"blur: P {p_blur:.2f} R {r_blur:.2f} C {c_blur:.2f}",
           baseline=f"FD {fd_pair['drops digits 5-9']:.0f} vs {fd_pair[f'blur sigma {blur_sigma}']:.0f}: one number; "
                    f"real P {real_scores['precision']:.2f}"),
    lesson("the two-sample test cannot tell held-out digits from training digits, but tells the DCGAN",
           held=tests["real held-out digits"].accuracy < 0.56 and tests[f"DCGAN step {steps}"].accuracy > 0.75,
           measured=f"DCGAN accuracy {tests[f'DCGAN step {steps}'].accuracy:.3f}",
           baseline=f"real held-out {tests['real held-out digits'].accuracy:.3f} (chance 0.5)"),
    lesson("99 % noise costs under 5 nats of log-likelihood but wrecks every sample metric",
           held=drop <= math.log(100) + 1e-9 and drop < 0.05 * abs(ll_p)
           and sample_scores["q = 0.01 p + 0.99 noise"]["precision"] < 0.2 * sample_scores["p (Parzen)"]["precision"],
           measured=f"q: log-lik {float(log_q.mean()):.0f} nats, "
                    f"precision {sample_scores['q = 0.01 p + 0.99 noise']['precision']:.3f}",
           baseline=f"p: log-lik {ll_p:.0f} nats, precision {sample_scores['p (Parzen)']['precision']:.3f}"),
])

# %% [markdown]
# **References.** Heusel et al. (2017), *GANs trained by a two time-scale update rule converge to a local
# Nash equilibrium* (FID, the consistency check); Chong & Forsyth (2020), *Effectively unbiased FID and
# Inception score and where to find them* (FID-infinity); Binkowski et al. (2018), *Demystifying MMD
# GANs* (KID); Salimans et al. (2016), *Improved techniques for training GANs* (Inception score);
# Kynkaanniemi et al. (2019), *Improved precision and recall metric for assessing generative models*;
# Naeem et al. (2020), *Reliable fidelity and diversity metrics for generative models* (density and
# coverage); Lopez-Paz & Oquab (2017), *Revisiting classifier two-sample tests*; Theis, van den Oord &
# Bethge (2016), *A note on the evaluation of generative models*. Cross-checked libraries: torchmetrics,
# torch-fidelity, prdc (tests/test_metrics_quality.py).
