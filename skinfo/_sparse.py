"""Sparse matrices in the binned layer: codes of stored entries, tables by subtraction.

A bag of words or a one-hot log is mostly implicit zeros. Densifying it costs
``n_samples x n_features`` memory and passes; here a column is coded from its stored
entries alone, and the implicit zeros are a value of their own whose code is shared by
the whole column. Every function gives exactly what the dense binned layer gives on
``X.toarray()``:

* bin edges: a column is its sorted stored values plus one run of zeros, and the
  quantile rules of :mod:`skinfo._binning` read integer run lengths as repeated rows;
* codes: stored entries get ``searchsorted(cuts, value, side="right")`` (or their rank
  among the column's distinct values, for discrete columns), implicit zeros the code
  of ``0.0``;
* contingency tables against a context code: the stored entries are counted, and the
  zero row of each table is the context's marginal counts minus the stored counts,
  so a table costs ``O(nnz_j)`` instead of ``O(n_samples)``.

Each step runs as one compiled kernel over all columns (numba, in
:mod:`skinfo._counting`, parallel over columns: one thread per column, in row order,
so results are bit-identical for any thread count), or as its numpy twin when numba
is switched off (``SKINFO_DISABLE_NUMBA=1``) or ``backend="numpy"`` is asked for.
Weighted quantile cuts always take the numpy loop over columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from skinfo._binning import (
    WEIGHTED_QUANTILE_METHODS,
    _uniform_cuts,
    auto_n_bins,
    effective_n_samples,
    sample_row_index,
    smallest_uint,
    sorted_column_cuts,
)
from skinfo._counting import (
    _kernels,
    _resolve_backend,
    _sparse_code_numpy,
    _sparse_counts_numpy,
    _threads,
    column_tasks,
    kernel_threads,
)

__all__ = [
    "SparseCodes",
    "code_sparse",
    "is_sparse",
    "sparse_batch_counts",
    "sparse_bin_edges",
]


def is_sparse(X) -> bool:
    """Whether ``X`` is a scipy sparse matrix or array."""
    return sp.issparse(X)


@dataclass(frozen=True)
class SparseCodes:
    """Integer codes of a sparse matrix, column by column (CSC layout).

    Attributes
    ----------
    indptr : ndarray of shape (n_features + 1,)
        Column ``j`` owns the stored entries ``indptr[j]:indptr[j + 1]``.
    rows : ndarray of shape (nnz,)
        Row of each stored entry (``intp``; may share memory with the indices of a
        CSC input, so never write to it).
    codes : ndarray of shape (nnz,)
        Code of each stored entry.
    zero_code : ndarray of shape (n_features,)
        Code of the implicit zeros of each column.
    n_levels : ndarray of shape (n_features,)
        Number of codes of each column (as the dense layer counts them).
    n_rows : int
        Number of samples.
    """

    indptr: NDArray
    rows: NDArray
    codes: NDArray
    zero_code: NDArray
    n_levels: NDArray
    n_rows: int

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_samples, n_features)``."""
        return self.n_rows, self.zero_code.size

    def column(self, j: int) -> NDArray[np.intp]:
        """Dense codes of column ``j`` (one pass over its rows)."""
        out = np.full(self.n_rows, self.zero_code[j], dtype=np.intp)
        lo, hi = self.indptr[j], self.indptr[j + 1]
        out[self.rows[lo:hi]] = self.codes[lo:hi]
        return out

    def select(self, columns: NDArray) -> SparseCodes:
        """Return the codes of a subset of columns, in the given order."""
        columns = np.asarray(columns, dtype=np.intp)
        lengths = np.diff(self.indptr)[columns]
        take = np.concatenate(
            [np.arange(self.indptr[j], self.indptr[j + 1]) for j in columns]
            or [np.empty(0, dtype=np.intp)]
        ).astype(np.intp)
        return SparseCodes(
            indptr=np.r_[0, np.cumsum(lengths)].astype(np.int64),
            rows=self.rows[take],
            codes=self.codes[take],
            zero_code=self.zero_code[columns],
            n_levels=self.n_levels[columns],
            n_rows=self.n_rows,
        )

    def toarray(self) -> NDArray:
        """Dense Fortran-ordered code matrix, as :func:`apply_bin_edges` gives it."""
        dtype = smallest_uint(int(self.n_levels.max(initial=1)))
        out = np.empty(self.shape, dtype=dtype, order="F")
        for j in range(self.shape[1]):
            out[:, j] = self.column(j)
        return out


def _as_csc(X) -> sp.csc_array:
    """Return ``X`` in canonical CSC form (sorted, no duplicates), copying if needed."""
    X = sp.csc_array(X)
    if not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
        X.sort_indices()
    return X


