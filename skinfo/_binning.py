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

from concurrent.futures import ThreadPoolExecutor
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import effective_n_jobs
from numpy.typing import NDArray
from sklearn.utils import check_random_state

from skinfo._compat import Interval, StrOptions
from skinfo._counting import digitize

__all__ = [
    "BINNING_CONSTRAINTS",
    "apply_bin_edges",
    "auto_n_bins",
    "combine_codes",
    "encode_labels",
    "encode_rows",
    "fit_bin_edges",
    "smallest_uint",
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


def _subsample_rows(
    X: NDArray, subsample: int | None, random_state
) -> NDArray[np.float64]:
    if subsample is None or X.shape[0] <= subsample:
        return X
    rng = check_random_state(random_state)
    rows = np.sort(rng.choice(X.shape[0], size=subsample, replace=False))
    return X[rows]


def _clean_cuts(cuts: NDArray, lo: float, hi: float) -> NDArray[np.float64]:
    """Keep strictly increasing cuts inside ``(lo, hi]``.

    A cut at the minimum would leave an empty first bin, so it is dropped.
    """
    if not np.isfinite(lo) or lo == hi:
        return np.empty(0, dtype=np.float64)
    cuts = np.unique(cuts[np.isfinite(cuts)])
    return cuts[(cuts > lo) & (cuts <= hi)].astype(np.float64)


def fit_bin_edges(
    X: NDArray,
    n_bins,
    strategy: str,
    *,
    subsample: int | None = 200_000,
    random_state=None,
    n_jobs: int | None = None,
) -> list[NDArray[np.float64]]:
    """Inner cut points for every column of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Float data; NaN is ignored when placing cuts.
    n_bins : int, "auto" or array-like of int
        Bins per column (the same for all, or one per column); ``"auto"`` applies
        :func:`auto_n_bins` to the number of samples.
    strategy : {"quantile", "uniform"}
        Equal-frequency or equal-width bins. Quantile cuts that coincide on tied data
        are merged, so such a column gets fewer bins than asked for.
    subsample : int or None, default=200_000
        Quantile cuts are computed on at most this many rows, drawn with
        ``random_state``; ``None`` uses all rows. Uniform cuts always use all rows.
    random_state : int, RandomState instance or None
        Seed of the quantile subsample.
    n_jobs : int, optional
        Threads sorting columns for quantile cuts (the result does not depend on it).

    Returns
    -------
    list of ndarray
        One array of strictly increasing inner cuts per column.
    """
    X = np.asarray(X, dtype=np.float64)
    n_samples, n_features = X.shape
    if isinstance(n_bins, str):
        n_bins = auto_n_bins(n_samples)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (n_features,))
    if strategy == "uniform":
        return _uniform_edges(X, n_bins)
    if strategy == "quantile":
        sample = _subsample_rows(X, subsample, random_state)
        return _quantile_edges(sample, n_bins, n_jobs)
    raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}.")


def _column_ranges(X: NDArray) -> tuple[NDArray, NDArray]:
    finite = ~np.isnan(X)
    has_value = finite.any(axis=0)
    lo = np.where(has_value, np.min(np.where(finite, X, np.inf), axis=0), np.nan)
    hi = np.where(has_value, np.max(np.where(finite, X, -np.inf), axis=0), np.nan)
    return lo, hi


def _uniform_edges(X: NDArray, n_bins: NDArray) -> list[NDArray[np.float64]]:
    lo, hi = _column_ranges(X)
    edges = []
    for j, k in enumerate(n_bins):
        steps = np.arange(1, k) / k
        edges.append(_clean_cuts(lo[j] + steps * (hi[j] - lo[j]), lo[j], hi[j]))
    return edges


def _quantile_cuts(column: NDArray, k: int) -> NDArray[np.float64]:
    """Cuts at the ``k``-quantiles of one column (linear interpolation, NaN ignored)."""
    col = np.sort(column)  # NaN sorts last
    m = col.size
    if m and np.isnan(col[-1]):
        m -= int(np.count_nonzero(np.isnan(col)))
    if m == 0:
        return np.empty(0, dtype=np.float64)
    col = col[:m]
    pos = np.arange(1, k) / k * (m - 1)
    low = np.floor(pos).astype(np.intp)
    high = np.minimum(low + 1, m - 1)
    cuts = col[low] + (pos - low) * (col[high] - col[low])
    return _clean_cuts(cuts, col[0], col[-1])


def _quantile_edges(
    X: NDArray, n_bins: NDArray, n_jobs: int | None
) -> list[NDArray[np.float64]]:
    # One sort per column is the whole cost; numpy releases the GIL while sorting, so
    # threads over columns scale, and each column's cuts do not depend on the others.
    n_threads = max(1, min(effective_n_jobs(n_jobs), X.shape[1]))
    tasks = [(X[:, j], k) for j, k in enumerate(n_bins)]
    if n_threads == 1:
        return [_quantile_cuts(col, k) for col, k in tasks]
    with ThreadPoolExecutor(n_threads) as pool:
        return list(pool.map(lambda task: _quantile_cuts(*task), tasks))


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
    has_nan = np.isnan(X).any(axis=0) if X.size else np.zeros(len(edges), bool)
    return codes, n_cuts + 1 + has_nan


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
