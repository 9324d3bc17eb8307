"""
==============================================
Cross-entropy and KL divergence of predictions
==============================================

Cross-entropy ``H(p, q) = -sum_x p(x) log q(x)`` is the average code length when data
from ``p`` are encoded with a code built for ``q``; the Kullback-Leibler divergence
``KL(p || q) = H(p, q) - H(p)`` is the excess over the best possible code. This example
scores a perfect, a good and a poor prediction ``q`` of a three-outcome distribution
``p`` with :func:`skinfo.measures.cross_entropy` and
:func:`skinfo.measures.kl_divergence`, checks the identity and the closed forms, and
shows two properties that matter in practice: KL is not symmetric, and it is infinite
when the prediction rules out an outcome that can happen.
"""

# %%
# One true distribution, three predictions
# ----------------------------------------
# All values are in bits (``base=2``). The perfect prediction has zero divergence
# and its cross-entropy equals the entropy of ``p``; the poorer the prediction, the
# larger both become, by the same amount.
import matplotlib.pyplot as plt
import numpy as np

from skinfo import measures

p = np.array([0.3, 0.2, 0.5])
predictions = {
    "perfect": np.array([0.3, 0.2, 0.5]),
    "good": np.array([0.4, 0.3, 0.3]),
    "poor": np.array([0.1, 0.1, 0.8]),
}

h_p = measures.entropy(p, base=2)
print(f"H(p) = {h_p:.4f} bits")
print(f"{'prediction':>10}  {'H(p, q)':>8}  {'closed form':>11}  {'KL(p||q)':>9}")
scores = {}
for name, q in predictions.items():
    ce = measures.cross_entropy(p, q, base=2)
    kl = measures.kl_divergence(p, q, base=2)
    closed_form = -np.sum(p * np.log2(q))
    scores[name] = (ce, kl)
    print(f"{name:>10}  {ce:8.4f}  {closed_form:11.4f}  {kl:9.4f}")
    print(f"{'':>10}  H(p) + KL(p||q) = {h_p + kl:.4f}")

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharey=True)
x = np.arange(p.size)
for ax, (name, q) in zip(axes, predictions.items(), strict=True):
    ce, kl = scores[name]
    ax.bar(x - 0.18, p, width=0.36, label="true p", alpha=0.8)
    ax.bar(x + 0.18, q, width=0.36, label="predicted q", alpha=0.8)
    ax.set_title(f"{name}\nH(p, q) = {ce:.3f} bits, KL = {kl:.3f} bits")
    ax.set_xticks(x)
    ax.set_xlabel("outcome")
    ax.grid(True, axis="y", alpha=0.3)
axes[0].set_ylabel("probability")
axes[0].legend()
fig.tight_layout()

# %%
# KL divergence is not symmetric
# ------------------------------
# ``KL(p || q)`` weights the log-ratio by ``p``, ``KL(q || p)`` by ``q``; they differ
# in general, so the divergence is not a distance. The Jensen-Shannon divergence
# :func:`skinfo.measures.js_divergence` is a symmetric, bounded alternative (at most
# 1 bit).
for name in ("good", "poor"):
    q = predictions[name]
    forward = measures.kl_divergence(p, q, base=2)
    backward = measures.kl_divergence(q, p, base=2)
    js = measures.js_divergence(p, q, base=2)
    print(
        f"{name:>5}: KL(p||q) = {forward:.4f}, KL(q||p) = {backward:.4f}, "
        f"JS(p, q) = {js:.4f} bits"
    )

# %%
# Ruling out a possible outcome costs infinitely many bits
# --------------------------------------------------------
# A prediction that gives probability 0 to an outcome that does occur cannot encode
# it at all: the cross-entropy and the divergence are infinite. skinfo reports
# ``inf`` instead of silently replacing zeros by a small number. Clipping at
# ``1e-10``, as is sometimes done, turns the answer into an arbitrary large value
# that depends only on the clipping constant. The converse is harmless: outcomes
# that ``p`` never produces contribute nothing, whatever ``q`` says.
p_two = np.array([0.5, 0.5, 0.0])
q_one = np.array([1.0, 0.0, 0.0])
print(f"KL([.5, .5, 0] || [1, 0, 0]) = {measures.kl_divergence(p_two, q_one)}")
print(
    f"KL([1, 0, 0] || [.5, .5, 0]) = {measures.kl_divergence(q_one, p_two, base=2)} bit"
)
for eps in (1e-6, 1e-10, 1e-16):
    clipped = np.maximum(q_one, eps)
    value = np.sum(p_two[:2] * np.log2(p_two[:2] / clipped[:2]))
    print(f"  with zeros clipped at {eps:g}: {value:.2f} bits")

# %%
# Divergence along a path of predictions
# --------------------------------------
# Moving the prediction from uniform towards a point mass on the last outcome, the
# divergence is smallest where ``q`` comes closest to ``p`` (it never reaches 0
# here, because every ``q`` on this path gives the first two outcomes equal mass)
# and then grows without bound as ``q`` starves the outcomes that ``p`` still
# produces. Cross-entropy is the same curve lifted by ``H(p)``.
t = np.linspace(0.0, 0.99, 100)
uniform = np.full(3, 1 / 3)
point = np.array([0.0, 0.0, 1.0])
path = (1 - t)[:, None] * uniform + t[:, None] * point
kl_path = measures.kl_divergence(np.broadcast_to(p, path.shape), path, base=2)
ce_path = measures.cross_entropy(np.broadcast_to(p, path.shape), path, base=2)

fig, ax = plt.subplots(figsize=(5.5, 3.6))
ax.plot(path[:, 2], ce_path, label="cross-entropy H(p, q)")
ax.plot(path[:, 2], kl_path, label="KL(p || q)")
ax.axhline(h_p, color="gray", ls="--", lw=1, label="H(p)")
ax.set_xlabel("q(outcome 2)")
ax.set_ylabel("bits")
ax.set_ylim(0, 5)
ax.legend()
ax.grid(True, alpha=0.3)
fig.tight_layout()
plt.show()