def _column_runs(
    values: NDArray, n_zeros: float, weights: NDArray | None
) -> tuple[NDArray, NDArray | None]:
    """Sorted values of one column with the zeros as one weighted run.

    Returns the values and their weights (``None`` when every value stands for one
    sample and there are no implicit zeros).
    """
    stored_zero = values == 0
    if weights is None:
        ws = np.ones(values.size)
        n_zeros = n_zeros + np.count_nonzero(stored_zero)
    else:
        ws = weights
        n_zeros = n_zeros + ws[stored_zero].sum()
    values, ws = values[~stored_zero], ws[~stored_zero]
    if n_zeros > 0:
        values = np.r_[values, 0.0]
        ws = np.r_[ws, n_zeros]
    order = np.argsort(values, kind="stable")
    values, ws = values[order], ws[order]
    if weights is None and ws.size and np.all(ws == 1.0):
        return values, None
    return values, ws


def sparse_bin_edges(
    X,
    n_bins,
    strategy: str,
    *,
    sample_weight: NDArray | None = None,
    subsample: int | None = 200_000,
    random_state=None,
    quantile_method: str = "averaged_inverted_cdf",
    n_jobs: int | None = None,
    backend: str | None = None,
) -> list[NDArray[np.float64]]:
    """Inner cut points of every column of a sparse matrix.

    The same cuts as :func:`skinfo._binning.fit_bin_edges` on ``X.toarray()`` (same
    parameters, the same row subsample), computed from the stored entries and a count
    of zeros per column. Only the inverted-CDF quantile rules are available, since
    the others cannot read a run of zeros as repeated rows.

    The compiled kernel places the cuts of every column in one parallel pass (each
    column sorts its non-zero values and reads the zeros as one run); weighted
    quantile cuts, and ``backend="numpy"``, take a loop over columns in numpy.
    ``n_jobs`` caps the kernel's threads (see
    :func:`skinfo._counting.kernel_threads`); the cuts do not depend on it.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> X = sp.csr_array(np.array([[0.0], [0.0], [0.0], [1.0], [2.0], [3.0]]))
    >>> sparse_bin_edges(X, 3, "quantile")  # the zeros get a bin of their own
    [array([0.5, 2. ])]
    >>> from skinfo._binning import fit_bin_edges
    >>> fit_bin_edges(X.toarray(), 3, "quantile")
    [array([0.5, 2. ])]
    """
    if strategy not in ("quantile", "uniform"):
        raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}.")
    if strategy == "quantile" and quantile_method not in WEIGHTED_QUANTILE_METHODS:
        raise ValueError(
            f"Sparse X needs quantile_method in {WEIGHTED_QUANTILE_METHODS}, got "
            f"{quantile_method!r}."
        )
    n_samples, n_features = X.shape
    n_eff = effective_n_samples(sample_weight, n_samples)
    if sample_weight is not None:
        positive = np.flatnonzero(sample_weight > 0)
        X, sample_weight = sp.csr_array(X)[positive], sample_weight[positive]
    if isinstance(n_bins, str):
        n_bins = auto_n_bins(n_eff)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (n_features,))
    if strategy == "quantile" and subsample is not None and X.shape[0] > subsample:
        # the rows fit_bin_edges would draw, in the same order
        rows = sample_row_index(X.shape[0], subsample, random_state)
        X = sp.csr_array(X)[rows]
        sample_weight = None if sample_weight is None else sample_weight[rows]
    X = _as_csc(X)
    if _resolve_backend(backend) == "numba" and (
        sample_weight is None or strategy == "uniform"
    ):
        averaged = quantile_method == "averaged_inverted_cdf"
        return _compiled_edges(X, n_bins, strategy, averaged, n_jobs)
    m = X.shape[0]
    total = float(m) if sample_weight is None else float(sample_weight.sum())
    edges = []
    for j in range(n_features):
        lo, hi = X.indptr[j], X.indptr[j + 1]
        values = np.asarray(X.data[lo:hi], dtype=np.float64)
        if sample_weight is None:
            w, n_zeros = None, float(m - (hi - lo))
        else:
            w = sample_weight[X.indices[lo:hi]]
            n_zeros = max(total - float(w.sum()), 0.0)
        keep = ~np.isnan(values)
        xs, ws = _column_runs(values[keep], n_zeros, None if w is None else w[keep])
        k = int(n_bins[j])
        if xs.size == 0:
            edges.append(np.empty(0, dtype=np.float64))
        elif strategy == "uniform":
            edges.append(_uniform_cuts(xs[0], xs[-1], k))
        else:
            edges.append(sorted_column_cuts(xs, ws, k, quantile_method))
    return edges


