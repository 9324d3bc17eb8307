"""
==========================================
Mutual information of correlated Gaussians
==========================================

Two jointly Gaussian variables with correlation ``rho`` share
``I(X;Y) = -1/2 log(1 - rho^2)`` of information, a closed form that makes them the
standard test of a mutual-information estimator. This example draws 1000 samples for
a range of ``rho`` and compares the closed form with three estimates from
:func:`skinfo.estimate.mutual_info`: the nearest-neighbour (KSG) estimator, equal-
frequency bins, and the tutorial's recipe of equal-width bins, whose table is also
scored exactly with :func:`skinfo.measures.mutual_info`.
"""

# %%
# The tutorial's example: rho = 0.7
# ---------------------------------
# The tutorial bins both variables into 9 equal-width bins between their minimum and
# maximum, normalises the joint histogram and computes ``H(X) + H(Y) - H(X, Y)``.
# :func:`skinfo.measures.mutual_info` does the last two steps on the table of counts
# directly. The closed form is ``-1/2 log2(1 - 0.49) = 0.486`` bits.
import matplotlib.pyplot as plt
import numpy as np

from skinfo import estimate, measures

rng = np.random.default_rng(42)
n_samples = 1000


def correlated_pair(rho, n, rng):
    x = rng.normal(size=n)
    y = rho * x + np.sqrt(1 - rho**2) * rng.normal(size=n)
    return x, y


def closed_form(rho):
    return 0.5 * np.log2(1 / (1 - np.asarray(rho) ** 2))


rho = 0.7
x, y = correlated_pair(rho, n_samples, rng)
table, x_edges, y_edges = np.histogram2d(
    x, y, bins=[np.linspace(x.min(), x.max(), 10), np.linspace(y.min(), y.max(), 10)]
)
from_table = measures.mutual_info(table, base=2)
knn = estimate.mutual_info(x, y, method="knn", base=2, random_state=0)
print(f"closed form          {closed_form(rho):.3f} bits")
print(f"9 x 9 histogram      {from_table:.3f} bits (measures.mutual_info on the table)")
print(f"KSG nearest neighbour {knn:.3f} bits (estimate.mutual_info, method='knn')")

fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
axes[0].scatter(x, y, s=4, alpha=0.5)
axes[0].set_xlabel("X")
axes[0].set_ylabel("Y")
axes[0].set_title(f"1000 samples, rho = {rho}")
image = axes[1].imshow(table.T / table.sum(), origin="lower", cmap="viridis")
fig.colorbar(image, ax=axes[1])
axes[1].set_xlabel("X bin")
axes[1].set_ylabel("Y bin")
axes[1].set_title(f"Joint distribution, I = {from_table:.3f} bits")
axes[2].plot(table.sum(axis=1) / table.sum(), "o-", label="p(X bin)")
axes[2].plot(table.sum(axis=0) / table.sum(), "s-", label="p(Y bin)")
axes[2].set_xlabel("bin")
axes[2].set_ylabel("probability")
axes[2].set_title("Marginal distributions")
axes[2].legend()
fig.tight_layout()

# %%
# Mutual information against rho
# ------------------------------
# For each ``rho`` the three estimators see the same five independent samples of
# 1000 points, and each point below is the mean of the five. The binned estimates
# are biased in two opposite ways: counting noise adds about
# ``(B_x - 1)(B_y - 1) / (2N)`` nats even for independent variables (``64 / 2000``
# nats, or 0.046 bits, with 9 bins each: compare the row ``rho = 0``), while coarse bins
# lose the dependence within each bin, which dominates as ``rho`` grows (the
# information of a strongly correlated pair lives at fine scales). The KSG estimator
# has neither problem and follows the closed form closely.
rhos = np.array([0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99])
estimators = {
    "KSG (knn)": {"method": "knn", "random_state": 0},
    "quantile bins": {"method": "binned", "n_bins": 9},
    "equal-width bins": {"method": "binned", "n_bins": 9, "strategy": "uniform"},
}
estimates = {name: [] for name in estimators}
for r in rhos:
    samples = [correlated_pair(r, n_samples, rng) for _ in range(5)]
    for name, params in estimators.items():
        values = [estimate.mutual_info(x, y, base=2, **params) for x, y in samples]
        estimates[name].append(np.mean(values))

print(f"{'rho':>5}  {'closed form':>11}" + "".join(f"  {k:>16}" for k in estimates))
for i, r in enumerate(rhos):
    row = "".join(f"  {values[i]:16.3f}" for values in estimates.values())
    print(f"{r:5.2f}  {closed_form(r):11.3f}{row}")

grid = np.linspace(0.0, 0.995, 200)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(grid, closed_form(grid), "k-", lw=2, label="-1/2 log2(1 - rho^2)")
for (name, values), marker in zip(estimates.items(), "os^", strict=True):
    ax.plot(rhos, values, marker, label=name)
ax.set_xlabel("rho")
ax.set_ylabel("I(X;Y) (bits)")
ax.set_title(f"Correlated Gaussians, N = {n_samples}")
ax.legend()
ax.grid(True, alpha=0.3)
fig.tight_layout()
plt.show()
