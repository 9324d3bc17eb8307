"""The shared binned layer: bin edges, integer codes and joint code spaces.

Pure functions only; estimators call them, never the reverse.

Conventions
-----------
* Edges are *inner* cut points, strictly increasing and possibly empty: a column with
  ``len(cuts)`` cuts has ``len(cuts) + 1`` bins, so a constant column has one bin.
* A finite value ``x`` gets ``searchsorted(cuts, x, side="right")``: values never seen
  in fit (below the minimum, above the maximum) still land in the first or last bin.
* NaN is information, not an error: it gets its own code ``len(cuts) + 1``.
* Codes use the smallest unsigned dtype that fits and a column-major layout, which is
  what the counting kernels read fastest.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from numbers import Integral

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils import check_random_state

from skinfo._compat import Interval, StrOptions, _check_sample_weight
from skinfo._counting import (
    QUANTILE_MAX_BINS,
    QUANTILE_MIN_ROWS,
    SMALL_WORK,
    digitize,
    kernel_threads,
    numba_enabled,
    quantile_codes,
)

__all__ = [
    "BINNING_CONSTRAINTS",
    "apply_bin_edges",
    "auto_n_bins",
    "check_sample_weight",
    "check_target_length",
    "combine_codes",
    "effective_n_samples",
    "encode_labels",
    "encode_rows",
    "fit_bin_codes",
    "fit_bin_edges",
    "resolve_discrete_features",
    "sample_row_index",
    "smallest_uint",
    "sorted_column_cuts",
]

#: Parameter constraints shared by every estimator that bins its input.
BINNING_CONSTRAINTS: dict = {
    "n_bins": [Interval(Integral, 2, None, closed="left"), StrOptions({"auto"})],
    "strategy": [StrOptions({"quantile", "uniform"})],
}

#: Upper bound of the data-driven number of bins (keeps joint tables populated).
MAX_AUTO_BINS = 16


def auto_n_bins(n_samples: int) -> int:
    """Data-driven number of bins: the cube-root rule, between 2 and 16.

    A bin count growing like ``n ** (1/3)`` balances the resolution of each bin against
    the number of samples per joint cell; the cap keeps the three-way tables of greedy
    selection from thinning out on large data.
    """
    return int(np.clip(np.floor(np.cbrt(max(n_samples, 1))), 2, MAX_AUTO_BINS))


def smallest_uint(n_codes: int) -> np.dtype:
    """Return the smallest unsigned dtype holding the codes ``0 .. n_codes - 1``."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_codes - 1 <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.uint64)


def sample_row_index(n_samples: int, subsample: int | None, random_state):
    """Sorted row numbers :func:`skinfo._dask.sample_rows` keeps, or None for every row.

    Uniform without replacement, from a seed taken from ``random_state``, and
    independent of how a dask array is chunked: the in-memory fits and
    :func:`skinfo._dask.sample_rows` draw the same rows.

    Examples
    --------
    >>> sample_row_index(10, 20, 0) is None
    True
    >>> sample_row_index(10, 3, 0).size
    3
    """
    if subsample is None or n_samples <= subsample:
        return None
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    rows = np.random.default_rng(seed).choice(
        n_samples, size=int(subsample), replace=False
    )
    return np.sort(rows)


def _subsample_rows(X: NDArray, weights, subsample: int | None, random_state):
    rows = sample_row_index(X.shape[0], subsample, random_state)
    if rows is None:
        return X, weights
    return X[rows], None if weights is None else weights[rows]


def _clean_cuts(cuts: NDArray, lo: float, hi: float) -> NDArray[np.float64]:
    """Keep strictly increasing cuts inside ``(lo, hi]``.

    A cut at the minimum would leave an empty first bin, so it is dropped.
    """
    if not np.isfinite(lo) or lo == hi:
        return np.empty(0, dtype=np.float64)
    cuts = np.unique(cuts[np.isfinite(cuts)])
    return cuts[(cuts > lo) & (cuts <= hi)].astype(np.float64)


def effective_n_samples(weights: NDArray | None, n_rows: int) -> float:
    """Return the sample size that count-based rules (bins, stopping rules) use.

    Integer frequency weights stand for repeated rows, so their total is the sample
    size. Weights rescaled to a small total (normalised to sum 1, say) must not shrink
    the sample below the rows that carry them: the larger of the total weight and the
    number of rows with positive weight is used.
    """
    if weights is None:
        return float(n_rows)
    return max(float(np.sum(weights)), float(np.count_nonzero(weights > 0)))


