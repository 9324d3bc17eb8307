"""Fit time of EntropyDiscretizer against KBinsDiscretizer and MDLP packages on PyPI.

Data: ``make_classification`` with 20 features (5 informative, 2 redundant) and 3
classes. Every time is the best wall-clock time of ``--repeat`` fits. MDLP packages
from PyPI are used when they import; they are not dependencies of skinfo.

The ``mdlp grid 256`` columns score 256 quantile candidate cuts per feature
(``n_candidates=256``: grid from the subsample, class counts of every row) instead
of every midpoint between distinct values.

A second table puts ``EntropyDiscretizer("quantile")`` against ``KBinsDiscretizer``
(quantile strategy, both with 5 bins, the 200,000-row subsample and the averaged
inverted CDF) on a large ``--quantile-size`` matrix (1e6 x 100 standard normal): fit
time (best of ``--repeat``) and the peak of memory allocated during one fit, as
``tracemalloc`` sees it (numpy reports its buffers to it), each with its ratio.

Usage::

    python benchmarks/bench_discretizer.py --sizes 1e4,1e5 --repeat 3
"""

from __future__ import annotations

import argparse
import importlib
import time
import tracemalloc

import numpy as np
from sklearn.datasets import make_classification
from sklearn.preprocessing import KBinsDiscretizer

from skinfo._discretization import EntropyDiscretizer

#: (PyPI distribution, module imported, estimator factory) of MDLP implementations.
EXTERNAL = [
    (
        "mdlp-discretization",
        "mdlp.discretization",
        lambda module: module.MDLP(),
    ),
    (
        "fimdlp",
        "fimdlp.mdlp",
        lambda module: module.FImdlp(n_jobs=1),
    ),
    (
        "optbinning",
        "optbinning",
        None,  # its MDLP class bins one feature at a time: wrapped below
    ),
]


class _PerFeature:
    """Fit a one-feature binner on every column (for optbinning's MDLP)."""

    def __init__(self, factory):
        self.factory = factory

    def fit(self, X, y):
        self.binners_ = [self.factory().fit(X[:, j], y) for j in range(X.shape[1])]
        return self


def find_external():
    """Importable MDLP implementations, and a note on each one that is missing."""
    found, missing = [], []
    for dist, module_name, factory in EXTERNAL:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # ImportError, or a broken build
            missing.append(f"{dist} (import {module_name}: {type(exc).__name__})")
            continue
        if factory is None:
            found.append((dist, lambda m=module: _PerFeature(m.MDLP)))
        else:
            found.append((dist, lambda m=module, f=factory: f(m)))
    return found, missing


