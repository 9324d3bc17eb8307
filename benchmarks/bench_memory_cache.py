"""What ``MIFeatureSelector(memory=...)`` saves: a cached fit and a grid search.

Prints one table:

1. a cold fit (empty cache), a fully cached fit (same data and parameters) and
   their ratio;
2. ``GridSearchCV`` over 8 values of ``n_features_to_select`` (3 folds, a
   selector and a logistic regression in a pipeline) without ``memory`` and with
   a cold ``memory``, their ratio, and the grid's time in cold fits of one fold.

Each fold's binning and greedy path are computed once with ``memory``: the 8 grid
points of a fold share them (the longest path serves every shorter size).

Usage::

    python benchmarks/bench_memory_cache.py            # n=20000, d=2000, k up to 40
    python benchmarks/bench_memory_cache.py --quick    # n=3000, d=200: checks it runs
    python benchmarks/bench_memory_cache.py --sparse   # the same on a CSR matrix
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table

from skinfo import MIFeatureSelector


def _timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _grid(memory, sizes, n_jobs, criterion):
    pipe = Pipeline(
        [
            (
                "select",
                MIFeatureSelector(criterion=criterion, memory=memory, n_jobs=n_jobs),
            ),
            ("clf", LogisticRegression(max_iter=200)),
        ]
    )
    return GridSearchCV(pipe, {"select__n_features_to_select": sizes}, cv=3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="samples")
    parser.add_argument("--d", type=int, default=2_000, help="features")
    parser.add_argument("--k", type=int, default=40, help="largest size of the grid")
    parser.add_argument("--criterion", default="jmi")
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--sparse", action="store_true", help="CSR input")
    parser.add_argument("--quick", action="store_true", help="n=3000, d=200, k=20")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.d, args.k = 3_000, 200, 20
    X, y = make_classification(
        n_samples=args.n,
        n_features=args.d,
        n_informative=10,
        n_redundant=10,
        random_state=0,
    )
    if args.sparse:
        X = sp.csr_matrix(np.where(np.abs(X) < 1.0, 0.0, X))
    sizes = np.unique(np.linspace(args.k / 8, args.k, 8).astype(int)).tolist()
    kind = "CSR" if args.sparse else "dense"
    rows = []
    # compile the counting kernels first: the cold fit must not pay for the JIT
    MIFeatureSelector(2, criterion=args.criterion).fit(X[:300, :20], y[:300])
    with tempfile.TemporaryDirectory() as tmp:
        sel = MIFeatureSelector(
            args.k, criterion=args.criterion, memory=tmp, n_jobs=args.n_jobs
        )
        cold = _timed(lambda: sel.fit(X, y))
        warm = min(_timed(lambda: sel.fit(X, y)) for _ in range(3))
    rows.append((f"cold fit, k={args.k}", cold, ""))
    rows.append(("fully cached fit", warm, f"{warm / cold:.1%} of a cold fit"))
    # a cold fit on one fold's training rows, the unit of the grid's cost
    train = np.arange(X.shape[0]) % 3 != 0
    fold = MIFeatureSelector(args.k, criterion=args.criterion, n_jobs=args.n_jobs)
    t_fold = _timed(lambda: fold.fit(X[train], y[train]))
    plain = _timed(lambda: _grid(None, sizes, args.n_jobs, args.criterion).fit(X, y))
    with tempfile.TemporaryDirectory() as tmp:
        search = _grid(tmp, sizes, args.n_jobs, args.criterion)
        cached = _timed(lambda: search.fit(X, y))
    grid = f"GridSearchCV {len(sizes)} sizes x 3 folds"
    rows.append((f"{grid}, no memory", plain, f"{plain / t_fold:.1f} fold fits"))
    rows.append(
        (
            f"{grid}, cold memory",
            cached,
            f"{cached / t_fold:.1f} fold fits, {1 - cached / plain:.0%} saved",
        )
    )
    print(
        f"MIFeatureSelector(criterion={args.criterion!r}) on {kind} "
        f"{args.n} x {args.d}; sizes {sizes}; one cold fold fit {t_fold:.3g} s"
    )
    print_table(rows, ["what", "seconds", "note"])


if __name__ == "__main__":
    main()