#: Quantile rules of ``fit_bin_edges``. Only the inverted-CDF rules take weights
#: (as in KBinsDiscretizer): they depend on cumulative weight fractions only.
QUANTILE_METHODS = (
    "averaged_inverted_cdf",
    "inverted_cdf",
    "linear",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "median_unbiased",
    "normal_unbiased",
    "lower",
    "higher",
    "midpoint",
    "nearest",
)
WEIGHTED_QUANTILE_METHODS = ("averaged_inverted_cdf", "inverted_cdf")


def fit_bin_edges(
    X: NDArray,
    n_bins,
    strategy: str,
    *,
    sample_weight: NDArray | None = None,
    subsample: int | None = 200_000,
    random_state=None,
    n_jobs: int | None = None,
    quantile_method: str = "averaged_inverted_cdf",
) -> list[NDArray[np.float64]]:
    """Inner cut points for every column of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Float data; NaN is ignored when placing cuts.
    n_bins : int, "auto" or array-like of int
        Bins per column (the same for all, or one per column); ``"auto"`` applies
        :func:`auto_n_bins` to :func:`effective_n_samples`.
    strategy : {"quantile", "uniform"}
        Equal-frequency or equal-width bins. Quantile cuts that coincide on tied data
        are merged; where a single value (a mass point, such as the zeros of a sparse
        count) holds more than ``1 / n_bins`` of a column, it gets a bin of its own
        and the remaining cuts are placed in the rest of the column, so such a column
        never collapses to one bin. A column may get fewer bins than asked for, never
        more.
    sample_weight : ndarray of shape (n_samples,), optional
        Frequency weights. Rows of weight 0 are ignored by both strategies; quantile
        cuts depend only on the weight fractions (multiplying every weight by a
        constant changes nothing), and integer weights act as repeated rows. Validate
        with :func:`check_sample_weight`.
    subsample : int or None, default=200_000
        Quantile cuts are computed on at most this many rows, drawn with
        ``random_state``; ``None`` uses all rows. Uniform cuts always use all rows.
    random_state : int, RandomState instance or None
        Seed of the quantile subsample.
    n_jobs : int, optional
        Upper bound on the threads placing quantile cuts; by default every available
        core, as for the compiled kernels (see :func:`skinfo._counting.kernel_threads`).
        The result does not depend on it.
    quantile_method : str, default="averaged_inverted_cdf"
        The quantile definition, as in :func:`numpy.quantile` and
        ``KBinsDiscretizer``; with ``sample_weight`` only ``"averaged_inverted_cdf"``
        and ``"inverted_cdf"``.

    Returns
    -------
    list of ndarray
        One array of strictly increasing inner cuts per column.
    """
    X = np.asarray(X, dtype=np.float64)
    n_samples, n_features = X.shape
    if quantile_method not in QUANTILE_METHODS:
        raise ValueError(
            f"quantile_method must be one of {QUANTILE_METHODS}, got "
            f"{quantile_method!r}."
        )
    if sample_weight is not None:
        if strategy == "quantile" and quantile_method not in WEIGHTED_QUANTILE_METHODS:
            raise ValueError(
                "sample_weight with quantile bins needs quantile_method in "
                f"{WEIGHTED_QUANTILE_METHODS}, got {quantile_method!r}."
            )
        positive = sample_weight > 0
        n_eff = effective_n_samples(sample_weight, n_samples)
        X, sample_weight = X[positive], sample_weight[positive]
    else:
        n_eff = float(n_samples)
    if isinstance(n_bins, str):
        n_bins = auto_n_bins(n_eff)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (n_features,))
    if strategy == "uniform":
        return _uniform_edges(X, n_bins)
    if strategy == "quantile":
        X, sample_weight = _subsample_rows(X, sample_weight, subsample, random_state)
        if _use_quantile_kernel(X, sample_weight, n_bins, quantile_method):
            edges, _, _ = _kernel_quantile_edges(X, n_bins, quantile_method, n_jobs)
            return edges
        return _quantile_edges(X, sample_weight, n_bins, quantile_method, n_jobs)
    raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}.")


