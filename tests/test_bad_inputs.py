"""Bad-input matrix: every public entry point of skinfo against every bad input.

Each test is one (entry point, input case) pair. The expectation is written from the
intended behaviour (the decisions shared by the skinfo developers), not from what the
code does today:

- ``"error"``: the call must raise a ``ValueError``/``TypeError`` whose message names
  the parameter (or the column) and holds no numpy/Python internals;
- ``"value"``: the call must return, and the result must lie within the bounds that
  information theory gives (and equal the known value where there is one);
- ``"either"``: a clear error as above, or a result within the bounds.

Whatever the outcome, the inputs must not be modified in place, and a result must not
depend on the order of the rows (same ``random_state``).
"""

from __future__ import annotations

import copy
import math
import os
import re
import subprocess
import sys
import warnings
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from skinfo import (
    EntropyDiscretizer,
    InformationBottleneckReducer,
    MIFeatureSelector,
    estimate,
    information_curve,
    measures,
)
from skinfo._cli import main as cli_main

LOG2 = math.log(2.0)
N = 24  # rows of the base data: 12 per class, more than n_neighbors + 1 per class
TOL = 1e-9

# Phrases that betray a crash deep in numpy/Python rather than a checked input.
INTERNALS = (
    "could not convert string to float",
    "dtypepromotionerror",
    "object entries",
    "index",
    "division by zero",
    "overflow",
)

ERROR, VALUE, EITHER, SKIP = "error", "value", "either", "skip"


# ======================================================================================
# Input cases
# ======================================================================================


@dataclass
class Case:
    """One bad input, in the sample world (``X``, ``y``, ``sample_weight``)."""

    name: str
    X: object
    y: object
    sample_weight: object = None
    kind: str = "x"  # "x": about X; "y": about y; "w": about sample_weight
    fit_X: object = None  # clean data to fit on before ``transform(X)``
    names: tuple = ("X",)  # what an error about this case must name
    extra: dict = field(default_factory=dict)


def _base():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], N // 2)
    X = np.column_stack(
        [y + 0.5 * rng.normal(size=N), rng.normal(size=N), rng.normal(size=N)]
    )
    return X, y


def _clean_like(X):
    """Clean float data with the same number of columns (and names) as ``X``."""
    rng = np.random.default_rng(1)
    p = X.shape[1]
    y = np.repeat([0, 1], N // 2)
    data = rng.normal(size=(N, p)) + y[:, None]
    if isinstance(X, pd.DataFrame):
        return pd.DataFrame(data, columns=X.columns), y
    return data, y


def make_case(name: str) -> Case:
    X0, y0 = _base()
    if name == "empty_rows":
        return Case(name, X0[:0], y0[:0], names=("X", "x", "sample"))
    if name == "empty_columns":
        return Case(name, X0[:, :0], y0, fit_X=X0, names=("X", "x", "feature"))
    if name == "one_row":
        return Case(name, X0[:1], y0[:1], names=("X", "x", "n_samples", "n_neighbors"))
    if name == "constant_column":
        X = X0.copy()
        X[:, 0] = 3.0
        return Case(name, X, y0)
    if name == "all_nan_column":
        X = X0.copy()
        X[:, 0] = np.nan
        return Case(name, X, y0, names=("X", "x", "column 0"))
    if name == "inf":
        X = X0.copy()
        X[2, 0] = np.inf
        X[5, 0] = -np.inf
        return Case(name, X, y0, names=("X", "x", "column 0"))
    if name == "tied":
        return Case(name, np.round(X0), y0)
    if name == "huge_magnitudes":
        rng = np.random.default_rng(2)
        X = X0.copy()
        X[:, 0] = 1e307 * (1.5 + 0.1 * X0[:, 0])  # values near 1e307
        span = 1.7e308 * (2.0 * rng.random(N) - 1.0)
        span[:2] = [-1.7e308, 1.7e308]
        X[:, 1] = span  # a column spanning about +-1.7e308
        return Case(name, X, y0)
    if name in ("big_int64", "big_uint64"):
        rng = np.random.default_rng(3)
        if name == "big_int64":
            col = np.int64(2**53) + np.arange(N, dtype=np.int64)
            dtype = np.int64
        else:
            col = np.uint64(2**63) + np.arange(N, dtype=np.uint64)
            dtype = np.uint64
        y = (np.arange(N) % 2).astype(np.int64)  # col is a perfect predictor of y
        X = np.column_stack([col, rng.integers(0, 3, size=(N, 2)).astype(dtype)])
        return Case(name, X, y, names=("X", "x", "method", "discrete"))
    if name == "object_strings":
        X = X0.astype(object)
        X[:, 0] = np.where(y0 == 1, "yes", "no")
        return Case(name, X, y0, names=("column 0",))
    if name == "datetime64_numpy":
        days = np.round(X0 * 10).astype(np.int64).astype("timedelta64[D]")
        X = np.datetime64("2020-01-01") + days
        return Case(name, X, y0, names=("column 0",))
    if name == "datetime_pandas":
        X = pd.DataFrame(
            {
                "when": pd.Timestamp("2020-01-01")
                + pd.to_timedelta(np.round(X0[:, 0] * 10), unit="D"),
                "a": X0[:, 1],
                "b": X0[:, 2],
            }
        )
        return Case(name, X, y0, names=("when",))
    if name == "sparse":
        return Case(name, sp.csr_matrix(X0), y0, names=("X", "x", "joint", "p"))
    if name == "n_samples_le_n_features":
        rng = np.random.default_rng(4)
        y = np.array([0, 0, 0, 1, 1, 1])
        X = rng.normal(size=(6, 6)) + y[:, None]
        return Case(name, X, y)
    if name == "one_class":
        return Case(name, X0, np.zeros(N, dtype=np.int64), kind="y", names=("y",))
    if name == "y_nan":
        y = y0.astype(np.float64)
        y[3] = np.nan
        return Case(name, X0, y, kind="y", names=("y",))
    if name == "y_wrong_length":
        return Case(name, X0, y0[:-1], kind="y", names=("y",))
    if name.startswith("weights_"):
        rng = np.random.default_rng(5)
        idx = np.arange(N)
        w = {
            "weights_fractional": (lambda r: r / r.sum())(rng.random(N) + 0.1),
            "weights_huge": np.where(idx % 2 == 0, 1e17, 1e20),
            "weights_all_zero": np.zeros(N),
            "weights_some_zero": np.where(idx % 6 == 0, 0.0, 1.0),
            "weights_alternating_tiny_huge": np.where(idx % 2 == 0, 1e300, 1e-300),
            "weights_negative": np.where(idx == 5, -1.0, 1.0),
        }[name]
        return Case(name, X0, y0, sample_weight=w, kind="w", names=("sample_weight",))
    if name == "wrong_n_features":
        rng = np.random.default_rng(6)
        X = np.column_stack([X0, rng.normal(size=N)])
        return Case(name, X, y0, kind="transform", fit_X=X0)
    raise KeyError(name)


CASES = [
    "empty_rows",
    "empty_columns",
    "one_row",
    "constant_column",
    "all_nan_column",
    "inf",
    "tied",
    "huge_magnitudes",
    "big_int64",
    "big_uint64",
    "weights_fractional",
    "weights_huge",
    "weights_all_zero",
    "weights_some_zero",
    "weights_alternating_tiny_huge",
    "weights_negative",
    "object_strings",
    "datetime64_numpy",
    "datetime_pandas",
    "sparse",
    "n_samples_le_n_features",
    "one_class",
    "y_nan",
    "y_wrong_length",
    "wrong_n_features",
]

# Cases whose bad content is in X and that a fitted transformer can be handed.
X_CASES = {
    "empty_rows",
    "empty_columns",
    "one_row",
    "constant_column",
    "all_nan_column",
    "inf",
    "tied",
    "huge_magnitudes",
    "big_int64",
    "big_uint64",
    "object_strings",
    "datetime64_numpy",
    "datetime_pandas",
    "sparse",
    "n_samples_le_n_features",
    "wrong_n_features",
}
TEXT_CASES = {"object_strings", "datetime64_numpy", "datetime_pandas"}
ALWAYS_BAD = {"empty_rows", "empty_columns", "inf"}


# ======================================================================================
# Shared checks
# ======================================================================================


def _names_param(message: str, name: str) -> bool:
    if " " in name or (len(name) > 1 and not name.isidentifier()):
        return name.lower() in message.lower()
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message)


