"""
==========================================
Entropy of uniform, skewed and fixed coins
==========================================

Shannon entropy ``H(X) = -sum_x p(x) log p(x)`` measures how uncertain the outcome of
a random variable is. This example computes it with :func:`skinfo.measures.entropy`
for a uniform, a skewed and a deterministic distribution over four outcomes, checks
each value against its closed form, and then estimates the same entropies from
samples with :func:`skinfo.estimate.entropy` to show that the plug-in estimate falls
short on small samples while the Miller-Madow correction closes most of the gap.
"""

# %%
# Three distributions over four outcomes
# --------------------------------------
# ``base=2`` gives bits. The uniform distribution reaches the maximum ``log2(4) = 2``
# bits; a distribution that puts all its mass on one outcome has no uncertainty at
# all. Zero probabilities are allowed: ``0 log 0`` counts as 0.
import matplotlib.pyplot as plt
import numpy as np

from skinfo import estimate, measures

distributions = {
    "uniform": np.array([0.25, 0.25, 0.25, 0.25]),
    "skewed": np.array([0.8, 0.1, 0.05, 0.05]),
    "deterministic": np.array([1.0, 0.0, 0.0, 0.0]),
}
closed_forms = {
    "uniform": np.log2(4),
    "skewed": -(0.8 * np.log2(0.8) + 0.1 * np.log2(0.1) + 2 * 0.05 * np.log2(0.05)),
    "deterministic": 0.0,
}

print(f"{'distribution':>14}  {'skinfo (bits)':>13}  {'closed form':>11}")
entropies = {}
for name, p in distributions.items():
    entropies[name] = measures.entropy(p, base=2)
    print(f"{name:>14}  {entropies[name]:13.4f}  {closed_forms[name]:11.4f}")

fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), sharey=True)
for ax, (name, p) in zip(axes, distributions.items(), strict=True):
    ax.bar(np.arange(p.size), p, color="tab:blue", alpha=0.8)
    ax.set_title(f"{name}\nH = {entropies[name]:.3f} bits")
    ax.set_xticks(np.arange(p.size))
    ax.set_xlabel("outcome")
    ax.set_ylim(0, 1.05)
    ax.grid(True, axis="y", alpha=0.3)
axes[0].set_ylabel("probability")
fig.tight_layout()

# %%
# The binary entropy function
# ---------------------------
# For two outcomes with probabilities ``p`` and ``1 - p`` the entropy is the binary
# entropy function, largest (1 bit) for a fair coin. ``measures.entropy`` works along
# the last axis of a 2-D array, so the whole curve is one call.
p = np.linspace(0.0, 1.0, 201)
coins = np.column_stack([p, 1 - p])
h = measures.entropy(coins, base=2)
print(f"H(fair coin) = {measures.entropy([0.5, 0.5], base=2):.4f} bits")
print(f"max of the curve = {h.max():.4f} bits at p = {p[np.argmax(h)]:.2f}")

fig, ax = plt.subplots(figsize=(5, 3.4))
ax.plot(p, h, color="tab:blue")
ax.set_xlabel("p = P(heads)")
ax.set_ylabel("H (bits)")
ax.set_title("Binary entropy")
ax.grid(True, alpha=0.3)
fig.tight_layout()

# %%
# Estimating entropy from samples
# -------------------------------
# In practice the distribution is unknown and only samples are seen. The plug-in
# (maximum-likelihood) estimate is the entropy of the observed frequencies; it is
# biased downwards, by about ``(K - 1) / (2 N)`` nats for ``K`` outcomes and ``N``
# samples. The Miller-Madow estimate adds ``(m - 1) / (2 N)`` back, with ``m`` the
# number of outcomes actually observed. Here both estimate the entropy of the
# uniform distribution (2 bits) from samples of growing size, averaged over 100
# repetitions, with the predicted plug-in bias drawn in:
rng = np.random.default_rng(0)
sizes = np.array([5, 10, 20, 50, 100, 200])
true_h = entropies["uniform"]
bias = {"plugin": [], "miller_madow": []}
for n in sizes:
    samples = rng.choice(4, size=(100, n), p=distributions["uniform"])
    for method, values in bias.items():
        est = [estimate.entropy(s, method=method, base=2) for s in samples]
        values.append(np.mean(est) - true_h)
predicted = -(4 - 1) / (2 * sizes) / np.log(2)

print(f"{'N':>5}  {'plug-in':>8}  {'predicted':>9}  {'Miller-Madow':>12}  (bias, bits)")
for n, b_pi, b_pr, b_mm in zip(
    sizes, bias["plugin"], predicted, bias["miller_madow"], strict=True
):
    print(f"{n:5d}  {b_pi:8.4f}  {b_pr:9.4f}  {b_mm:12.4f}")

fig, ax = plt.subplots(figsize=(5.5, 3.6))
ax.axhline(0.0, color="black", lw=0.8)
ax.plot(sizes, bias["plugin"], "o-", label="plug-in")
ax.plot(sizes, predicted, "k--", lw=1, label="-(K - 1) / (2N), in bits")
ax.plot(sizes, bias["miller_madow"], "s-", label="Miller-Madow")
ax.set_xscale("log")
ax.set_xlabel("sample size N")
ax.set_ylabel("mean estimate - true H (bits)")
ax.set_title("Small-sample bias of entropy estimates")
ax.legend()
ax.grid(True, alpha=0.3)
fig.tight_layout()
plt.show()