def fit_bin_codes(
    X: NDArray,
    n_bins,
    strategy: str,
    *,
    sample_weight: NDArray | None = None,
    subsample: int | None = 200_000,
    random_state=None,
    n_jobs: int | None = None,
    quantile_method: str = "averaged_inverted_cdf",
) -> tuple[list[NDArray[np.float64]], NDArray, NDArray[np.intp]]:
    """Bin edges of ``X`` and its codes on them, in as few passes over ``X`` as can be.

    The same result as ``edges = fit_bin_edges(X, ...)`` followed by
    ``apply_bin_edges(X, edges)``, with the same parameters (see
    :func:`fit_bin_edges`). Unweighted quantile bins of all rows (``subsample``
    not reached, an inverted-CDF ``quantile_method``) come from one compiled
    kernel that places the cuts and writes the codes in two passes over ``X``,
    without sorting its columns.

    Returns
    -------
    edges : list of ndarray
        Strictly increasing inner cuts per column, as :func:`fit_bin_edges` gives.
    codes : ndarray of shape (n_samples, n_features)
        Fortran-ordered codes, as :func:`apply_bin_edges` gives.
    n_levels : ndarray of shape (n_features,)
        Codes per column, as :func:`apply_bin_edges` gives.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [np.nan]])
    >>> edges, codes, n_levels = fit_bin_codes(X, 2, "quantile")
    >>> edges
    [array([1.5])]
    >>> codes.ravel().tolist(), n_levels.tolist()
    ([0, 0, 1, 1, 2], [3])
    """
    X = np.asarray(X, dtype=np.float64)
    n_samples, n_features = X.shape
    fused = (
        strategy == "quantile"
        and sample_weight is None
        and (subsample is None or n_samples <= subsample)
        and quantile_method in WEIGHTED_QUANTILE_METHODS
        and _use_quantile_kernel(
            X,
            None,
            auto_n_bins(n_samples) if isinstance(n_bins, str) else n_bins,
            quantile_method,
        )
    )
    if not fused:
        edges = fit_bin_edges(
            X,
            n_bins,
            strategy,
            sample_weight=sample_weight,
            subsample=subsample,
            random_state=random_state,
            n_jobs=n_jobs,
            quantile_method=quantile_method,
        )
        codes, n_levels = apply_bin_edges(X, edges, n_jobs=n_jobs)
        return edges, codes, n_levels
    if isinstance(n_bins, str):
        n_bins = auto_n_bins(n_samples)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (n_features,))
    edges, codes, n_levels = _kernel_quantile_edges(
        X, n_bins, quantile_method, n_jobs, with_codes=True
    )
    return edges, codes, n_levels


def _use_quantile_kernel(
    X: NDArray, weights: NDArray | None, n_bins, method: str
) -> bool:
    """Whether the compiled quantile kernel places the cuts of ``X``."""
    return (
        weights is None
        and method in WEIGHTED_QUANTILE_METHODS
        and X.shape[0] >= QUANTILE_MIN_ROWS
        and X.shape[1] > 0
        and int(np.max(n_bins, initial=0)) <= QUANTILE_MAX_BINS
        and numba_enabled()
    )


def _kernel_quantile_edges(
    X: NDArray,
    n_bins: NDArray,
    method: str,
    n_jobs: int | None,
    *,
    with_codes: bool = False,
    backend: str | None = None,
    **kernel_options,
) -> tuple[list[NDArray[np.float64]], NDArray | None, NDArray[np.intp]]:
    """Unweighted inverted-CDF quantile cuts by :func:`quantile_codes` (and codes).

    The columns the kernel hands back go through :func:`_column_quantile_cuts` (and
    :func:`digitize`), so the cuts are those of the sort-based rule on every column.
    Returns the edges, the codes (or ``None``) and the number of codes per column.
    """
    n_bins = np.asarray(n_bins, dtype=np.intp)
    widest = int(n_bins.max(initial=2)) + 1  # at most k - 1 cuts, plus NaN
    cuts, n_out, n_nan, codes = quantile_codes(
        X,
        n_bins,
        method == "averaged_inverted_cdf",
        codes_dtype=smallest_uint(widest) if with_codes else None,
        n_jobs=n_jobs,
        backend=backend,
        **kernel_options,
    )
    edges = [cuts[j, :m].copy() for j, m in enumerate(n_out.tolist())]
    back = np.flatnonzero(n_out < 0)
    for j in back:
        edges[j] = _column_quantile_cuts(X[:, j], None, int(n_bins[j]), method)
    n_cuts = np.array([e.size for e in edges], dtype=np.intp)
    n_levels = n_cuts + 1 + (n_nan > 0)
    if not with_codes:
        return edges, None, n_levels
    if back.size:
        codes[:, back] = digitize(
            X[:, back], [edges[j] for j in back], codes.dtype, n_jobs=n_jobs
        )
    dtype = smallest_uint(int(n_cuts.max(initial=0)) + 2)
    if dtype != codes.dtype:  # fewer cuts than bins asked for everywhere
        codes = codes.astype(dtype, order="F")
    return edges, codes, n_levels


