"""``InformationBottleneckReducer`` on dask collections: fit from reduced sums.

The Gaussian bottleneck needs only weighted sums over rows (the weight total, the
means, the centred cross-products per class or with a continuous ``y``, and for
Ledoit-Wolf shrinkage the sum of the residuals' fourth powers); the discrete ones
need only the bin edges and the weighted counts of the distinct ``(binned row, y)``
pairs. Each of these is one distributed pass (:mod:`skinfo._dask`): the row blocks
are reduced on the workers by the same functions the in-memory fit uses, only the
small results travel, and the math that turns them into the fitted model is the
in-memory code itself (``_solve_gaussian``, ``_discrete_table``,
``_solve_discrete_problem``). The client never holds ``X``: at most the
subsample of the discrete methods below.

Passes over ``X`` of a Gaussian fit: a scan (finiteness, largest ``|x|``, the
weighted column sums, the target's classes or range, the weights' totals), the
centred sums, and the residuals' fourth moment (``shrinkage="auto"`` only). The
moments are formed around the exact weighted means of the scan, as in memory, so
data with a large mean lose no precision; the raw sums are rescaled by the exact
power of two, and only when a raw sum overflows (values near the float limit) is
one more pass run on the scaled values. Passes of a discrete fit: the scan (which
also gives the column ranges of uniform bins), a subsample of at most 200,000 rows
drawn on the workers (quantile cuts, as the in-memory fit subsamples, and the
``classifier``; uniform bins draw it at the end, for the classifier only), and the
pair counts. On data of at most 200,000 rows the subsample is every row, so the
fit equals the in-memory one.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils import check_random_state

from skinfo import _dask
from skinfo._binning import (
    apply_bin_edges,
    auto_n_bins,
    fit_bin_edges,
)
from skinfo._bottleneck import (
    _CATEGORICAL_HINT,
    _centred_sums,
    _fit_classifier,
    _power_of_two_exponent,
    _radix_groups,
    _radix_keys,
    _residual_fourth,
    _solve_gaussian,
)
from skinfo._input import (
    check_no_text,
)

__all__ = ["discrete_problem_dask", "fit_dask", "predict_dask", "transform_dask"]

#: Rows drawn on the workers for quantile cuts and for the classifier (the
#: in-memory fit places quantile cuts on a subsample of the same size).
SUBSAMPLE = 200_000


# ----------------------------------------------------------------------- inputs
def _decode_categories(block: NDArray, *, tables: dict) -> NDArray[np.float64]:
    """Replace category codes by the (numeric) category values, column by column."""
    block = np.array(block, dtype=np.float64)
    for j, values in tables.items():
        codes = block[:, j]
        known = ~np.isnan(codes)
        out = np.full(codes.shape, np.nan)
        out[known] = values[codes[known].astype(np.intp)]
        block[:, j] = out
    return block


def _as_input(X, *, check_finite: bool) -> _dask.DaskInput:
    """Validate a dask ``X`` as the bottleneck needs it: finite numbers.

    Categorical columns of a DataFrame are used by their values, as in memory;
    text categories raise the in-memory ``TypeError`` that names the column.
    """
    original = X
    if hasattr(X, "_meta") and isinstance(X._meta, pd.DataFrame | pd.Series):
        meta = X._meta if isinstance(X._meta, pd.DataFrame) else X._meta.to_frame()
        check_no_text(meta, "X")
    Xd = _dask.to_dask_input(X, name="X", allow_nan=False, check_finite=check_finite)
    if not Xd.categorical.any():
        return Xd
    meta = original._meta
    columns = list(meta.columns) if isinstance(meta, pd.DataFrame) else [meta.name]
    tables = {}
    for column, categories in Xd.categories.items():
        if not pd.api.types.is_numeric_dtype(categories.dtype):
            raise TypeError(
                f"Column {column!r} of X is categorical with text categories; "
                f"{_CATEGORICAL_HINT}"
            )
        tables[columns.index(column)] = np.asarray(categories, dtype=np.float64)
    array = _dask.map_blocks_rows(
        _decode_categories,
        Xd,
        n_columns=Xd.n_features,
        dtype=np.float64,
        tables=tables,
    )
    return dataclasses.replace(Xd, array=array)


def _target_array(y, chunks):
    """``y`` as a dask array with the row chunks of ``X`` (1-D, or 2-D outputs)."""
    import dask.array as da
    import dask.dataframe as dd

    if y is None:
        raise ValueError(
            "InformationBottleneckReducer requires y to be passed, but the target y "
            "is None."
        )
    n = int(sum(chunks))
    if isinstance(y, dd.DataFrame) and len(y.columns) > 1:
        y = y.to_dask_array(lengths=True)
    elif not isinstance(y, da.Array | dd.Series | dd.DataFrame):
        values = np.asarray(y)
        if values.ndim == 2 and values.shape[1] > 1:
            y = da.from_array(values, chunks=(values.shape[0], -1))
    if isinstance(y, da.Array) and y.ndim == 2 and y.shape[1] > 1:
        if y.shape[0] != n:
            raise ValueError(
                f"y has {y.shape[0]} samples but X has {n}; they must have one "
                "entry per row of X."
            )
        return y.rechunk({0: tuple(chunks), 1: -1})
    return _dask.to_dask_vector(y, chunks, name="y")


# ------------------------------------------------------------------------- scan
def _target_summary(y: NDArray) -> dict:
    """Summarise one block of ``y`` for ``fit`` (merged by :func:`_merge_scan`).

    Missing and infinite values are counted; numbers report whether they are all
    whole (then the distinct values, the classes, are kept) and their largest
    magnitude; other values (text) are classes.
    """
    values = np.asarray(y)
    if values.dtype.kind in "biuf":
        floats = values.astype(np.float64)
        finite = np.isfinite(floats)
        whole = bool(np.all(floats[finite] == np.floor(floats[finite])))
        return {
            "n_nan": int(np.isnan(floats).sum()),
            "n_inf": int(np.isinf(floats).sum()),
            "max_abs": float(np.max(np.abs(floats[finite]), initial=0.0)),
            "classes": np.unique(values) if whole and values.ndim == 1 else None,
            "numeric": True,
        }
    missing = pd.isna(values)
    return {
        "n_nan": int(np.sum(missing)),
        "n_inf": 0,
        "max_abs": 0.0,
        "classes": np.unique(values[~missing]) if values.ndim == 1 else None,
        "numeric": False,
    }


def _weight_summary(w: NDArray | None) -> dict | None:
    if w is None:
        return None
    values = np.asarray(w)
    if values.dtype.kind not in "biuf":
        raise TypeError(
            f"sample_weight must hold numbers, got dtype {values.dtype}; pass one "
            "non-negative weight per row."
        )
    values = values.astype(np.float64)
    return {
        "n_nonfinite": int(np.count_nonzero(~np.isfinite(values))),
        "n_negative": int(np.count_nonzero(values < 0)),
        "n_positive": int(np.count_nonzero(values > 0)),
        "total": np.array([float(np.sum(values))]),
    }


def _scan_block(x: NDArray, y: NDArray, w: NDArray | None) -> dict:
    """Everything one pass learns from a block; merged by :func:`_merge_scan`.

    Non-finite counts and the largest ``|x|`` of ``X``; the (raw) weighted column
    sums of ``X`` and of a numeric ``y`` (for the means); the column ranges over
    rows of positive weight (for uniform bins); the target and weight summaries.
    """
    raw = np.ones(x.shape[0]) if w is None else np.asarray(w, dtype=np.float64)
    finite = np.isfinite(x)
    positive = x[raw > 0] if w is not None else x
    with np.errstate(invalid="ignore", over="ignore"):
        out = {
            "x_bad": np.array([np.isinf(x).sum(), np.isnan(x).sum()]),
            "x_max": float(np.max(np.abs(x[finite]), initial=0.0)),
            "x_sum": raw @ x,
            "n_rows": int(x.shape[0]),
            "range": None,
            "y": _target_summary(y),
            "y_sum": None,
            "w": _weight_summary(w),
        }
        if positive.shape[0]:
            out["range"] = np.vstack([positive.min(axis=0), positive.max(axis=0)])
        if out["y"]["numeric"]:
            out["y_sum"] = raw @ np.asarray(y, dtype=np.float64).reshape(x.shape[0], -1)
    return out


def _merge_classes(a, b):
    if a is None or b is None:
        return None
    return np.unique(np.concatenate([a, b]))


def _merge_ranges(a, b):
    if a is None or b is None:
        return b if a is None else a
    return np.vstack([np.minimum(a[0], b[0]), np.maximum(a[1], b[1])])


def _merge_scan(a: dict, b: dict) -> dict:
    ya, yb = a["y"], b["y"]
    y = {
        "n_nan": ya["n_nan"] + yb["n_nan"],
        "n_inf": ya["n_inf"] + yb["n_inf"],
        "max_abs": max(ya["max_abs"], yb["max_abs"]),
        "classes": _merge_classes(ya["classes"], yb["classes"]),
        "numeric": ya["numeric"] and yb["numeric"],
    }
    w = None
    if a["w"] is not None:
        w = {key: a["w"][key] + b["w"][key] for key in a["w"]}
    with np.errstate(invalid="ignore", over="ignore"):
        y_sum = None if y["numeric"] is False else a["y_sum"] + b["y_sum"]
        return {
            "x_bad": a["x_bad"] + b["x_bad"],
            "x_max": max(a["x_max"], b["x_max"]),
            "x_sum": a["x_sum"] + b["x_sum"],
            "n_rows": a["n_rows"] + b["n_rows"],
            "range": _merge_ranges(a["range"], b["range"]),
            "y": y,
            "y_sum": y_sum,
            "w": w,
        }


def _scan(est, Xd, y, w) -> dict:
    """One pass over ``X``, ``y`` and the weights; raise on bad input.

    Returns the power-of-two exponent of ``X``, the kind of target, the classes
    (class labels) or the exponent of ``y`` (continuous), the weight factor that
    rescales the weights to sum ``n_eff = max(sum(w), count(w > 0))``, ``n_eff``,
    the column ranges of the scaled ``X`` over rows of positive weight, and the
    weighted means of the scaled ``X`` and ``y`` (None where a sum overflowed).
    """
    scan = _dask.block_reduce(_scan_block, _merge_scan, Xd.array, y, w)
    if scan["x_bad"][0]:
        raise ValueError("Input X contains infinity or a value too large.")
    if scan["x_bad"][1]:
        raise ValueError(
            "Input X contains NaN. Impute missing values first (for example with "
            "sklearn.impute.SimpleImputer)."
        )
    ys = scan["y"]
    if ys["n_inf"]:
        raise ValueError("Input y contains infinity or a value too large for float64.")
    if ys["n_nan"]:
        raise ValueError("Input y contains NaN.")
    factor, n_eff, total = None, float(scan["n_rows"]), float(scan["n_rows"])
    if w is not None:
        ws = scan["w"]
        if ws["n_nonfinite"]:
            raise ValueError("Input sample_weight contains NaN or infinity.")
        if ws["n_negative"]:
            raise ValueError("Negative values in data passed to sample_weight")
        total = float(ws["total"][0])
        if ws["n_positive"] == 0:
            raise ValueError(
                "sample_weight is zero for every row: give at least one row a "
                "positive weight."
            )
        n_eff = max(total, float(ws["n_positive"]))
        factor = n_eff / total
    if n_eff < 2:
        raise ValueError(
            f"{type(est).__name__} needs at least 2 samples, got n_samples = "
            f"{scan['n_rows']} (effective number of samples {n_eff:g})."
        )
    if ys["classes"] is not None:
        kind = "classification"
    elif ys["numeric"]:
        kind = "regression"
    else:
        raise ValueError(
            "y must hold class labels or numbers; a 2-D y must hold numbers "
            "(continuous outputs)."
        )
    if est.method != "gaussian" and kind != "classification":
        raise ValueError(
            f"method={est.method!r} needs a classification target, got a "
            "'continuous' y; use method='gaussian' for continuous targets."
        )
    exponent = _power_of_two_exponent(np.array([scan["x_max"]]))
    y_exponent = _power_of_two_exponent(np.array([ys["max_abs"]]))
    # Dividing a sum by a power of two is exact, so these equal the sums of the
    # scaled values unless a sum overflowed (then a pass on scaled values is run).
    mean = np.ldexp(scan["x_sum"], -exponent) / total
    y_mean = None
    if kind == "regression":
        y_mean = np.ldexp(scan["y_sum"], -y_exponent) / total
    return {
        "exponent": exponent,
        "kind": kind,
        "classes": ys["classes"],
        "y_exponent": y_exponent,
        "factor": factor,
        "n_eff": n_eff,
        "n_positive": scan["n_rows"] if w is None else scan["w"]["n_positive"],
        "ranges": np.ldexp(scan["range"], -exponent),
        "mean": mean if np.all(np.isfinite(mean)) else None,
        "y_mean": y_mean if y_mean is None or np.all(np.isfinite(y_mean)) else None,
    }


def _block_weights(w: NDArray | None, n: int, factor) -> NDArray[np.float64]:
    """Rescaled weights of one block (ones without weights)."""
    if w is None:
        return np.ones(n)
    return np.asarray(w, dtype=np.float64) * factor


def _class_codes(y: NDArray, classes: NDArray) -> NDArray[np.intp]:
    """Codes of the labels of one block: positions in the sorted ``classes``."""
    return np.searchsorted(classes, np.asarray(y)).astype(np.intp)


# --------------------------------------------------------------------- gaussian
def _weighted_sums(x, y, w, *, exponent, y_exponent, factor, regression):
    weights = _block_weights(w, x.shape[0], factor)
    out = (np.array([weights.sum()]), weights @ np.ldexp(x, -exponent))
    if regression:
        Y = np.asarray(y, dtype=np.float64).reshape(x.shape[0], -1)
        out += (weights @ np.ldexp(Y, -y_exponent),)
    return out


def _block_target(y, weights, *, classes, y_exponent, y_mean):
    if classes is not None:
        return ("classification", _class_codes(y, classes), classes.size)
    Y = np.asarray(y, dtype=np.float64).reshape(weights.size, -1)
    return ("regression", np.ldexp(Y, -y_exponent) - y_mean)


def _block_centred_sums(x, y, w, *, exponent, mean, factor, **target):
    weights = _block_weights(w, x.shape[0], factor)
    Z = np.ldexp(x, -exponent) - mean
    return _centred_sums(Z, weights, _block_target(y, weights, **target))


def _block_fourth(x, y, w, *, exponent, mean, factor, fit, **target):
    weights = _block_weights(w, x.shape[0], factor)
    Z = np.ldexp(x, -exponent) - mean
    block_target = _block_target(y, weights, **target)
    return np.array([_residual_fourth(Z, weights, block_target, fit)])


def _fit_gaussian(est, Xd, y, w, scan) -> None:
    d = Xd.n_features
    if scan["n_positive"] < d:
        raise ValueError(
            f"X has {scan['n_positive']} rows of positive weight for {d} features. "
            "With more features than rows the Gaussian bottleneck is solved in the "
            "span of the rows, which needs them in memory; this X is small, so "
            "fit on X.compute() instead."
        )
    est._warn_few_samples(scan["n_eff"], d)
    regression = scan["kind"] == "regression"
    common = {"exponent": scan["exponent"], "factor": scan["factor"]}
    mean, y_mean = scan["mean"], scan["y_mean"]
    if mean is None or (regression and y_mean is None):  # a raw sum overflowed
        sums = _dask.block_sum(
            _weighted_sums,
            Xd.array,
            y,
            w,
            y_exponent=scan["y_exponent"],
            regression=regression,
            **common,
        )
        total = float(sums[0][0])
        mean = sums[1] / total
        y_mean = sums[2] / total if regression else None
    target = {
        "classes": None if regression else scan["classes"],
        "y_exponent": scan["y_exponent"],
        "y_mean": y_mean,
    }
    centred = _dask.block_sum(
        _block_centred_sums, Xd.array, y, w, mean=mean, **common, **target
    )

    def fourth(fit):
        return float(
            _dask.block_sum(
                _block_fourth, Xd.array, y, w, mean=mean, fit=fit, **common, **target
            )[0]
        )

    solution = _solve_gaussian(
        centred,
        scan["kind"],
        est.shrinkage,
        d,
        fourth,
        exponent=scan["exponent"],
        mean=mean,
    )
    est._set_gaussian(solution)


# --------------------------------------------------------------------- discrete
def _pair_counts(x, y, w, *, edges, classes, factor):
    """Distinct ``(bin codes, class)`` rows of one block and their summed weights."""
    codes, _ = apply_bin_edges(x, edges)
    pairs = np.column_stack([codes.astype(np.int64), _class_codes(y, classes)])
    weights = None if w is None else _block_weights(w, x.shape[0], factor)
    if weights is not None:
        keep = weights > 0
        pairs, weights = pairs[keep], weights[keep]
    return _unique_pairs(pairs, weights, _pair_levels(edges, classes))


def _pair_levels(edges, classes) -> NDArray[np.int64]:
    """Codes per column of a pair row: the bins of each feature, then the classes."""
    return np.array([len(cuts) + 1 for cuts in edges] + [len(classes)], np.int64)


def _unique_pairs(pairs, weights, levels):
    """Distinct rows of ``pairs`` (codes below ``levels``) and their summed weights.

    Rows are packed into mixed-radix 64-bit keys (:func:`_radix_keys`), so the
    distinct rows come from a 1-D sort unless a row needs more than one key.
    """
    keys = _radix_keys(pairs, levels, _radix_groups(levels))
    if len(keys) == 1:
        _, first, inverse = np.unique(keys[0], return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(
            np.column_stack(keys), axis=0, return_index=True, return_inverse=True
        )
    counts = np.bincount(inverse.ravel(), weights=weights, minlength=first.size)
    return pairs[first], counts.astype(np.float64)


def _merge_pairs(a, b, *, levels):
    """Add two blocks' pair counts (the combine of :func:`_pair_counts`)."""
    return _unique_pairs(
        np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]]), levels
    )