def check_clear_error(exc: BaseException, names) -> None:
    """A ValueError/TypeError naming one of ``names`` and free of internals."""
    message = str(exc)
    assert isinstance(exc, ValueError | TypeError), (
        f"expected ValueError/TypeError, got {type(exc).__name__}: {message}"
    )
    low = message.lower()
    leaked = [phrase for phrase in INTERNALS if phrase in low]
    assert not leaked, f"message leaks internals {leaked}: {message}"
    assert any(_names_param(message, n) for n in names), (
        f"message names none of {names}: {message}"
    )


def _snapshot(value):
    if sp.issparse(value):
        return value.copy()
    return copy.deepcopy(value)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if sp.issparse(a):
        return sp.issparse(b) and (a != b).nnz == 0 and a.dtype == b.dtype
    if isinstance(a, pd.DataFrame | pd.Series):
        return a.equals(b)
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    if a.dtype.kind == "O":
        return all(x is y or x == y for x, y in zip(a.ravel(), b.ravel(), strict=True))
    return np.array_equal(a, b)


def _reverse_rows(value):
    if value is None:
        return None
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.iloc[::-1].reset_index(drop=True)
    if sp.issparse(value):
        return value[np.arange(value.shape[0])[::-1]]
    return np.asarray(value)[::-1].copy()


def _has_nan(value) -> bool:
    if isinstance(value, pd.DataFrame):
        return bool(value.isna().to_numpy().any())
    if sp.issparse(value):
        value = value.toarray()
    value = np.asarray(value)
    if value.dtype.kind != "f":
        return False
    return bool(np.isnan(value).any())


def _plugin_entropy(labels, weights=None) -> float:
    """Plug-in entropy (nats) of labels, optionally weighted; NaN is a label."""
    labels = pd.Series(np.asarray(labels).ravel())
    w = np.ones(len(labels)) if weights is None else np.asarray(weights, float)
    totals = pd.Series(w).groupby(labels.to_numpy(), dropna=False).sum().to_numpy()
    totals = totals[totals > 0] / totals.sum()
    return float(-(totals * np.log(totals)).sum())


def _close(a, b, *, rtol=1e-9, atol=1e-12) -> bool:
    return np.allclose(
        np.asarray(a, dtype=float),
        np.asarray(b, dtype=float),
        rtol=rtol,
        atol=atol,
        equal_nan=True,
    )


# ======================================================================================
# Entry points
# ======================================================================================


@dataclass(frozen=True)
class Entry:
    """A public callable with fixed options; ``id`` reads in test names."""

    id: str
    family: str
    options: tuple = ()
    method: str = "fit"  # fit / transform / fit_transform for the estimators

    @property
    def opts(self) -> dict:
        return dict(self.options)


SELECTOR_CONFIGS = [
    *[
        (
            f"{crit}-{'auto' if k == 'auto' else 'k2'}",
            {"criterion": crit, "n_features_to_select": k},
        )
        for crit in ("mim", "jmi", "mrmr", "cmim")
        for k in (2, "auto")
    ],
    ("knn-mim-k2", {"criterion": "mim", "n_features_to_select": 2, "method": "knn"}),
    (
        "knn-mim-auto",
        {"criterion": "mim", "n_features_to_select": "auto", "method": "knn"},
    ),
    ("knn-jmi-k2", {"criterion": "jmi", "n_features_to_select": 2, "method": "knn"}),
    ("knn-mrmr-k2", {"criterion": "mrmr", "n_features_to_select": 2, "method": "knn"}),
    ("knn-cmim-k2", {"criterion": "cmim", "n_features_to_select": 2, "method": "knn"}),
]
ESTIMATOR_METHODS = ("fit", "transform", "fit_transform")
SLOW_SELECTOR = "MIFeatureSelector-knn-mim-auto"  # a permutation test in every fit


