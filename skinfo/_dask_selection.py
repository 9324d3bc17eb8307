""":class:`~skinfo.MIFeatureSelector` on Dask collections, with ``X`` never gathered.

Everything the binned selector computes is a sum over rows, so a fit on a dask array
or DataFrame runs as a few distributed passes over row blocks, each returning only
small reduced results to the client:

1. one pass of per-column statistics (NaN counts, the range of each continuous
   column, the distinct values of each discrete column, the total weight, the
   target's values), one of the target's class counts, and for quantile or MDLP
   edges a row subsample of at most :data:`SUBSAMPLE` rows drawn on the workers;
   the edges follow from those, by the in-memory rules;
2. the integer codes of every block, computed and kept (``persist``) on the workers
   as small unsigned integers;
3. one pass for the relevances and one per greedy step: every block counts the
   contingency tables of all candidate columns against the context ``s * n_y + y``
   with the compiled kernel :func:`~skinfo._counting.batch_counts`, the tables are
   added by a fixed tree, and the entropies and scores are computed on the client
   from the tables alone, with the same functions as in memory.

With exact edges (discrete features, ``strategy="uniform"``, or quantile and MDLP
edges on at most :data:`SUBSAMPLE` rows) every fitted attribute equals that of the
in-memory fit to round-off. The tests of ``n_features_to_select="auto"`` and
``pvalues_`` need the codes of the columns on the path, the target codes and, for
ordered columns, the ranks of the raw values: those are gathered on the client one
path column at a time (never ``X``); see :func:`fit_dask`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, check_memory

from skinfo import _dask
from skinfo._autostop import _width_groups
from skinfo._binned_greedy import (
    _greedy_walk,
    _ordered_columns,
    _ScoreSource,
)
from skinfo._binning import (
    _uniform_cuts,
    auto_n_bins,
    fit_bin_edges,
    resolve_discrete_features,
    smallest_uint,
)
from skinfo._counting import batch_counts, digitize
from skinfo._greedy import (
    SPARSE_CELLS_PER_SAMPLE,
    SPARSE_MIN_CELLS,
    TABLE_BUDGET,
    _sum_last,
    _TableEntropy,
)
from skinfo._info import entropy_from_counts
from skinfo._input import (
    check_no_text,
)
from skinfo._selection_encoding import _bin_edges
from skinfo._warnings import warn_user

__all__ = ["SUBSAMPLE", "fit_dask", "transform_dask"]

#: Rows (at most) from which quantile and MDLP edges of a dask fit are computed,
#: drawn on the workers with ``random_state`` (as ``KBinsDiscretizer``'s
#: ``subsample``). With no more rows than this the subsample is all the rows, in
#: order, and the edges equal the in-memory ones. In memory, quantile edges use the
#: same bound but draw their own rows, so beyond it the two fits' edges differ by
#: the sampling error (MDLP in memory uses every row).
SUBSAMPLE = 200_000

#: Cells of the dense tables that one block returns in one pass (8 bytes each);
#: the widest columns beyond it are counted from their observed cells.
PASS_CELLS = 1 << 24

#: Attempts of a pass whose persisted codes were lost (a worker died).
ATTEMPTS = 3

#: Client-side count of distributed passes (tests read it: a cached fit makes none).
PASSES = {"count": 0}


# --------------------------------------------------------------------- block work
def _stats_block(X, y, w, *, discrete, y_float):
    """Per-block statistics of ``X``, ``y`` and the weights (:func:`_merge_stats`)."""
    n = X.shape[0]
    nan = np.isnan(X)
    nan_count = nan.sum(axis=0)
    if w is None:
        live, rows, live_nan, n_live = None, X, nan_count, n
    else:
        live = w > 0
        rows, live_nan, n_live = X[live], nan[live].sum(axis=0), int(live.sum())
    cont = np.flatnonzero(~discrete)
    values = rows if cont.size == X.shape[1] else rows[:, cont]
    disc = np.flatnonzero(discrete)
    out = {
        "rows": n,
        "live_rows": n_live,
        "nan": nan_count,
        "live_nan": live_nan,
        # NaN is ignored by fmin and fmax; a column without a value keeps +-inf
        "lo": np.fmin.reduce(values, axis=0, initial=np.inf),
        "hi": np.fmax.reduce(values, axis=0, initial=-np.inf),
        "levels": [np.unique(X[:, j]) for j in disc],
        "live_levels": None if w is None else [np.unique(rows[:, j]) for j in disc],
        "w_sum": 0.0 if w is None else float(w.sum()),
        "y_bad": False,
        "y_fraction": False,
        "y_lo": np.inf,
        "y_hi": -np.inf,
    }
    if live is None:
        live = np.ones(n, dtype=bool)
    if y_float:
        yv = y.astype(np.float64)
        out["y_bad"] = bool(not np.isfinite(yv).all())
        finite = yv[np.isfinite(yv)]
        out["y_fraction"] = bool((finite != np.floor(finite)).any())
        live_y = yv[live & np.isfinite(yv)]
        if live_y.size:
            out["y_lo"], out["y_hi"] = float(live_y.min()), float(live_y.max())
    if out["y_fraction"]:
        out["y_levels"] = out["y_live_levels"] = None
    else:
        out["y_levels"] = np.unique(y)
        out["y_live_levels"] = np.unique(y[live]) if w is not None else None
    return out


def _union(a, b):
    """Sorted distinct values of two sorted arrays (NaN once, last)."""
    return np.unique(np.concatenate([a, b]))


def _merge_stats(a: dict, b: dict) -> dict:
    """Combine two blocks' statistics (associative, so any tree gives the same)."""
    out = {
        key: a[key] + b[key]
        for key in ("rows", "live_rows", "nan", "live_nan", "w_sum")
    }
    out["lo"] = np.minimum(a["lo"], b["lo"])
    out["hi"] = np.maximum(a["hi"], b["hi"])
    out["y_lo"], out["y_hi"] = min(a["y_lo"], b["y_lo"]), max(a["y_hi"], b["y_hi"])
    out["y_bad"] = a["y_bad"] or b["y_bad"]
    out["y_fraction"] = a["y_fraction"] or b["y_fraction"]
    out["levels"] = [
        _union(u, v) for u, v in zip(a["levels"], b["levels"], strict=True)
    ]
    out["live_levels"] = (
        None
        if a["live_levels"] is None
        else [
            _union(u, v)
            for u, v in zip(a["live_levels"], b["live_levels"], strict=True)
        ]
    )
    for key in ("y_levels", "y_live_levels"):
        out[key] = (
            None
            if out["y_fraction"] or a[key] is None or b[key] is None
            else _union(a[key], b[key])
        )
    return out


