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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.utils import check_random_state

from skinfo._binning import (
    WEIGHTED_QUANTILE_METHODS,
    _uniform_cuts,
    auto_n_bins,
    effective_n_samples,
    smallest_uint,
    sorted_column_cuts,
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
        Row of each stored entry.
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
) -> list[NDArray[np.float64]]:
    """Inner cut points of every column of a sparse matrix.

    The same cuts as :func:`skinfo._binning.fit_bin_edges` on ``X.toarray()`` (same
    parameters, the same row subsample), computed from the stored entries and a count
    of zeros per column. Only the inverted-CDF quantile rules are available, since
    the others cannot read a run of zeros as repeated rows.
    """
    if strategy not in ("quantile", "uniform"):
        raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}.")
    if strategy == "quantile" and quantile_method not in WEIGHTED_QUANTILE_METHODS:
        raise ValueError(
            f"Sparse X needs quantile_method in {WEIGHTED_QUANTILE_METHODS}, got "
            f"{quantile_method!r}."
        )
    X = sp.csr_array(X)
    n_samples, n_features = X.shape
    n_eff = effective_n_samples(sample_weight, n_samples)
    if sample_weight is not None:
        positive = np.flatnonzero(sample_weight > 0)
        X, sample_weight = X[positive], sample_weight[positive]
    if isinstance(n_bins, str):
        n_bins = auto_n_bins(n_eff)
    n_bins = np.broadcast_to(np.asarray(n_bins, dtype=np.intp), (n_features,))
    if strategy == "quantile" and subsample is not None and X.shape[0] > subsample:
        # the rows fit_bin_edges would draw, in the same order
        rng = check_random_state(random_state)
        rows = np.sort(rng.choice(X.shape[0], size=subsample, replace=False))
        X = X[rows]
        sample_weight = None if sample_weight is None else sample_weight[rows]
    X = _as_csc(X)
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


def code_sparse(
    X, edges: list[NDArray] | None = None, *, discrete: NDArray | None = None
) -> SparseCodes:
    """Codes of a sparse matrix: bins of continuous columns, ranks of discrete ones.

    Parameters
    ----------
    X : sparse matrix of shape (n_samples, n_features)
        Stored NaN is a value of its own (the code after the last bin, as in the
        dense layer).
    edges : list of ndarray, optional
        Inner cuts of every column (entries of discrete columns are ignored).
    discrete : ndarray of bool, optional
        Columns coded by the rank of their value among the column's distinct values
        (zero included when the column has one), as ``encode_labels`` does.

    Returns
    -------
    SparseCodes
        Equal, column by column, to the dense codes of ``X.toarray()``.
    """
    X = _as_csc(X)
    n_samples, n_features = X.shape
    if discrete is None:
        discrete = np.zeros(n_features, dtype=bool)
    codes = np.empty(X.nnz, dtype=np.intp)
    zero_code = np.zeros(n_features, dtype=np.intp)
    n_levels = np.ones(n_features, dtype=np.intp)
    for j in range(n_features):
        lo, hi = X.indptr[j], X.indptr[j + 1]
        values = np.asarray(X.data[lo:hi])
        has_zero = (hi - lo) < n_samples or bool(np.any(values == 0))
        if discrete[j]:
            levels = np.unique(np.r_[values, 0] if has_zero else values)
            nan = np.isnan(levels) if levels.dtype.kind == "f" else None
            if nan is not None and nan.any():
                levels = levels[~nan]
            codes[lo:hi] = np.searchsorted(levels, values)
            if nan is not None and nan.any():
                codes[lo:hi][np.isnan(values)] = levels.size
            zero_code[j] = np.searchsorted(levels, 0) if has_zero else 0
            n_levels[j] = max(levels.size + int(nan is not None and nan.any()), 1)
        else:
            cuts = np.asarray(edges[j], dtype=np.float64)
            col = np.searchsorted(cuts, values, side="right")
            nan = np.isnan(values) if values.dtype.kind == "f" else np.zeros(0, bool)
            if nan.any():
                col[nan] = cuts.size + 1
            codes[lo:hi] = col
            zero_code[j] = np.searchsorted(cuts, 0.0, side="right")
            n_levels[j] = cuts.size + 1 + int(nan.any())
    dtype = smallest_uint(int(n_levels.max(initial=1)))
    return SparseCodes(
        indptr=X.indptr.astype(np.int64),
        rows=X.indices.astype(np.intp),
        codes=codes.astype(dtype),
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
) -> NDArray:
    """Contingency tables of every column of ``codes`` against ``ctx``.

    What :func:`skinfo._counting.batch_counts` gives on the dense codes, in
    ``O(nnz + n_features * n_levels * n_ctx)``: the stored entries are counted in one
    ``bincount`` and the implicit zeros of a column fill its zero row as the context's
    counts minus the column's stored counts.
    """
    ctx = np.asarray(ctx, dtype=np.intp)
    n_features = codes.zero_code.size
    col = np.repeat(np.arange(n_features, dtype=np.intp), np.diff(codes.indptr))
    key = (col * n_levels + codes.codes) * n_ctx + ctx[codes.rows]
    weights = None if sample_weight is None else sample_weight[codes.rows]
    size = n_features * n_levels * n_ctx
    out = np.bincount(key, weights=weights, minlength=size).reshape(
        n_features, n_levels, n_ctx
    )
    if sample_weight is None:
        out = out.astype(np.int64, copy=False)
    context = np.bincount(ctx, weights=sample_weight, minlength=n_ctx)
    stored = out.sum(axis=1)
    out[np.arange(n_features), codes.zero_code, :] += context - stored
    return out
