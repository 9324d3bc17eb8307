"""What ``MIFeatureSelector(memory=...)`` saves: a cached fit and a grid search.

Prints three tables:

1. the cache key: seconds to hash one fold's ``X`` with skinfo's key (C and
   Fortran order), the SHA-256 key it replaced, other hashlib digests, joblib's
   hasher, and numpy's sum of ``X`` as the floor (one read of the memory);
2. a cold fit (empty cache), a fully cached fit (same data and parameters) and
   their ratio;
3. ``GridSearchCV`` over 8 values of ``n_features_to_select`` (3 folds) with a
   cold ``memory``, once with ``LogisticRegression`` downstream and once with a
   near-free ``GaussianNB`` (``BernoulliNB`` for sparse input), plus
   (``--baseline``) the first without ``memory``.
   Each grid reports its total time and the time spent inside the selector's
   ``fit`` (a timing subclass), summed over the grid and split into the first fit
   of each fold (cold), the other fits of the folds (served by the cache) and the
   refit on all rows (cold: new data), all in cold fits of one fold.

Each fold's binning and greedy path are computed once with ``memory``: the 8 grid
points of a fold share them (the longest path serves every shorter size).

Usage::

    python benchmarks/bench_memory_cache.py              # n=20000, d=2000, k<=40
    python benchmarks/bench_memory_cache.py --baseline   # and the grid without memory
    python benchmarks/bench_memory_cache.py --quick      # n=3000, d=200: checks it runs
    python benchmarks/bench_memory_cache.py --sparse     # the same on a CSR matrix
    python benchmarks/bench_memory_cache.py --cpu        # CPU seconds of one thread

On a busy machine wall times vary widely from run to run; ``--cpu`` runs
everything on one thread (``n_jobs=1``, BLAS and OpenMP limited to one thread) and
reads the process's CPU time instead, which other processes hardly disturb.
"""

import argparse
import contextlib
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.naive_bayes import BernoulliNB, GaussianNB
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table

from skinfo import MIFeatureSelector
from skinfo._selection_encoding import _digest

#: The clock of every measurement: wall time, or CPU time with ``--cpu``.
CLOCK = time.perf_counter

#: Seconds of every ``_TimedSelector.fit`` since the last reset, in call order.
FIT_TIMES = []
#: Seconds of every ``_TimedSelector.transform`` since the last reset.
TRANSFORM_TIMES = []


class _TimedSelector(MIFeatureSelector):
    """The selector, recording how long each call takes (clone keeps the class)."""

    def fit(self, X, y, sample_weight=None):
        start = CLOCK()
        out = super().fit(X, y, sample_weight=sample_weight)
        FIT_TIMES.append(CLOCK() - start)
        return out

    def transform(self, X):
        start = CLOCK()
        out = super().transform(X)
        TRANSFORM_TIMES.append(CLOCK() - start)
        return out


def _timed(func):
    start = CLOCK()
    func()
    return CLOCK() - start


def _best_time(func, repeat=3):
    return min(_timed(func) for _ in range(repeat))


def _grid(memory, sizes, n_jobs, criterion, downstream):
    select = _TimedSelector(criterion=criterion, memory=memory, n_jobs=n_jobs)
    pipe = Pipeline([("select", select), ("clf", downstream)])
    return GridSearchCV(pipe, {"select__n_features_to_select": sizes}, cv=3)


def _key_rows(X):
    """Seconds (best of 3) and GB/s of each way to key one fold's ``X``."""
    X_f = np.asfortranarray(X)
    _digest(X[:10])  # compile (or load) the key kernel first
    candidates = [
        ("skinfo key (C order)", lambda: _digest(X)),
        ("skinfo key (Fortran order)", lambda: _digest(X_f)),
        ("SHA-256 of the bytes (the old key)", lambda: hashlib.sha256(X.data)),
        ("SHA-1 of the bytes", lambda: hashlib.sha1(X.data)),
        ("BLAKE2b of the bytes", lambda: hashlib.blake2b(X.data)),
        ("MD5 of the bytes", lambda: hashlib.md5(X.data)),
        ("joblib.hash (MD5 of a pickle stream)", lambda: joblib.hash(X)),
        ("X.sum() (one read of memory: the floor)", lambda: X.sum()),
    ]
    rows = []
    for name, func in candidates:
        seconds = _best_time(func)
        rows.append((name, seconds, f"{X.nbytes / seconds / 1e9:.2f} GB/s"))
    return rows


def _grid_rows(name, search, X, y, t_fold, n_folds=3, cached_label="cached"):
    """Wall time of a grid and the selector's share, in cold fold fits."""
    FIT_TIMES.clear()
    TRANSFORM_TIMES.clear()
    wall = _timed(lambda: search.fit(X, y))
    fits = np.asarray(FIT_TIMES)
    transforms = np.sum(TRANSFORM_TIMES)
    # GridSearchCV runs candidate by candidate, each over every fold, then refits:
    # with the largest size first, the first fit of each fold does all the work
    cold, cached, refit = fits[:n_folds], fits[n_folds:-1], fits[-1]
    total = fits.sum()
    return [
        (f"{name}: whole grid", wall, f"{wall / t_fold:.1f} fold fits"),
        (
            f"{name}: in selector.fit",
            total,
            f"{total / t_fold:.2f} fold fits = {total / t_fold / n_folds:.2f} per fold",
        ),
        (
            f"  first fit of each fold, largest size ({cold.size})",
            cold.sum(),
            f"{cold.sum() / t_fold:.2f}",
        ),
        (
            f"  other fits, {cached_label} ({cached.size})",
            cached.sum(),
            f"{cached.sum() / t_fold:.2f} ({cached.mean() * 1e3:.0f} ms each)",
        ),
        ("  refit on all rows (1)", refit, f"{refit / t_fold:.2f}"),
        (
            "  without the refit",
            total - refit,
            f"{(total - refit) / t_fold / n_folds:.2f} per fold",
        ),
        (
            f"{name}: in selector.transform ({len(TRANSFORM_TIMES)})",
            transforms,
            f"{transforms / t_fold:.2f} fold fits",
        ),
    ]