def _column_ranges(X: NDArray) -> tuple[NDArray, NDArray]:
    finite = ~np.isnan(X)
    has_value = finite.any(axis=0)
    lo = np.where(has_value, np.min(np.where(finite, X, np.inf), axis=0), np.nan)
    hi = np.where(has_value, np.max(np.where(finite, X, -np.inf), axis=0), np.nan)
    return lo, hi


def _uniform_cuts(lo: float, hi: float, k: int) -> NDArray[np.float64]:
    """``k`` equal-width bins on ``[lo, hi]``: ``numpy.linspace``'s inner points.

    A range wider than the largest float (a column spanning about +-1.7e308) is
    halved first, which is exact, so the width never overflows to ``inf``.
    """
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return np.empty(0, dtype=np.float64)
    with np.errstate(over="ignore"):
        scale = 1.0 if np.isfinite(hi - lo) else 2.0
    a, b = lo / scale, hi / scale
    cuts = (a + np.arange(1, k) * ((b - a) / k)) * scale
    return _clean_cuts(cuts, lo, hi)


def _uniform_edges(X: NDArray, n_bins: NDArray) -> list[NDArray[np.float64]]:
    lo, hi = _column_ranges(X)
    return [_uniform_cuts(lo[j], hi[j], k) for j, k in enumerate(n_bins)]


def _midpoint(a: NDArray, b: NDArray) -> NDArray[np.float64]:
    """Return ``(a + b) / 2`` without overflow (halving is exact)."""
    return 0.5 * np.asarray(a, dtype=np.float64) + 0.5 * np.asarray(b, dtype=np.float64)


def _level_tolerance(n_terms: int) -> float:
    # A cumulative weight fraction that equals a quantile level in exact arithmetic
    # may miss it by the round-off of a sum of n_terms floats; within this relative
    # tolerance it counts as equal, so scaling every weight changes no cut.
    return 4.0 * np.finfo(np.float64).eps * max(n_terms, 1)


def _weighted_inverted_cdf(
    xs: NDArray, ws: NDArray, k: int, averaged: bool
) -> NDArray[np.float64]:
    """Return the ``k``-quantiles of sorted ``xs`` under positive weights ``ws``.

    ``inverted_cdf`` is the smallest value whose cumulative weight fraction reaches
    the level; ``averaged_inverted_cdf`` averages it with the smallest value whose
    fraction exceeds the level (they differ only where the fraction hits the level
    exactly). Both read fractions only, so they do not depend on the weights' scale,
    and on integer weights they equal the unweighted rule on repeated rows.
    """
    # An exact power-of-two rescale keeps the running sums finite for any weights.
    ws = np.ldexp(ws, -int(np.frexp(ws.max())[1]))
    cum = np.cumsum(ws)
    levels = np.arange(1, k) / k * cum[-1]
    tol = _level_tolerance(xs.size) * cum[-1]
    last = xs.size - 1
    low = np.minimum(np.searchsorted(cum, levels - tol, side="left"), last)
    if not averaged:
        return xs[low].astype(np.float64)
    high = np.minimum(np.searchsorted(cum, levels + tol, side="right"), last)
    return _midpoint(xs[low], xs[high])


def _inverted_cdf(xs: NDArray, k: int, averaged: bool) -> NDArray[np.float64]:
    """Return the ``k``-quantiles of sorted ``xs`` by the inverted-CDF rules.

    Level ``i / k`` sits at ``g = m i / k``: the value of rank ``ceil(g)`` (1-based),
    averaged with the next one when ``g`` is whole and ``averaged`` is set (integer
    arithmetic decides, so no level is missed by round-off).
    """
    m = xs.size
    num = m * np.arange(1, k, dtype=np.int64)
    upper = num // k
    lower = np.where(num % k == 0, upper - 1, upper)
    if not averaged:
        return xs[lower].astype(np.float64)
    return _midpoint(xs[lower], xs[np.minimum(upper, m - 1)])


def _runs(xs: NDArray) -> tuple[NDArray, NDArray]:
    """Distinct values of a sorted array and the index where each run starts."""
    starts = np.flatnonzero(np.concatenate([[True], xs[1:] != xs[:-1]]))
    return xs[starts], starts


