"""MI of every column with a binary target: skinfo's binned path vs scikit-learn.

skinfo bins every column (quantile edges, 16 bins; binning included in the time) and
counts all column-target tables in one compiled call, through the public
``MIFeatureSelector(criterion="mim")`` (its ``relevance_``). scikit-learn's
``mutual_info_classif`` with its defaults runs the kNN estimator column by column; at
large sizes it is timed on a subset of columns and extrapolated linearly (marked ``*``),
since its cost is a sum of independent per-column searches. A plain-numpy baseline
(``np.quantile`` edges, ``np.searchsorted`` and one ``np.bincount`` per column) shows
what the compiled layer buys.

Run: ``python benchmarks/bench_mi.py`` (``--quick`` for n = 10^4 only).
"""

import argparse
import os
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.feature_selection import mutual_info_classif

sys.path.insert(0, os.path.dirname(__file__))
from _common import best_time, print_table

from skinfo import MIFeatureSelector


def numpy_baseline(X, y, n_bins=16):
    """Quantile bins with np.quantile, then one bincount per column (plug-in MI)."""
    qs = np.linspace(0, 1, n_bins + 1)[1:-1]
    edges = np.quantile(X, qs, axis=0)
    n_y = int(y.max()) + 1
    out = np.empty(X.shape[1])
    p_y = np.bincount(y) / y.size
    for j in range(X.shape[1]):
        codes = np.searchsorted(edges[:, j], X[:, j], side="right")
        table = np.bincount(codes * n_y + y, minlength=n_bins * n_y).reshape(-1, n_y)
        p = table / y.size
        outer = p.sum(axis=1, keepdims=True) * p_y
        nz = p > 0
        out[j] = np.sum(p[nz] * np.log(p[nz] / outer[nz]))
    return out


def measure(n, d, args):
    """One table row: skinfo, the numpy baseline and scikit-learn at (n, d)."""
    X, y = make_classification(
        n_samples=n, n_features=d, n_informative=10, random_state=0
    )
    selector = MIFeatureSelector(
        1, criterion="mim", n_bins=16, n_jobs=args.n_jobs, random_state=0
    )
    selector.fit(X, y)  # warm-up: numba kernels load from the cache
    t_skinfo = best_time(selector.fit, X, y, repeat=args.repeat)
    t_numpy = best_time(numpy_baseline, X, y, repeat=1)
    cols = d if n * d <= 10**6 else min(d, args.sklearn_columns)
    t_sk = best_time(mutual_info_classif, X[:, :cols], y, random_state=0, repeat=1)
    t_sk *= d / cols
    top_skinfo = np.argsort(-selector.relevance_)[:10]
    top_numpy = np.argsort(-numpy_baseline(X, y))[:10]
    return [
        n,
        d,
        t_skinfo,
        t_numpy,
        f"{t_sk:.4g}{'' if cols == d else '*'}",
        t_sk / t_skinfo,
        t_numpy / t_skinfo,
        len(set(top_skinfo) & set(top_numpy)),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10**4, 10**5])
    parser.add_argument("--d", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--sklearn-columns", type=int, default=20)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.n, args.d = [10**4], [100]

    rows = [measure(n, d, args) for n in args.n for d in args.d]
    print(
        "MI of every column with a binary target (make_classification, 10 "
        f"informative); skinfo n_jobs={args.n_jobs}, best of {args.repeat}"
    )
    print_table(
        rows,
        [
            "n",
            "d",
            "skinfo s",
            "numpy s",
            "sklearn s",
            "sklearn/skinfo",
            "numpy/skinfo",
            "top10 agree",
        ],
    )
    print(
        f"* extrapolated from {args.sklearn_columns} columns. "
        "goal: sklearn/skinfo >= 100 at n=1e5, d=500"
    )


if __name__ == "__main__":
    main()