def _entries() -> list[Entry]:
    entries = []
    for label, opts in SELECTOR_CONFIGS:
        for m in ESTIMATOR_METHODS:
            if f"MIFeatureSelector-{label}" == SLOW_SELECTOR and m == "fit_transform":
                continue  # 99 permutations a fit: fit and transform cover it
            entries.append(
                Entry(
                    f"MIFeatureSelector-{label}-{m}", "selector", tuple(opts.items()), m
                )
            )
    for strategy in ("mdlp", "quantile", "uniform"):
        for m in ESTIMATOR_METHODS:
            entries.append(
                Entry(
                    f"EntropyDiscretizer-{strategy}-{m}",
                    "discretizer",
                    (("strategy", strategy),),
                    m,
                )
            )
    for method in ("gaussian", "ib", "dib"):
        for m in ESTIMATOR_METHODS:
            entries.append(
                Entry(
                    f"InformationBottleneckReducer-{method}-{m}",
                    "bottleneck",
                    (("method", method),),
                    m,
                )
            )
        entries.append(
            Entry(f"information_curve-{method}", "curve", (("method", method),))
        )
    for name in measures.__all__:
        entries.append(Entry(f"measures.{name}", "measure", (("func", name),)))
    discrete_methods = (
        "plugin",
        "miller_madow",
        "grassberger",
        "shrinkage",
        "dirichlet",
    )
    for name in estimate.__all__:
        methods = [*discrete_methods, "binned"]
        if name not in ("normalized_mutual_info", "variation_of_information"):
            methods.append("knn")
        for method in methods:
            entries.append(
                Entry(
                    f"estimate.{name}-{method}",
                    "estimate",
                    (("func", name), ("method", method), ("pair", "xy")),
                )
            )
            if name in ("mutual_info", "conditional_mutual_info") and method in (
                "binned",
                "knn",
            ):  # two continuous variables: KSG and Frenzel-Pompe for "knn"
                entries.append(
                    Entry(
                        f"estimate.{name}-{method}-continuous_pair",
                        "estimate",
                        (("func", name), ("method", method), ("pair", "xz")),
                    )
                )
    for command in ("rank", "discretize", "bottleneck"):
        entries.append(Entry(f"cli-{command}", "cli", (("command", command),)))
    return entries


ENTRIES = _entries()


# ======================================================================================
# Expectations (intended behaviour)
# ======================================================================================


def expectation(entry: Entry, case: Case):
    """Return ``(mode, names, warning_regex)`` for ``entry`` on ``case``."""
    family, opts, name = entry.family, entry.opts, case.name
    if family in ("selector", "discretizer", "bottleneck"):
        return _estimator_expectation(entry, case)
    if family == "curve":
        if case.kind == "w":
            return SKIP, (), None
        if name == "wrong_n_features":
            return SKIP, (), None
        sub = Entry(entry.id, "bottleneck", entry.options, "fit")
        return _estimator_expectation(sub, case)
    if family == "estimate":
        if opts["pair"] == "xz" and opts["func"] == "mutual_info" and case.kind == "y":
            return SKIP, (), None  # mutual_info(x, z) does not see y
        return _estimate_expectation(opts["func"], opts["method"], case)
    if family == "measure":
        return _measure_expectation(opts["func"], case)
    if family == "cli":
        return _cli_expectation(opts["command"], case)
    raise AssertionError(family)


def _estimator_expectation(entry: Entry, case: Case):
    family, opts, name = entry.family, entry.opts, case.name
    knn = opts.get("method") == "knn"
    if entry.method == "transform":
        if name not in X_CASES:
            return SKIP, (), None  # y and sample_weight play no part in transform
    elif name == "wrong_n_features":
        return SKIP, (), None  # a case of transform only
    if case.kind == "w" and family == "bottleneck":
        return SKIP, (), None  # the bottleneck takes no sample_weight
    if name == "inf" and family == "selector" and entry.method == "transform":
        return EITHER, case.names, None  # as scikit-learn's selectors with NaN
    if name in ALWAYS_BAD or name == "wrong_n_features":
        return ERROR, case.names, None
    if name in TEXT_CASES:
        return ERROR, case.names, None
    if name == "sparse":
        return EITHER, ("X",), None  # either supported or refused by name
    if name == "one_row":
        return EITHER, ("X", "y", "n_samples"), None
    if name == "all_nan_column":
        if family == "selector" and not knn:
            warn = r"(?i)constant" if entry.method != "transform" else None
            return VALUE, (), warn
        if family == "discretizer":
            return VALUE, (), None
        if entry.method == "transform" and family == "selector":
            return EITHER, ("X", "column 0"), None  # selecting needs no finite values
        return ERROR, ("X", "column 0"), None
    if case.kind == "w":
        if family == "selector" and knn:
            return ERROR, ("sample_weight",), None
        if name in ("weights_all_zero", "weights_negative"):
            return ERROR, ("sample_weight",), None
        if name == "weights_alternating_tiny_huge":
            return EITHER, ("sample_weight",), None
        warn = None
        if (
            name == "weights_fractional"
            and family == "selector"
            and opts.get("n_features_to_select") == "auto"
        ):
            warn = r"(?i)weight"
        return VALUE, (), warn
    if name == "n_samples_le_n_features" and family == "bottleneck":
        if entry.method == "transform":
            return VALUE, (), None
        return VALUE, (), r"(?i)sample|feature|unique|distinct|rows|symbol"
    if name == "one_class":
        unsupervised = family == "discretizer" and opts["strategy"] != "mdlp"
        return (VALUE if unsupervised else EITHER), ("y",), None
    if name == "y_nan":
        if family == "discretizer" and opts["strategy"] != "mdlp":
            return VALUE, (), None  # y is ignored
        return ERROR, ("y",), None
    if name == "y_wrong_length":
        if family == "discretizer" and opts["strategy"] != "mdlp":
            return EITHER, ("y",), None
        return ERROR, ("y",), None
    return VALUE, (), None


DISCRETE_METHODS = ("plugin", "miller_madow", "grassberger", "shrinkage", "dirichlet")


def _estimate_expectation(func: str, method: str, case: Case):
    name = case.name
    if case.kind in ("w", "transform"):
        return SKIP, (), None
    if case.kind == "y" and func == "entropy":
        return SKIP, (), None  # one variable: no y
    if name in ALWAYS_BAD:
        return ERROR, ("x", "y", "z", "variables"), None
    if name == "y_wrong_length":
        return ERROR, ("x", "y", "z", "variables"), None
    if name == "sparse":
        return EITHER, ("x", "y", "z", "variables"), None
    knn = method == "knn"
    if name == "one_row":
        if knn:
            return ERROR, ("n_neighbors", "x", "variables"), None
        return (EITHER if method == "binned" else VALUE), ("x",), None
    if name in ("all_nan_column", "y_nan") and knn:
        if name == "y_nan" and func == "entropy":
            return VALUE, (), None
        return ERROR, ("x", "y", "z", "variables"), None
    if name == "n_samples_le_n_features" and knn:
        # 3 samples per class: the stratified kNN estimate may refuse them
        return EITHER, ("n_neighbors",), None
    if name in TEXT_CASES or name in ("big_int64", "big_uint64"):
        if knn:
            return EITHER, ("x", "y", "variables", "method", "discrete"), None
        if name in TEXT_CASES and name != "object_strings":
            return EITHER, ("x", "variables"), None
        return VALUE, (), None
    return VALUE, (), None


