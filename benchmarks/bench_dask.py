"""``MIFeatureSelector`` on Dask: a two-worker ``LocalCluster`` against in-memory.

Two measurements, each on a ``distributed.LocalCluster`` of worker processes with one
thread each (the issue "Beyond one machine"):

1. JMI (``n_features_to_select=10``) on ``--n-small`` x 30 float64 (1e6 by default)
   generated on the workers with ``dask.array.random`` and persisted there, fitted
   through dask, against the in-memory fit of the same data gathered as numpy
   (which uses every core through the compiled kernels). Goal: at most 4x. The
   quantile edges of the dask fit come from a 200,000-row subsample drawn on the
   workers, those of the in-memory fit from its own subsample, so the table also
   gives whether the selections agree, the largest relative difference of the
   selected features' relevances (goal: the same selection, within 1%) and the
   largest absolute difference of all relevances in nats (noise columns have
   relevances of about 1e-5 nats, for which a relative difference means little).
2. JMI-10 on ``--n-large`` x 50 float32 (2e7 by default: 4 GB) generated and
   persisted on the workers (``memory_limit`` 8 GiB per worker), fitted with one
   worker and with two (``--n-jobs 1``: one kernel thread per task, so that
   the number of workers is the number of cores used; by default each task's
   kernels use every core). The client process's resident memory is sampled every
   0.05 s during the fit; its growth over the value before the fit is reported
   (goal: below 1 GB; ``X`` is never gathered).

The target (3 classes) depends on ten of the columns (0, 3, 6, ...). Run from the
repository root: ``python benchmarks/bench_dask.py`` (minutes), or ``--quick`` (1e5
and 2e6 rows, under a minute).
"""

import argparse
import os
import sys
import threading
import time
import warnings

import numpy as np
import psutil

sys.path.insert(0, os.path.dirname(__file__))
import dask.array as da
from _common import print_table
from distributed import Client, LocalCluster

from skinfo import MIFeatureSelector

#: Columns ``0, 3, 6, ...`` (this many) carry information about the target.
INFORMATIVE = 10


def make_data(n, d, chunk, dtype, seed):
    """Features and a 3-class target, generated lazily on the workers."""
    rs = da.random.RandomState(seed)
    X = rs.standard_normal((n, d), chunks=(chunk, d)).astype(dtype)
    noise = rs.standard_normal(n, chunks=chunk)
    # ten informative columns of decreasing weight (0, 3, 6, ...), the rest noise
    score = 0.5 * noise
    for i in range(INFORMATIVE):
        score = score + X[:, 3 * i] / (1.0 + 0.3 * i)
    y = (score > 0).astype(np.int8) + (score > 2.0).astype(np.int8)
    return X, y


class PeakRSS:
    """Highest resident memory of this process while the ``with`` block runs."""

    def __init__(self, interval=0.05):
        self.interval, self.process = interval, psutil.Process()

    def __enter__(self):
        self.base = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def _watch(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mb(self):
        """Peak minus the resident memory at entry, in MB."""
        return (self.peak - self.base) / 1e6


def cluster(n_workers, memory_limit):
    """A ``LocalCluster`` of ``n_workers`` processes with one thread each."""
    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_limit,
        dashboard_address=None,
    )


def jmi(k, n_jobs=None):
    return MIFeatureSelector(k, criterion="jmi", random_state=0, n_jobs=n_jobs)


