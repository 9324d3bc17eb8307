"""EntropyDiscretizer on Dask collections: fit from row-block sums, lazy transform.

Imported by :mod:`skinfo._discretization` only once a dask collection is passed in.
The client never holds ``X``. Passes over ``X``:

1. a statistics pass (:func:`skinfo._dask.block_reduce`): per column the number
   of infinities, the range and the number of missing values (rows of positive
   weight), the distinct values of the features passed through, the classes of
   ``y``, the weight checks, and the rows the edges need, picked on the workers
   by their row numbers: ``"mdlp"`` the rows of the subsample that places the
   candidate grid (the draw of :func:`skinfo._dask.sample_rows`, at most
   ``subsample``), ``"quantile"`` every row when there are at most ``subsample``,
   and with more, KBinsDiscretizer's draw (with replacement) for ``"uniform"`` and
   ``"quantile"``; ``"uniform"`` on at most ``subsample`` rows needs no rows, its
   ranges are exact. A weighted KBinsDiscretizer draw needs the weights as
   probabilities first: the weight vector (one column) is gathered on the client
   and the drawn rows come in a second pass.
2. ``"mdlp"`` only: one pass adding, per feature, the per-class rows and weights
   in every interval of its grid (:func:`skinfo._dask.block_sum`); the MDLP
   search then runs on the client on those tables. ``n_candidates=None`` takes
   every midpoint between distinct values of the subsample as the grid (the
   tables then grow with it, so long data warn: set ``n_candidates``).

The rows drawn are those the in-memory fit draws from the same ``random_state``
(``"mdlp"`` with ``n_candidates`` draws its grid rows as Dask does, in memory
too), so every strategy gives the in-memory fitted attributes: exactly, up to
round-off in sums of fractional weights. ``"mdlp"`` with ``n_candidates=None``
equals the in-memory fit when all rows are in the subsample.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from skinfo import _dask
from skinfo._binning import encode_labels, resolve_discrete_features

__all__ = ["fit", "inverse_transform", "transform"]


# ------------------------------------------------------------------ input helpers
def _float_dtype(original) -> np.dtype:
    """Return the float dtype ``validate_data`` gives the in-memory ``X``."""
    dtypes = getattr(original, "dtypes", None)
    if dtypes is not None and not isinstance(dtypes, np.dtype):  # a DataFrame
        kinds = list(dtypes.values) if hasattr(dtypes, "values") else [dtypes]
        same = all(isinstance(d, np.dtype) and d == np.float32 for d in kinds)
    else:
        same = getattr(original, "dtype", None) == np.float32
    return np.dtype(np.float32) if same else np.dtype(np.float64)


def _integer_dtypes(original, n_features: int) -> dict:
    """``{j: numpy integer dtype}`` of the integer columns (exact categories)."""
    dtypes = getattr(original, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):  # a DataFrame
        out = {}
        for j, dtype in enumerate(dtypes.values):
            if isinstance(dtype, np.dtype) and dtype.kind in "iu":
                out[j] = dtype
            elif not isinstance(dtype, np.dtype) and pd.api.types.is_integer_dtype(
                dtype
            ):
                out[j] = np.dtype(getattr(dtype, "numpy_dtype", np.int64))
        return out
    dtype = getattr(original, "dtype", None)
    if dtype is not None and dtype.kind in "iu":
        return dict.fromkeys(range(n_features), dtype)
    return {}


def _prepare_block(block, *, decode, remap):
    """Categorical codes as the estimator sees them, on one row block.

    ``decode``: ``{j: category values}`` of categorical columns that are cut (the
    in-memory fit bins their values); ``remap``: ``{j: code map}`` from this
    input's category codes to those seen in fit (-1: unseen).
    """
    if not decode and not remap:
        return block
    block = block.copy()
    for j, values in decode.items():
        codes = block[:, j]
        ok = ~np.isnan(codes)
        column = np.full(codes.shape, np.nan)
        column[ok] = values[codes[ok].astype(np.intp)]
        block[:, j] = column
    for j, mapping in remap.items():
        codes = block[:, j]
        ok = ~np.isnan(codes)
        column = np.full(codes.shape, np.nan)
        column[ok] = mapping[codes[ok].astype(np.intp)]
        block[:, j] = column
    return block


def _frame_columns(Xd) -> list:
    """Column labels of the input (the keys of ``Xd.categories``)."""
    original = Xd.original
    if hasattr(original, "columns"):
        return list(original.columns)
    name = getattr(original, "name", None)  # a Series: to_frame() names it so
    return [0 if name is None else name]


def _categorical_maps(est, Xd, discrete, *, fitting: bool):
    """``decode`` and ``remap`` of :func:`_prepare_block` for ``Xd``."""
    decode, remap = {}, {}
    names = Xd.feature_names
    columns = _frame_columns(Xd)
    for j in np.flatnonzero(Xd.categorical):
        categories = Xd.categories[columns[j]]
        label = names[j] if names is not None else columns[j]
        if not discrete[j]:
            if not pd.api.types.is_numeric_dtype(categories.dtype):
                raise TypeError(
                    f"Column {label!r} of X is categorical with text categories; it "
                    "cannot be binned. Pass it through as a discrete feature with "
                    "discrete_features='auto' or by listing it."
                )
            decode[int(j)] = np.asarray(categories, dtype=np.float64)
        elif not fitting:
            seen = est._category_levels.get(int(j))
            if seen is not None and not seen.equals(categories):
                mapping = pd.Index(seen).get_indexer(categories).astype(np.float64)
                remap[int(j)] = mapping
    return decode, remap


# -------------------------------------------------------------- statistics pass
def _stats_block(xb, yb, wb, index, *, discrete, labels, take, columns):
    """Per-block statistics; :func:`_combine_stats` adds two of them.

    ``take`` asks for rows of the ``columns`` (and their weights) too, in the same
    pass: ``"all"`` of them, or the rows numbered in the sorted array ``take``
    (``index`` holds the numbers of the block's rows).
    """
    out = {"inf": np.isinf(xb).sum(axis=0)}
    if take is not None:
        if isinstance(take, str):
            picked = slice(None)
        elif index.size == 0:
            picked = slice(0, 0)
        else:
            lo, hi = np.searchsorted(take, [index[0], index[-1] + 1])
            picked = take[lo:hi] - index[0]
        out["sample_x"] = xb[picked][:, columns]
        out["sample_w"] = None if wb is None else wb[picked]
    if wb is not None:
        finite = np.isfinite(wb)
        ok = wb[finite]
        positive = ok > 0
        out["w"] = np.array(
            [
                np.count_nonzero(~finite),
                np.count_nonzero(ok < 0),
                np.count_nonzero(positive),
                float(ok[positive].sum()),
                float(ok.max()) if ok.size else 0.0,
            ]
        )
        xb = xb[np.isfinite(wb) & (wb > 0)]
    n_features = xb.shape[1]
    if xb.shape[0]:
        out["lo"] = np.fmin.reduce(xb, axis=0)
        out["hi"] = np.fmax.reduce(xb, axis=0)
    else:
        out["lo"] = out["hi"] = np.full(n_features, np.nan)
    out["nan"] = np.isnan(xb).sum(axis=0)
    out["levels"] = [np.unique(xb[:, j][~np.isnan(xb[:, j])]) for j in discrete]
    out["classes"] = encode_labels(yb)[0] if labels and yb is not None else None
    return out


def _union_labels(a, b):
    if a is None:
        return b
    if b is None:
        return a
    try:
        both = np.concatenate([a, b])  # keeps the dtype of y's blocks
    except (TypeError, ValueError):
        both = np.concatenate([a.astype(object), b.astype(object)])
    return encode_labels(both)[0]


def _combine_stats(a, b):
    """Merge the statistics of two runs of blocks, ``a`` before ``b``."""
    out = {
        "inf": a["inf"] + b["inf"],
        "lo": np.fmin(a["lo"], b["lo"]),
        "hi": np.fmax(a["hi"], b["hi"]),
        "nan": a["nan"] + b["nan"],
        "levels": [
            np.union1d(p, q) for p, q in zip(a["levels"], b["levels"], strict=True)
        ],
        "classes": _union_labels(a["classes"], b["classes"]),
    }
    if "sample_x" in a:  # rows stay in order
        out["sample_x"] = np.concatenate([a["sample_x"], b["sample_x"]])
        out["sample_w"] = (
            None
            if a["sample_w"] is None
            else np.concatenate([a["sample_w"], b["sample_w"]])
        )
    if "w" in a:
        w = a["w"] + b["w"]
        w[4] = max(a["w"][4], b["w"][4])
        out["w"] = w
    return out


def _check_weights(stats) -> None:
    n_bad, n_negative, n_positive, _, _ = stats["w"]
    if n_bad:
        raise ValueError(
            "Input sample_weight contains NaN or infinity; give every row a finite "
            "non-negative weight."
        )
    if n_negative:
        raise ValueError(
            "Negative values in data passed to `sample_weight`; weights must be "
            "non-negative."
        )
    if not n_positive:
        raise ValueError(
            "sample_weight is zero for every row: give at least one row a positive "
            "weight."
        )


def _check_target(classes):
    """Run the in-memory target checks on the distinct values of ``y``."""
    try:
        check_classification_targets(classes)
    except ValueError as exc:
        y_type = type_of_target(classes, input_name="y")
        if y_type not in ("continuous", "continuous-multioutput"):
            raise
        raise ValueError(
            f"strategy='mdlp' needs a classification target, but y is {y_type}. "
            "Bin the features of a regression problem with strategy='uniform' or "
            "strategy='quantile' instead."
        ) from exc


# --------------------------------------------------------------------- MDLP pass
def _mdlp_counts_block(xb, yb, wb, *, columns, grids, classes, exponent, width):
    """Per feature and class: rows and weights in each candidate interval."""
    from skinfo._discretization import _interval_counts

    xb = xb[:, columns]
    codes = pd.Index(classes).get_indexer(pd.Index(yb)).astype(np.intp)
    if wb is not None:
        keep = wb > 0
        xb, codes, wb = xb[keep], codes[keep], wb[keep]
    n_classes = len(classes)
    rows = np.zeros((len(columns), n_classes, width), dtype=np.int64)
    sums = None if wb is None else np.zeros(rows.shape)
    fractional = np.zeros(len(columns), dtype=np.int64)
    for i, cuts in enumerate(grids):
        r, s, f = _interval_counts(xb[:, i], codes, wb, cuts, n_classes, exponent)
        rows[i, :, : r.shape[1]] = r
        if sums is not None:
            sums[i, :, : s.shape[1]] = s
            fractional[i] = f
    return (rows,) if sums is None else (rows, sums, fractional)


def _rows_to_take(est, n_samples, w, continuous):
    """Rows of the statistics pass that the edges need: None, "all" or numbers.

    ``"mdlp"``: the grid subsample (the draw of :func:`skinfo._dask.sample_rows`);
    ``"quantile"`` with at most ``subsample`` rows: all; with more, unweighted:
    KBinsDiscretizer's draw (``"uniform"`` too). A weighted draw needs the weights
    first, so it is left to :func:`_fit_unsupervised`, as is ``"uniform"`` with at
    most ``subsample`` rows, whose range is exact.
    """
    from skinfo._binning import sample_row_index
    from skinfo._discretization import _kbins_draw

    few = est.subsample is None or n_samples <= est.subsample
    if est.strategy == "mdlp":
        rows = sample_row_index(n_samples, est.subsample, est.random_state)
        return "all" if rows is None else rows
    if few:
        return "all" if est.strategy == "quantile" else None
    if w is not None:
        return None
    rng = check_random_state(est.random_state)
    return np.sort(_kbins_draw(n_samples, est.subsample, None, rng))


def _fit_mdlp(est, array, y, w, continuous, classes, stats, n_samples):
    from skinfo._discretization import (
        _candidate_cuts,
        _mdlp_from_counts,
        _weight_exponent,
    )

    if est.n_candidates is None and (
        est.subsample is None or n_samples > est.subsample
    ):
        shown = "every row" if est.subsample is None else f"{est.subsample} rows"
        warnings.warn(
            "strategy='mdlp' with n_candidates=None on a Dask collection scores "
            f"every midpoint between distinct values of a subsample of {shown}, "
            "and every row block sends class counts for all of them. Set "
            "n_candidates (for example 256) to bound the candidate grid; the "
            "in-memory fit with the same n_candidates gives the same edges.",
            UserWarning,
            stacklevel=5,  # _fit_mdlp, fit, EntropyDiscretizer.fit, _fit_context
        )
    sample_x, sample_w = stats["sample_x"], stats["sample_w"]
    if sample_w is not None:
        keep = sample_w > 0
        sample_x, sample_w = sample_x[keep], sample_w[keep]
    grids = []
    for i in range(continuous.size):
        column = sample_x[:, i]
        finite = ~np.isnan(column)
        # None: every midpoint between distinct values of the subsample
        b = est.n_candidates if est.n_candidates is not None else max(column.size, 1)
        grids.append(
            _candidate_cuts(
                column[finite], None if sample_w is None else sample_w[finite], b
            )
        )
    exponent = 0 if w is None else _weight_exponent(float(stats["w"][4]))
    width = max(g.size for g in grids) + 1
    totals = _dask.block_sum(
        _mdlp_counts_block,
        array,
        y,
        w,
        columns=continuous,
        grids=grids,
        classes=classes,
        exponent=exponent,
        width=width,
    )
    cuts, gains = [], []
    for i, grid in enumerate(grids):
        m = grid.size + 1
        rows = totals[0][i, :, :m]
        sums = None if w is None else totals[1][i, :, :m]
        c, g = _mdlp_from_counts(
            rows,
            sums,
            grid,
            n_fractional=0 if w is None else int(totals[2][i]),
            exponent=exponent,
            min_samples_leaf=est.min_samples_leaf,
            max_bins=est.max_bins,
        )
        cuts.append(c)
        gains.append(g)
    return cuts, gains


def _pick_rows(xb, index, *, rows):
    """Return the rows of one block whose global numbers are in sorted ``rows``."""
    if index.size == 0:
        return xb[:0]
    lo, hi = np.searchsorted(rows, [index[0], index[-1] + 1])
    return xb[rows[lo:hi] - index[0]]


def _take_rows(array, rows):
    """Rows ``rows`` (sorted, repeats allowed) of a dask array, drawn on the workers.

    Only the drawn rows travel to the client.
    """
    import dask.array as da

    index = da.arange(array.shape[0], chunks=(array.chunks[0],))
    parts = _dask.block_list(_pick_rows, array, index, rows=rows)
    return np.concatenate(parts, axis=0)


def _fit_unsupervised(est, array, w, continuous, n_bins, stats, dtype, n_samples):
    from skinfo._discretization import _column_edges, _kbins_draw

    rng = check_random_state(est.random_state)
    if est.subsample is not None and n_samples > est.subsample:
        # KBinsDiscretizer's draw, as in memory: the row numbers are drawn on the
        # client (with weights, the weight vector is gathered for it: one column),
        # and only the drawn rows travel.
        if w is None:
            sample_x = stats["sample_x"]  # drawn in the statistics pass
        else:
            weights = np.asarray(w.compute(), dtype=np.float64)
            rows = np.sort(_kbins_draw(n_samples, est.subsample, weights, rng))
            cont = array[:, continuous] if continuous.size < array.shape[1] else array
            sample_x = _take_rows(cont, rows)
        sample_x = sample_x.astype(dtype)  # exact: the values were of this dtype
        return [
            _column_edges(
                sample_x[:, i], None, int(n_bins[i]), est.strategy, est.quantile_method
            )
            for i in range(continuous.size)
        ]
    if est.strategy == "uniform":
        # the exact range of the rows of positive weight (NaN ignored)
        lo, hi = stats["lo"][continuous], stats["hi"][continuous]
        return [
            _column_edges(
                np.array([lo[i], hi[i]], dtype=dtype),
                None,
                int(n_bins[i]),
                "uniform",
                est.quantile_method,
            )
            for i in range(continuous.size)
        ]
    # at most subsample rows: all of them, in order, as in memory
    sample_x, sample_w = stats["sample_x"].astype(dtype), stats["sample_w"]
    return est._fit_unsupervised(sample_x, n_bins, sample_w, rng)


# --------------------------------------------------------------------------- fit
def fit(est, X, y=None, sample_weight=None):
    """Fit ``est`` (an EntropyDiscretizer) on a dask ``X``; y and weights any kind.

    Parameters
    ----------
    est : EntropyDiscretizer
        The estimator, parameters already validated.
    X : dask Array or DataFrame of shape (n_samples, n_features)
        Training data, never gathered.
    y, sample_weight : array-like, pandas or dask, of shape (n_samples,)
        Target and frequency weights.

    Returns
    -------
    est : EntropyDiscretizer
        The fitted estimator.
    """
    from skinfo._discretization import _WEIGHTED_QUANTILE_METHODS

    # (infinity is counted in the statistics pass below, not in a pass of its own)
    Xd = _dask.to_dask_input(X, name="X", allow_nan=True, check_finite=False)
    n_samples, n_features = Xd.shape
    supervised = est.strategy == "mdlp"
    if supervised and y is None:
        raise ValueError(
            f"{type(est).__name__} with strategy='mdlp' requires y to be passed, "
            "but the target y is None."
        )
    y = _dask.to_dask_vector(y if supervised else None, Xd.chunks, name="y")
    w = _dask.to_dask_vector(sample_weight, Xd.chunks, name="sample_weight")
    _dask.set_input_attributes(est, Xd, reset=True)
    discrete = resolve_discrete_features(
        est.discrete_features,
        n_features,
        auto_mask=Xd.auto_discrete,
        feature_names=Xd.feature_names,
    )
    decode, _ = _categorical_maps(est, Xd, discrete, fitting=True)
    columns = _frame_columns(Xd)
    est._category_levels = {
        int(j): Xd.categories[columns[j]]
        for j in np.flatnonzero(Xd.categorical & discrete)
    }
    array = Xd.array
    if decode:
        array = _dask.map_blocks_rows(
            _prepare_block,
            array,
            n_columns=n_features,
            dtype=np.float64,
            decode=decode,
            remap={},
        )
    discrete_idx = np.flatnonzero(discrete)
    continuous = np.flatnonzero(~discrete)
    take = _rows_to_take(est, n_samples, w, continuous) if continuous.size else None
    index = None
    if take is not None and not isinstance(take, str):
        import dask.array as da

        index = da.arange(n_samples, chunks=(Xd.chunks,))
    stats = _dask.block_reduce(
        _stats_block,
        _combine_stats,
        array,
        y,
        w,
        index,
        discrete=discrete_idx,
        labels=supervised,
        take=take,
        columns=continuous,
    )
    if stats["inf"].any():
        raise ValueError(
            "Input X contains infinity or a value too large; replace it by a "
            "finite value or NaN (which gets a bin of its own)."
        )
    if w is not None:
        _check_weights(stats)
    dtype = _float_dtype(Xd.original)
    classes = None
    if supervised:
        classes = stats["classes"]
        _check_target(classes)
    elif (
        est.strategy == "quantile"
        and w is not None
        and est.quantile_method not in _WEIGHTED_QUANTILE_METHODS
        and (est.subsample is None or n_samples <= est.subsample)
    ):
        raise ValueError(
            "quantile_method must be 'inverted_cdf' or 'averaged_inverted_cdf' "
            f"with sample_weight, got {est.quantile_method!r}. Pick one of "
            "those, or fit without sample_weight."
        )

    has_missing = stats["nan"] > 0
    est.n_bins_ = np.zeros(n_features, dtype=np.intp)
    est.bin_edges_ = np.empty(n_features, dtype=object)
    est.cut_points_ = np.empty(n_features, dtype=object)
    est.cut_gains_ = np.empty(n_features, dtype=object)
    est.categories_ = np.empty(n_features, dtype=object)
    if continuous.size:
        if supervised:
            cuts, gains = _fit_mdlp(
                est, array, y, w, continuous, classes, stats, n_samples
            )
            lo, hi = stats["lo"][continuous], stats["hi"][continuous]
            edges = [
                np.concatenate(([lo[i]], cuts[i], [hi[i]]))
                for i in range(continuous.size)
            ]
        else:
            n_eff = n_samples
            if w is not None:
                n_eff = max(float(stats["w"][3]), int(stats["w"][2]))
            n_bins = est._resolve_n_bins(n_features, n_eff)[continuous]
            edges = _fit_unsupervised(
                est, array, w, continuous, n_bins, stats, dtype, n_samples
            )
            gains = [np.full(e.size - 2, np.nan) for e in edges]
        for i, j in enumerate(continuous):
            est.bin_edges_[j] = edges[i]
            est.cut_points_[j] = edges[i][1:-1]
            est.cut_gains_[j] = gains[i]
            est.n_bins_[j] = edges[i].size - 1
    integers = _integer_dtypes(Xd.original, n_features)
    for i, j in enumerate(discrete_idx):
        levels = stats["levels"][i]
        if j in integers and not Xd.categorical[j]:
            levels = levels.astype(integers[j])  # exact: |values| <= 2**53
        est.categories_[j] = levels
        est.cut_points_[j] = np.empty(0)
        est.cut_gains_[j] = np.empty(0)
        est.bin_edges_[j] = np.empty(0)
        est.n_bins_[j] = levels.size
    est.discrete_features_ = discrete
    est.has_missing_ = has_missing
    return est


# --------------------------------------------------------------------- transform
def _transform_block(block, *, est, decode, remap, out_dtype):
    block = _dask.check_block(block, allow_nan=True)
    block = _prepare_block(block, decode=decode, remap=remap)
    return est._encode(block, {}, out_dtype)


def transform(est, X):
    """Lazy ``est.transform`` of a dask ``X``: a dask array or DataFrame.

    Parameters
    ----------
    est : EntropyDiscretizer
        A fitted discretizer.
    X : dask Array or DataFrame of shape (n_samples, n_features)
        Data to discretize; infinity raises when the result is computed.

    Returns
    -------
    Xt : dask Array or DataFrame
        The codes or one-hot columns, computed block by block when asked for.
    """
    if est.encode == "onehot":
        raise ValueError(
            "encode='onehot' returns a scipy sparse matrix, which a lazy transform "
            "of a dask collection cannot give. Use encode='onehot-dense' (a dask "
            "array of the same one-hot columns) or encode='ordinal'."
        )
    Xd = _dask.to_dask_input(X, name="X", allow_nan=True, check_finite=False)
    _dask.set_input_attributes(est, Xd, reset=False)
    decode, remap = _categorical_maps(est, Xd, est.discrete_features_, fitting=False)
    out_dtype = _float_dtype(Xd.original) if est.dtype is None else np.dtype(est.dtype)
    if est.encode == "ordinal":
        n_columns = est.n_bins_.size
    else:
        n_columns = int((est.n_bins_ + est.has_missing_).sum())
    out = _dask.map_blocks_rows(
        _transform_block,
        Xd,
        n_columns=n_columns,
        dtype=out_dtype,
        est=est,
        decode=decode,
        remap=remap,
        out_dtype=out_dtype,
    )
    return _dask.as_output(out, Xd, est.get_feature_names_out())


def _inverse_block(block, *, est):
    return est.inverse_transform(block)


def inverse_transform(est, X):
    """Lazy ``est.inverse_transform`` of a dask array (or DataFrame) of codes.

    Parameters
    ----------
    est : EntropyDiscretizer
        A fitted discretizer.
    X : dask Array or DataFrame of shape (n_samples, n_features_out)
        Output of :meth:`transform`.

    Returns
    -------
    X_original : dask Array of shape (n_samples, n_features)
        Bin centres and values, computed block by block when asked for.
    """
    import dask.dataframe as dd

    from skinfo._discretization import _exact_in

    if isinstance(X, dd.DataFrame):
        X = X.to_dask_array(lengths=True)
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D dask array for X, got {X.ndim} dimension(s).")
    widths = est.n_bins_ + est.has_missing_
    onehot = est.encode != "ordinal"
    expected = int(widths.sum()) if onehot else est.n_bins_.size
    if X.shape[1] != expected:
        raise ValueError(
            f"X has {X.shape[1]} columns, but the {est.encode} encoding of this "
            f"{type(est).__name__} has {expected}."
        )
    # the result dtype of the in-memory method: float, or object for integers
    # that the float type cannot hold
    float_dtype = np.dtype(np.float64)
    if not onehot and X.dtype == np.float32:
        float_dtype = np.dtype(np.float32)
    exact = all(
        _exact_in(est.categories_[j], float_dtype)
        for j in np.flatnonzero(est.discrete_features_)
    )
    X = X.rechunk({1: -1})
    return _dask.map_blocks_rows(
        _inverse_block,
        X,
        n_columns=est.n_bins_.size,
        dtype=float_dtype if exact else np.dtype(object),
        est=est,
    )