PAIR_MEASURES = ("kl_divergence", "cross_entropy", "js_divergence", "js_distance")


def _measure_expectation(func: str, case: Case):
    name = case.name
    weighted = func in ("js_divergence", "js_distance")
    if case.kind == "w":
        if not weighted:
            return SKIP, (), None
        if name in ("weights_all_zero", "weights_negative"):
            return ERROR, ("weights",), None
        return VALUE, (), None
    if name == "y_wrong_length":
        return (ERROR, ("p", "q"), None) if func in PAIR_MEASURES else (SKIP, (), None)
    if name in ("empty_rows", "empty_columns", "all_nan_column", "inf"):
        return ERROR, ("p", "q", "joint"), None
    if name in TEXT_CASES:
        return ERROR, ("p", "q", "joint"), None
    if name == "sparse":
        return EITHER, ("p", "q", "joint"), None
    if name in (
        "one_row",
        "constant_column",
        "huge_magnitudes",
        "big_int64",
        "big_uint64",
    ):
        return VALUE, (), None
    return SKIP, (), None  # tied, n <= p, y cases: not a property of a table


CLI_BAD = {"empty_rows", "empty_columns", "inf", *TEXT_CASES, "one_class", "y_nan"}


def _cli_expectation(command: str, case: Case):
    name = case.name
    if case.kind in ("w", "transform") or name in ("sparse", "y_wrong_length"):
        return SKIP, (), None  # no such input through a CSV file
    if name in CLI_BAD:
        return ERROR, (), None
    if name == "all_nan_column" and command == "bottleneck":
        return ERROR, (), None
    if name == "one_row":
        return EITHER, (), None
    return VALUE, (), None


# ======================================================================================
# Runners and result checks
# ======================================================================================


def _estimator(entry: Entry):
    opts = entry.opts
    if entry.family == "selector":
        return MIFeatureSelector(**opts, random_state=0)
    if entry.family == "discretizer":
        return EntropyDiscretizer(**opts, random_state=0)
    return InformationBottleneckReducer(2, **opts, n_init=2, random_state=0)


def _fit_kwargs(entry: Entry, case: Case) -> dict:
    if entry.family == "bottleneck" or case.sample_weight is None:
        return {}
    return {"sample_weight": case.sample_weight}


def run_estimator(entry: Entry, case: Case, X, y, w):
    est = _estimator(entry)
    kwargs = {} if w is None else {"sample_weight": w}
    if entry.method == "fit":
        est.fit(X, y, **kwargs)
        return {"est": est, "out": None}
    if entry.method == "fit_transform":
        out = est.fit_transform(X, y, **kwargs)
        return {"est": est, "out": out}
    fit_X = _clean_like(X)[0] if case.fit_X is None else case.fit_X
    fitted = _fitted_on_clean(entry, fit_X)
    return {"est": fitted, "out": fitted.transform(X)}


_FITTED: dict = {}