def _code_block(X, *, discrete, classes, edges, code_dtype, n_jobs=None):
    """Codes of one row block: labels of discrete columns, bins of continuous ones.

    A discrete column's code is the rank of its value among the sorted distinct
    values of the whole column, NaN last (as :func:`skinfo._binning.encode_labels`).
    """
    dtype = np.dtype(code_dtype)
    disc = np.flatnonzero(discrete)
    out = np.empty(X.shape, dtype=dtype, order="F") if disc.size else None
    for j, values in zip(disc, classes, strict=True):
        finite = values[~np.isnan(values)]
        col = X[:, j]
        out[:, j] = np.where(np.isnan(col), finite.size, np.searchsorted(finite, col))
    cont = np.flatnonzero(~discrete)
    if cont.size == X.shape[1]:  # no copy of the block
        return digitize(X, edges, dtype, n_jobs=n_jobs)
    if cont.size:
        out[:, cont] = digitize(X[:, cont], edges, dtype, n_jobs=n_jobs)
    return out


def _code_target(y, *, classes, edges):
    """Codes of a block of ``y``: class ranks, or bins of a continuous target."""
    if classes is not None:
        return np.searchsorted(classes, y).astype(np.intp)
    return np.searchsorted(edges, y.astype(np.float64), side="right").astype(np.intp)


def _target_counts(y, w, *, classes, edges, n_y):
    """Class counts (weights) of the coded target in one block."""
    codes = _code_target(y, classes=classes, edges=edges)
    return np.bincount(codes, weights=w, minlength=n_y)


def _table_block(codes, y, w, *, s, n_s, n_y, dense, cells, n_jobs):
    """Tables of one row block against the context ``s * n_y + y``.

    ``dense`` lists ``(columns, width)`` groups counted as full tables by the
    compiled kernel; ``cells`` the columns counted from their observed cells.
    """
    y = y.astype(np.intp, copy=False)
    ctx = y if s is None else codes[:, s].astype(np.intp) * n_y + y
    n_ctx = n_s * n_y
    every = len(dense) == 1 and dense[0][0].size == codes.shape[1]
    tables = [
        batch_counts(
            codes if every else np.asfortranarray(codes[:, cols]),  # no copy if all
            ctx,
            width,
            n_ctx,
            sample_weight=w,
            n_jobs=n_jobs,
        )
        for cols, width in dense
    ]
    observed = {}
    for j in cells:
        key = codes[:, j].astype(np.int64) * n_ctx + ctx
        uniq, inverse = np.unique(key, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=w, minlength=uniq.size)
        observed[int(j)] = (uniq, counts)
    context = np.bincount(ctx, weights=w, minlength=n_ctx)
    return {"tables": tables, "cells": observed, "context": context}