def best_time(make, X, y, repeat):
    times = []
    for _ in range(repeat):
        estimator = make()
        start = time.perf_counter()
        estimator.fit(X, y)
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(make, X, y):
    """Peak bytes allocated (tracemalloc) during one fit, above what was held before."""
    estimator = make()
    tracemalloc.start()
    try:
        estimator.fit(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def quantile_table(n, d, repeat, n_jobs):
    """Time and peak memory of quantile binning: skinfo against KBinsDiscretizer."""
    X = np.random.default_rng(0).standard_normal((n, d))
    y = None
    methods = [
        (
            "EntropyDiscretizer quantile",
            lambda: EntropyDiscretizer(
                "quantile", n_bins=5, n_jobs=n_jobs, random_state=0
            ),
        ),
        (
            "KBinsDiscretizer quantile",
            lambda: KBinsDiscretizer(
                n_bins=5,
                encode="ordinal",
                strategy="quantile",
                quantile_method="averaged_inverted_cdf",
                random_state=0,
            ),
        ),
    ]
    rows = []
    for name, make in methods:
        make().fit(X[:1000], y)  # warm-up (compiled kernels load from the cache)
        rows.append((name, best_time(make, X, y, repeat), peak_memory(make, X, y)))
    print(
        f"\nQuantile bins, {n:.0e} x {d} float64 ({X.nbytes / 2**20:.0f} MiB); "
        f"best of {repeat} fits; peak: tracemalloc during one fit"
    )
    print(f"{'':>28}  {'fit s':>8}  {'peak MiB':>9}")
    for name, seconds, peak in rows:
        print(f"{name:>28}  {seconds:8.3f}  {peak / 2**20:9.1f}")
    (_, t_ours, m_ours), (_, t_kb, m_kb) = rows
    print(
        f"{'skinfo / KBins':>28}  {t_ours / t_kb:7.2f}x  {m_ours / m_kb:8.2f}x  "
        "(goal: <= 1.2x each)"
    )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1e4,1e5,1e6",
        help="comma-separated numbers of samples (default: 1e4,1e5,1e6)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="fits per timing")
    parser.add_argument("--n-features", type=int, default=20)
    parser.add_argument(
        "--n-jobs", type=int, default=None, help="n_jobs of EntropyDiscretizer"
    )
    parser.add_argument(
        "--no-external", action="store_true", help="skip the PyPI MDLP packages"
    )
    parser.add_argument(
        "--external-max-n",
        type=float,
        default=2e4,
        help="largest n given to the PyPI packages, which can be far slower "
        "(default: 2e4; fimdlp 1.0.1 needs about 5 s at 1e4 x 20)",
    )
    parser.add_argument(
        "--quantile-size",
        default="1e6,100",
        help="n,d of the quantile table (default: 1e6,100; empty to skip it)",
    )
    args = parser.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",") if s.strip()]

    external, missing = ([], []) if args.no_external else find_external()
    if missing:
        print("MDLP packages not importable here:", "; ".join(missing))

    methods = [
        ("skinfo mdlp", lambda: EntropyDiscretizer(n_jobs=args.n_jobs)),
        (
            "mdlp all rows",
            lambda: EntropyDiscretizer(subsample=None, n_jobs=args.n_jobs),
        ),
        (
            "mdlp grid 256",
            lambda: EntropyDiscretizer(n_candidates=256, n_jobs=args.n_jobs),
        ),
        (
            "grid 256 all rows",
            lambda: EntropyDiscretizer(
                n_candidates=256, subsample=None, n_jobs=args.n_jobs
            ),
        ),
        (
            "skinfo quantile",
            lambda: EntropyDiscretizer("quantile", n_jobs=args.n_jobs),
        ),
        (
            "KBins quantile",
            lambda: KBinsDiscretizer(n_bins=5, encode="ordinal", strategy="quantile"),
        ),
    ]
    n_own = len(methods)
    kbins = [name for name, _ in methods].index("KBins quantile")
    methods += external
    header = ["n", *(name for name, _ in methods), "mdlp/KBins"]
    widths = [max(len(h), 9) for h in header]
    print(f"{args.n_features} features, 3 classes; best of {args.repeat} fits, s")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    results = {}
    for n in sizes:
        X, y = make_classification(
            n_samples=n,
            n_features=args.n_features,
            n_informative=5,
            n_redundant=2,
            n_classes=3,
            random_state=0,
        )
        times = [
            best_time(make, X, y, args.repeat)
            if i < n_own or n <= args.external_max_n
            else np.nan
            for i, (_, make) in enumerate(methods)
        ]
        ratio = times[0] / times[kbins]
        results[n] = (times[0], ratio)
        cells = ("skipped" if np.isnan(t) else f"{t:.4f}" for t in times)
        row = [f"{n:.0e}", *cells, f"{ratio:.2f}"]
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    if 100_000 in results:
        seconds, ratio = results[100_000]
        print(
            f"goal at 1e5 x {args.n_features}: under 1 s "
            f"({'met' if seconds < 1 else 'MISSED'}: {seconds:.3f} s), at most 3x "
            f"KBinsDiscretizer ({'met' if ratio <= 3 else 'MISSED'}: {ratio:.2f}x)"
        )
    if args.quantile_size:
        n, d = (int(float(v)) for v in args.quantile_size.split(","))
        quantile_table(n, d, args.repeat, args.n_jobs)
    return results


if __name__ == "__main__":
    main()