def _fitted_on_clean(entry: Entry, fit_X):
    """Estimator of ``entry`` fitted on clean data (cached: transform is read-only)."""
    columns = tuple(fit_X.columns) if isinstance(fit_X, pd.DataFrame) else None
    key = (entry.family, entry.options, fit_X.shape, columns)
    if key not in _FITTED:
        est = _estimator(entry)
        _FITTED[key] = est.fit(fit_X, np.repeat([0, 1], fit_X.shape[0] // 2))
    return _FITTED[key]


def _check_selector(entry, case, X, y, w, result):
    est, knn = result["est"], entry.opts.get("method") == "knn"
    relevance = np.asarray(est.relevance_, dtype=float)
    if entry.method != "transform":
        assert relevance.shape == (X.shape[1],)
        assert not np.isnan(relevance).any(), f"NaN relevance: {relevance}"
        assert np.isfinite(relevance).all(), f"infinite relevance: {relevance}"
        assert hasattr(est, "pvalues_"), "pvalues_ missing after fit"
        if not knn:
            h_y = _plugin_entropy(y, w)
            assert (relevance >= -TOL).all(), f"negative plug-in MI: {relevance}"
            assert (relevance <= h_y + TOL).all(), f"MI above H(y) = {h_y}: {relevance}"
        if case.name == "constant_column":
            assert relevance[0] == 0.0, f"constant column has MI {relevance[0]}"
        if case.name in ("big_int64", "big_uint64"):  # discrete: counted, also by kNN
            h_y = _plugin_entropy(y)
            assert relevance[0] == pytest.approx(h_y, rel=1e-12), (
                f"perfect big-integer predictor: relevance {relevance[0]} != H(y)"
            )
        assert 1 <= est.n_features_to_select_ <= X.shape[1]
    out = result["out"]
    if out is not None:
        if sp.issparse(out):
            out = out.toarray()
        assert out.shape[0] == X.shape[0]
        assert out.shape[1] == est.n_features_to_select_
        if not _has_nan(X):
            assert not _has_nan(out), "transform output has NaN"


def _check_discretizer(entry, case, X, y, w, result):
    est = result["est"]
    if entry.method != "transform":
        n_bins = np.asarray(est.n_bins_)
        assert (n_bins >= 1).all(), f"n_bins_ = {n_bins}"
        for j, cuts in enumerate(est.cut_points_):
            cuts = np.asarray(cuts, dtype=float)
            assert np.isfinite(cuts).all(), f"cut points of feature {j}: {cuts}"
            assert (np.diff(cuts) > 0).all(), f"cuts of {j} not increasing: {cuts}"
    out = result["out"]
    if out is not None:
        out = out.toarray() if sp.issparse(out) else np.asarray(out, dtype=float)
        assert out.shape[0] == X.shape[0]
        assert not np.isnan(out).any(), "transform output has NaN"
        assert np.isfinite(out).all(), "transform output is not finite"
        if est.encode == "ordinal":  # NaN unseen in fit still gets code n_bins_
            limit = np.asarray(est.n_bins_)[~est.discrete_features_]
            codes = out[:, ~est.discrete_features_]
            assert ((codes >= 0) & (codes <= limit)).all(), "bin code out of range"


def _check_bottleneck(entry, case, X, y, w, result):
    est = result["est"]
    if entry.method != "transform":
        ixt, ity, ixy = est.information_xt_, est.information_ty_, est.information_xy_
        for label, value in (("I(X;T)", ixt), ("I(T;Y)", ity), ("I(X;Y)", ixy)):
            assert np.isfinite(value), f"{label} = {value}"
            assert value >= -TOL, f"{label} = {value} < 0"
        assert ity <= ixy + 1e-7, f"I(T;Y) = {ity} > I(X;Y) = {ixy}"
    out = result["out"]
    if out is not None:
        out = np.asarray(out, dtype=float)
        assert out.shape[0] == X.shape[0]
        assert not np.isnan(out).any(), "transform output has NaN"
        assert np.isfinite(out).all(), "transform output is not finite"
        if getattr(est, "n_active_", 1) > 0:  # no active component: T = 0 is right
            assert out.size == 0 or np.abs(out).max() > 0, "transform output is 0"


def _result_key(entry: Entry, result):
    """What must not depend on the order of the rows."""
    est = result["est"]
    if entry.family == "selector":
        key = {"relevance": np.asarray(est.relevance_, dtype=float)}
        if entry.opts.get("n_features_to_select") == "auto":
            key["ranking"] = np.asarray(est.ranking_)[:1]
        else:
            key["ranking"] = np.asarray(est.ranking_)
        return key
    if entry.family == "discretizer":
        return {
            f"cuts{j}": np.asarray(c, dtype=float)
            for j, c in enumerate(est.cut_points_)
        }
    return {"ixt": est.information_xt_, "ity": est.information_ty_}


def _keys_match(a: dict, b: dict, rtol: float) -> list[str]:
    return [
        k
        for k in a
        if np.shape(a[k]) != np.shape(b[k]) or not _close(a[k], b[k], rtol=rtol)
    ]


def check_estimator_result(entry, case, X, y, w, result):
    {
        "selector": _check_selector,
        "discretizer": _check_discretizer,
        "bottleneck": _check_bottleneck,
    }[entry.family](entry, case, X, y, w, result)
    if entry.method == "transform" or entry.id.startswith(SLOW_SELECTOR):
        return  # (the row order of the kNN relevance is checked with a fixed size)
    # The same rows in reverse order: the same fit.
    Xr, yr, wr = _reverse_rows(X), _reverse_rows(y), _reverse_rows(w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        other = run_estimator(
            Entry(entry.id, entry.family, entry.options, "fit"), case, Xr, yr, wr
        )
    rtol = 1e-6 if entry.family == "bottleneck" else 1e-9
    bad = _keys_match(_result_key(entry, result), _result_key(entry, other), rtol)
    assert not bad, f"result depends on row order: {bad}"


# ---------------------------------------------------------------------- estimate


def _estimate_args(func: str, case: Case, pair: str = "xy"):
    X, y = case.X, case.y
    if case.name == "empty_columns" or case.name == "sparse":
        x, z = X, X
    elif case.name == "n_samples_le_n_features":
        x, z = X, X[:, :1]
    elif isinstance(X, pd.DataFrame):
        x, z = X.iloc[:, 0], X.iloc[:, 1]
    else:
        x, z = X[:, 0], X[:, 1]
    if pair == "xz":
        return {"mutual_info": (x, z), "conditional_mutual_info": (x, z, y)}[func]
    return {
        "entropy": (x,),
        "joint_entropy": (x, y),
        "conditional_entropy": (x, y),
        "mutual_info": (x, y),
        "conditional_mutual_info": (x, y, z),
        "normalized_mutual_info": (x, y),
        "variation_of_information": (x, y),
    }[func]


def _estimate_kwargs(method: str) -> dict:
    kwargs = {"method": method}
    if method in DISCRETE_METHODS:
        kwargs["discrete"] = True  # count the values, floats included
    if method in ("binned", "knn"):
        kwargs["random_state"] = 0
    return kwargs


def run_estimate(func: str, method: str, args):
    return getattr(estimate, func)(*args, **_estimate_kwargs(method))


def check_estimate_result(func, method, case, args, value):
    assert isinstance(value, float), f"not a float: {value!r}"
    assert not math.isnan(value), "NaN result"
    knn = method == "knn"
    entropy_like = func in ("entropy", "joint_entropy", "conditional_entropy")
    if knn and case.name == "constant_column":
        if func == "entropy":
            assert value == -math.inf, f"kNN entropy of a constant: {value}"
        if func in ("mutual_info", "conditional_mutual_info"):
            assert value == 0.0, f"kNN MI of a constant column: {value}"
    allowed_inf = knn and entropy_like and case.name == "constant_column"
    if not allowed_inf:
        assert math.isfinite(value), f"non-finite result {value}"

    plugin = method in ("plugin", "binned")
    # Grassberger (2003) with log N dips slightly below 0 on one occupied cell, as
    # ALGORITHMS.md 1.3 specifies (-0.00166 nats at n = 10): documented, not clipped.
    if not knn and method != "grassberger" and func in ("entropy", "joint_entropy"):
        assert value >= -TOL, f"negative entropy of discrete data: {value}"
    if plugin:
        h = lambda v: run_estimate("entropy", method, (v,))
        if func == "conditional_entropy":
            assert -TOL <= value <= h(args[0]) + TOL
        if func in ("mutual_info",):
            bound = min(h(args[0]), h(args[1]))
            assert -TOL <= value <= bound + TOL, f"MI {value} outside [0, {bound}]"
        if func == "conditional_mutual_info":
            x, y, z = args
            kw = _estimate_kwargs(method)
            bound = min(
                estimate.conditional_entropy(x, z, **kw),
                estimate.conditional_entropy(y, z, **kw),
            )
            assert -TOL <= value <= bound + TOL, f"CMI {value} outside [0, {bound}]"
        if func == "normalized_mutual_info":
            assert -TOL <= value <= 1 + TOL
        if func == "variation_of_information":
            assert -TOL <= value <= h(args[0]) + h(args[1]) + TOL
    against_y = len(args) > 1 and args[1] is case.y
    if case.name in ("big_int64", "big_uint64") and func == "mutual_info" and against_y:
        if not knn:
            h_y = _plugin_entropy(case.y)
            if method in ("plugin", "binned"):
                assert value == pytest.approx(h_y, rel=1e-12), (
                    f"perfect big-integer predictor: MI {value} != H(y) = {h_y}"
                )
    mi_funcs = ("mutual_info", "conditional_mutual_info")
    if case.name == "one_class" and plugin and against_y and func in mi_funcs:
        assert value == 0.0, f"MI with a one-class y: {value}"

    # Row order does not matter (same random_state).
    reversed_args = tuple(_reverse_rows(a) for a in args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        again = run_estimate(func, method, reversed_args)
    assert again == pytest.approx(value, rel=1e-9, abs=1e-12) or (again == value), (
        f"row order changes the estimate: {value} vs {again}"
    )


# ---------------------------------------------------------------------- measures

_BIG = {"big_int64": np.int64(2**62), "big_uint64": np.uint64(2**63)}


def _measure_inputs(case_name: str):
    """``(p, q, joint2, joint3, weights)`` of a table-world case."""
    p = q = np.array([0.5, 0.25, 0.25])
    j2 = np.array([[0.4, 0.1], [0.1, 0.4]])
    j3 = np.full((2, 2, 2), 1 / 8)
    w = None
    if case_name == "empty_rows":
        p = q = np.empty(0)
        j2, j3 = np.empty((0, 2)), np.empty((0, 2, 2))
    elif case_name == "empty_columns":
        p = q = np.empty((3, 0))
        j2, j3 = np.empty((2, 0)), np.empty((2, 2, 0))
    elif case_name == "one_row":
        p = q = np.array([1.0])
        j2, j3 = np.array([[0.5, 0.5]]), np.full((1, 2, 2), 0.25)
    elif case_name == "constant_column":  # uniform distributions and tables
        p = q = np.full(4, 0.25)
        j2, j3 = np.full((2, 2), 0.25), np.full((2, 2, 2), 1 / 8)
    elif case_name == "all_nan_column":
        p = q = np.full(3, np.nan)
        j2, j3 = np.full((2, 2), np.nan), np.full((2, 2, 2), np.nan)
    elif case_name == "inf":
        p = q = np.array([1.0, np.inf, 1.0])
        j2 = np.array([[1.0, np.inf], [1.0, 1.0]])
        j3 = np.ones((2, 2, 2))
        j3[0, 1, 1] = np.inf
    elif case_name == "huge_magnitudes":
        p = q = np.array([1.7e308, 1.7e308])
        j2 = np.array([[1.7e308, 0.0], [0.0, 1.7e308]])
        j3 = np.zeros((2, 2, 2))
        j3[0, 0, 0] = j3[1, 1, 0] = j3[0, 0, 1] = j3[1, 1, 1] = 1.7e308
    elif case_name in _BIG:
        big = _BIG[case_name]
        one = type(big)(1)
        p = q = np.array([big, big + one])
        j2 = np.array([[big, 0], [0, big + one]], dtype=type(big))
        j3 = np.zeros((2, 2, 2), dtype=type(big))
        j3[0, 0, 0], j3[1, 1, 0], j3[0, 0, 1], j3[1, 1, 1] = big, big + one, big, big
    elif case_name == "object_strings":
        p = q = np.array(["a", "b", "c"], dtype=object)
        j2, j3 = p.reshape(1, 3), p.reshape(1, 1, 3)
    elif case_name == "datetime64_numpy":
        p = q = np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]")
        j2, j3 = p.reshape(1, 2), p.reshape(1, 1, 2)
    elif case_name == "datetime_pandas":
        p = q = pd.Series(pd.date_range("2020-01-01", periods=3))
        j2 = j3 = pd.DataFrame({"when": p, "then": p})
    elif case_name == "sparse":
        p = q = sp.csr_matrix(np.array([[0.5, 0.25, 0.25]]))
        j2 = sp.csr_matrix(np.array([[0.4, 0.1], [0.1, 0.4]]))
        j3 = j2  # a 2-D sparse matrix as the 3-D table: must be refused
    elif case_name == "y_wrong_length":
        p, q = np.array([0.5, 0.25, 0.25]), np.array([0.5, 0.5])
    elif case_name.startswith("weights_"):
        p, q = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5])
        w = {
            "weights_fractional": np.array([0.3, 0.7]),
            "weights_huge": np.array([1e17, 1e20]),
            "weights_all_zero": np.array([0.0, 0.0]),
            "weights_some_zero": np.array([0.0, 1.0]),
            "weights_alternating_tiny_huge": np.array([1e300, 1e-300]),
            "weights_negative": np.array([-1.0, 2.0]),
        }[case_name]
    return p, q, j2, j3, w


def _measure_args(func: str, case_name: str):
    p, q, j2, j3, w = _measure_inputs(case_name)
    if func == "entropy":
        return (p,), {}
    if func in ("kl_divergence", "cross_entropy"):
        return (p, q), {}
    if func in ("js_divergence", "js_distance"):
        return (p, q), ({} if w is None else {"weights": w})
    if func == "conditional_mutual_info":
        return (j3,), {}
    return (j2,), {}


def _dense(value):
    if sp.issparse(value):
        return value.toarray()
    return value


def check_measure_result(func: str, case_name: str, args, kwargs, value):
    arr = np.asarray(value, dtype=float)
    assert not np.isnan(arr).any(), f"NaN result {value}"
    assert np.isfinite(arr).all(), f"non-finite result {value}"
    if func in (
        "entropy",
        "joint_entropy",
        "conditional_entropy",
        "cross_entropy",
        "kl_divergence",
        "js_divergence",
        "js_distance",
        "mutual_info",
        "conditional_mutual_info",
        "variation_of_information",
        "normalized_mutual_info",
    ):
        assert (arr >= -TOL).all(), f"negative {func}: {value}"
    if func in ("js_divergence",):
        assert (arr <= LOG2 + TOL).all()
    if func in ("js_distance",):
        assert (arr <= math.sqrt(LOG2) + TOL).all()
    if func == "normalized_mutual_info":
        assert (arr <= 1 + TOL).all()
    if func == "mutual_info":
        joint = np.asarray(_dense(args[0]), dtype=float)
        joint = joint / joint.max()
        bound = min(
            measures.entropy(joint.sum(axis=1)), measures.entropy(joint.sum(axis=0))
        )
        assert value <= bound + TOL, f"MI {value} above min(H(X), H(Y)) = {bound}"
    exact = {
        ("mutual_info", "constant_column"): 0.0,
        ("conditional_mutual_info", "constant_column"): 0.0,
        ("kl_divergence", "constant_column"): 0.0,
        ("js_divergence", "constant_column"): 0.0,
        ("mutual_info", "huge_magnitudes"): LOG2,
        ("conditional_mutual_info", "huge_magnitudes"): LOG2,
        ("entropy", "huge_magnitudes"): LOG2,
        ("mutual_info", "big_int64"): LOG2,
        ("mutual_info", "big_uint64"): LOG2,
        ("entropy", "big_int64"): LOG2,
        ("entropy", "big_uint64"): LOG2,
        ("entropy", "one_row"): 0.0,
        ("mutual_info", "one_row"): 0.0,
        ("js_divergence", "weights_some_zero"): 0.0,
    }
    key = (func, case_name)
    if key in exact:
        if exact[key] == 0.0 and case_name in ("constant_column", "one_row"):
            assert value == 0.0, f"{func} should be exactly 0.0, got {value}"
        else:
            assert value == pytest.approx(exact[key], rel=1e-12, abs=1e-15)
    if case_name == "sparse":
        dense = getattr(measures, func)(*[_dense(a) for a in args], **kwargs)
        assert _close(value, dense), f"sparse gives {value}, dense {dense}"


# ---------------------------------------------------------------------- command line


def _write_csv(case: Case, path) -> None:
    X, y = case.X, np.asarray(case.y)
    if isinstance(X, pd.DataFrame):
        frame = X.copy()
    else:
        frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    frame["target"] = y
    frame.to_csv(path, index=False)


def _cli_argv(command: str, path) -> list[str]:
    argv = [command, str(path), "--no-progress", "--format", "csv"]
    if command == "bottleneck":
        argv += ["--betas", "2,20"]
    return argv


# ======================================================================================
# The matrix
# ======================================================================================


def _params():
    """Every applicable (entry point, case) pair; the others make no sense."""
    for entry in ENTRIES:
        for name in CASES:
            if expectation(entry, make_case(name))[0] != SKIP:
                yield pytest.param(entry, name, id=f"{entry.id}-{name}")


def _inputs_of(entry: Entry, case: Case):
    return {"X": case.X, "y": case.y, "sample_weight": case.sample_weight}


@pytest.mark.parametrize(("entry", "case_name"), list(_params()))
def test_bad_input(entry: Entry, case_name: str, tmp_path, capsys):
    case = make_case(case_name)
    mode, names, warn = expectation(entry, case)
    if mode == SKIP:
        pytest.skip(f"{case_name} is not an input of {entry.id}")
    if entry.family == "cli":
        _run_cli_case(entry, case, mode, tmp_path, capsys)
        return
    if entry.family == "measure":
        func = entry.opts["func"]
        args, kwargs = _measure_args(func, case_name)
        call = lambda: getattr(measures, func)(*args, **kwargs)
        inputs = {"args": args, "kwargs": kwargs}
    elif entry.family == "estimate":
        func, method = entry.opts["func"], entry.opts["method"]
        args = _estimate_args(func, case, entry.opts["pair"])
        call = lambda: run_estimate(func, method, args)
        inputs = {"args": args}
    elif entry.family == "curve":
        reducer = InformationBottleneckReducer(
            2, **entry.opts, n_init=2, random_state=0
        )
        args = (case.X, case.y)
        call = lambda: information_curve(reducer, *args, betas=[2.0, 20.0])
        inputs = {"args": args, "reducer": reducer}
    else:
        w = None if entry.family == "bottleneck" else case.sample_weight
        call = lambda: run_estimator(entry, case, case.X, case.y, w)
        inputs = _inputs_of(entry, case)
    before = {k: _snapshot(v) for k, v in inputs.items()}

    context = pytest.warns(UserWarning, match=warn) if warn else nullcontext()
    try:
        with context:
            result = call()
    except (
        ValueError,
        TypeError,
        ArithmeticError,
        IndexError,
        KeyError,
        AttributeError,
        RuntimeError,
        np.linalg.LinAlgError,
    ) as exc:
        if mode == VALUE:
            pytest.fail(f"expected a result, got {type(exc).__name__}: {exc}")
        check_clear_error(exc, names)
        result = None
    else:
        if mode == ERROR:
            pytest.fail(f"expected a clear error naming {names}, got {result!r:.200}")
    finally:
        for key, old in before.items():
            assert _same_nested(old, inputs[key]), f"{key} was modified in place"

    if result is None:
        return
    if entry.family == "measure":
        check_measure_result(func, case_name, args, kwargs, result)
    elif entry.family == "estimate":
        check_estimate_result(func, method, case, args, result)
    elif entry.family == "curve":
        _check_curve(entry, case, result, reducer)
    else:
        w = None if entry.family == "bottleneck" else case.sample_weight
        check_estimator_result(entry, case, case.X, case.y, w, result)
        if case_name == "weights_some_zero" and entry.method == "fit":
            _check_zero_weights_drop_rows(entry, case, result)


def _same_nested(a, b) -> bool:
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(
            _same_nested(x, y) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_nested(a[k], b[k]) for k in a)
    if isinstance(a, InformationBottleneckReducer):
        return a.get_params() == b.get_params() and not hasattr(b, "n_features_in_")
    if a is None or isinstance(a, str | float | int):
        return a == b or (a is None and b is None)
    return _same(a, b)


def _check_curve(entry, case, curve, reducer):
    xy = curve.attrs["information_xy"]
    assert np.isfinite(xy) and xy >= -TOL
    for column in ("information_xt", "information_ty"):
        values = curve[column].to_numpy(dtype=float)
        assert np.isfinite(values).all(), f"{column}: {values}"
        assert (values >= -TOL).all(), f"{column}: {values}"
    ty = curve["information_ty"].to_numpy(dtype=float)
    assert (ty <= xy + 1e-7).all(), f"I(T;Y) {ty} above I(X;Y) {xy}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        again = information_curve(
            reducer, _reverse_rows(case.X), _reverse_rows(case.y), betas=[2.0, 20.0]
        )
    for column in ("information_xt", "information_ty"):
        assert _close(curve[column], again[column], rtol=1e-6, atol=1e-9), (
            f"{column} depends on row order"
        )