def _merge_cells(a, b):
    keys = np.concatenate([a[0], b[0]])
    counts = np.concatenate([a[1], b[1]])
    uniq, inverse = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(
        inverse.ravel(), weights=counts, minlength=uniq.size
    ).astype(counts.dtype)


def _merge_tables(a: dict, b: dict) -> dict:
    """Add two blocks' tables (cells of observed-cell columns merged by code)."""
    return {
        "tables": [u + v for u, v in zip(a["tables"], b["tables"], strict=True)],
        "cells": {j: _merge_cells(a["cells"][j], b["cells"][j]) for j in a["cells"]},
        "context": a["context"] + b["context"],
    }


def _take_columns(codes, *, columns):
    """Return the given columns of a block (what the tests gather)."""
    return np.asarray(codes[:, columns])


def _take_vector(v):
    return np.asarray(v)


# --------------------------------------------------------------------- the client
def _lost_data(exc: BaseException) -> bool:
    """Whether an exception means the cluster lost data or workers (worth a retry)."""
    if isinstance(exc, concurrent.futures.CancelledError | asyncio.CancelledError):
        return True
    module = type(exc).__module__ or ""
    name = type(exc).__name__
    return module.startswith(("distributed", "tornado")) or any(
        word in name for word in ("Cancelled", "Killed", "Lost", "Closed")
    )


def _gathered_weights(weights) -> NDArray | None:
    """Return the weights on the client (None stays None), for the tests."""
    return None if weights is None else _gather_vector(weights).astype(np.float64)


def _gather_vector(array) -> NDArray:
    """One column or vector of a dask array on the client (its row blocks joined)."""
    parts = _dask.block_list(_take_vector, array)
    return np.concatenate(parts) if parts else np.zeros(0)