def main(argv=None):
    global CLOCK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="samples")
    parser.add_argument("--d", type=int, default=2_000, help="features")
    parser.add_argument("--k", type=int, default=40, help="largest size of the grid")
    parser.add_argument("--criterion", default="jmi")
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--sparse", action="store_true", help="CSR input")
    parser.add_argument("--quick", action="store_true", help="n=3000, d=200, k=20")
    parser.add_argument(
        "--baseline", action="store_true", help="also the grid without memory"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="CPU time of one thread, not wall time"
    )
    args = parser.parse_args(argv)
    limits = contextlib.nullcontext()
    if args.cpu:
        CLOCK, args.n_jobs = time.process_time, 1
        limits = threadpool_limits(1)
    with limits:
        _run(args)


def _run(args):
    if args.quick:
        args.n, args.d, args.k = 3_000, 200, 20
    X, y = make_classification(
        n_samples=args.n,
        n_features=args.d,
        n_informative=10,
        n_redundant=10,
        random_state=0,
    )
    train = np.arange(X.shape[0]) % 3 != 0
    kind = "dense"
    key_rows = _key_rows(X[train])
    fold_bytes = X[train].nbytes
    if args.sparse:
        X = sp.csr_matrix(np.where(np.abs(X) < 1.0, 0.0, X))
        kind = "CSR"
    # largest size first: the first fit of each fold computes the whole path and the
    # others are pure cache hits (in increasing order each fit extends the path a
    # little, for about the same total)
    sizes = np.unique(np.linspace(args.k / 8, args.k, 8).astype(int))[::-1].tolist()
    # compile the counting kernels first: the cold fit must not pay for the JIT
    MIFeatureSelector(2, criterion=args.criterion).fit(X[:300, :20], y[:300])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sel = MIFeatureSelector(
            args.k, criterion=args.criterion, memory=tmp, n_jobs=args.n_jobs
        )
        cold = _timed(lambda: sel.fit(X, y))
        warm = min(_timed(lambda: sel.fit(X, y)) for _ in range(3))
    rows.append((f"cold fit, k={args.k}", cold, ""))
    rows.append(("fully cached fit", warm, f"{warm / cold:.1%} of a cold fit"))
    # a cold fit on one fold's training rows, the unit of the grid's cost
    fold = MIFeatureSelector(args.k, criterion=args.criterion, n_jobs=args.n_jobs)
    X_fold, y_fold = X[train], y[train]  # sliced outside the clock, as in the grid
    t_fold = _best_time(lambda: fold.fit(X_fold, y_fold), repeat=2)
    rows.append(
        ("cold fit of one fold, no memory (best of 2): the unit", t_fold, "1 fold fit")
    )
    with tempfile.TemporaryDirectory() as tmp:
        fold.set_params(memory=tmp)
        t_keyed = _timed(lambda: fold.fit(X_fold, y_fold))
    rows.append(
        (
            "cold fit of one fold with memory (key and store)",
            t_keyed,
            f"{t_keyed / t_fold:.2f} fold fits",
        )
    )
    grid = f"{len(sizes)} sizes x 3 folds"
    # a near-free downstream estimator (GaussianNB needs dense input)
    cheap = (
        ("BernoulliNB", BernoulliNB()) if args.sparse else ("GaussianNB", GaussianNB())
    )
    downstream = {
        "LogisticRegression": LogisticRegression(max_iter=200),
        cheap[0]: cheap[1],
    }
    if args.baseline:
        search = _grid(
            None, sizes, args.n_jobs, args.criterion, downstream["LogisticRegression"]
        )
        rows += _grid_rows(
            f"{grid}, LogisticRegression, no memory",
            search,
            X,
            y,
            t_fold,
            cached_label="no cache",
        )
    for name, clf in downstream.items():
        with tempfile.TemporaryDirectory() as tmp:
            search = _grid(tmp, sizes, args.n_jobs, args.criterion, clf)
            rows += _grid_rows(f"{grid}, {name}, cold memory", search, X, y, t_fold)
    n_train = int(train.sum())
    print(
        f"Keys of one fold's dense X ({n_train} x {args.d} float64, "
        f"{fold_bytes / 1e6:.0f} MB)"
    )
    print_table(key_rows, ["key", "seconds", "speed"])
    print()
    clock = "CPU seconds, one thread" if args.cpu else "wall seconds"
    print(
        f"MIFeatureSelector(criterion={args.criterion!r}) on {kind} "
        f"{args.n} x {args.d}; sizes {sizes}; one cold fold fit {t_fold:.3g} s; "
        f"{clock}"
    )
    print_table(rows, ["what", "seconds", "note"])


if __name__ == "__main__":
    main()