def discrete_problem_dask(est, X, y, sample_weight, rng):
    """Bin a dask ``X`` and build the bottleneck's ``p(x, y)`` from pair counts.

    Sets ``classes_``, ``bin_edges_``, ``n_features_in_`` (and
    ``feature_names_in_``) and the symbol index, as the in-memory
    ``_discrete_setup`` does, and returns ``(problem, context)``; ``context`` holds
    the validated inputs for the classifier.
    """
    Xd = _as_input(X, check_finite=False)  # checked by the scan
    _dask.set_input_attributes(est, Xd, reset=True)
    if est.method == "gaussian":  # pragma: no cover - callers check the method
        raise ValueError("discrete_problem_dask serves the discrete methods only.")
    y = _target_array(y, Xd.chunks)
    w = _dask.to_dask_vector(sample_weight, Xd.chunks, name="sample_weight")
    scan = _scan(est, Xd, y, w)
    est.classes_ = scan["classes"]
    n_eff = scan["n_eff"]
    n_bins = auto_n_bins(n_eff) if est.n_bins == "auto" else est.n_bins
    exponent, factor = scan["exponent"], scan["factor"]
    sample = None
    if est.strategy == "uniform":
        edges = fit_bin_edges(scan["ranges"], n_bins, "uniform")
    else:
        sample = _dask.sample_rows([Xd.array, y, w], SUBSAMPLE, rng)
        ws = None if w is None else np.asarray(sample[2], dtype=np.float64) * factor
        edges = fit_bin_edges(
            np.ldexp(sample[0], -exponent),
            n_bins,
            "quantile",
            sample_weight=ws,
            random_state=rng,
        )
    est.bin_edges_ = [np.ldexp(cuts, exponent) for cuts in edges]
    pairs, counts = _dask.block_reduce(
        _pair_counts,
        functools.partial(
            _merge_pairs, levels=_pair_levels(est.bin_edges_, est.classes_)
        ),
        Xd.array,
        y,
        w,
        edges=est.bin_edges_,
        classes=est.classes_,
        factor=factor,
    )
    n_levels = np.array([len(cuts) + 1 for cuts in est.bin_edges_], dtype=np.intp)
    problem = est._discrete_table(pairs[:, :-1], pairs[:, -1], counts, n_levels, n_eff)
    present = np.unique(pairs[:, -1])
    context = {"Xd": Xd, "y": y, "w": w, "factor": factor, "present": present}
    return problem, dict(context, sample=sample)