def _check_zero_weights_drop_rows(entry, case, result):
    """A zero weight is an absent row: fitting without those rows changes nothing."""
    keep = case.sample_weight > 0
    X, y, w = case.X[keep], case.y[keep], case.sample_weight[keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        other = run_estimator(entry, case, X, y, w)
    bad = _keys_match(_result_key(entry, result), _result_key(entry, other), 1e-9)
    assert not bad, f"zero-weight rows change the fit: {bad}"


def _run_cli_case(entry, case, mode, tmp_path, capsys):
    command = entry.opts["command"]
    path = tmp_path / "data.csv"
    _write_csv(case, path)
    capsys.readouterr()
    status = cli_main(_cli_argv(command, path))
    captured = capsys.readouterr()
    errors = [
        line
        for line in captured.err.splitlines()
        if line.strip() and not line.startswith("skinfo: warning:")
    ]
    assert "Traceback" not in captured.err
    if status == 0:
        assert mode != ERROR, f"exit 0 on bad data; stdout: {captured.out[:200]}"
        assert captured.out.strip(), "no output"
        assert "nan" not in captured.out.lower(), f"NaN in output: {captured.out}"
        return
    assert mode != VALUE, f"exit {status} on valid data: {captured.err.strip()}"
    assert len(errors) == 1, f"expected one error line, got: {captured.err!r}"
    low = errors[0].lower()
    leaked = [phrase for phrase in INTERNALS if phrase in low]
    assert not leaked, f"message leaks internals {leaked}: {errors[0]}"


# ======================================================================================
# Specific values, warnings and weight scaling
# ======================================================================================


def test_uniform_table_conditional_mi_is_exactly_zero():
    assert measures.conditional_mutual_info(np.full((2, 3, 2), 1 / 12)) == 0.0
    # A balanced full factorial design: every (x, y, z) once, twice.
    grid = np.array(np.meshgrid([0, 1], [0, 1, 2], [0, 1], indexing="ij")).reshape(
        3, -1
    )
    x, y, z = np.tile(grid, 2)
    assert estimate.conditional_mutual_info(x, y, z, method="plugin") == 0.0


def _span_column():
    x = np.array([-1.7e308, -1e308, -5e307, -1.0, 2.0, 5e307, 1e308, 1.7e308])
    return x, (x > 0).astype(int)


def test_span_column_two_uniform_bins_gives_log2_estimate():
    x, sign = _span_column()
    value = estimate.mutual_info(x, sign, method="binned", n_bins=2, strategy="uniform")
    assert value == pytest.approx(LOG2, rel=1e-12)


def test_span_column_two_uniform_bins_gives_log2_selector():
    x, sign = _span_column()
    selector = MIFeatureSelector(1, strategy="uniform", n_bins=2, random_state=0).fit(
        x[:, None], sign
    )
    assert selector.relevance_[0] == pytest.approx(LOG2, rel=1e-12)


def test_span_column_two_uniform_bins_discretizer():
    x, sign = _span_column()
    disc = EntropyDiscretizer("uniform", n_bins=2).fit(x[:, None])
    assert np.array_equal(disc.transform(x[:, None]).ravel(), sign.astype(float))


def test_ross_tiny_classes_warn_estimate():
    rng = np.random.default_rng(0)
    x = rng.normal(size=20)
    y = np.array([0] * 18 + [1] * 2)  # class 1 has 2 < n_neighbors + 1 members
    with pytest.warns(UserWarning, match="n_neighbors"):
        estimate.mutual_info(x, y, method="knn", n_neighbors=3, random_state=0)


def test_ross_tiny_classes_warn_selector():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = np.array([0] * 18 + [1] * 2)
    selector = MIFeatureSelector(1, method="knn", criterion="mim", random_state=0)
    with pytest.warns(UserWarning, match="n_neighbors"):
        selector.fit(X, y)


def test_knn_row_order_invariance_on_ties():
    """Tied data: the tie-breaking jitter follows the rows, not their positions."""
    X, y = _base()
    x = np.round(X[:, 0])
    z = np.round(X[:, 1])
    perm = np.random.default_rng(7).permutation(N)
    for func, args in (
        ("entropy", (x,)),
        ("mutual_info", (x, z)),
        ("mutual_info", (x, y)),
        ("conditional_mutual_info", (x, z, X[:, 2])),
    ):
        a = getattr(estimate, func)(*args, method="knn", random_state=0)
        b = getattr(estimate, func)(
            *(v[perm] for v in args), method="knn", random_state=0
        )
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15), func


