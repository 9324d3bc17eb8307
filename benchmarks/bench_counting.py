"""One greedy feature-selection step on coded data: numba kernel vs numpy twin.

A step counts, for every column, its table against the joint code of one selected
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

from skinfo._counting import batch_counts


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
    parser.add_argument("--d", type=int, default=500)
    parser.add_argument("--bins", type=int, default=16)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

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