def compare_in_memory(n, k, chunk):
    """Part 1: the dask fit and the in-memory fit of the same n x 30 data."""
    with cluster(2, "4GiB") as lc, Client(lc) as client:
        X, y = make_data(n, 30, chunk, np.float64, seed=0)
        X, y = client.persist([X, y])
        X_np, y_np = client.compute([X, y], sync=True)  # for the in-memory fit only
        jmi(2).fit(X[:20_000], y[:20_000])  # compile the kernels on the workers
        jmi(2).fit(X_np[:20_000], y_np[:20_000])  # and in this process
        start = time.perf_counter()
        dist = jmi(k).fit(X, y)
        t_dask = time.perf_counter() - start
        start = time.perf_counter()
        mem = jmi(k).fit(X_np, y_np)
        t_mem = time.perf_counter() - start
    same = bool(np.array_equal(dist.get_support(), mem.get_support()))
    order = bool(np.array_equal(dist.ranking_, mem.ranking_))
    sel = mem.ranking_[:k]
    rel = float(
        np.max(np.abs(dist.relevance_[sel] - mem.relevance_[sel]) / mem.relevance_[sel])
    )
    gap = float(np.max(np.abs(dist.relevance_ - mem.relevance_)))
    return t_dask, t_mem, same, order, rel, gap


def large_fit(n, k, chunk, n_workers, n_jobs):
    """Part 2: JMI-k on n x 50 float32 persisted on ``n_workers`` workers."""
    with cluster(n_workers, "8GiB") as lc, Client(lc) as client:
        X, y = make_data(n, 50, chunk, np.float32, seed=1)
        start = time.perf_counter()
        X, y = client.persist([X, y])
        client.wait_for_workers(n_workers)
        from distributed import wait

        wait([X, y])
        t_gen = time.perf_counter() - start
        jmi(2).fit(X[:20_000], y[:20_000])  # compile the kernels on the workers
        with PeakRSS() as rss:
            start = time.perf_counter()
            sel = jmi(k, n_jobs).fit(X, y)
            t_fit = time.perf_counter() - start
        lost = sum(
            1 for w in client.scheduler_info()["workers"].values() if w is None
        )  # (workers killed for memory would show in the logs and restart)
    return t_gen, t_fit, rss.growth_mb, sel.ranking_[:k].tolist(), lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--n-small", type=int, default=1_000_000)
    parser.add_argument("--n-large", type=int, default=20_000_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="kernel threads per task in part 2 (default: every core; 1 makes "
        "the number of workers the number of cores used)",
    )
    parser.add_argument("--skip-small", action="store_true", help="part 2 only")
    args = parser.parse_args()
    if args.quick:
        args.n_small, args.n_large = 100_000, 2_000_000
    warnings.simplefilter("ignore", UserWarning)

    if not args.skip_small:
        small(args)
    large(args)


def small(args):
    t_dask, t_mem, same, order, rel, gap = compare_in_memory(
        args.n_small, args.k, chunk=max(args.n_small // 8, 1)
    )
    print(f"JMI-{args.k} on {args.n_small:,} x 30 float64, 2 workers x 1 thread:")
    print_table(
        [
            [
                "dask",
                t_dask,
                t_dask / t_mem,
                "yes" if same else "no",
                "yes" if order else "no",
                f"{100 * rel:.3f}%",
                f"{gap:.2e}",
            ],
            ["in memory", t_mem, 1.0, "", "", "", ""],
        ],
        [
            "fit",
            "seconds",
            "x in-memory",
            "same selection",
            "same order",
            "rel. diff (selected)",
            "abs. diff (all)",
        ],
    )
    print()


def large(args):
    rows = []
    for workers in (1, 2):
        t_gen, t_fit, growth, ranking, _ = large_fit(
            args.n_large, args.k, chunk=500_000, n_workers=workers, n_jobs=args.n_jobs
        )
        rows.append([workers, t_gen, t_fit, growth, " ".join(map(str, ranking))])
    print(
        f"JMI-{args.k} on {args.n_large:,} x 50 float32 "
        f"({args.n_large * 50 * 4 / 1e9:.1f} GB), 8 GiB per worker, "
        f"n_jobs={args.n_jobs}:"
    )
    print_table(
        rows,
        ["workers", "generate s", "fit s", "client RSS growth MB", "selected (order)"],
    )


if __name__ == "__main__":
    main()