def _share_budget(mass: NDArray, budget: int) -> NDArray[np.intp]:
    """Split ``budget`` cuts among segments in proportion to their mass.

    Largest remainders get the leftover cuts; ties go to the earlier segment.
    """
    quota = budget * mass / mass.sum()
    share = np.floor(quota).astype(np.intp)
    order = np.argsort(-(quota - share), kind="stable")
    share[order[: budget - int(share.sum())]] += 1
    return share


def _mass_point_cuts(
    xs: NDArray, ws: NDArray | None, k: int, cuts_of
) -> NDArray[np.float64] | None:
    """Cuts giving each mass point its own bin, or ``None`` if there is none.

    A mass point is a value holding more than ``1 / k`` of the (weighted) sample,
    which would swallow several quantile levels. Each gets the bin between the
    midpoints to its neighbouring values. The cuts left of the budget ``k - 1`` are
    shared among the stretches between mass points by their mass, and placed at the
    quantiles of each stretch (``cuts_of(values, weights, n_bins)``).
    """
    values, starts = _runs(xs)
    ones = np.ones(xs.size) if ws is None else ws
    mass = np.add.reduceat(ones, starts)
    heavy = np.flatnonzero(mass > mass.sum() / k)
    if heavy.size == 0:
        return None
    cuts = []
    for r in heavy:
        if r > 0:
            cuts.append(_midpoint(values[r - 1], values[r]))
        if r < values.size - 1:
            cuts.append(_midpoint(values[r], values[r + 1]))
    budget = k - 1 - len(cuts)
    if budget < 0:
        return None
    # Stretches of the sorted column between (and around) the mass points.
    bounds = np.r_[-1, heavy, values.size]
    stretches = [
        (starts[a + 1], starts[b] if b < values.size else xs.size)
        for a, b in pairwise(bounds)
        if b - a > 1
    ]
    if budget and stretches:
        masses = np.array([ones[lo:hi].sum() for lo, hi in stretches])
        for (lo, hi), n_cuts in zip(
            stretches, _share_budget(masses, budget), strict=True
        ):
            if n_cuts:
                part = None if ws is None else ws[lo:hi]
                inner = cuts_of(xs[lo:hi], part, int(n_cuts) + 1)
                cuts.extend(_clean_cuts(inner, xs[lo], xs[hi - 1]))
    return _clean_cuts(np.asarray(cuts, dtype=np.float64), xs[0], xs[-1])


def _sorted_quantile_cuts(xs: NDArray, ws: NDArray | None, k: int, method: str):
    """Quantile cuts of sorted, NaN-free values (weighted rules need ``ws``)."""
    averaged = method == "averaged_inverted_cdf"
    if ws is not None:
        return _weighted_inverted_cdf(xs, ws, k, averaged)
    if method in WEIGHTED_QUANTILE_METHODS:
        return _inverted_cdf(xs, k, averaged)
    return np.quantile(xs, np.arange(1, k) / k, method=method).astype(np.float64)


def sorted_column_cuts(
    xs: NDArray, ws: NDArray | None, k: int, method: str
) -> NDArray[np.float64]:
    """Quantile cuts of sorted, NaN-free values, with mass points kept apart.

    ``ws`` are positive frequency weights of the values, or ``None`` for one sample
    each; integer weights give the cuts of the values repeated that many times (the
    sparse path relies on this to bin a column from its non-zeros and a count of
    zeros).
    """
    if xs.size == 0 or k < 2:
        return np.empty(0, dtype=np.float64)
    cuts = _clean_cuts(_sorted_quantile_cuts(xs, ws, k, method), xs[0], xs[-1])
    if cuts.size == k - 1:  # no level fell on a tie: the common case
        return cuts
    isolated = _mass_point_cuts(
        xs, ws, k, lambda v, w, n: _sorted_quantile_cuts(v, w, n, method)
    )
    return cuts if isolated is None or isolated.size < cuts.size else isolated


def _column_quantile_cuts(
    column: NDArray, weights: NDArray | None, k: int, method: str
) -> NDArray[np.float64]:
    """Quantile cuts of one column (NaN ignored), with mass points kept apart."""
    # One sort per column: numpy's vectorised sort beats a partial selection here.
    keep = ~np.isnan(column)
    if weights is None:
        return sorted_column_cuts(np.sort(column[keep]), None, k, method)
    order = np.argsort(column[keep], kind="stable")
    return sorted_column_cuts(column[keep][order], weights[keep][order], k, method)