def _compiled_edges(
    X: sp.csc_array, n_bins: NDArray, strategy: str, averaged: bool, n_jobs
) -> list[NDArray[np.float64]]:
    """Unweighted quantile or uniform cuts of every column by the compiled kernels."""
    n_features = X.shape[1]
    n_bins = np.array(n_bins, dtype=np.int64)  # writable: one kernel signature
    width = max(int(n_bins.max(initial=2)) - 1, 1)
    out = np.zeros((n_features, width), dtype=np.float64)
    n_out = np.zeros(n_features, dtype=np.int64)
    indptr = X.indptr.astype(np.int64, copy=False)
    data = np.asarray(X.data, dtype=np.float64)
    kernels = _kernels()
    tasks = column_tasks(indptr, kernel_threads(n_jobs), per_column=64)
    with _threads(n_jobs):
        if strategy == "uniform":
            kernels["_sparse_uniform_cuts_numba"](
                tasks, indptr, data, X.shape[0], n_bins, out, n_out
            )
        else:
            kernels["_sparse_quantile_cuts_numba"](
                tasks, indptr, data, X.shape[0], n_bins, averaged, out, n_out
            )
    return [out[j, :n] for j, n in enumerate(n_out.tolist())]


#: Integers beyond this magnitude are not exact as float64.
_EXACT_INT = 2**53


def code_sparse(
    X,
    edges: list[NDArray] | None = None,
    *,
    discrete: NDArray | None = None,
    n_jobs: int | None = None,
    backend: str | None = None,
) -> SparseCodes:
    """Codes of a sparse matrix: bins of continuous columns, ranks of discrete ones.

    Parameters
    ----------
    X : sparse matrix of shape (n_samples, n_features)
        Stored NaN is a value of its own (the code after the last bin, as in the
        dense layer).
    edges : list of ndarray, optional
        Inner cuts of every column (entries of discrete columns are ignored).
        Required unless every column is discrete.
    discrete : ndarray of bool, optional
        Columns coded by the rank of their value among the column's distinct values
        (zero included when the column has one), as ``encode_labels`` does.
    n_jobs : int, optional
        Cap on the compiled kernel's threads; the codes do not depend on it.
    backend : {"numba", "numpy"}, optional
        Force a kernel; by default numba unless switched off.

    Returns
    -------
    SparseCodes
        Equal, column by column, to the dense codes of ``X.toarray()``.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> X = sp.csr_array(np.array([[0.0, 5.0], [2.0, 0.0], [7.0, 5.0]]))
    >>> codes = code_sparse(X, [np.array([1.0]), np.array([])])
    >>> codes.toarray()
    array([[0, 0],
           [1, 0],
           [1, 0]], dtype=uint8)
    >>> code_sparse(X, discrete=np.array([True, True])).toarray()
    array([[0, 1],
           [1, 0],
           [2, 1]], dtype=uint8)
    """
    X = _as_csc(X)
    n_samples, n_features = X.shape
    discrete = (
        np.zeros(n_features, dtype=bool)
        if discrete is None
        else np.asarray(discrete, dtype=bool)
    )
    if discrete.shape != (n_features,):
        raise ValueError(
            f"discrete must be a boolean mask of the {n_features} columns, got shape "
            f"{discrete.shape}."
        )
    if edges is not None and len(edges) != n_features:
        raise ValueError(
            f"edges must hold the cuts of all {n_features} columns, got {len(edges)}."
        )
    if edges is None and not discrete.all():
        raise ValueError(
            "edges is required when some columns are continuous; pass the cuts of "
            "every column (from sparse_bin_edges) or discrete=True for all columns."
        )
    continuous = np.flatnonzero(~discrete).tolist()
    used = edges if len(continuous) == n_features else [edges[j] for j in continuous]
    n_cuts = np.zeros(n_features, dtype=np.intp)
    n_cuts[continuous] = np.fromiter(map(len, used), dtype=np.intp, count=len(used))
    cuts = np.concatenate(used, dtype=np.float64) if used else np.empty(0)
    offsets = np.zeros(n_features + 1, dtype=np.int64)
    np.cumsum(n_cuts, out=offsets[1:])
    # codes are written in a dtype wide enough for any column, then narrowed
    bound = int(n_cuts.max(initial=0)) + 2
    if discrete.any():
        bound = max(bound, int(np.diff(X.indptr)[discrete].max()) + 2)
    codes = np.empty(X.nnz, dtype=smallest_uint(bound))
    zero_code = np.zeros(n_features, dtype=np.intp)
    n_levels = np.ones(n_features, dtype=np.intp)
    indptr = X.indptr.astype(np.int64)
    data = X.data
    exact = data.dtype.kind not in "iu" or (
        data.size == 0 or int(np.abs(data).max()) < _EXACT_INT
    )
    if exact:
        data = np.asarray(data, dtype=np.float64)
    args = (indptr, data, cuts, offsets, discrete, n_samples, codes, zero_code)
    if not exact or _resolve_backend(backend) == "numpy":
        _sparse_code_numpy(*args, n_levels)
    else:
        kernels = _kernels()
        tasks = column_tasks(indptr, kernel_threads(n_jobs))
        with _threads(n_jobs):
            kernels["_sparse_code_numba"](tasks, *args, n_levels)
    dtype = smallest_uint(int(n_levels.max(initial=1)))
    return SparseCodes(
        indptr=indptr,
        rows=X.indices.astype(np.intp, copy=False),
        codes=codes.astype(dtype, copy=False),
        zero_code=zero_code,
        n_levels=n_levels,
        n_rows=n_samples,
    )