class _DaskTerms:
    """Entropy terms of the greedy path, each from one distributed pass of tables.

    A ``terms`` of :func:`~skinfo._binned_greedy._greedy_walk`, like the in-memory
    :class:`~skinfo._binned_greedy._CodeTerms`: :meth:`relevance_terms` gives
    ``H(X_k)`` and ``H(X_k, Y)`` of every column, :meth:`step_terms` the terms of a
    step against the selected column ``s``. The codes are persisted on the workers
    on first use; if a worker dies and the persisted blocks are lost, they are
    recomputed from their graph (the coding is a pure function of ``X``) and the
    pass is run again, up to :data:`ATTEMPTS` times.
    """

    def __init__(self, codes, y_codes, weights, n_levels, y_counts, method, n_jobs):
        self.graph, self.y_graph, self.weights = codes, y_codes, weights
        self.codes = self.y_codes = None
        self.n_levels = np.asarray(n_levels, dtype=np.intp)
        self.n_features = self.n_levels.size
        self.y_counts = y_counts
        self.n_y, self.method, self.n_jobs = y_counts.size, method, n_jobs
        self.n_samples = int(codes.shape[0])
        self.groups = _width_groups(self.n_levels) if self.n_levels.size else []
        total = float(y_counts.sum())
        self.entropy = _TableEntropy(method, total, weights is None)

    # -- passes ---------------------------------------------------------------
    def _persisted(self):
        if self.codes is None:
            self.codes = _dask.persist(self.graph)
            self.y_codes = _dask.persist(self.y_graph)
        return self.codes, self.y_codes

    def release(self) -> None:
        """Drop the persisted codes (the workers free them)."""
        self.codes = self.y_codes = None

    def run(self, call):
        """``call(codes, y_codes)`` on the persisted codes, retried if they are lost."""
        last = None
        for _ in range(ATTEMPTS):
            codes, y_codes = self._persisted()
            try:
                PASSES["count"] += 1
                return call(codes, y_codes)
            except Exception as exc:
                if not _lost_data(exc):
                    raise
                last = exc
                self.release()
        raise RuntimeError(
            f"The Dask cluster lost the selector's data {ATTEMPTS} times during fit "
            f"({type(last).__name__}: {last}); nothing was fitted. Check the workers' "
            "memory limits and logs, then fit again."
        ) from last

    def _tables(self, s):
        n_s = 1 if s is None else int(self.n_levels[s])
        n_ctx = n_s * self.n_y
        dense, cells, budget = [], [], PASS_CELLS
        for cols, width in self.groups:
            size = width * n_ctx
            if _observed_only(size, self.n_samples) or size * cols.size > budget:
                cells.extend(int(j) for j in cols)
            else:
                dense.append((cols, int(width)))
                budget -= size * cols.size
        result = self.run(
            lambda codes, y: _dask.block_reduce(
                _table_block,
                _merge_tables,
                codes,
                y,
                self.weights,
                s=s,
                n_s=n_s,
                n_y=self.n_y,
                dense=dense,
                cells=cells,
                n_jobs=self.n_jobs,
            )
        )
        return result, dense, n_s

    def _column_terms(self, result, dense, n_s):
        """``H(X_k, S)`` and ``H(X_k, S, Y)`` of every column from a pass's tables."""
        out = np.zeros((2, self.n_levels.size))
        for (cols, width), table in zip(dense, result["tables"], strict=True):
            table = table.reshape(cols.size, width, n_s, self.n_y)
            out[:, cols] = [self.entropy(_sum_last(table)), self.entropy(table)]
        for j, (uniq, counts) in result["cells"].items():
            c_ks, c_ksy = _cell_margins(uniq, counts, self.n_y)
            out[:, j] = [
                entropy_from_counts(c_ks, method=self.method),
                entropy_from_counts(c_ksy, method=self.method),
            ]
        return out[0], out[1]

    def relevance_terms(self):
        """``H(X_k)`` and ``H(X_k, Y)`` of every column, from one pass of tables."""
        result, dense, n_s = self._tables(None)
        return self._column_terms(result, dense, n_s)

    def step_terms(self, s: int):
        """Return ``H(X_s)``, ``H(X_s, Y)``, ``H(X_k, X_s)`` and ``H(X_k, X_s, Y)``."""
        result, dense, n_s = self._tables(int(s))
        context = result["context"]
        cells = np.flatnonzero(context)
        counts = context[cells]
        t_s = np.bincount(cells // self.n_y, weights=counts)
        h_s = float(entropy_from_counts(t_s, method=self.method))
        h_sy = float(entropy_from_counts(counts, method=self.method))
        h_ks, h_ksy = self._column_terms(result, dense, n_s)
        return h_s, h_sy, h_ks, h_ksy

    def columns(self, columns) -> NDArray:
        """Codes of some columns on the client, ``(n_samples, len(columns))``."""
        columns = [int(j) for j in columns]
        parts = self.run(
            lambda codes, y: _dask.block_list(_take_columns, codes, columns=columns)
        )
        return np.concatenate(parts) if parts else np.zeros((0, len(columns)))

    def target(self) -> NDArray[np.intp]:
        """Return the target codes on the client."""
        return self.run(lambda codes, y: _gather_vector(y)).astype(np.intp)


def _observed_only(cells: int, n_samples: int) -> bool:
    """:func:`skinfo._autostop._mostly_empty`: count a column's observed cells only."""
    return cells > TABLE_BUDGET or cells > max(
        SPARSE_CELLS_PER_SAMPLE * n_samples, SPARSE_MIN_CELLS
    )


def _cell_margins(uniq, counts, n_y):
    """``(x, s)`` and ``(x, s, y)`` counts of sorted observed cells (as in memory)."""
    counts = counts.astype(np.float64)
    keep = counts > 0
    uniq, counts = uniq[keep], counts[keep]
    ks_all = uniq // n_y
    new = np.r_[True, ks_all[1:] != ks_all[:-1]] if uniq.size else uniq.astype(bool)
    starts = np.flatnonzero(new)
    c_ks = np.add.reduceat(counts, starts) if starts.size else counts[:0]
    return c_ks, counts


def _dask_path(
    data_key,
    terms,
    criterion,
    beta,
    method,
    *,
    max_k,
    stop_alpha=None,
    resume=None,
    n_jobs=None,
) -> dict:
    """:func:`~skinfo._binned_greedy._binned_path` on terms of distributed passes.

    ``data_key`` (a dask token of the inputs and the binning parameters) stands
    for ``terms`` in the cache; the state is the in-memory path's.
    """
    return _greedy_walk(terms, criterion, beta, method, max_k=max_k, resume=resume)


class _DaskColumns:
    """Codes of the path's columns on the client, read as ``codes[:, cols]``.

    Each column is gathered once (one pass for all columns asked at once) and kept
    on the client in the codes' small unsigned dtype: the tests of ``"auto"`` and
    ``pvalues_`` read the columns of the path only, never the codes of ``X`` whole.
    """

    def __init__(self, source, positions, n_samples):
        self.source = source
        self.index = np.asarray(positions, dtype=np.intp)
        self.shape = (int(n_samples), self.index.size)
        self.kept = {}

    def _fetch(self, positions):
        missing = [p for p in dict.fromkeys(positions) if p not in self.kept]
        if missing:
            block = self.source.columns(self.index[missing])
            for i, p in enumerate(missing):
                self.kept[p] = block[:, i].copy()

    def __getitem__(self, key):
        rows, cols = key
        if not (isinstance(rows, slice) and rows == slice(None)):
            raise IndexError("only whole columns of the dask codes can be read")
        if isinstance(cols, slice):
            cols = range(*cols.indices(self.shape[1]))
        elif np.ndim(cols) == 0:
            self._fetch([int(cols)])
            return self.kept[int(cols)]
        positions = [int(p) for p in np.asarray(cols, dtype=np.intp).ravel()]
        self._fetch(positions)
        # in the codes' own small dtype: n_samples bytes per column, not 8 times that
        dtype = np.result_type(*(self.kept[p].dtype for p in positions), np.uint8)
        out = np.empty((self.shape[0], len(positions)), dtype=dtype, order="F")
        for i, p in enumerate(positions):
            out[:, i] = self.kept[p]
        return out


class _RawColumns:
    """Raw float columns of the dask ``X`` on demand (``X[:, j]``), for scores.

    One column per pass, the last one kept: the normal scores of an ordered column
    need the ranks of its values over all rows.
    """

    def __init__(self, array, columns):
        self.array, self.index = array, np.asarray(columns, dtype=np.intp)
        self.last = (None, None)

    def __getitem__(self, key):
        _, j = key
        j = int(j)
        if self.last[0] != j:
            column = self.array[:, int(self.index[j])]
            self.last = (j, _gather_vector(column).astype(np.float64))
        return self.last[1]


class _TestData(dict):
    """The ``data`` of :func:`~skinfo._autostop._pvalue_given`, gathered on first use.

    ``y_codes`` and the weights are fetched from the cluster the first time a test
    reads them.
    """

    def __init__(self, fetch, **items):
        super().__init__(**items)
        self.fetch = fetch

    def __missing__(self, key):
        if key not in self.fetch:
            raise KeyError(key)
        value = self.fetch[key]()
        self[key] = value
        return value


def _target_info(stats, n_bins, strategy, sample, n_eff):
    """Classes or edges of the target, its number of codes, whether it is discrete."""
    if stats["y_bad"]:
        raise ValueError(
            "y contains NaN or infinity: pass finite target values (drop or impute "
            "those rows)."
        )
    continuous = bool(stats["y_fraction"])
    if not continuous:
        target_type = type_of_target(stats["y_levels"], input_name="y")
        if target_type not in ("binary", "multiclass"):
            raise ValueError(
                f"Unknown label type: {target_type!r}. y must be a 1-D classification "
                "or regression target."
            )
        classes = stats["y_levels"]
        live = stats["y_live_levels"] if stats["y_live_levels"] is not None else classes
        present = live.size
        info = {"classes": classes, "edges": None, "n_y": int(classes.size)}
    else:
        k = auto_n_bins(n_eff) if isinstance(n_bins, str) else int(n_bins)
        if strategy == "uniform":
            edges = _uniform_cuts(stats["y_lo"], stats["y_hi"], k)
        else:
            ys, ws = sample()
            edges = fit_bin_edges(
                ys.astype(np.float64)[:, None],
                k,
                "quantile",
                sample_weight=ws,
                subsample=None,
            )[0]
        present = edges.size + 1
        info = {"classes": None, "edges": edges, "n_y": int(edges.size + 1)}
    if present < 2:
        raise ValueError(
            "y has only one class (one distinct value): its mutual information "
            "with any feature is 0, so there is nothing to select."
        )
    info["discrete"] = not continuous
    return info


def _dask_encoding(
    data_key,
    X,
    y,
    sample_weight,
    discrete,
    n_bins,
    strategy,
    random_state,
    n_jobs,
) -> dict:
    """Edges, levels and target coding of a dask fit (pure given the data; cacheable).

    One pass of statistics, and a row subsample for quantile or MDLP edges (or a
    continuous target's quantile edges). ``data_key`` stands for the dask inputs
    in the cache.
    """
    n_features = X.n_features
    y_float = y.dtype.kind == "f"
    stats = _dask.block_reduce(
        _stats_block,
        _merge_stats,
        X.array,
        y,
        sample_weight,
        discrete=discrete,
        y_float=y_float,
    )
    PASSES["count"] += 1
    if sample_weight is None:
        n_eff = float(stats["rows"])
    else:
        n_eff = max(stats["w_sum"], float(stats["live_rows"]))
    cont = np.flatnonzero(~discrete)
    drawn = {}

    def sample():
        if not drawn:
            arrays = [X.array[:, cont] if cont.size < n_features else X.array, y]
            if sample_weight is not None:
                arrays.append(sample_weight)
            parts = _dask.sample_rows(arrays, SUBSAMPLE, random_state)
            PASSES["count"] += 1
            drawn["X"], drawn["y"] = parts[0], parts[1]
            drawn["w"] = parts[2] if sample_weight is not None else None
        return drawn

    target = _target_info(
        stats,
        n_bins,
        strategy,
        lambda: (sample()["y"], sample()["w"]),
        n_eff,
    )
    y_counts = _dask.block_sum(
        _target_counts,
        y,
        sample_weight,
        classes=target["classes"],
        edges=target["edges"],
        n_y=target["n_y"],
    )
    PASSES["count"] += 1
    k = auto_n_bins(n_eff) if isinstance(n_bins, str) else int(n_bins)
    if not cont.size:
        edges_cont = []
    elif strategy == "uniform":
        edges_cont = [
            _uniform_cuts(lo, hi, k)
            for lo, hi in zip(stats["lo"], stats["hi"], strict=True)
        ]
    elif strategy == "quantile":
        part = sample()
        edges_cont = fit_bin_edges(
            part["X"],
            k,
            "quantile",
            sample_weight=part["w"],
            subsample=None,
            n_jobs=n_jobs,
        )
    else:  # mdlp: supervised cuts on the subsample
        part = sample()
        y_codes = _code_target(
            part["y"], classes=target["classes"], edges=target["edges"]
        )
        edges_cont = _bin_edges(
            part["X"], n_bins, "mdlp", part["w"], y_codes, target["n_y"], None, n_jobs
        )
    bin_edges = [None] * n_features
    n_levels = np.zeros(n_features, dtype=np.intp)
    classes = list(stats["levels"])
    for i, j in enumerate(np.flatnonzero(discrete)):
        n_levels[j] = max(classes[i].size, 1)
    for j, cuts in zip(cont, edges_cont, strict=True):
        bin_edges[j] = np.asarray(cuts, dtype=np.float64)
        n_levels[j] = cuts.size + 1 + (stats["nan"][j] > 0)
    # constant: one code among the rows with weight (or no such row)
    constant = np.zeros(n_features, dtype=bool)
    live_rows = stats["live_rows"]
    live_levels = stats["live_levels"] or classes
    for i, j in enumerate(np.flatnonzero(discrete)):
        constant[j] = live_levels[i].size <= 1
    for j in cont:
        live_nan = stats["live_nan"][j]
        constant[j] = live_nan == live_rows or (
            live_nan == 0 and bin_edges[j].size == 0
        )
    if live_rows == 0:
        constant[:] = True
    return {
        "classes": classes,
        "bin_edges": bin_edges,
        "n_levels": n_levels,
        "constant": constant,
        "target": target,
        "y_counts": y_counts,
        "n_eff": n_eff,
        "weight_sum": stats["w_sum"],
        "live_rows": live_rows,
    }


def _warn_fractional(weight_sum: float, rows: int) -> None:
    """Warn as :func:`skinfo._selection._warn_fractional_weights`, from sums."""
    if weight_sum < rows:
        warn_user(
            f"sample_weight sums to {weight_sum:.4g}, less than the {rows} rows "
            "with positive weight: the tests of n_features_to_select='auto' treat "
            "weights as frequencies, so their p-values take the total weight for the "
            "sample size and are too large. Rescale the weights to counts (for "
            "instance w * count(w > 0) / sum(w)) or pass an int."
        )


def _codes_graph(array, encoding, discrete, columns=None, n_jobs=None):
    """Lazy codes of ``array`` (all columns, or the given ones) per row block."""
    n_levels = encoding["n_levels"]
    if columns is None:
        columns = np.arange(n_levels.size)
        source = array
    else:
        columns = np.asarray(columns, dtype=np.intp)
        source = array[:, columns]
    disc = discrete[columns]
    position = {j: i for i, j in enumerate(np.flatnonzero(discrete))}
    dtype = smallest_uint(int(n_levels[columns].max(initial=1)))
    return _dask.map_blocks_rows(
        _code_block,
        source,
        n_columns=columns.size,
        dtype=dtype,
        discrete=disc,
        classes=[encoding["classes"][position[j]] for j in columns[disc]],
        edges=[encoding["bin_edges"][j] for j in columns[~disc]],
        code_dtype=dtype.str,
        n_jobs=n_jobs,
    )


def fit_dask(selector, X, y, sample_weight=None):
    """:meth:`MIFeatureSelector.fit` on a dask array or DataFrame.

    ``X`` stays on the workers: the client receives per-column statistics, a
    subsample of at most :data:`SUBSAMPLE` rows for quantile or MDLP edges, and the
    summed contingency tables of each pass. For ``n_features_to_select="auto"``
    (during ``fit``) and for ``pvalues_`` or the gains of MIM (on first access),
    the client also gathers the target codes, the weights and, one path column at
    a time, the codes of the columns on the path and the raw values of the ordered
    ones (their ranks give the normal scores): ``O(n_samples)`` memory per
    column, never ``X``.
    """
    if selector.method == "knn":
        raise TypeError(
            "method='knn' needs the raw values of every row in one place, so it does "
            "not take dask input. Use a counting method (method='plugin', "
            "'miller_madow' or 'grassberger', which bin the data and count it on "
            "the workers), or fit on a subsample gathered as numpy "
            "(X.compute() of a few hundred thousand rows)."
        )
    try:
        return _fit(selector, X, y, sample_weight)
    except BaseException:
        # never a partial result: a failed fit leaves no fitted attribute behind
        for name in [n for n in vars(selector) if n.endswith("_")]:
            delattr(selector, name)
        raise


def _fit(selector, X, y, sample_weight):
    """:func:`fit_dask` once ``method`` is known to count."""
    Xd = _dask.to_dask_input(X, name="X", allow_nan=True)
    y_d = _dask.to_dask_vector(y, Xd.chunks, name="y")
    if y_d is None:
        raise ValueError("y is required: pass the target values of X's rows.")
    w_d = _dask.to_dask_vector(sample_weight, Xd.chunks, name="sample_weight")
    _dask.set_input_attributes(selector, Xd, reset=True)
    n_features = Xd.n_features
    discrete = resolve_discrete_features(
        selector.discrete_features,
        n_features,
        auto_mask=Xd.auto_discrete,
        feature_names=Xd.feature_names,
    )
    discrete = discrete | np.asarray(Xd.categorical, dtype=bool)
    k = selector._requested_size(n_features)
    if w_d is not None:
        w_d = _checked_weights(w_d)
    memory = check_memory(selector.memory)
    params = {
        "discrete": discrete,
        "n_bins": selector.n_bins,
        "strategy": selector.strategy,
        "random_state": selector.random_state,
    }
    data_key = _dask.token(Xd.original, y_d, w_d, params)
    cached = memory.cache(_dask_encoding, ignore=["X", "y", "sample_weight", "n_jobs"])
    encoding = cached(
        data_key=data_key,
        X=Xd,
        y=y_d,
        sample_weight=w_d,
        n_jobs=selector.n_jobs,
        **params,
    )
    target = encoding["target"]
    n_levels, bin_edges = encoding["n_levels"], encoding["bin_edges"]
    n_eff = encoding["n_eff"]
    stop_alpha = selector.alpha if selector.n_features_to_select == "auto" else None
    max_k = n_features if k is None else k
    if stop_alpha is not None and w_d is not None:
        _warn_fractional(encoding["weight_sum"], encoding["live_rows"])
    selector._warn_sparse_levels(n_levels, discrete, n_eff)
    selector._warn_constant(encoding["constant"])
    ordered = _ordered_columns(discrete, n_levels, bin_edges)

    codes = _codes_graph(Xd.array, encoding, discrete, n_jobs=selector.n_jobs)
    y_codes = _dask.map_blocks_rows(
        _code_target,
        y_d,
        n_columns=None,
        dtype=np.intp,
        classes=target["classes"],
        edges=target["edges"],
    )
    terms = _DaskTerms(
        codes,
        y_codes,
        w_d,
        n_levels,
        encoding["y_counts"],
        selector.method,
        selector.n_jobs,
    )
    args = {
        "data_key": data_key,
        "terms": terms,
        "criterion": selector.criterion,
        "beta": float(selector.beta),
        "method": selector.method,
    }
    from skinfo._selection import _run_path

    weights = functools.partial(_gathered_weights, w_d)

    def test_data(source, columns, raw):
        """The tests' data of the given columns of ``X``, gathered when read.

        ``source`` holds their codes in that order (``source.columns(i)`` is
        column ``columns[i]``) and the target codes.
        """
        data = _TestData(
            {"y_codes": source.target, "weights": weights},
            codes=_DaskColumns(source, np.arange(columns.size), Xd.n_samples),
            n_levels=n_levels[columns],
            ordered=ordered[columns],
            n_eff=n_eff,
            n_y=target["n_y"],
        )
        data["scores"] = _LazyScores(raw, ordered[columns], data)
        return data

    try:
        if stop_alpha is None:
            state = _run_path(
                memory, _dask_path, args, max_k, None, selector.n_jobs, ignore=["terms"]
            )
            walk = None
        else:
            every = np.arange(n_features)
            data = test_data(terms, every, _RawColumns(Xd.array, every))
            state, walk = selector._auto_walk(
                memory,
                args,
                data,
                stop_alpha,
                path=_dask_path,
                ignore=["terms"],
                n_features=args["terms"].n_features,
            )
    finally:
        terms.release()
    selector._store_path(state, k, walk)
    selector.bin_edges_ = bin_edges
    if stop_alpha is None:
        # p-values (and MIM's gains) on first access, from the selected columns,
        # recomputed then from the graph of X: nothing stays persisted
        sel = selector.ranking_
        lazy = _LazySource(
            _codes_graph(Xd.array, encoding, discrete, columns=sel), y_codes
        )
        data = test_data(lazy, sel, _RawColumns(Xd.array, sel))
        selector._pvalue_inputs = (data, n_features)
        selector._pvalues = None
    elif np.all(selector.pvalues_ > stop_alpha):
        label = selector._feature_label(selector.ranking_[0], "feature ")
        warn_user(
            f"No feature is significantly dependent on y at alpha={stop_alpha}: "
            f"kept the most relevant one, {label} (adjusted p-value "
            f"{selector.pvalues_[0]:.3g})."
        )
    return selector


class _LazyScores(_ScoreSource):
    """:class:`_ScoreSource` that reads the weights from the test data when needed."""

    def __init__(self, X, ordered, data: dict):
        super().__init__(X, ordered, None)
        self.data = data

    def __call__(self, j: int):
        """Scores of column ``j``, or None."""
        if not self.ordered[j]:
            return None
        self.weights = self.data["weights"]
        return super().__call__(j)


class _LazySource:
    """Columns and target codes recomputed from the graphs (after ``fit``)."""

    def __init__(self, codes, y_codes):
        self.codes, self.y_codes = codes, y_codes

    def columns(self, columns) -> NDArray:
        """Codes of the given columns (positions in ``codes``) on the client."""
        columns = [int(j) for j in columns]
        parts = _dask.block_list(_take_columns, self.codes, columns=columns)
        return np.concatenate(parts) if parts else np.zeros((0, len(columns)))

    def target(self) -> NDArray[np.intp]:
        """Return the target codes on the client."""
        return _gather_vector(self.y_codes).astype(np.intp)


def _checked_weights(w):
    """Reject negative, non-finite or all-zero weights (one pass); return them."""
    stats = _dask.block_sum(_weight_block, w)
    if stats[0] > 0:
        raise ValueError(
            "sample_weight has negative, NaN or infinite values: pass finite, "
            "non-negative frequency weights."
        )
    if stats[1] == 0:
        raise ValueError(
            "sample_weight is zero for every row: give at least one row a positive "
            "weight."
        )
    return w


def _weight_block(w):
    w = w.astype(np.float64)
    bad = np.count_nonzero(~np.isfinite(w) | (w < 0))
    return np.array([bad, np.count_nonzero(w > 0)], dtype=np.float64)


# ----------------------------------------------------------------------- transform
def _selected_block(block, *, columns):
    """Return the kept columns of a block, after ``transform``'s infinity check."""
    if block.dtype.kind == "f":
        _dask.check_block(block, allow_nan=True)
    return block[:, columns]


def transform_dask(selector, X):
    """:meth:`MIFeatureSelector.transform` of a dask array or DataFrame (lazy).

    The selected columns, with their values and dtypes: a dask array gives a dask
    array (infinity raises when it is computed), a dask DataFrame a dask DataFrame
    of the selected columns. Nothing is computed.
    """
    check_is_fitted(selector)
    keep = np.flatnonzero(selector.get_support())
    if getattr(X, "ndim", 2) == 1 or hasattr(X, "columns"):  # DataFrame or Series
        frame = X.to_frame() if not hasattr(X, "columns") else X
        check_no_text(frame._meta)
        columns = list(frame.columns)
        if len(columns) != selector.n_features_in_:
            raise ValueError(
                f"X has {len(columns)} features, but {type(selector).__name__} is "
                f"expecting {selector.n_features_in_} features as input."
            )
        names = getattr(selector, "feature_names_in_", None)
        if names is not None and [str(c) for c in columns] != list(names):
            raise ValueError(
                "The feature names should match those that were passed during fit: "
                f"expected {list(names)}, got {columns}."
            )
        return frame[[columns[j] for j in keep]]
    Xd = _dask.to_dask_input(X, name="X", check_finite=False)
    _dask.set_input_attributes(selector, Xd, reset=False)
    array = X.rechunk({1: -1})
    return _dask.map_blocks_rows(
        _selected_block, array, n_columns=keep.size, dtype=X.dtype, columns=keep
    )