#: Columns transposed and sorted together by one task of ``_quantile_edges``, at
#: most; fewer on long columns, so that each thread's buffer stays within
#: ``BLOCK_BYTES``.
COLUMN_BLOCK = 16
BLOCK_BYTES = 32 << 20
#: Rows per chunk of the cache-friendly transposed copy.
ROW_CHUNK = 1024


def _transposed_block(X: NDArray, start: int, stop: int, buffer: NDArray) -> NDArray:
    """Copy the columns ``start:stop`` of ``X`` into the rows of ``buffer``.

    A C-ordered ``X`` is copied in chunks of rows whose source and target both stay
    in cache, about three times faster than one strided copy of the whole block.
    """
    block = buffer[: stop - start, : X.shape[0]]
    if X.flags.f_contiguous:
        block[...] = X[:, start:stop].T
        return block
    for r in range(0, X.shape[0], ROW_CHUNK):
        block[:, r : r + ROW_CHUNK] = X[r : r + ROW_CHUNK, start:stop].T
    return block


def _block_quantile_cuts(
    X: NDArray,
    start: int,
    stop: int,
    n_bins: NDArray,
    method: str,
    buffer: NDArray,
) -> list[NDArray[np.float64]]:
    """Unweighted quantile cuts of the columns ``start:stop`` of ``X``, vectorised.

    The block is copied once into contiguous rows (one read of a C-ordered X instead
    of a strided copy per column) and sorted in place row by row; the order
    statistics of every column are then read with one integer index. A column whose
    cuts need more than that (NaN, infinite values, a level falling on a tie, or a
    quantile rule other than the inverted-CDF ones) goes through
    :func:`sorted_column_cuts`, on exactly the values the per-column path sorts, so
    the cuts are the same either way.
    """
    block = _transposed_block(X, start, stop, buffer)
    n = block.shape[1]
    block.sort(axis=1)  # one call sorts every row; NaN goes last
    out: list = [None] * block.shape[0]
    has_nan = np.isnan(block[:, -1]) if n else np.zeros(block.shape[0], dtype=bool)
    for r in np.flatnonzero(has_nan):  # rare: sort only the non-NaN values, as before
        column = X[:, start + r]
        xs = np.sort(column[~np.isnan(column)])
        out[r] = sorted_column_cuts(xs, None, int(n_bins[start + r]), method)
    rows = np.flatnonzero(~has_nan)
    if n == 0 or method not in WEIGHTED_QUANTILE_METHODS:
        for r in rows:
            out[r] = sorted_column_cuts(block[r], None, int(n_bins[start + r]), method)
        return out
    ks = n_bins[start:stop]
    for k in np.unique(ks[rows]):
        group = rows[ks[rows] == k]
        if k < 2:
            for r in group:
                out[r] = np.empty(0, dtype=np.float64)
            continue
        # The ranks of ``_inverted_cdf``, the same for every column of the group.
        num = n * np.arange(1, k, dtype=np.int64)
        upper = num // k
        lower = np.where(num % k == 0, upper - 1, upper)
        # Gather only the order statistics (``block[group]`` would copy the rows).
        cuts = block[np.ix_(group, lower)]
        if method == "averaged_inverted_cdf":
            cuts = _midpoint(cuts, block[np.ix_(group, np.minimum(upper, n - 1))])
        lo, hi = block[group, 0], block[group, n - 1]
        # Where these hold, ``_clean_cuts`` keeps every cut and no level fell on a
        # tie, so ``sorted_column_cuts`` would return ``cuts`` unchanged.
        simple = (
            np.isfinite(lo)
            & np.isfinite(hi)
            & (cuts[:, 0] > lo)
            & (cuts[:, -1] <= hi)
            & np.all(np.diff(cuts, axis=1) > 0, axis=1)
        )
        for i, r in enumerate(group):
            if simple[i]:
                out[r] = cuts[i].copy()
            else:
                out[r] = sorted_column_cuts(block[r], None, int(k), method)
    return out