def _fit_discrete(est, X, y, sample_weight, rng) -> None:
    clf = est._check_classifier()
    problem, ctx = discrete_problem_dask(est, X, y, sample_weight, rng)
    est._solve_discrete_problem(problem, rng)
    est.classifier_ = None
    if ctx["present"].size > 1:
        sample = ctx["sample"]  # the rows of the quantile cuts, when drawn
        if sample is None:
            sample = _dask.sample_rows(
                [ctx["Xd"].array, ctx["y"], ctx["w"]], SUBSAMPLE, rng
            )
        xs, ys, ws = sample
        if ws is not None:
            ws = np.asarray(ws, dtype=np.float64) * ctx["factor"]
        codes = _class_codes(ys, est.classes_)
        est.classifier_ = _fit_classifier(clone(clf), xs, codes, ws)


# -------------------------------------------------------------------- estimator
def fit_dask(est, X, y, sample_weight=None) -> None:
    """Fit ``est`` (validated parameters) on a dask ``X``; ``y`` and weights any kind.

    Sets the same fitted attributes as the in-memory fit. The Gaussian method
    raises a ``ValueError`` when ``X`` has no more rows of positive weight than
    features: the in-memory fit then works in the span of the rows, which a
    distributed fit cannot form without gathering them.
    """
    rng = check_random_state(est.random_state)
    if est.method != "gaussian":
        _fit_discrete(est, X, y, sample_weight, rng)
        return
    Xd = _as_input(X, check_finite=False)  # checked by the scan
    _dask.set_input_attributes(est, Xd, reset=True)
    y = _target_array(y, Xd.chunks)
    w = _dask.to_dask_vector(sample_weight, Xd.chunks, name="sample_weight")
    scan = _scan(est, Xd, y, w)
    _fit_gaussian(est, Xd, y, w, scan)


def _transform_block(block, *, estimator):
    block = _dask.check_block(block, allow_nan=False)
    return estimator._transform_rows(block)


def _predict_block(block, *, estimator):
    block = _dask.check_block(block, allow_nan=False)
    return np.argmax(estimator._encode(block), axis=1)


def transform_dask(est, X):
    """Lazy ``transform`` of a dask ``X``: a dask array, or DataFrame for frames.

    Nothing is computed; a non-finite value raises when the result is.
    """
    Xd = _as_input(X, check_finite=False)
    _dask.set_input_attributes(est, Xd, reset=False)
    out = _dask.map_blocks_rows(
        _transform_block,
        Xd,
        n_columns=est.n_components_,
        dtype=np.float64,
        estimator=est,
    )
    return _dask.as_output(out, Xd, est.get_feature_names_out())


def predict_dask(est, X):
    """Lazy ``predict`` of a dask ``X``: a 1-D dask array of cluster labels."""
    Xd = _as_input(X, check_finite=False)
    _dask.set_input_attributes(est, Xd, reset=False)
    return _dask.map_blocks_rows(
        _predict_block, Xd, n_columns=None, dtype=np.intp, estimator=est
    )