def sparse_batch_counts(
    codes: SparseCodes,
    ctx: NDArray,
    n_levels: int,
    n_ctx: int,
    *,
    sample_weight: NDArray | None = None,
    n_jobs: int | None = None,
    backend: str | None = None,
) -> NDArray:
    """Contingency tables of every column of ``codes`` against ``ctx``.

    What :func:`skinfo._counting.batch_counts` gives on the dense codes, in
    ``O(nnz + n_features * n_levels * n_ctx)``: the stored entries are counted (by
    one thread per column, in row order) and the implicit zeros of a column fill its
    zero row as the context's counts minus the column's stored counts. ``n_jobs``
    caps the compiled kernel's threads and ``backend`` forces a kernel; the tables,
    weighted sums included, are bit-identical either way.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> codes = code_sparse(sp.csr_array(np.array([[0.0], [1.0], [1.0], [0.0]])),
    ...                     discrete=np.array([True]))
    >>> sparse_batch_counts(codes, np.array([0, 0, 1, 1]), 2, 2)
    array([[[1, 1],
            [1, 1]]])
    """
    ctx = np.ascontiguousarray(ctx, dtype=np.intp)
    n_features = codes.zero_code.size
    # the compiled kernels do not check bounds: refuse what would write out of them
    if ctx.shape != (codes.n_rows,):
        raise ValueError(
            f"ctx must hold one code per row of codes ({codes.n_rows}), got shape "
            f"{ctx.shape}."
        )
    if ctx.size and (ctx.min() < 0 or ctx.max() >= n_ctx):
        raise ValueError(
            f"ctx must hold codes in [0, n_ctx={n_ctx}), got values in "
            f"[{ctx.min()}, {ctx.max()}]; pass a larger n_ctx."
        )
    if int(codes.n_levels.max(initial=1)) > n_levels:
        raise ValueError(
            f"n_levels={n_levels} is smaller than the {codes.n_levels.max()} codes of "
            f"column {int(np.argmax(codes.n_levels))}; pass n_levels >= "
            "codes.n_levels.max()."
        )
    if sample_weight is not None and np.shape(sample_weight) != (codes.n_rows,):
        raise ValueError(
            f"sample_weight must hold one weight per row ({codes.n_rows}), got shape "
            f"{np.shape(sample_weight)}."
        )
    weights = (
        None
        if sample_weight is None
        else np.ascontiguousarray(sample_weight, dtype=np.float64)
    )
    out = np.zeros(
        (n_features, n_levels, n_ctx),
        dtype=np.int64 if weights is None else np.float64,
    )
    context = np.bincount(ctx, weights=weights, minlength=n_ctx)
    if weights is None:
        context = context.astype(np.int64, copy=False)
    if n_features == 0:
        return out
    args = (codes.indptr, codes.rows, codes.codes, codes.zero_code)
    if _resolve_backend(backend) == "numpy":
        _sparse_counts_numpy(*args, ctx, weights, context, out)
        return out
    if n_ctx <= 1 << 16:  # a narrower context code: fewer cache misses per entry
        ctx = ctx.astype(np.uint16)
    kernels = _kernels()
    tasks = column_tasks(codes.indptr, kernel_threads(n_jobs), per_column=n_ctx)
    with _threads(n_jobs):
        if weights is None:
            kernels["_sparse_counts_numba"](tasks, *args, ctx, context, out)
        else:
            kernels["_sparse_weighted_counts_numba"](
                tasks, *args, ctx, weights, context, out
            )
    return out