def _quantile_edges(
    X: NDArray,
    weights: NDArray | None,
    n_bins: NDArray,
    method: str,
    n_jobs: int | None,
) -> list[NDArray[np.float64]]:
    # numpy releases the GIL in sort, so threads over columns (or blocks of columns)
    # scale, and each column's cuts do not depend on the others.
    n_features = X.shape[1]
    n_threads = max(1, min(kernel_threads(n_jobs), n_features))
    if X.size < SMALL_WORK:  # thread start-up would cost more than it saves
        n_threads = 1
    if weights is None:
        width = int(np.clip(BLOCK_BYTES // max(8 * X.shape[0], 1), 1, COLUMN_BLOCK))
        starts = range(0, n_features, width)
        local = threading.local()  # one reused buffer per thread

        def run(start):
            if not hasattr(local, "buffer"):
                local.buffer = np.empty((width, X.shape[0]), dtype=np.float64)
            stop = min(start + width, n_features)
            return _block_quantile_cuts(X, start, stop, n_bins, method, local.buffer)

        if n_threads == 1 or len(starts) == 1:
            blocks = [run(start) for start in starts]
        else:
            with ThreadPoolExecutor(n_threads) as pool:
                blocks = list(pool.map(run, starts))
        return [cuts for block in blocks for cuts in block]
    tasks = [(X[:, j], weights, int(k), method) for j, k in enumerate(n_bins)]
    if n_threads == 1:
        return [_column_quantile_cuts(*task) for task in tasks]
    with ThreadPoolExecutor(n_threads) as pool:
        return list(pool.map(lambda task: _column_quantile_cuts(*task), tasks))


def apply_bin_edges(
    X: NDArray,
    edges: list[NDArray[np.float64]],
    *,
    n_jobs: int | None = None,
) -> tuple[NDArray, NDArray[np.intp]]:
    """Bin codes of ``X`` and the number of codes of each column.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Float data, NaN allowed.
    edges : list of ndarray
        Inner cuts per column, as from :func:`fit_bin_edges`.
    n_jobs : int, optional
        Threads of the compiled kernel.

    Returns
    -------
    codes : ndarray of shape (n_samples, n_features)
        Fortran-ordered codes in the smallest unsigned dtype; NaN gets
        ``len(edges[j]) + 1``.
    n_levels : ndarray of shape (n_features,)
        Codes per column: ``len(edges[j]) + 1``, plus one where the column holds NaN.
    """
    X = np.asarray(X, dtype=np.float64)
    n_cuts = np.array([len(e) for e in edges], dtype=np.intp)
    widest = int(n_cuts.max(initial=0)) + 2
    codes = digitize(X, edges, smallest_uint(widest), n_jobs=n_jobs)
    # Only NaN gets a code above the number of cuts; reading the small codes is
    # cheaper than a second pass over the floats.
    top = codes.max(axis=0) if X.shape[0] else np.zeros(len(edges), dtype=np.intp)
    return codes, n_cuts + 1 + (top > n_cuts)


def encode_labels(y) -> tuple[NDArray, NDArray[np.intp]]:
    """Dense integer codes of a discrete variable, and the value each code stands for.

    Works on numbers, strings, booleans, mixed objects and pandas categoricals. Codes
    follow the sorted order of the values where they can be sorted, else their order
    of appearance; a missing value (NaN, None) is a value of its own and gets the last
    code.

    Returns
    -------
    classes : ndarray of shape (n_classes,)
        The distinct values, in code order.
    codes : ndarray of shape (n_samples,)
        ``intp`` codes in ``0 .. n_classes - 1``.
    """
    values = y if isinstance(y, pd.Series | pd.Categorical) else np.asarray(y)
    if getattr(values, "ndim", 1) != 1:
        values = np.ravel(values)
    try:
        codes, uniques = pd.factorize(values, sort=True)
    except TypeError:  # values of incomparable types: keep first-appearance order
        codes, uniques = pd.factorize(values, sort=False)
    classes = np.asarray(uniques)
    codes = np.asarray(codes, dtype=np.intp)
    missing = codes < 0
    if missing.any():
        codes = np.where(missing, classes.size, codes)
        classes = np.append(classes.astype(object), np.nan)
    return classes, codes


def combine_codes(
    a: NDArray, n_a: int, b: NDArray, n_b: int
) -> tuple[NDArray[np.intp], int]:
    """One code per observed pair ``(a, b)``, and the size of the new code space.

    The joint code is ``a * n_b + b`` while that space stays small next to the number
    of samples; past that it is re-densified to the observed pairs (sorted, so the
    result is deterministic), which keeps joint tables of many variables small.
    """
    joint = np.asarray(a, dtype=np.int64) * int(n_b) + np.asarray(b, dtype=np.int64)
    size = int(n_a) * int(n_b)
    if size <= max(4 * joint.size, 1 << 16):
        return joint.astype(np.intp, copy=False), size
    uniques, dense = np.unique(joint, return_inverse=True)
    return dense.astype(np.intp), int(uniques.size)


def encode_rows(codes: NDArray, n_levels) -> tuple[NDArray[np.intp], int]:
    """One code per distinct row of a code matrix (a joint variable of its columns)."""
    codes = np.asarray(codes)
    if codes.ndim == 1:
        codes = codes[:, None]
    n_levels = np.broadcast_to(np.asarray(n_levels, dtype=np.intp), (codes.shape[1],))
    joint, size = np.zeros(codes.shape[0], dtype=np.intp), 1
    for j in range(codes.shape[1]):
        joint, size = combine_codes(joint, size, codes[:, j], n_levels[j])
    return joint, size


def check_target_length(X, y) -> None:
    """Raise a ``ValueError`` naming ``X`` and ``y`` when their lengths differ.

    scikit-learn's own message ("inconsistent numbers of samples: [24, 23]") does
    not say which argument is which. Inputs without a length are left to
    ``validate_data``.
    """
    if y is None:
        return
    try:
        n_rows = X.shape[0] if hasattr(X, "shape") else len(X)
        n_y = y.shape[0] if hasattr(y, "shape") else len(y)
    except TypeError:
        return
    if n_rows != n_y:
        raise ValueError(
            f"y has {n_y} values but X has {n_rows} rows; pass one target value per "
            "row of X."
        )


def check_sample_weight(sample_weight, X) -> NDArray[np.float64] | None:
    """Validate frequency weights: finite, non-negative, not all zero, one per row.

    ``None`` stays ``None`` so that unweighted data keeps its integer counts.
    """
    if sample_weight is None:
        return None
    raw = np.asarray(sample_weight)
    if raw.dtype.kind in "biuf" and raw.size and not np.any(raw != 0):
        raise ValueError(
            "sample_weight is zero for every row: give at least one row a positive "
            "weight."
        )
    return _check_sample_weight(
        sample_weight, X, dtype=np.float64, ensure_non_negative=True
    )


def resolve_discrete_features(
    spec, n_features: int, *, auto_mask, feature_names=None
) -> NDArray[np.bool_]:
    """Boolean mask of the columns a ``discrete_features`` parameter names.

    Parameters
    ----------
    spec : None, bool, "auto", or array-like
        ``None``/``False``: none; ``True``: all; ``"auto"``: ``auto_mask``; else a
        boolean mask, integer indices (negative ones count from the end) or column
        names (matched against ``feature_names``).
    n_features : int
        Number of columns.
    auto_mask : array-like of bool
        The mask ``"auto"`` stands for (see :func:`auto_discrete_mask`).
    feature_names : array-like of str, optional
        Column names, needed when ``spec`` holds names.
    """
    if spec is None or spec is False:
        return np.zeros(n_features, dtype=bool)
    if spec is True:
        return np.ones(n_features, dtype=bool)
    if isinstance(spec, str):  # "auto"; other strings fail parameter validation
        return np.broadcast_to(np.asarray(auto_mask, dtype=bool), (n_features,)).copy()
    spec = np.asarray(spec)
    mask = np.zeros(n_features, dtype=bool)
    if spec.size == 0:
        return mask
    if spec.ndim != 1:
        raise ValueError(
            "discrete_features must be a 1-D mask, indices or names, got an array "
            f"of shape {spec.shape}."
        )
    if spec.dtype.kind == "b":
        if spec.size != n_features:
            raise ValueError(
                f"discrete_features as a boolean mask must have {n_features} "
                f"entries, got {spec.size}."
            )
        return spec.copy()
    if spec.dtype.kind in "iu":
        if spec.min() < -n_features or spec.max() >= n_features:
            raise ValueError(
                f"discrete_features indices must lie in [-{n_features}, "
                f"{n_features}), got {spec.tolist()}."
            )
        mask[spec] = True
        return mask
    if spec.dtype.kind in "UO":
        if feature_names is None:
            raise ValueError(
                "discrete_features holds feature names, but X has no string column "
                "names."
            )
        lookup = {str(name): j for j, name in enumerate(feature_names)}
        missing = [str(s) for s in spec if str(s) not in lookup]
        if missing:
            raise ValueError(f"discrete_features names unknown columns: {missing}.")
        mask[[lookup[str(s)] for s in spec]] = True
        return mask
    raise TypeError(
        "discrete_features must be None, a bool, 'auto', a boolean mask, integer "
        f"indices or column names; got an array of dtype {spec.dtype}."
    )
