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

from skinfo._compat import Interval, StrOptions, _check_sample_weight
from skinfo._counting import digitize

__all__ = [
    "BINNING_CONSTRAINTS",
    "apply_bin_edges",
    "auto_discrete_mask",
    "auto_n_bins",
    "check_no_text",
    "check_sample_weight",
    "combine_codes",
    "encode_labels",
    "encode_rows",
    "fit_bin_edges",
    "is_discrete_dtype",
    "resolve_discrete_features",
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


def _subsample_rows(X: NDArray, weights, subsample: int | None, random_state):
    if subsample is None or X.shape[0] <= subsample:
        return X, weights
    rng = check_random_state(random_state)
    rows = np.sort(rng.choice(X.shape[0], size=subsample, replace=False))
    return X[rows], None if weights is None else weights[rows]


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
    sample_weight: NDArray | None = None,
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
    sample_weight : ndarray of shape (n_samples,), optional
        Frequency weights: quantiles are those of the sample with each row repeated
        ``weight`` times (exactly so for integer weights), and rows of weight 0 are
        ignored by both strategies. Validate with :func:`check_sample_weight`.
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
    if sample_weight is not None:
        positive = sample_weight > 0
        X, sample_weight = X[positive], sample_weight[positive]
    if isinstance(n_bins, str):
        total = n_samples if sample_weight is None else sample_weight.sum()
        n_bins = auto_n_bins(total)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (n_features,))
    if strategy == "uniform":
        return _uniform_edges(X, n_bins)
    if strategy == "quantile":
        X, sample_weight = _subsample_rows(X, sample_weight, subsample, random_state)
        return _quantile_edges(X, sample_weight, n_bins, n_jobs)
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


def _weighted_quantile_cuts(
    column: NDArray, weights: NDArray, k: int
) -> NDArray[np.float64]:
    """Cuts at the ``k``-quantiles of one column under frequency weights.

    The rule of :func:`_quantile_cuts` applied to the column with each row repeated
    ``weight`` times: position ``q (W - 1)`` in the cumulative weight ``W``.
    """
    keep = ~np.isnan(column)
    column, weights = column[keep], weights[keep]
    if column.size == 0:
        return np.empty(0, dtype=np.float64)
    order = np.argsort(column, kind="stable")
    xs, cumw = column[order], np.cumsum(weights[order])
    pos = np.arange(1, k) / k * max(cumw[-1] - 1.0, 0.0)
    low = np.floor(pos)

    def value_at(t):
        return xs[np.minimum(np.searchsorted(cumw, t, side="right"), xs.size - 1)]

    v_low = value_at(low)
    cuts = v_low + (pos - low) * (value_at(low + 1) - v_low)
    return _clean_cuts(cuts, xs[0], xs[-1])


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
    X: NDArray, weights: NDArray | None, n_bins: NDArray, n_jobs: int | None
) -> list[NDArray[np.float64]]:
    # One sort per column is the whole cost; numpy releases the GIL while sorting, so
    # threads over columns scale, and each column's cuts do not depend on the others.
    if weights is None:
        cuts_of = _quantile_cuts
        tasks = [(X[:, j], k) for j, k in enumerate(n_bins)]
    else:
        cuts_of = _weighted_quantile_cuts
        tasks = [(X[:, j], weights, k) for j, k in enumerate(n_bins)]
    n_threads = max(1, min(effective_n_jobs(n_jobs), X.shape[1]))
    if n_threads == 1:
        return [cuts_of(*task) for task in tasks]
    with ThreadPoolExecutor(n_threads) as pool:
        return list(pool.map(lambda task: cuts_of(*task), tasks))


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


def check_sample_weight(sample_weight, X) -> NDArray[np.float64] | None:
    """Validate frequency weights: finite, non-negative, not all zero, one per row.

    ``None`` stays ``None`` so that unweighted data keeps its integer counts.
    """
    if sample_weight is None:
        return None
    return _check_sample_weight(
        sample_weight, X, dtype=np.float64, ensure_non_negative=True
    )


def check_no_text(X, name: str = "X", *, categorical_hint: str | None = None) -> None:
    """Raise a ``TypeError`` naming the column when ``X`` holds text.

    Text has no order or distance, so estimators that bin or project features cannot
    use it as numbers; a pandas categorical column is the explicit way to say that a
    text column is a discrete feature (where the estimator supports discrete ones).
    Numeric object arrays pass, as scikit-learn allows them. Categorical columns
    with text categories pass unless ``categorical_hint`` is given: the caller then
    cannot use them as they are, and the hint says what to do instead.
    """
    if isinstance(X, pd.DataFrame):
        for column, dtype in X.dtypes.items():
            if isinstance(dtype, pd.CategoricalDtype):
                if categorical_hint is not None and not (
                    pd.api.types.is_numeric_dtype(dtype.categories.dtype)
                ):
                    raise TypeError(
                        f"Column {column!r} of {name} is categorical with text "
                        f"categories; {categorical_hint}"
                    )
                continue
            if dtype.kind not in "OSU":
                continue
            kind = pd.api.types.infer_dtype(X[column], skipna=True)
            if kind in ("string", "mixed", "mixed-integer"):
                raise TypeError(
                    f"Column {column!r} of {name} holds text (dtype {dtype}). Encode "
                    "it as numbers, or as a discrete feature with "
                    f"{name}[col].astype('category') where the estimator takes "
                    "discrete features."
                )
        return
    dtype = getattr(X, "dtype", None)
    if dtype is not None and np.dtype(dtype).kind in "SU":
        raise TypeError(
            f"{name} holds text (dtype {dtype}); encode it as numbers first, or pass a "
            "DataFrame whose text columns are pandas categoricals."
        )


def is_discrete_dtype(dtype) -> bool:
    """Whether a column dtype holds discrete values: bool, integer or categorical."""
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_integer_dtype(dtype)
    )


def auto_discrete_mask(X) -> NDArray[np.bool_]:
    """Return the ``discrete_features="auto"`` mask of raw input, before floats.

    DataFrame columns are judged one by one with :func:`is_discrete_dtype`; an array
    is all discrete or all continuous by its dtype; sparse input is continuous.
    """
    if isinstance(X, pd.DataFrame):
        return np.array([is_discrete_dtype(d) for d in X.dtypes], dtype=bool)
    shape = getattr(X, "shape", None)
    if shape is None:
        X = np.asarray(X)
        shape = X.shape
    n_features = shape[1] if len(shape) == 2 else 1
    if hasattr(X, "tocsr"):  # scipy sparse
        return np.zeros(n_features, dtype=bool)
    dtype = getattr(X, "dtype", None)
    return np.full(n_features, dtype is not None and is_discrete_dtype(dtype))


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
