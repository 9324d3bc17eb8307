"""Error rate and power of ``MIFeatureSelector(n_features_to_select="auto")``.

Data: ``X`` has ``d = 100`` independent standard normal features; ``y`` depends on
5 of them, drawn at random per seed, through ``eta = X_1 + ... + X_5`` plus standard
logistic noise: ``y = 1[eta + e > 0]`` (binary) or ``y = digitize(eta + e,
[-1.5, 1.5])`` (3 classes). The other 95 features are noise, independent of ``y``
and of each other; on null data ``y`` is drawn independently of ``X``.

Prints one table:

1. null rate: the share of fits on null data that accept a feature (a family-wise
   error; the goal is at most alpha), and that keep more than one feature;
2. recall of the 5 informative features, and the mean number of noise features
   selected, at n = 200, 500 and 2000, against scikit-learn's
   ``SelectFwe(f_classif)`` at the same alpha on the same data;
3. the time of ``method="knn"``, ``criterion="mim"``, ``"auto"`` on 200 x 100.

Usage::

    python benchmarks/bench_autostop.py           # 200 null seeds, 20 per size
    python benchmarks/bench_autostop.py --quick   # a small run that checks the script
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.feature_selection import SelectFwe, f_classif

from skinfo import MIFeatureSelector

ALPHA = 0.05
N_FEATURES = 100
N_INFORMATIVE = 5


def make_data(n, seed, n_classes=2, null=False):
    """Gaussian X; y from a logistic model of 5 random features (or of none)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, N_FEATURES))
    informative = rng.choice(N_FEATURES, N_INFORMATIVE, replace=False)
    eta = np.zeros(n) if null else X[:, informative].sum(axis=1)
    z = eta + rng.logistic(size=n)
    y = (z > 0).astype(int) if n_classes == 2 else np.digitize(z, [-1.5, 1.5])
    return X, y, set(informative.tolist())


def fit_auto(X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no feature is significant" on null data
        sel = MIFeatureSelector(alpha=ALPHA, **kwargs).fit(X, y)
    return sel


def kept(sel):
    return set(np.flatnonzero(sel.get_support()).tolist())


def null_rate(n, n_classes, seeds, **kwargs):
    """Shares of null fits that accept a feature, and that keep more than one."""
    accepting = more = 0
    for seed in range(seeds):
        X, y, _ = make_data(n, 10_000 + seed, n_classes, null=True)
        sel = fit_auto(X, y, **kwargs)
        accepting += bool(np.any(sel.pvalues_ <= ALPHA))
        more += len(kept(sel)) > 1
    return accepting / seeds, more / seeds


def recall(n, n_classes, seeds):
    found, found_fwe, noise, noise_fwe = 0, 0, 0, 0
    for seed in range(seeds):
        X, y, informative = make_data(n, seed, n_classes)
        chosen = kept(fit_auto(X, y))
        fwe = SelectFwe(f_classif, alpha=ALPHA).fit(X, y)
        kept_fwe = set(np.flatnonzero(fwe.get_support()).tolist())
        found += len(chosen & informative)
        found_fwe += len(kept_fwe & informative)
        noise += len(chosen - informative)
        noise_fwe += len(kept_fwe - informative)
    total = seeds * N_INFORMATIVE
    return found / total, found_fwe / total, noise / seeds, noise_fwe / seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small check run")
    args = parser.parse_args()
    null_seeds, seeds = (20, 3) if args.quick else (200, 20)

    print(f"d = {N_FEATURES}, {N_INFORMATIVE} informative, alpha = {ALPHA}")
    print()
    print(
        f"null data, {null_seeds} seeds: share of fits that accept a feature "
        "(family-wise error), and that keep more than one"
    )
    for n, n_classes in ((200, 2), (500, 3)):
        accepting, more = null_rate(n, n_classes, null_seeds)
        print(f"  n = {n:5d}, {n_classes} classes: {accepting:.3f}  {more:.3f}")
    print()
    print(f"recall of the informative features, {seeds} seeds (noise: mean count)")
    header = (
        f"{'n':>6} {'classes':>7} {'auto':>7} {'SelectFwe':>9} "
        f"{'auto noise':>10} {'Fwe noise':>9}"
    )
    print(header)
    for n_classes in (2, 3):
        for n in (200, 500, 2000):
            r, r_fwe, fp, fp_fwe = recall(n, n_classes, seeds)
            print(
                f"{n:>6} {n_classes:>7} {r:>7.3f} {r_fwe:>9.3f} "
                f"{fp:>10.2f} {fp_fwe:>9.2f}"
            )
    print()
    X, y, informative = make_data(200, 0)
    start = time.perf_counter()
    chosen = kept(fit_auto(X, y, criterion="mim", method="knn", random_state=0))
    elapsed = time.perf_counter() - start
    print(
        f"knn, mim, auto on 200 x {N_FEATURES}: {elapsed:.2f} s "
        f"({len(chosen & informative)} of {N_INFORMATIVE} informative kept, "
        f"{len(chosen - informative)} noise)"
    )


if __name__ == "__main__":
    main()
