"""The binned layer against one pass over its input: binning, then counting.

1. Binning: quantile edges (``fit_bin_edges``, 16 bins, the default averaged inverted
   CDF) and codes (``apply_bin_edges``) of an n x d float64 matrix, C- and
   F-ordered, against one pass over the floats (``X.sum(axis=0)``); then both from
   one call (``fit_bin_codes``, the compiled two-pass kernel), checked equal; the
   sort-based edges the kernel replaced (``_quantile_edges``) are timed for reference.
2. One greedy feature-selection step on coded data, numba kernel vs numpy twin: a
   step counts, for every column, its table against the joint code of one selected
   column and the target. The floor is one pass over the coded matrix
   (``codes.sum(axis=0)``): no counting kernel can beat reading its input once.

Run: ``python benchmarks/bench_counting.py`` (``--sizes 100000`` for a quick run).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _common import best_time, print_table

from skinfo._binning import (
    _quantile_edges,
    apply_bin_edges,
    fit_bin_codes,
    fit_bin_edges,
)
from skinfo._counting import batch_counts


def measure_binning(n, args):
    """Time quantile edges and codes of an n x d float matrix in both layouts."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, args.d))
    rows = []
    for order, data in (("C", X), ("F", np.asfortranarray(X))):
        step = {"n_jobs": args.n_jobs}
        apply_bin_edges(data[:5000], fit_bin_edges(data[:5000], 4, "quantile"))  # JIT
        # the sort-based rule the kernel replaces, for reference
        ks = np.full(args.d, args.bins)
        method = "averaged_inverted_cdf"
        t_sort = best_time(
            _quantile_edges, data, None, ks, method, args.n_jobs, repeat=args.repeat
        )
        t_edges = best_time(
            fit_bin_edges, data, args.bins, "quantile", repeat=args.repeat, **step
        )
        edges = fit_bin_edges(data, args.bins, "quantile", **step)
        t_codes = best_time(apply_bin_edges, data, edges, repeat=args.repeat, **step)
        fit_bin_codes(data[:5000], 4, "quantile")  # JIT
        t_fused = best_time(
            fit_bin_codes, data, args.bins, "quantile", repeat=args.repeat, **step
        )
        fused_edges, fused_codes, _ = fit_bin_codes(data, args.bins, "quantile", **step)
        codes, _ = apply_bin_edges(data, edges, **step)
        assert all(
            np.array_equal(a, b) for a, b in zip(fused_edges, edges, strict=True)
        )
        assert np.array_equal(fused_codes, codes)
        t_floor = best_time(data.sum, axis=0, repeat=args.repeat)
        total = t_edges + t_codes
        rows.append(
            [
                n,
                args.d,
                order,
                t_sort,
                t_edges,
                t_codes,
                t_fused,
                t_floor,
                total / t_floor,
                t_fused / t_floor,
            ]
        )
    return rows


def measure(n, args):
    """Time one greedy step at ``n`` rows with both kernels and the floor."""
    rng = np.random.default_rng(0)
    codes = np.asfortranarray(
        rng.integers(0, args.bins, size=(n, args.d), dtype=np.uint8)
    )
    ctx = codes[:, 0].astype(np.intp) * 2 + rng.integers(0, 2, size=n)
    shape = (args.bins, 2 * args.bins)
    step = {"n_jobs": args.n_jobs}
    batch_counts(codes, ctx, *shape, backend="numba", **step)  # compile or load cache
    t_numba = best_time(
        batch_counts, codes, ctx, *shape, backend="numba", repeat=args.repeat, **step
    )
    t_numpy = best_time(
        batch_counts, codes, ctx, *shape, backend="numpy", repeat=1, **step
    )
    t_floor = best_time(codes.sum, axis=0, repeat=args.repeat)
    assert np.array_equal(
        batch_counts(codes, ctx, *shape, backend="numba"),
        batch_counts(codes, ctx, *shape, backend="numpy"),
    )
    return [n, args.d, t_numba, t_numpy, t_floor, t_numba / t_floor, t_numpy / t_numba]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**5, 10**6])
    parser.add_argument("--binning-sizes", type=int, nargs="*", default=[10**5])
    parser.add_argument(
        "--binning-only", action="store_true", help="skip the counting table"
    )
    parser.add_argument("--d", type=int, default=500)
    parser.add_argument("--bins", type=int, default=16)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    binning = [row for n in args.binning_sizes for row in measure_binning(n, args)]
    print(
        f"Binning: quantile edges ({args.bins} bins) + codes of a float64 matrix; "
        f"n_jobs={args.n_jobs}; best of {args.repeat}"
    )
    print_table(
        binning,
        [
            "n",
            "d",
            "order",
            "sort edges s",
            "edges s",
            "codes s",
            "fused s",
            "floor s",
            "(edges+codes)/floor",
            "fused/floor",
        ],
    )
    print("goal: edges+codes <= 3 floors (floor: one pass X.sum(axis=0))\n")

    if args.binning_only:
        return
    rows = [measure(n, args) for n in args.sizes]
    print(
        f"One greedy step: {args.d} columns x {args.bins} bins against "
        f"(selected column, binary y); n_jobs={args.n_jobs}; best of {args.repeat}"
    )
    print_table(
        rows,
        [
            "n",
            "d",
            "numba s",
            "numpy twin s",
            "floor s",
            "numba/floor",
            "twin/numba",
        ],
    )
    print("goal: numba/floor <= 3 and twin/numba >= 8")


if __name__ == "__main__":
    main()