WEIGHTED = [
    *[
        pytest.param(
            MIFeatureSelector(n_features_to_select=k, criterion=crit, random_state=0),
            id=f"MIFeatureSelector-{crit}-{k}",
        )
        for crit in ("mim", "jmi", "mrmr", "cmim")
        for k in (2, "auto")
    ],
    *[
        pytest.param(
            EntropyDiscretizer(strategy, n_bins="auto", random_state=0),
            id=f"EntropyDiscretizer-{strategy}",
        )
        for strategy in ("mdlp", "quantile", "uniform")
    ],
]


def _weighted_key(est):
    if isinstance(est, MIFeatureSelector):
        return {
            "relevance": est.relevance_,
            "support": est.get_support().astype(float),
            "n": float(est.n_features_to_select_),
        }
    return {f"cuts{j}": np.asarray(c) for j, c in enumerate(est.cut_points_)}


@pytest.mark.parametrize("estimator", WEIGHTED)
@pytest.mark.parametrize("scale", [0.5, 1e-3, 1e-9])
def test_weight_scaling_invariance(estimator, scale):
    """sum(w) <= count(w > 0): scaling every weight by c in (0, 1] changes nothing."""
    X, y = _base()
    w = make_case("weights_fractional").sample_weight
    assert w.sum() <= np.count_nonzero(w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = _weighted_key(copy.deepcopy(estimator).fit(X, y, sample_weight=w))
        b = _weighted_key(copy.deepcopy(estimator).fit(X, y, sample_weight=w * scale))
    for key in a:
        assert np.shape(a[key]) == np.shape(b[key]), key
        assert _close(a[key], b[key], rtol=1e-9, atol=1e-12), (key, a[key], b[key])


@pytest.mark.parametrize("estimator", WEIGHTED)
def test_normalised_uniform_weights_equal_unit_weights(estimator):
    X, y = _base()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a = _weighted_key(copy.deepcopy(estimator).fit(X, y))
        b = _weighted_key(
            copy.deepcopy(estimator).fit(X, y, sample_weight=np.full(N, 1.0 / N))
        )
    for key in a:
        assert np.shape(a[key]) == np.shape(b[key]), key
        assert _close(a[key], b[key], rtol=1e-9, atol=1e-12), (key, a[key], b[key])


@pytest.mark.parametrize("command", ["rank", "discretize", "bottleneck"])
def test_cli_subprocess_bad_data_is_one_line(command, tmp_path):
    """``python -m skinfo`` on a CSV with text: exit 1, one line, no traceback."""
    case = make_case("object_strings")
    path = tmp_path / "data.csv"
    _write_csv(case, path)
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root}
    proc = subprocess.run(
        [sys.executable, "-m", "skinfo", *_cli_argv(command, path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("skinfo: error:"), lines[0]
    assert "f0" in lines[0], f"the message does not name the column: {lines[0]}"
